#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Our pprof import against speedscope's own importer on the same large file.
#
#   tests/bench/bench-vs-speedscope.sh [SIZE_MB]      (default 100)
#
# Fetches the speedscope release with `npm pack` (no install), generates the
# profile with bench-pprof (which also prints our figures against zcat),
# then imports the .pb.gz with our importer (a child process: read + inflate
# + decode + build, best of three, CPU time) and with speedscope's importer
# in Node (inflate + decode + build, file already in memory), and prints the
# ratio.  Target: ours at least 10x faster.  speedscope needs several GB of
# memory and minutes of CPU on the 100 MB file.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/_build}
size=${1:-100}
version=${SPEEDSCOPE_VERSION:-1.25.0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "speedscope@$version" >/dev/null && tar xzf speedscope-*.tgz)
bundle=$(ls "$work"/package/dist/release/speedscope-*.js | head -n 1)

"$build/tests/bench/bench-pprof" --size "$size" --keep "$work/files"
file="$work/files/big.pb.gz"

ours=
for i in 1 2 3; do
  t=$(/usr/bin/time -f '%U %S' "$build/tests/bench/bench-pprof" --import "$file" 2>&1 >/dev/null | tail -n 1 |
      awk '{ print $1 + $2 }')
  if [ -z "$ours" ] || awk "BEGIN { exit !($t < $ours) }"; then ours=$t; fi
done
echo "ours       cpu $ours s (best of three)"

line=$(node --max-old-space-size=12000 "$top/tests/bench/speedscope-import.mjs" "$bundle" "$file")
echo "$line"
theirs=$(echo "$line" | awk '{ print $3 }')
awk "BEGIN { r = $theirs / $ours; printf \"speedup    %.0fx  (target >= 10x)  %s\\n\", r, (r >= 10 ? \"PASS\" : \"FAIL\") }"
