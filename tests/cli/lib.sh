# Helpers of the CLI test scripts (sourced): a scratch directory, counted checks, one-line errors.
# The sourcing script sets cc (the closecert executable) before.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run EXPECTED_STATUSES CMD...: runs, keeps stdout/stderr in $tmp/out, $tmp/err, checks the status.
run() {
    local expected="$1"; shift
    checks=$((checks + 1))
    "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
    case " $expected " in
        *" $status "*) ;;
        *) fail "'$*' exited $status, expected one of {$expected}; stderr: $(head -c 400 "$tmp/err")";;
    esac
}

expect_in() {  # expect_in FILE PATTERN
    checks=$((checks + 1))
    grep -q -- "$2" "$1" || fail "$1 lacks '$2': $(head -c 400 "$1")"
}

# One line on stderr, "closecert: error: " + expected prefix.
expect_error_line() {
    checks=$((checks + 1))
    local lines
    lines=$(wc -l <"$tmp/err")
    [ "$lines" -eq 1 ] || fail "stderr has $lines lines: $(cat "$tmp/err")"
    case "$(cat "$tmp/err")" in
        "closecert: error: $1"*) ;;
        *) fail "stderr '$(cat "$tmp/err")' does not start with 'closecert: error: $1'";;
    esac
}

json_field() {  # json_field FILE PYTHON_EXPR (d is the parsed document)
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

