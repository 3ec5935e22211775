#!/bin/sh
# The suites that start threads, with the library (and the zimu program
# they run) built under ThreadSanitizer, in build/tsan/. Also `make tsan`.
#   check_threads  renderers and burn jobs on four threads sharing one font
#                  context
#   check_batch    zimu_batch_set_jobs(2) and `zimu batch -j 2` (worker
#                  threads of lib/batch/run.c), cancel during a batch
#   check_bounds   its "limits" case: zimu_job_cancel from another thread
#                  while frames are encoded (its "signals" case starts the
#                  program with signals, no thread of zimu's: not run here)
# The burn itself starts no thread of its own (FFmpeg's are inside FFmpeg).
# Fails on any ThreadSanitizer report, of a suite or of the program.
# FFmpeg, libass and fontconfig are not instrumented: races inside them are
# not seen, only those in libzimu's own code and in the calls it makes into
# them.
set -e
top=$(pwd)
make -s --no-print-directory build/tsan/zimu build/tsan/check_threads build/tsan/check_batch \
    build/tsan/check_bounds
logs=$top/build/tsan/log
rm -rf "$logs"
mkdir -p "$logs"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# Kernels with many mmap randomisation bits break TSan's memory layout
# ("unexpected memory mapping"); without address randomisation it works.
norandom=
if command -v setarch >/dev/null 2>&1 && setarch "$(uname -m)" -R true 2>/dev/null; then
    norandom="setarch $(uname -m) -R"
fi
# Reports go to files in build/tsan/log/ (the program's too, whose stderr
# the tests read); Check's timeouts are scaled for the slower code.
export TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 exitcode=66 log_path=$logs/tsan suppressions=$top/tests/sanitizer/tsan.supp"
export ZIMU_BIN=$top/build/tsan/zimu
export CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-8}
rc=0
for t in check_threads check_batch check_bounds:limits; do
    suite=${t%%:*}
    case $t in *:*) export CK_RUN_CASE=${t#*:} ;; *) unset CK_RUN_CASE ;; esac
    start=$(date +%s)
    $norandom "build/tsan/$suite" > "$out" 2>&1 || rc=1
    echo "tsan/$t: $(grep -E '^[0-9]+%: Checks' "$out") ($(($(date +%s) - start)) s)" >&2
    [ $rc = 0 ] || { head -60 "$out"; break; }
done
reports=$(cat "$logs"/* 2>/dev/null | grep -c '^WARNING: ThreadSanitizer' || true)
if [ "$rc" != 0 ] || [ "$reports" != 0 ]; then
    echo "tsan: $reports ThreadSanitizer reports:"
    for f in "$logs"/*; do [ -f "$f" ] && { echo "--- $f"; head -80 "$f"; }; done
    exit 1
fi
echo ok
