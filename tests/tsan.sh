#!/bin/sh
# tests/check_threads.c (renderers and burn jobs on four threads sharing one
# font context) with the library built under ThreadSanitizer, in build/tsan/.
# Also `make tsan`. Fails on any ThreadSanitizer report. FFmpeg, libass and
# fontconfig are not instrumented: races inside them are not seen, only
# those in libzimu's own code and in the calls it makes into them.
set -e
make -s --no-print-directory build/tsan/check_threads
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Kernels with many mmap randomisation bits break TSan's memory layout
# ("unexpected memory mapping"); without address randomisation it works.
run() {
    if command -v setarch >/dev/null 2>&1 && setarch "$(uname -m)" -R true 2>/dev/null; then
        set -- setarch "$(uname -m)" -R "$@"
    fi
    CK_FORK=no TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 exitcode=66" "$@"
}
rc=0
run build/tsan/check_threads > "$log" 2>&1 || rc=$?
reports=$(grep -c '^WARNING: ThreadSanitizer' "$log" || true)
grep -E '^[0-9]+%: Checks|^SUMMARY: ThreadSanitizer' "$log" | sort -u >&2 || true
if [ "$rc" != 0 ] || [ "$reports" != 0 ]; then
    echo "tsan: exit status $rc, $reports ThreadSanitizer reports:"
    head -150 "$log"
    exit 1
fi
echo ok
