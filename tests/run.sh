#!/bin/sh
# Run every Check suite; print one summary line.
pass=0; fail=0; failed=""
for t in "$@"; do
    out=$("$t" 2>&1); rc=$?
    echo "$out" | grep -E '^[0-9]+%: Checks' | sed "s|^|$(basename "$t"): |"
    p=$(echo "$out" | sed -n 's/.*Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p' |
        awk '{c+=$1; f+=$2+$3} END {print c-f, f}')
    pass=$((pass + ${p% *})); fail=$((fail + ${p#* }))
    if [ $rc -ne 0 ]; then failed="$failed $(basename "$t")"; echo "$out" | grep -v '^[0-9]*%: Checks' | head -40; fi
done
echo "$pass passed, $fail failed"
[ -z "$failed" ] && [ "$fail" = 0 ]
