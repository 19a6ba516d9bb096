# SPDX-License-Identifier: GPL-3.0-or-later
"""A small, independent profile.proto decoder for the tests (standard library only).

It shares no code with spyglass.pprof on purpose: the encoder is checked
against a reading of the wire format written from the spec, and against
`go tool pprof`.
"""

import gzip
import os
import shutil
import subprocess
import tempfile


def _varint(buf, i):
    shift = 0
    v = 0
    while True:
        b = buf[i]
        i += 1
        v |= (b & 0x7F) << shift
        if not b & 0x80:
            return v, i
        shift += 7


def _signed(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def fields(buf):
    """Yields (field number, wire type, value); value is int or bytes."""
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            v, i = _varint(buf, i)
        elif wire == 2:
            n, i = _varint(buf, i)
            v = bytes(buf[i:i + n])
            i += n
        elif wire == 1:
            v = int.from_bytes(buf[i:i + 8], "little")
            i += 8
        elif wire == 5:
            v = int.from_bytes(buf[i:i + 4], "little")
            i += 4
        else:
            raise ValueError(f"wire type {wire} at {i}")
        yield field, wire, v


def _packed(wire, v):
    if wire == 0:
        return [v]
    out, i = [], 0
    while i < len(v):
        x, i = _varint(v, i)
        out.append(x)
    return out


def _msg(buf):
    d = {}
    for f, w, v in fields(buf):
        d.setdefault(f, []).append((w, v))
    return d


def _one(d, f, default=0):
    vals = d.get(f)
    return vals[-1][1] if vals else default


def decode(data):
    """Decodes a (gzipped or raw) profile into plain dicts with strings resolved."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    top = _msg(data)
    strings = [v.decode("utf-8") for _, v in top.get(6, [])]

    def vt(raw):
        m = _msg(raw)
        return (strings[_one(m, 1)], strings[_one(m, 2)])

    functions = {}
    for _, raw in top.get(5, []):
        m = _msg(raw)
        functions[_one(m, 1)] = {"name": strings[_one(m, 2)],
                                 "system_name": strings[_one(m, 3)],
                                 "filename": strings[_one(m, 4)],
                                 "start_line": _one(m, 5)}
    locations = {}
    for _, raw in top.get(4, []):
        m = _msg(raw)
        lines = []
        for _, lraw in m.get(4, []):
            lm = _msg(lraw)
            lines.append((_one(lm, 1), _signed(_one(lm, 2))))
        locations[_one(m, 1)] = {"mapping_id": _one(m, 2), "lines": lines}
    samples = []
    for _, raw in top.get(2, []):
        m = _msg(raw)
        locs, values, labels = [], [], {}
        for w, v in m.get(1, []):
            locs += _packed(w, v)
        for w, v in m.get(2, []):
            values += [_signed(x) for x in _packed(w, v)]
        for _, lraw in m.get(3, []):
            lm = _msg(lraw)
            key = strings[_one(lm, 1)]
            if 2 in lm:
                labels[key] = strings[_one(lm, 2)]
            else:
                labels[key] = (_signed(_one(lm, 3)), strings[_one(lm, 4)])
        samples.append({"locations": locs, "values": values, "labels": labels})
    comments = []
    for w, v in top.get(13, []):
        comments += [strings[x] for x in _packed(w, v)]
    return {
        "sample_types": [vt(raw) for _, raw in top.get(1, [])],
        "samples": samples,
        "mappings": [_msg(raw) for _, raw in top.get(3, [])],
        "locations": locations,
        "functions": functions,
        "strings": strings,
        "time_nanos": _signed(_one(top, 9)),
        "duration_nanos": _signed(_one(top, 10)),
        "period_type": vt(top[11][-1][1]) if 11 in top else None,
        "period": _signed(_one(top, 12)),
        "comments": comments,
        "default_sample_type": strings[_one(top, 14)],
    }


def stack(profile, sample):
    """[(function name, filename, line)] leaf first."""
    out = []
    for lid in sample["locations"]:
        for fid, line in profile["locations"][lid]["lines"]:
            f = profile["functions"][fid]
            out.append((f["name"], f["filename"], line))
    return out


def totals(profile):
    n = len(profile["sample_types"])
    sums = [0] * n
    for s in profile["samples"]:
        for i, v in enumerate(s["values"]):
            sums[i] += v
    return {profile["sample_types"][i][0]: sums[i] for i in range(n)}


def go_pprof():
    """Path of `go`, or None (the tests skip cleanly without it)."""
    return shutil.which("go")


def go_raw(data):
    """Runs `go tool pprof -raw` on the data; returns its text output."""
    with tempfile.NamedTemporaryFile(suffix=".pb.gz", delete=False) as f:
        f.write(data)
        path = f.name
    try:
        env = dict(os.environ)
        env.setdefault("GOCACHE", os.path.join(tempfile.gettempdir(), "spyglass-gocache"))
        env.setdefault("HOME", tempfile.gettempdir())
        r = subprocess.run([go_pprof(), "tool", "pprof", "-raw", path], capture_output=True,
                           text=True, timeout=120, env=env)
        if r.returncode != 0:
            raise AssertionError("go tool pprof failed: " + r.stderr)
        return r.stdout
    finally:
        os.unlink(path)


def go_raw_totals(text):
    """Sums the sample values in `go tool pprof -raw` output, by sample type name."""
    lines = text.splitlines()
    i = lines.index("Samples:")
    header = lines[i + 1].split()
    names = [h.split("/")[0] for h in header]
    sums = [0] * len(names)
    count = 0
    for line in lines[i + 2:]:
        if not line.strip() or not line.startswith(" "):
            break
        if ":" in line and line.split(":")[0].strip().replace(" ", "").lstrip("-").isdigit():
            vals = line.split(":")[0].split()
            for k, v in enumerate(vals):
                sums[k] += int(v)
            count += 1
    return dict(zip(names, sums)), count
