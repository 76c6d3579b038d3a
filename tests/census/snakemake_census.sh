#!/bin/bash
# The Snakemake workflow end to end on a small size: 2 x 3 x 3 in 3 shards, merged with every
# certificate verified again; the merged verdicts must equal data/census/census_2x3x3.jsonl, a
# pattern missing from the shards must stop the merge, and a tampered certificate must fail it.
# usage: snakemake_census.sh CLOSECERT CLOSECERT_VERIFY SOURCE_ROOT
set -u
cc=$(realpath "$1") verify=$(realpath "$2") root=$(realpath "$3")
if ! command -v snakemake >/dev/null; then echo "snakemake not installed (Debian package snakemake)"; exit 77; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp" || exit 1
snakemake -s "$root/workflow/Snakefile" --cores 2 -q \
    --config rows=2 cols=3 rank=3 shards=3 out="$tmp/run" closecert="$cc" verify="$verify" timeout=20 >snake.log 2>&1 ||
    fail "snakemake failed: $(tail -5 snake.log) $(cat "$tmp"/run/logs/*.log 2>/dev/null | tail -5)"
grep -q "verified again 894 certificates" "$tmp"/run/logs/2x3x3.merge.log || fail "merge log: $(cat "$tmp"/run/logs/2x3x3.merge.log)"
python3 - "$tmp/run/census_2x3x3.jsonl" "$root/data/census/census_2x3x3.jsonl" <<'PY' || exit 1
import json, sys
got = {json.loads(l)["key"]: json.loads(l) for l in open(sys.argv[1])}
want = {json.loads(l)["key"]: json.loads(l)["verdict"] for l in open(sys.argv[2])}
assert len(got) == len(want) == 894, (len(got), len(want))
diff = [k for k in want if got[k]["verdict"] != want[k]]
assert not diff, f"verdicts differ from data/census: {diff[:5]}"
assert all(r["verified"] for r in got.values() if r["verdict"] != "unknown"), "a definite verdict not verified"
print("merged census equals data/census/census_2x3x3.jsonl:", len(got), "patterns")
PY
shards=("$tmp"/run/shards/2x3x3.{1,2,3}of3.jsonl)
certs=("$tmp"/run/certs/{1,2,3})
"$cc" census-merge "${shards[0]}" "${shards[1]}" --rows 2 --cols 3 --rank 3 --certs "${certs[@]}" --verify "$verify" \
    --out "$tmp/partial.jsonl" --progress none 2>err.txt
[ $? = 2 ] && grep -q "in no shard" err.txt && [ ! -e "$tmp/partial.jsonl" ] || fail "a missing shard was not refused: $(cat err.txt)"
# Tamper with one not-closed certificate: claim closed with the not-closed proof.
victim=$(python3 -c "import json,sys; print(next(json.loads(l)['key'] for l in open(sys.argv[1]) if json.loads(l)['verdict']=='not_closed'))" "${shards[0]}")
stem=$(echo "$victim" | sed 's/[^A-Za-z0-9.x-]/_/g')
f=$(ls "${certs[0]}/$stem.json") || fail "no certificate for $victim"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d['linear']['limit'][0]['value']='7'; json.dump(d, open(sys.argv[1],'w'))" "$f"
"$cc" census-merge "${shards[@]}" --rows 2 --cols 3 --rank 3 --certs "${certs[@]}" --verify "$verify" \
    --out "$tmp/tampered.jsonl" --progress none >out.txt 2>err.txt
[ $? = 4 ] && grep -q "VERIFICATION FAILURE" err.txt || fail "a tampered certificate was not caught: $(cat out.txt err.txt | tail -3)"
echo "snakemake census: 3 shards merged and verified; missing shard and tampered certificate refused"
