#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs every importer's libFuzzer target for a bounded time, seeded with the
# real fixtures, and prints one line per target.  Not part of CI: run it
# after touching an importer.  Needs clang and libclang-rt-14-dev.
#
#   tests/bench/fuzz-importers.sh [SECONDS-PER-TARGET]   (default 60)
#
# Crashing inputs are left in _build-fuzz/crashes/<target>/ for
# reproduction: _build-fuzz/tests/fuzz/fuzz-<target> FILE
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
seconds=${1:-60}
build=_build-fuzz

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" -Dfuzzing=true -Dbuildtype=debugoptimized >/dev/null
fi
meson compile -C "$build" >/dev/null

fixtures=tests/fixtures
seed() {
  target=$1
  dir=$build/corpus/$target
  mkdir -p "$dir"
  case $target in
    collapsed)  cp $fixtures/collapsed/*.folded "$dir"/ ;;
    speedscope) cp $fixtures/speedscope/*.json "$dir"/ ;;
    cpuprofile) cp $fixtures/cpuprofile/*.cpuprofile "$dir"/ ;;
    pstats)     cp $fixtures/pstats/*.prof "$dir"/ ;;
    load)       cp $fixtures/*/*.folded $fixtures/*/*.json $fixtures/*/*.cpuprofile \
                   $fixtures/*/*.prof $fixtures/*/*.pb.gz "$dir"/
                gzip -c $fixtures/pstats/werkzeug-app.prof > "$dir/pstats.gz" ;;
  esac
  echo "$dir"
}

status=0
printf '%-11s %8s %10s %9s %8s  %s\n' target seconds execs exec/s "cov" result
for target in collapsed speedscope cpuprofile pstats load; do
  corpus=$(seed $target)
  crashes=$build/crashes/$target
  mkdir -p "$crashes"
  log=$build/fuzz-$target.log
  result=ok
  # -rss_limit_mb and -malloc_limit_mb turn unbounded allocation into a
  # finding; -timeout turns a hang into one.
  if ! "$build/tests/fuzz/fuzz-$target" "$corpus" -max_total_time="$seconds" \
        -max_len=65536 -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
        -artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1; then
    result="FAILED (see $log)"
    status=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  printf '%-11s %8s %10s %9s %8s  %s\n' $target "$seconds" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$result"
done
exit $status
