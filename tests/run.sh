#!/bin/sh
# Run every Check suite and the shell tests; print one summary line.
pass=0; fail=0
# The tests assert the English messages (tests/cli_zh.sh sets its own
# locales): whatever language the person running them reads.
unset LANGUAGE LC_ALL LC_MESSAGES
LANG=C.UTF-8; export LANG
for t in "$@"; do
    out=$("$t" 2>&1); rc=$?
    summary=$(echo "$out" | grep -E '^[0-9]+%: Checks')
    echo "$(basename "$t"): $summary"
    p=$(echo "$summary" | sed -n 's/.*Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p' |
        awk '{print $1 - $2 - $3, $2 + $3}')
    if [ -n "$p" ]; then
        pass=$((pass + ${p% *})); fail=$((fail + ${p#* }))
    fi
    if [ $rc -ne 0 ]; then
        [ -z "$p" ] && fail=$((fail + 1))
        echo "$out" | grep -v '^[0-9]*%: Checks' | head -40
    fi
done
for t in tests/*.sh; do
    [ "$t" = tests/run.sh ] && continue
    if out=$(sh "$t" 2>&1); then
        # its last line, when it says more than "ok" (fuzz.sh: executions)
        last=$(echo "$out" | tail -n 1)
        case $last in ''|ok) last= ;; *) last=" ($last)" ;; esac
        pass=$((pass + 1)); echo "$(basename "$t"): ok$last"
    else
        fail=$((fail + 1)); echo "$(basename "$t"): FAILED"; echo "$out" | tail -20
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
