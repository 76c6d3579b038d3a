#!/usr/bin/env bash
# Runs one libFuzzer harness for SECONDS over the seed corpus (read only), new inputs in a scratch
# directory; a crash, leak, timeout or sanitizer report fails the test and keeps the input.
# usage: run_fuzzer.sh FUZZER SECONDS SEED_DIR...   (CLOSECERT_FUZZ_SECONDS overrides SECONDS)
set -uo pipefail
fuzzer=$1 seconds=${CLOSECERT_FUZZ_SECONDS:-$2}
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/new" "$work/seeds"
for d in "$@"; do find "$d" -maxdepth 1 -type f -size -256k -exec cp {} "$work/seeds/" \; ; done
"$fuzzer" "$work/new" "$work/seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$work/" -print_final_stats=1 > "$work/log" 2>&1
status=$?
grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|Done [0-9]+ runs" "$work/log"
if [ $status -ne 0 ]; then
    tail -40 "$work/log"
    keep=${CLOSECERT_FUZZ_KEEP:-/tmp}/closecert-fuzz-findings
    mkdir -p "$keep" && cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* "$keep/" 2>/dev/null
    echo "FAIL: $(basename "$fuzzer") exit $status; inputs kept in $keep"
    exit 1
fi
