#!/usr/bin/env bash
# Deep verdicts against an independent method: a seeded random sample of deep census classes
# (3 per width tuple of three layers with widths <= 2, and 10 of four layers of width 2) is decided
# by closecert, every certificate verified with its architecture, then z3 answers the closedness
# sentence of each class and the membership of each not-closed limit; any disagreement fails.
# usage: deep_crosscheck.sh CLOSECERT CROSSCHECK CLOSECERT_VERIFY    (CLOSECERT_SEED replays)
set -euo pipefail
cc=$1 cross=$2 verify=$3
command -v z3 >/dev/null || { echo "z3 not installed: skipped"; exit 77; }
seed=${CLOSECERT_SEED:-$(( $(date +%s%N) % 4294967296 ))}
echo "[deep-crosscheck] seed $seed (replay with CLOSECERT_SEED=$seed)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cc" census-deep --depth 3 --max-width 2 --sample 3 --seed "$seed" --data-dir "$tmp" --verify "$verify" \
    --progress none --jobs 2 > "$tmp/census3.out"
"$cc" census-deep --depth 4 --min-width 2 --max-width 2 --sample 10 --seed "$seed" --data-dir "$tmp" \
    --verify "$verify" --progress none --jobs 2 > "$tmp/census4.out"
cat "$tmp"/census*.out
classes=$(cat "$tmp"/census_*.jsonl | wc -l)
failed=$(cat "$tmp"/census_*.jsonl | grep -c '"verified":false' || true)
[ "$classes" -ge 30 ] || { echo "FAIL: only $classes classes sampled"; exit 1; }
[ "$failed" -eq 0 ] || { echo "FAIL: $failed certificates rejected"; exit 1; }
status=0
"$cross" --deep "$tmp" --timeout 3 --jobs 2 > "$tmp/cross.out" 2> "$tmp/cross.err" || status=$?
cat "$tmp/cross.out"
grep DISAGREE "$tmp/cross.err" | grep -v "DISAGREE 0" || true
[ "$status" -eq 0 ] || { echo "FAIL: crosscheck exit $status"; exit 1; }
answered=$(grep -c '"agreement":"agree"\|"agreement":"limit_not_in_L"' "$tmp/crosscheck_z3.jsonl" || true)
rows=$(wc -l < "$tmp/crosscheck_z3.jsonl")
[ "$rows" -eq "$classes" ] || { echo "FAIL: $rows crosscheck rows for $classes classes"; exit 1; }
echo "[deep-crosscheck] $classes classes, every certificate verified; z3 answered $answered of them (the rest L = 0 or no answer in 3 s), no disagreement"
[ "$answered" -ge 5 ] || { echo "FAIL: z3 answered only $answered"; exit 1; }
