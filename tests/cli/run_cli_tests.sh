#!/usr/bin/env bash
# End-to-end tests of the closecert command: exit statuses, error lines, output files.
# Usage: run_cli_tests.sh path/to/closecert source_root
set -uo pipefail
cc="$1"
root="$2"
pat="$root/data/patterns"
. "$(dirname "$0")/lib.sh"

# --- help and usage --------------------------------------------------------------------------
for sub in "" "gen" "gen lu" "gen nm" "info" "check" "census" "census-deep" "lift" "train"; do
    # shellcheck disable=SC2086
    run 0 "$cc" $sub --help
    expect_in "$tmp/out" "Usage"
    case "$sub" in "gen "*) ;; *) expect_in "$tmp/out" "Exit status: 0";; esac
done
run 0 "$cc" --version
run 2 "$cc"
expect_in "$tmp/err" "closecert: error:"
run 2 "$cc" frobnicate
expect_error_line "unknown subcommand 'frobnicate' (run 'closecert help')"
run 2 "$cc" chek "$pat/lu2.json"
expect_error_line "unknown subcommand 'chek'; did you mean 'check'?"
run 0 "$cc" help
expect_in "$tmp/out" "Usage"
expect_in "$tmp/out" "census-deep"
run 0 "$cc" help check
expect_in "$tmp/out" "--timeout"
run 2 "$cc" check "$pat/lu2.json" --no-such-option
expect_error_line ""
run 2 "$cc" check
run 2 "$cc" check "$pat/lu2.json" --no-such-option
run 2 "$cc" check "$pat/lu2.json" --timeout 0
run 2 "$cc" check "$pat/lu2.json" --timeout abc

# --- gen ---------------------------------------------------------------------------------------
run 0 "$cc" gen lu --n 3
expect_in "$tmp/out" '"format": "closecert-architecture"'
cp "$tmp/out" "$tmp/lu3.json"
run 0 "$cc" info "$tmp/lu3.json"
expect_in "$tmp/out" "S_2 = {2} x {2}"
run 0 "$cc" gen dense --widths 2,3,1 --out "$tmp/d.json"
run 0 "$cc" info "$tmp/d.json"
expect_in "$tmp/out" "widths: 2 -> 3 -> 1"
run 0 "$cc" gen n:m --keep 1 --group 2 --width 4 --seed 5
run 2 "$cc" gen butterfly --n 6
expect_error_line "gen butterfly: n must be a power of two"
run 2 "$cc" gen monarch --n 5
expect_error_line "gen monarch:"
run 2 "$cc" gen random --widths 3,3 --density 2
expect_error_line "gen random: density"
run 2 "$cc" gen dense --widths 100000,2
expect_error_line "gen dense:"
run 2 "$cc" gen lu
run 2 "$cc" gen lu --n 2 --out "$tmp/no/such/dir/x.json"
expect_error_line "$tmp/no/such/dir/x.json: cannot create a temporary file"

# The committed family files are exactly what the generator writes.
mkdir -p "$tmp/regen"
run 0 bash "$pat/regenerate.sh" "$cc" "$tmp/regen"
for f in "$tmp"/regen/*.json; do
    checks=$((checks + 1))
    cmp -s "$f" "$pat/$(basename "$f")" || fail "$(basename "$f") differs from the generator's output"
done

# --- info on every example -------------------------------------------------------------------
for f in "$pat"/*.json; do
    run 0 "$cc" info "$f"
    expect_in "$tmp/out" "linear counterpart:"
done
run 0 "$cc" info "$pat/lu2.json"
expect_in "$tmp/out" "canonical key: 2x2:"
expect_in "$tmp/out" "components: 1"
run 0 "$cc" info --json "$pat/lu2.json"
[ "$(json_field "$tmp/out" 'd["two_layer"]["rectangles"], d["linear_support"]["nonzeros"], d["widths"]')" = "2 4 [2, 2, 2]" ] \
    || fail "info --json lu2: $(cat "$tmp/out")"
checks=$((checks + 1))
# closecert import: a pruned PyTorch model through the Python package, then checked.
# In a sanitizer build the Python module is instrumented and cannot load into /usr/bin/python3.
if [ -n "${CLOSECERT_SANITIZED:-}" ]; then
    echo "SKIP import tests: sanitizer build (its Python module needs an instrumented interpreter)"
elif /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    /usr/bin/python3 -c "
import torch
m = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
with torch.no_grad(): m[0].weight[0, 1] = 0; m[2].weight[1, 0] = 0
torch.save(m, '$tmp/pruned.pt')"
    run 0 "$cc" import "$tmp/pruned.pt" --out "$tmp/pruned.json" --name pruned
    expect_in "$tmp/pruned.json" '"1011"'
    expect_in "$tmp/pruned.json" '"011"'
    run 0 "$cc" check "$tmp/pruned.json" --linear
    expect_in "$tmp/out" "pruned: linear: closed"
    run 2 "$cc" import "$tmp/none.onnx" --out "$tmp/none.json"
    expect_error_line "$tmp/none.onnx: cannot open the file"
    [ ! -e "$tmp/none.json" ] || fail "import wrote a file for a missing model"
else
    echo "SKIP import tests: /usr/bin/python3 has no torch"
fi
run 2 "$cc" import "$tmp/pruned.pt" --out "$tmp/x.json" --python "$tmp/no-python"
expect_error_line "import: the Python interpreter $tmp/no-python is not there"

# The architecture fingerprint: the SHA-256 of the canonical form (docs/certificates.md), computed
# here by Python's hashlib from the file, equals info --json's, the certificate's and the checker's.
# A second architecture with 11 and 13 columns covers rows of several bytes and a partial last byte.
printf '%s\n' '{"format": "closecert-architecture", "version": 1, "name": "wide", "input_dim": 13,' \
    ' "layers": [{"mask": ["1000000010001", "0111111111110", "0000000000000", "1111111111111", "0000000010000",' \
    ' "1010101010101", "0000000100000", "0000000000001", "1100000000011", "0000000000000", "1000000000000"]},' \
    ' {"mask": ["10000000001", "01111111110"], "bias": false}]}' >"$tmp/wide.json"
sha_of() {  # the canonical form's SHA-256, computed by Python from the architecture file
    python3 -c "
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
t = b'closecert-architecture-v2 %d %d\\n' % (d['input_dim'], len(d['layers']))
for L in d['layers']:
    m = L['mask']
    t += b'layer %d %d %d\\n' % (len(m), len(m[0]), 1 if L.get('bias', True) else 0)
    for r in m:
        t += bytes(sum(0x80 >> k for k in range(8) if j + k < len(r) and r[j + k] == '1') for j in range(0, len(r), 8))
print(hashlib.sha256(t).hexdigest())" "$1"
}
run 0 "$cc" info "$tmp/wide.json" --json
wide_sha=$(json_field "$tmp/out" 'd["architecture_sha256"]')
checks=$((checks + 1))
[ "$wide_sha" = "$(sha_of "$tmp/wide.json")" ] || fail "info sha256 of wide.json $wide_sha, hashlib $(sha_of "$tmp/wide.json")"
run "0 1" "$cc" check "$tmp/wide.json" --linear --cert "$tmp/wide.cert.json"
if [ -n "${CLOSECERT_VERIFY:-}" ]; then
    run 0 "$CLOSECERT_VERIFY" --json "$tmp/wide.cert.json"
    checks=$((checks + 1))
    [ "$(json_field "$tmp/out" 'd["architecture_sha256"]')" = "$wide_sha" ] || fail "checker sha256 of wide.json differs from hashlib's"
fi
run 0 "$cc" info "$pat/lu2_plus_cell.json" --json
info_sha=$(json_field "$tmp/out" 'd["architecture_sha256"]')
want_sha=$(sha_of "$pat/lu2_plus_cell.json")
checks=$((checks + 1))
[ -n "$want_sha" ] && [ "$info_sha" = "$want_sha" ] || fail "info sha256 $info_sha, hashlib $want_sha"
run "0 1 3" "$cc" check "$pat/lu2_plus_cell.json" --linear --cert "$tmp/lpc.cert.json"
checks=$((checks + 1))
[ "$(json_field "$tmp/lpc.cert.json" 'd["architecture_sha256"]')" = "$want_sha" ] || fail "certificate sha256 differs from hashlib's"
if [ -n "${CLOSECERT_VERIFY:-}" ]; then
    run 0 "$CLOSECERT_VERIFY" --json "$tmp/lpc.cert.json"
    checks=$((checks + 1))
    [ "$(json_field "$tmp/out" 'd["architecture_sha256"]')" = "$want_sha" ] || fail "checker sha256 differs from hashlib's"
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d['architecture_sha256']='0'*64; json.dump(d,open(sys.argv[2],'w'))" "$tmp/lpc.cert.json" "$tmp/lpc.bad.json"
    run 1 "$CLOSECERT_VERIFY" "$tmp/lpc.bad.json"
    expect_in "$tmp/out" "rejected: architecture_sha256: is not the SHA-256"
fi

# --max-memory: sizes are checked; a run beyond the limit ends in one line naming it, never a crash.
run 2 "$cc" check "$pat/lu2.json" --max-memory lots
expect_error_line "--max-memory: 'lots' is not a size"
run 2 "$cc" check "$pat/lu2.json" --max-memory 1M
expect_error_line "--max-memory: at least 16M"
run 1 "$cc" check "$pat/lu2.json" --linear --max-memory 0
run 1 "$cc" check "$pat/lu2.json" --linear --max-memory 256M
# At 16 MiB of address space the engine's first allocations fail: unknown naming the limit, exit 3
# with --linear (1, the real verdict, in sanitizer builds, which set no limit).
run "1 3" "$cc" check "$pat/lu2.json" --linear --max-memory 16M
if [ "$status" = 3 ]; then expect_in "$tmp/out" "lu2: linear: unknown (memory limit of 16 MiB reached (--max-memory)"; fi
run "1 3" "$cc" check "$pat/lu2.json" --linear --json --max-memory 16M
if [ "$status" = 3 ]; then checks=$((checks + 1)); [ "$(json_field "$tmp/out" 'd["linear"]["verdict"]')" = unknown ] || fail "--max-memory 16M: $(cat "$tmp/out")"; fi
run 0 "$cc" gen butterfly --n 4096 --out "$tmp/bf4096.json"
# 12 layers of 4096 x 4096 need more than 64 MiB to hold; sanitizer builds set no limit (status 3).
run "2 3" timeout 120 "$cc" check "$tmp/bf4096.json" --max-memory 64M
if [ "$status" = 2 ]; then expect_error_line "$tmp/bf4096.json: reading it needs more than the memory limit of 64 MiB (--max-memory)"; fi

# Dense 4096 x 4096 x 4096: the file is written compactly, info summarises (no 4096 rectangles
# listed), the certificate is small and verifies with its architecture.
run 0 "$cc" gen dense --widths 4096,4096,4096 --out "$tmp/d4096.json"
[ "$(wc -c < "$tmp/d4096.json")" -lt 1000 ] || fail "dense 4096 architecture file is $(wc -c < "$tmp/d4096.json") bytes"
run 0 timeout 20 "$cc" info "$tmp/d4096.json"
expect_in "$tmp/out" "rectangles S_k = I_k x J_k (k = hidden unit, 0-based): 4096, 0 empty"
expect_in "$tmp/out" "not listed"
run 3 timeout 60 "$cc" check "$tmp/d4096.json" --cert "$tmp/d4096.cert.json"
expect_in "$tmp/out" "linear: closed"
[ "$(wc -c < "$tmp/d4096.cert.json")" -lt 10000 ] || fail "dense 4096 certificate is $(wc -c < "$tmp/d4096.cert.json") bytes"
checks=$((checks + 2))
if [ -n "${CLOSECERT_VERIFY:-}" ]; then
    run 0 timeout 60 "$CLOSECERT_VERIFY" "$tmp/d4096.cert.json" "$tmp/d4096.json"
    expect_in "$tmp/out" "verified: linear closed"
fi

# --- check -------------------------------------------------------------------------------------
run "1 3" "$cc" check "$pat/lu2.json" --timeout 30
expect_in "$tmp/out" "^lu2: linear: "
expect_in "$tmp/out" "^lu2: relu: "
run "1 3" "$cc" check "$pat/lu2.json" --linear --timeout 30
run "0 1 3" "$cc" check "$pat/scalar_output.json" --json --timeout 30
cp "$tmp/out" "$tmp/check.json"
checks=$((checks + 1))
[ "$(json_field "$tmp/check.json" 'd["architecture"], d["linear"]["verdict"] in ("closed","not_closed","unknown"), d["relu"]["verdict"] in ("closed","not_closed","unknown")')" = "scalar_output True True" ] \
    || fail "check --json output: $(cat "$tmp/check.json")"
# The exit status follows the ReLU verdict, or the linear one with --linear.
for mode in "" "--linear"; do
    # shellcheck disable=SC2086
    run "0 1 3" "$cc" check "$pat/lu2_plus_cell.json" --json $mode --timeout 30
    want=$(json_field "$tmp/out" "{'closed':0,'not_closed':1,'unknown':3}[d['$([ -n "$mode" ] && echo linear || echo relu)']['verdict']]")
    checks=$((checks + 1))
    [ "$status" = "$want" ] || fail "check $mode exited $status but the verdict says $want"
done

# Certificates: always written, valid JSON, nothing else left in the directory.
mkdir -p "$tmp/certs"
run "1 3" "$cc" check "$pat/lu2.json" --cert "$tmp/certs/lu2.cert.json" --timeout 30
checks=$((checks + 1))
[ "$(json_field "$tmp/certs/lu2.cert.json" 'd["format"], d["version"], sorted(d["claim"]), d["architecture"]["name"]')" = \
  "closecert-certificate 1 ['linear', 'relu'] lu2" ] || fail "certificate content: $(head -c 300 "$tmp/certs/lu2.cert.json")"
checks=$((checks + 1))
[ "$(ls -A "$tmp/certs" | wc -l)" -eq 1 ] || fail "stray files next to the certificate: $(ls -A "$tmp/certs")"

# --- bad input: status 2, one error line naming file and place, no certificate -----------------
mkdir -p "$tmp/bad"
printf '{\n  "format": "closecert-architecture",\n  "version" 1\n}\n' >"$tmp/bad/malformed.json"
printf '{"format": "closecert-architecture", "version": 1, "input_dim": 4, "layers": [{"mask": ["1111", "0101", "011x"]}]}' >"$tmp/bad/char.json"
printf '{"format": "closecert-architecture", "version": 2, "input_dim": 1, "layers": [{"mask": ["1"]}]}' >"$tmp/bad/version.json"
printf '{"format": "closecert-architecture", "version": 1, "input_dim": 2, "layers": [{"mask": ["11", "01"]}, {"mask": ["1", "11"]}]}' >"$tmp/bad/width.json"
printf '{"format": "closecert-architecture", "version": 1, "input_dim": 2, "layers": [{"mask": {"npy": "missing.npy"}}]}' >"$tmp/bad/npy.json"
printf '{"format": "closecert-architecture", "version": 1, "input_dim": 2, "layers": [{"mask": {"shape": [99999, 2], "ones": []}}]}' >"$tmp/bad/huge.json"
declare -A expected=(
    [malformed.json]="line 3 column 13: malformed JSON ("
    [char.json]="layers[0].mask[2]: character 'x' at column 3 is not 0 or 1"
    [version.json]="version: version 2 is not supported"
    [width.json]="layers[1].mask[0]: has 1 characters, expected 2"
    [npy.json]="layers[0].mask.npy: '"
    [huge.json]="layers[0].mask: has 99999 rows, over the limit"
)
echo "previous certificate" >"$tmp/certs/keep.json"
for name in "${!expected[@]}"; do
    for sub in info check; do
        extra=()
        [ "$sub" = check ] && extra=(--cert "$tmp/certs/keep.json")
        run 2 "$cc" "$sub" "$tmp/bad/$name" "${extra[@]}"
        expect_error_line "$tmp/bad/$name: ${expected[$name]}"
        checks=$((checks + 1))
        [ ! -s "$tmp/out" ] || fail "$sub $name printed to stdout: $(head -c 200 "$tmp/out")"
    done
done
run 2 "$cc" check "$tmp/bad/does-not-exist.json" --cert "$tmp/certs/new.json"
expect_error_line "$tmp/bad/does-not-exist.json: cannot open"
run 2 "$cc" info "$tmp/bad"
expect_error_line "$tmp/bad: is a directory"
checks=$((checks + 1))
[ "$(cat "$tmp/certs/keep.json")" = "previous certificate" ] || fail "a failed run touched an existing certificate"
checks=$((checks + 1))
[ ! -e "$tmp/certs/new.json" ] || fail "a failed run created a certificate"
# Unwritable certificate path: status 2, no stdout, nothing left behind.
run 2 "$cc" check "$pat/lu2.json" --cert "$tmp/certs/nodir/c.json" --timeout 30
expect_error_line "$tmp/certs/nodir/c.json: cannot create a temporary file"
checks=$((checks + 1))
[ "$(ls -A "$tmp/certs" | sort | tr '\n' ' ')" = "keep.json lu2.cert.json " ] || fail "stray files: $(ls -A "$tmp/certs")"

# --- deep architectures (three or more layers) ---------------------------------------------------
run "0 3" "$cc" check "$pat/butterfly8.json"
expect_in "$tmp/out" "linear: closed (rule kronecker_chain"
run "0 3" "$cc" check "$pat/ulu3.json"
expect_in "$tmp/out" "linear: closed (rule borel"
run 1 "$cc" check "$pat/llu3.json" --cert "$tmp/llu3.cert.json"
expect_in "$tmp/out" "relu: not_closed (rule transfer)"
checks=$((checks + 1))
[ "$(json_field "$tmp/llu3.cert.json" 'len(d["linear"]["family"])')" = "3" ] || fail "the llu3 family does not list its three layers"
run 1 "$cc" check "$pat/lldu3.json"
expect_in "$tmp/out" "linear: not_closed"
for rule in twin_split:twin disjoint_paths_2-3-3-2:disjoint_paths free_layer_12-23-13-6:free_layer; do
    run "0 3" "$cc" check "$pat/${rule%%:*}.json" --cert "$tmp/${rule%%:*}.cert.json"
    expect_in "$tmp/out" "linear: closed (rule ${rule##*:}"
    checks=$((checks + 1))
    [ "$(json_field "$tmp/${rule%%:*}.cert.json" 'd["linear"]["deep"]["rule"]')" = "${rule##*:}" ] || fail "${rule%%:*}: the proof does not start with ${rule##*:}"
done

# --- strict reading: ambiguity, range, non-regular files, standard input, one-line errors ------
lu2='{"format": "closecert-architecture", "version": 1, "input_dim": 2, "layers": [{"mask": ["11", "01"]}, {"mask": ["10", "11"]}]}'
printf '%s' "${lu2/\"input_dim\": 2,/\"input_dim\": 2, \"input_dim\": 3,}" >"$tmp/dup.json"
run 2 "$cc" check "$tmp/dup.json"
expect_error_line "$tmp/dup.json: input_dim: duplicate key"
for big in 1e309 -1e400 "$(printf '9%.0s' $(seq 400))"; do
    printf '%s' "${lu2/\"version\": 1/\"version\": $big}" >"$tmp/big.json"
    for sub in check info; do
        run 2 "$cc" $sub "$tmp/big.json"
        expect_error_line "$tmp/big.json: version: number out of the range of a double"
    done
done
mkfifo "$tmp/fifo.json"
start=$(date +%s)
run 2 timeout 10 "$cc" check "$tmp/fifo.json"
expect_error_line "$tmp/fifo.json: is a FIFO, not a regular file"
[ $(( $(date +%s) - start )) -le 5 ] || fail "a FIFO took more than 5 s to refuse"
printf '%s' "$lu2" | "$cc" check --linear - >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] || fail "check - (stdin) did not say not closed: $(cat "$tmp/err")"
expect_in "$tmp/out" "linear: not_closed"
printf '{"format": "closecert-architecture", "version": 1, "input_dim": 2, "la\nyers\u000b": []}' >"$tmp/ctl.json"
printf '{"format": "closecert-architecture", "version": 1, "input_dim": 2, "la\nyers": []}' >"$tmp/ctl2.json"
for f in ctl ctl2; do
    run 2 "$cc" check "$tmp/$f.json"
    expect_error_line "$tmp/$f.json"
done

# --- check: quiet, verbose, the window and limit of a not closed verdict ------------------------
run 1 "$cc" check --quiet "$pat/lu2.json"
[ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ] || fail "check --quiet printed: $(cat "$tmp/out" "$tmp/err")"
checks=$((checks + 1))
run 1 "$cc" check "$pat/lu2.json"
expect_in "$tmp/out" "^lu2: window rows {0,1} x cols {0,1}; limit A: (0,1) = 1, (1,0) = 1, 0 elsewhere"
run 1 "$cc" check --json "$pat/lu2.json"
[ "$(json_field "$tmp/out" 'd["linear"]["window"], len(d["linear"]["limit"])')" = "{'cols': [0, 1], 'rows': [0, 1]} 2" ] \
    || fail "check --json lacks the window and limit: $(cat "$tmp/out")"
checks=$((checks + 1))
run 2 "$cc" check --quiet --verbose "$pat/lu2.json"

run 0 "$cc" check "$pat/single_layer.json"
expect_in "$tmp/out" "single_layer: relu: closed (rule linear_layer)"

# --- check --explain: the stuck sub-architecture, a file that reads and is unknown again -------
run 3 "$cc" check --linear "$pat/banded_n5_l1_u1.json" --explain "$tmp/stuck.json"
expect_in "$tmp/out" "stuck sub-architecture written to $tmp/stuck.json (widths 5-5-5)"
run 3 "$cc" check --linear "$tmp/stuck.json"
expect_in "$tmp/out" "banded_n5_l1_u1_stuck: linear: unknown"
run 1 "$cc" check --linear "$pat/lu2.json" --explain "$tmp/none.json"
expect_in "$tmp/out" "nothing to explain"
[ ! -e "$tmp/none.json" ] || fail "--explain wrote a file for a decided verdict"
checks=$((checks + 1))

# --- census-deep -----------------------------------------------------------------------------------
run 0 "$cc" census-deep --depth 3 --count
expect_in "$tmp/out" "L3: 725 classes over 10 width tuples"
run 2 "$cc" census-deep --depth 3 --widths 2,2
run 2 "$cc" census-deep --depth 4 --max-width 3
run 0 "$cc" census-deep --depth 3 --widths 2,2,2,2 --data-dir "$tmp/deep" --progress none --jobs 2
expect_in "$tmp/out" "270 classes: closed 267, not closed 3, unknown 0, verification failures 0"
expect_in "$tmp/deep/summary.md" "| L3 2-2-2-2 | 270 | 267 | 3 | 0 | 0 |"
run 0 "$cc" census-deep --depth 3 --widths 2,2,2,2 --data-dir "$tmp/deep" --progress none
expect_in "$tmp/out" "resumed 270, decided 0"

echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
