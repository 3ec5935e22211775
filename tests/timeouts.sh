#!/bin/sh
# Every Check test case in tests/*.c has an explicit timeout: each
# `X = tcase_create(...)` is followed by `tcase_set_timeout(X, SECONDS)`
# before X is created again or the function ends, with SECONDS a positive
# whole number. Without one a case gets Check's default of 4 s, which is a
# guess rather than a measured bound. Sanitizer runs scale the figures
# (CK_TIMEOUT_MULTIPLIER in tests/sanitizer/asan.sh and tests/tsan.sh).
#
#   sh tests/timeouts.sh [FILE.c...]     (default: tests/*.c)
cd "$(dirname "$0")/.." || exit 1
[ $# -gt 0 ] || set -- tests/*.c
out=$(awk '
function flush(   v) {
    for (v in open_tc)
        printf "%s:%d: test case %s has no tcase_set_timeout\n", FILENAME, open_tc[v], name[v]
    delete open_tc
}
FNR == 1 { flush() }
# a function body ends at a closing brace in the first column
/^}/ { flush() }
/tcase_create[ \t]*\(/ {
    line = $0
    if (match(line, /[A-Za-z_][A-Za-z0-9_]*[ \t]*=[ \t]*tcase_create/)) {
        v = substr(line, RSTART, RLENGTH); sub(/[ \t]*=.*/, "", v)
        if (v in open_tc)
            printf "%s:%d: test case %s has no tcase_set_timeout\n", FILENAME, open_tc[v], name[v]
        open_tc[v] = FNR
        n = line; sub(/.*tcase_create[ \t]*\([ \t]*/, "", n); sub(/\).*/, "", n); name[v] = n
    } else {
        printf "%s:%d: tcase_create not kept in a variable: no timeout can be set\n", FILENAME, FNR
    }
}
/tcase_set_timeout[ \t]*\(/ {
    line = $0
    sub(/.*tcase_set_timeout[ \t]*\([ \t]*/, "", line)
    v = line; sub(/[ \t]*,.*/, "", v)
    secs = line; sub(/^[^,]*,[ \t]*/, "", secs); sub(/[ \t]*\).*/, "", secs)
    if (secs !~ /^[1-9][0-9]*$/)
        printf "%s:%d: tcase_set_timeout(%s, %s): not a whole number of seconds\n", FILENAME, FNR, v, secs
    delete open_tc[v]
}
END { flush() }
' "$@") || exit 1
if [ -n "$out" ]; then
    echo "$out"
    echo "timeouts.sh: every tcase_create needs a tcase_set_timeout (several times the case's slowest test, measured)"
    exit 1
fi
