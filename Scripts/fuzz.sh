#!/usr/bin/env bash
# Coverage-guided fuzzing of one harness with libFuzzer (Sources/RessaisieFuzz/FuzzTarget.swift).
#
#   Scripts/fuzz.sh TARGET SECONDS        # TARGET: csv, vendor-csv, xml, profile, audit, inspect
#   Scripts/fuzz.sh --list
#
# Builds `ressaisie-fuzz` with -sanitize=fuzzer,address into .build-fuzz (never the normal .build), then runs
# it on a working copy of Fuzz/corpus/TARGET for SECONDS. New inputs that widen coverage stay in
# .build-fuzz/corpus/TARGET (copy the good ones into Fuzz/corpus by hand: keep the seed corpus small). A crash,
# leak or timeout is copied to Fuzz/regressions/TARGET/ (the tests replay that folder) and the script exits 1.
#
# Environment: FUZZ_CONFIG=release|debug (default release: more executions per second; -O keeps Swift's
# checks), FUZZ_ARGS (more libFuzzer flags), FUZZ_NO_BUILD=1 (use the last build).
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(csv vendor-csv xml profile audit inspect)
if [ "${1:-}" = "--list" ]; then printf '%s\n' "${targets[@]}"; exit 0; fi
if [ $# -ne 2 ] || ! [[ " ${targets[*]} " == *" $1 "* ]] || ! [[ "$2" =~ ^[0-9]+$ ]]; then
  echo "usage: Scripts/fuzz.sh TARGET SECONDS   (TARGET: ${targets[*]})" >&2
  exit 64
fi
target=$1 seconds=$2
config=${FUZZ_CONFIG:-release}
scratch=.build-fuzz
if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
  swift build -c "$config" --scratch-path "$scratch" --product ressaisie-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING >&2
fi
binary="$scratch/$config/ressaisie-fuzz"
work="$scratch/corpus/$target" artifacts="$scratch/artifacts/$target"
mkdir -p "$work" "$artifacts" "Fuzz/regressions/$target"
# A run-time folder of its own for the harness's scratch file.
export TMPDIR="$scratch/tmp" && mkdir -p "$TMPDIR"
export RESSAISIE_FUZZ_TARGET=$target
status=0
# -max_len 64 KiB: room for every seed; -timeout: a reader that takes 10 s on 64 KiB is a bug (issue 14).
"$binary" "$work" "Fuzz/corpus/$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 \
  ${FUZZ_ARGS:-} || status=$?
found=0
for artifact in "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-* "$artifacts"/slow-unit-*; do
  [ -e "$artifact" ] || continue
  cp "$artifact" "Fuzz/regressions/$target/"
  echo "kept as a regression: Fuzz/regressions/$target/$(basename "$artifact")" >&2
  found=1
done
if [ $status -ne 0 ] || [ $found -ne 0 ]; then exit 1; fi
