# SPDX-License-Identifier: GPL-3.0-or-later
"""A pprof ``profile.proto`` encoder, written out by hand (standard library only).

Protocol buffers wire format in brief: every field is a key varint
``(field_number << 3) | wire_type`` followed by a varint (type 0) or a
length-prefixed byte string (type 2, used for strings, sub-messages and
packed repeated integers).  Negative int64 values are ten-byte varints.

Field numbers follow github.com/google/pprof/proto/profile.proto.
"""

import gzip

# Profile
_SAMPLE_TYPE, _SAMPLE, _MAPPING, _LOCATION, _FUNCTION, _STRING_TABLE = 1, 2, 3, 4, 5, 6
_TIME_NANOS, _DURATION_NANOS, _PERIOD_TYPE, _PERIOD, _COMMENT, _DEFAULT_SAMPLE_TYPE = (
    9, 10, 11, 12, 13, 14)

CONTENT_TYPE = "application/vnd.google.protobuf+gzip"


def _varint(out, v):
    if v < 0:
        v += 1 << 64
    while v > 0x7F:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)


def _key(out, field, wire):
    _varint(out, (field << 3) | wire)


def _uint(out, field, v):
    if v:
        _key(out, field, 0)
        _varint(out, v)


def _bytes(out, field, data):
    _key(out, field, 2)
    _varint(out, len(data))
    out += data


def _packed(out, field, values):
    if not values:
        return
    body = bytearray()
    for v in values:
        _varint(body, v)
    _bytes(out, field, body)


class ProfileBuilder:
    """Collects strings, functions, locations and samples; `encode()` makes the bytes.

    Function and location ids are 1-based as pprof wants (0 means "none").
    """

    def __init__(self, sample_types, period_type=None, period=0,
                 time_nanos=0, duration_nanos=0, default_sample_type=None):
        self._strings = {"": 0}
        self._string_list = [""]
        self._functions = bytearray()
        self._function_ids = {}
        self._locations = bytearray()
        self._location_ids = {}
        self._samples = bytearray()
        self._comments = []
        self.sample_types = [(self.string(t), self.string(u)) for t, u in sample_types]
        self.period_type = (self.string(period_type[0]), self.string(period_type[1])) \
            if period_type else None
        self.period = period
        self.time_nanos = time_nanos
        self.duration_nanos = duration_nanos
        self.default_sample_type = self.string(default_sample_type) if default_sample_type else 0
        self.sample_count = 0

    def string(self, s):
        idx = self._strings.get(s)
        if idx is None:
            idx = self._strings[s] = len(self._string_list)
            self._string_list.append(s)
        return idx

    def comment(self, text):
        self._comments.append(self.string(text))

    def function(self, name, system_name, filename, start_line):
        key = (name, filename, start_line)
        fid = self._function_ids.get(key)
        if fid is None:
            fid = self._function_ids[key] = len(self._function_ids) + 1
            msg = bytearray()
            _uint(msg, 1, fid)
            _uint(msg, 2, self.string(name))
            _uint(msg, 3, self.string(system_name))
            _uint(msg, 4, self.string(filename))
            _uint(msg, 5, start_line)
            _bytes(self._functions, _FUNCTION, msg)
        return fid

    def location(self, function_id, line):
        key = (function_id, line)
        lid = self._location_ids.get(key)
        if lid is None:
            lid = self._location_ids[key] = len(self._location_ids) + 1
            msg = bytearray()
            _uint(msg, 1, lid)
            _uint(msg, 2, 1)                      # the one mapping
            line_msg = bytearray()
            _uint(line_msg, 1, function_id)
            _uint(line_msg, 2, line)
            _bytes(msg, 4, line_msg)
            _bytes(self._locations, _LOCATION, msg)
        return lid

    def sample(self, location_ids, values, str_labels=(), num_labels=()):
        """location_ids leaf first; num_labels as (key, value, unit or None)."""
        msg = bytearray()
        _packed(msg, 1, location_ids)
        _packed(msg, 2, values)
        for k, v in str_labels:
            lab = bytearray()
            _uint(lab, 1, self.string(k))
            _uint(lab, 2, self.string(v))
            _bytes(msg, 3, lab)
        for k, v, unit in num_labels:
            lab = bytearray()
            _uint(lab, 1, self.string(k))
            _key(lab, 3, 0)
            _varint(lab, v)
            if unit:
                _uint(lab, 4, self.string(unit))
            _bytes(msg, 3, lab)
        _bytes(self._samples, _SAMPLE, msg)
        self.sample_count += 1

    def encode(self):
        out = bytearray()
        for t, u in self.sample_types:
            vt = bytearray()
            _uint(vt, 1, t)
            _uint(vt, 2, u)
            _bytes(out, _SAMPLE_TYPE, vt)
        out += self._samples
        # One mapping standing for the interpreter: symbolised already, so
        # pprof never tries to resolve addresses.
        mapping = bytearray()
        _uint(mapping, 1, 1)
        _uint(mapping, 5, self.string("python"))
        for field in (7, 8, 9):                   # has_functions, _filenames, _line_numbers
            _uint(mapping, field, 1)
        _bytes(out, _MAPPING, mapping)
        out += self._locations
        out += self._functions
        for s in self._string_list:
            _bytes(out, _STRING_TABLE, s.encode("utf-8", "surrogateescape"))
        _uint(out, _TIME_NANOS, self.time_nanos)
        _uint(out, _DURATION_NANOS, self.duration_nanos)
        if self.period_type:
            pt = bytearray()
            _uint(pt, 1, self.period_type[0])
            _uint(pt, 2, self.period_type[1])
            _bytes(out, _PERIOD_TYPE, pt)
        _uint(out, _PERIOD, self.period)
        _packed(out, _COMMENT, self._comments)
        _uint(out, _DEFAULT_SAMPLE_TYPE, self.default_sample_type)
        return bytes(out)

    def encode_gzip(self):
        return gzip.compress(self.encode(), compresslevel=6, mtime=0)


def encode_recording(rec, comments=()):
    """Gzipped pprof for a finished sampler Recording (cpu or wall)."""
    b = ProfileBuilder(
        [("samples", "count"), ("cpu", "nanoseconds"), ("wall", "nanoseconds")],
        period_type=("cpu" if rec.kind == "cpu" else "wall", "nanoseconds"),
        period=rec.period_ns,
        time_nanos=rec.start_time_ns or 0,
        duration_nanos=rec.duration_ns,
        default_sample_type=rec.kind,
    )
    for c in comments:
        b.comment(c)
    symbols = rec.symbols
    loc_ids = {}

    def locs(stack):
        out = []
        for loc in stack:
            lid = loc_ids.get(loc)
            if lid is None:
                fidx, line = symbols.locations[loc]
                name, system_name, filename, first = symbols.functions[fidx]
                lid = loc_ids[loc] = b.location(b.function(name, system_name, filename, first),
                                                line)
            out.append(lid)
        return out

    stacks = [locs(s) for s in rec.stack_list]
    threads = rec.thread_list

    def labels(tid):
        ident, native, name, task = threads[tid]
        strs = [("thread", name)]
        if task:
            strs.append(("task", task))
        return strs, native if native is not None else ident

    samples = rec.samples
    for i in range(0, len(samples), 5):
        sid, tid, ts, cpu, wall = samples[i:i + 5]
        strs, thread_id = labels(tid)
        b.sample(stacks[sid], (1, cpu, wall), strs,
                 (("thread_id", thread_id, None), ("timestamp_ns", ts, "nanoseconds")))
    for (sid, tid), (count, cpu, wall) in rec.overflow.items():
        strs, thread_id = labels(tid)
        b.sample(stacks[sid], (count, cpu, wall), strs, (("thread_id", thread_id, None),))
    return b.encode_gzip()
