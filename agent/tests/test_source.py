# SPDX-License-Identifier: GPL-3.0-or-later
"""Source manifest and file serving over HTTP: hashes, skipped folders,
path traversal and symlinks out of the root refused."""

import hashlib
import os
import shutil
import tempfile
import unittest
import urllib.parse

from tests.support import TOKEN, AgentProcess


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


class SourceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.top = tempfile.mkdtemp()
        cls.root = os.path.join(cls.top, "service")
        cls.outside = os.path.join(cls.top, "outside-secret.txt")
        write(cls.outside, b"do not serve me")
        cls.files = {
            "app.py": b"import shop\nprint('hi')\n",
            "shop/__init__.py": b"",
            "shop/orders.py": "# ünïcode\ndef total(items):\n    return sum(items)\n".encode(),
            "templates/index.html": b"<p>hi</p>\n",
            "data.bin": bytes(range(256)),
        }
        for rel, data in cls.files.items():
            write(os.path.join(cls.root, rel), data)
        # Things that must not be listed or served.
        write(os.path.join(cls.root, ".git/config"), b"[remote] url=https://user:pw@host\n")
        write(os.path.join(cls.root, ".env"), b"API_KEY=abc\n")
        write(os.path.join(cls.root, "shop/__pycache__/orders.cpython-311.pyc"), b"\0")
        write(os.path.join(cls.root, "venv/pyvenv.cfg"), b"home = /usr\n")
        write(os.path.join(cls.root, "venv/lib/site.py"), b"x = 1\n")
        write(os.path.join(cls.root, "myenv/pyvenv.cfg"), b"home = /usr\n")
        write(os.path.join(cls.root, "myenv/lib/mod.py"), b"x = 1\n")
        os.symlink(cls.outside, os.path.join(cls.root, "escape.txt"))
        os.symlink(cls.top, os.path.join(cls.root, "updir"))
        os.symlink(os.path.join(cls.root, "app.py"), os.path.join(cls.root, "alias.py"))
        cls.agent = AgentProcess(token=TOKEN, source_root=cls.root)
        cls.agent.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.agent.close()
        shutil.rmtree(cls.top)

    def fetch(self, rel, headers=None):
        return self.agent.request("GET", "/v1/source/file?path=" + urllib.parse.quote(rel),
                                  headers=headers)

    def test_manifest_lists_files_with_correct_hashes(self):
        status, _, body = self.agent.request("GET", "/v1/source/manifest")
        self.assertEqual(status, 200)
        self.assertEqual(body["root"], os.path.realpath(self.root))
        self.assertFalse(body["truncated"])
        listed = {f["path"]: f for f in body["files"]}
        expected = dict(self.files)
        expected["alias.py"] = self.files["app.py"]     # a symlink inside the root is fine
        self.assertEqual(sorted(listed), sorted(expected))
        for rel, data in expected.items():
            self.assertEqual(listed[rel]["size"], len(data), rel)
            self.assertEqual(listed[rel]["sha256"], hashlib.sha256(data).hexdigest(), rel)

    def test_manifest_sees_changes(self):
        path = os.path.join(self.root, "shop/orders.py")
        with open(path, "rb") as f:
            original = f.read()
        self.addCleanup(write, path, original)
        write(path, original + b"# changed, and longer\n")
        body = self.agent.request("GET", "/v1/source/manifest")[2]
        entry = [f for f in body["files"] if f["path"] == "shop/orders.py"][0]
        self.assertEqual(entry["sha256"],
                         hashlib.sha256(original + b"# changed, and longer\n").hexdigest())

    def test_file_is_served_verbatim(self):
        for rel, data in self.files.items():
            with self.subTest(rel=rel):
                status, headers, body = self.fetch(rel)
                self.assertEqual(status, 200)
                self.assertEqual(body, data)
                digest = hashlib.sha256(data).hexdigest()
                self.assertEqual(headers["X-Spyglass-Sha256"], digest)
                self.assertEqual(headers["ETag"], '"%s"' % digest)
        self.assertEqual(self.fetch("shop/orders.py")[1]["Content-Type"],
                         "text/plain; charset=utf-8")
        self.assertEqual(self.fetch("data.bin")[1]["Content-Type"], "application/octet-stream")
        self.assertEqual(self.fetch("./shop//orders.py")[0], 200)

    def test_unchanged_file_is_304(self):
        etag = self.fetch("app.py")[1]["ETag"]
        status, _, body = self.fetch("app.py", headers={"If-None-Match": etag})
        self.assertEqual(status, 304)
        self.assertEqual(body, b"")

    def test_traversal_is_refused(self):
        cases = {
            "../outside-secret.txt": 400,
            "shop/../../outside-secret.txt": 400,
            "..\\outside-secret.txt": 400,
            self.outside: 400,
            "/etc/passwd": 400,
            "C:/Windows/win.ini": 400,
            "app.py\0.txt": 400,
            "": 400,
            "escape.txt": 403,            # symlink leading out of the root
            "updir/outside-secret.txt": 403,
            ".git/config": 403,
            ".env": 403,
            "shop/__pycache__/orders.cpython-311.pyc": 403,
            "missing.py": 404,
            "shop": 404,                  # a directory is not a file
        }
        for rel, status in cases.items():
            with self.subTest(rel=rel):
                got, _, body = self.fetch(rel)
                self.assertEqual(got, status, body)
                self.assertIn("error", body)
                self.assertNotIn(b"do not serve me", repr(body).encode())
        # Percent-encoded dots arrive decoded in the query and are refused too.
        status, _, _ = self.agent.request(
            "GET", "/v1/source/file?path=%2e%2e%2foutside-secret.txt")
        self.assertEqual(status, 400)

    def test_missing_path_parameter(self):
        status, _, body = self.agent.request("GET", "/v1/source/file")
        self.assertEqual(status, 400)
        self.assertEqual(body["error"]["code"], "bad_path")

    def test_serving_can_be_switched_off(self):
        with AgentProcess(token=TOKEN, source_root=self.root, source_serving=False) as agent:
            status, _, body = agent.request("GET", "/v1/source/file?path=app.py")
            self.assertEqual(status, 403)
            self.assertEqual(body["error"]["code"], "source_serving_disabled")
            description = agent.request("GET", "/v1/agent")[2]
            self.assertNotIn("source_files", description["capabilities"])
            self.assertFalse(description["source_serving"])
            # Hashes stay available so the console can match its local copy.
            self.assertEqual(agent.request("GET", "/v1/source/manifest")[0], 200)


if __name__ == "__main__":
    unittest.main()
