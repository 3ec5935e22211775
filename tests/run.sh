#!/bin/sh
# Run the Check suites given, then the shell tests (tests/*.sh); print one
# line per suite (its Check summary and its time in seconds), the output of
# those that fail, and one summary line "N passed, M failed".
#
#   tests/run.sh [-j N] [--no-shell] SUITE...
#
# -j N runs N suites at a time (each suite's lines are printed together when
# it ends, so the order of the lines follows the ends). Suites under
# build/asan/ run under AddressSanitizer, LeakSanitizer and UBSan with the
# environment of tests/sanitizer/asan.sh: any sanitizer report, from the
# suite or from the zimu program it runs, fails the suite.
# The tests assert the English messages (tests/cli_zh.sh sets its own
# locales): whatever language the person running them reads.
unset LANGUAGE LC_ALL LC_MESSAGES
LANG=C.UTF-8; export LANG
jobs=1; shell=1; one=0
while [ $# -gt 0 ]; do
    case $1 in
    -j) jobs=$2; shift 2 ;;
    -j*) jobs=${1#-j}; shift ;;
    --no-shell) shell=0; shift ;;
    --one) one=1; shift; break ;;
    *) break ;;
    esac
done
top=$(pwd)

# One suite (run.sh --one DIR SUITE, started by xargs below): its lines go
# to stdout under a lock, "pass fail" to DIR/<name>.res.
if [ $one = 1 ]; then
    dir=$1 t=$2
    name=$(basename "$t")
    case $t in
    build/asan/* | */build/asan/*)
        name=asan/$name
        . "$top/tests/sanitizer/asan.sh"
        asan_env "$top" "$name" ;;
    esac
    start=$(date +%s)
    out=$("$t" 2>&1); rc=$?
    secs=$(($(date +%s) - start))
    summary=$(echo "$out" | grep -E '^[0-9]+%: Checks')
    p=$(echo "$summary" | sed -n 's/.*Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p' |
        awk '{print $1 - $2 - $3, $2 + $3}')
    pass=0; fail=0
    if [ -n "$p" ]; then
        pass=${p% *}; fail=${p#* }
    fi
    [ $rc -ne 0 ] && [ -z "$p" ] && fail=$((fail + 1))
    reports=
    if [ -n "${ZIMU_SANITIZER_LOGS:-}" ]; then
        reports=$(asan_reports)
        [ -n "$reports" ] && fail=$((fail + 1))
    fi
    {
        flock 9
        echo "$name: $summary (${secs} s)"
        [ $rc -ne 0 ] && echo "$out" | grep -v '^[0-9]*%: Checks' | head -40
        [ -n "$reports" ] && echo "$reports"
    } 9>"$dir/lock"
    echo "$pass $fail" > "$dir/$(echo "$name" | tr / _).res"
    exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The longest suites first (under AddressSanitizer first of all), so that
# with -j2 the run does not end with one of them alone.
slow="check_style check_audio_mix check_batch check_substream check_cli check_looks check_burn"
order() {
    for s in $slow; do
        for t in "$@"; do case $t in */asan/*/"$s") printf '%s\n' "$t" ;; esac; done
        for t in "$@"; do case $t in */asan/*) ;; */"$s") printf '%s\n' "$t" ;; esac; done
    done
    for t in "$@"; do
        b=${t##*/}
        case " $slow " in *" $b "*) ;; *) printf '%s\n' "$t" ;; esac
    done
}
order "$@" |
    xargs -P "$jobs" -I{} sh "$0" --one "$tmp" {}
pass=0; fail=0
for r in "$tmp"/*.res; do
    [ -f "$r" ] || continue
    read -r p f < "$r"
    pass=$((pass + p)); fail=$((fail + f))
done
if [ $# -gt 0 ] && [ "$(ls "$tmp"/*.res 2>/dev/null | wc -l)" != $# ]; then
    echo "run.sh: $# suites given, $(ls "$tmp"/*.res 2>/dev/null | wc -l) ran to the end"
    fail=$((fail + 1))
fi
if [ $shell = 1 ]; then
    for t in tests/*.sh; do
        [ "$t" = tests/run.sh ] && continue
        start=$(date +%s)
        if out=$(sh "$t" 2>&1); then
            # its last line, when it says more than "ok" (fuzz.sh: executions)
            last=$(echo "$out" | tail -n 1)
            case $last in ''|ok) last= ;; *) last=", $last" ;; esac
            pass=$((pass + 1)); echo "$(basename "$t"): ok ($(($(date +%s) - start)) s$last)"
        else
            fail=$((fail + 1)); echo "$(basename "$t"): FAILED"; echo "$out" | tail -20
        fi
    done
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
