# SPDX-License-Identifier: GPL-3.0-or-later
"""The service's source tree as the console sees it: a manifest of files with
their sha256, and single files by relative path.

Nothing outside the source root is ever read: paths are resolved (symlinks
included) and must stay under the resolved root.  Hidden files and
directories (.git, .env, ...), virtual environments and caches are neither
listed nor served, because they are where secrets and vendored code live."""

import hashlib
import os
import stat
import threading
import time

SKIP_DIRS = frozenset((
    "__pycache__", "node_modules", "site-packages", "dist-packages",
    "venv", "env", "virtualenv", "_build", "build", "dist",
))
MAX_FILES = 20000
MAX_FILE_BYTES = 8 << 20          # larger files are listed without a hash, never served
MAX_HASH_BYTES = 512 << 20        # total bytes hashed for one manifest
MAX_SECONDS = 10.0                # a manifest request never takes longer than this


class SourceError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _hidden(name):
    return name.startswith(".")


def _same_device(path, device):
    # Like `find -xdev`: a root of / (a service started from there) must not
    # walk into /proc, /sys or network mounts.
    try:
        return os.lstat(path).st_dev == device
    except OSError:
        return False


def _is_venv(path):
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


class SourceTree:
    def __init__(self, root):
        self.root = os.path.realpath(root)
        # (rel path) -> (size, mtime_ns, sha256): a second manifest costs a stat per file.
        self._hashes = {}
        self._lock = threading.Lock()

    # -- manifest ----------------------------------------------------------

    def manifest(self):
        files = []
        truncated = False
        hashed = 0
        seen = set()
        deadline = time.monotonic() + MAX_SECONDS
        try:
            root_dev = os.stat(self.root).st_dev
        except OSError:
            return {"root": self.root, "files": [], "truncated": False}
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames
                                 if not _hidden(d) and d not in SKIP_DIRS
                                 and not d.endswith(".egg-info")
                                 and _same_device(os.path.join(dirpath, d), root_dev)
                                 and not _is_venv(os.path.join(dirpath, d)))
            for name in sorted(filenames):
                if _hidden(name) or name.endswith((".pyc", ".pyo")):
                    continue
                if len(files) >= MAX_FILES or time.monotonic() > deadline:
                    truncated = True
                    break
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, self.root).replace(os.sep, "/")
                try:
                    resolved = self._inside(full)
                    st = os.stat(resolved)
                except (OSError, SourceError):
                    continue
                if not stat.S_ISREG(st.st_mode):
                    continue
                entry = {"path": rel, "size": st.st_size, "sha256": None}
                if st.st_size <= MAX_FILE_BYTES and hashed + st.st_size <= MAX_HASH_BYTES:
                    digest = self._digest(rel, resolved, st)
                    if digest is not None:
                        entry["sha256"] = digest
                        hashed += st.st_size
                else:
                    truncated = truncated or st.st_size <= MAX_FILE_BYTES
                files.append(entry)
                seen.add(rel)
            if truncated and (len(files) >= MAX_FILES or time.monotonic() > deadline):
                break
        with self._lock:
            for rel in list(self._hashes):
                if rel not in seen:
                    del self._hashes[rel]
        return {"root": self.root, "files": files, "truncated": truncated}

    def _digest(self, rel, resolved, st):
        key = (st.st_size, st.st_mtime_ns)
        with self._lock:
            cached = self._hashes.get(rel)
        if cached is not None and cached[0] == key:
            return cached[1]
        h = hashlib.sha256()
        try:
            with open(resolved, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 16), b""):
                    h.update(chunk)
        except OSError:
            return None
        digest = h.hexdigest()
        with self._lock:
            self._hashes[rel] = (key, digest)
        return digest

    # -- single files ------------------------------------------------------

    def _inside(self, path):
        """The resolved path, or SourceError if it leaves the root."""
        resolved = os.path.realpath(path)
        if resolved != self.root and not resolved.startswith(self.root.rstrip(os.sep) + os.sep):
            raise SourceError(403, "outside_source_root", "that path leads outside the source root")
        return resolved

    def resolve(self, rel):
        """Check a client-supplied relative path; returns the absolute path."""
        if not rel or "\0" in rel:
            raise SourceError(400, "bad_path", "give a path relative to the source root")
        rel = rel.replace("\\", "/")
        if rel.startswith("/") or (len(rel) > 1 and rel[1] == ":"):
            raise SourceError(400, "bad_path", "the path must be relative to the source root")
        parts = [p for p in rel.split("/") if p not in ("", ".")]
        if not parts or any(p == ".." for p in parts):
            raise SourceError(400, "bad_path", "the path must stay inside the source root")
        if any(_hidden(p) or p in SKIP_DIRS for p in parts):
            raise SourceError(403, "not_served", "hidden files and dependency folders are not served")
        return self._inside(os.path.join(self.root, *parts))

    def read(self, rel):
        """(bytes, sha256) of one file under the root."""
        path = self.resolve(rel)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            raise SourceError(404, "not_found", "no such file: %s" % rel) from None
        except OSError as e:
            raise SourceError(404, "not_found", "cannot open %s: %s" % (rel, e.strerror)) from None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise SourceError(404, "not_found", "%s is not a regular file" % rel)
        except BaseException:
            os.close(fd)
            raise
        with os.fdopen(fd, "rb") as f:
            if st.st_size > MAX_FILE_BYTES:
                raise SourceError(413, "file_too_large", "%s is %d bytes; files over %d bytes "
                                  "are not served" % (rel, st.st_size, MAX_FILE_BYTES))
            data = f.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise SourceError(413, "file_too_large", "%s grew past %d bytes" % (rel, MAX_FILE_BYTES))
        return data, hashlib.sha256(data).hexdigest()
