#!/bin/sh
# valgrind memcheck on one burn and one batch of the plain build/zimu: fails
# on any invalid read or write, use of an uninitialised value, bad free, or
# a block definitely or indirectly lost. ("Possibly lost" blocks are not
# counted: ICU keeps its break-iterator data cache until exit, reachable
# only through an interior pointer.)
#
# On some machines valgrind 3.19 cannot run FFmpeg at all: it stops on an
# instruction it does not know (rdtscp, in libhwy, which libavcodec loads
# through libjxl) with SIGILL. There this test says so and passes; the
# AddressSanitizer run of every suite (make asan) covers the same ground.
# Run from the top of the tree after `make`.
top=$(pwd)
zimu="$top/build/zimu"
command -v valgrind >/dev/null 2>&1 || { echo "valgrind: not installed (make deps installs it)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "valgrind: $*"; exit 1; }
cd "$tmp" || exit 1
mkdir clips
ffmpeg -loglevel error -f lavfi -i testsrc=s=160x120:d=1:r=10 -f lavfi -i sine=d=1 \
    -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest clips/a.mp4 || fail "ffmpeg cannot make a clip"
printf '1\n00:00:00,000 --> 00:00:01,000\n你好，世界\n' > clips/a.srt
cp clips/a.mp4 clips/b.mp4
printf '1\n00:00:00,200 --> 00:00:00,900\n第二个片段\n' > clips/b.srt

# run NAME ARGS...: zimu ARGS under memcheck; its log in NAME.log
run() {
    name=$1; shift
    valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
        --log-file="$name.log" "$zimu" "$@" >"$name.out" 2>&1
    rc=$?
    if grep -q "unhandled instruction\|Illegal opcode\|vex .*: unhandled" "$name.log"; then
        echo "valgrind cannot run FFmpeg on this CPU: $(grep -m1 "unhandled instruction\|Illegal opcode" "$name.log" | sed 's/^==[0-9]*== //'); the AddressSanitizer run covers memory and leaks"
        exit 0
    fi
    [ "$rc" = 0 ] || fail "zimu $* under memcheck exits $rc: $(grep -E 'ERROR SUMMARY|definitely lost|indirectly lost|Invalid|uninitialised' "$name.log" | head -8) $(tail -3 "$name.out")"
    grep -q "ERROR SUMMARY: 0 errors" "$name.log" || fail "$name: $(grep 'ERROR SUMMARY' "$name.log")"
}
run burn burn clips/a.mp4 -s clips/a.srt -o burned.mp4
[ -s burned.mp4 ] || fail "the burn under memcheck made no output"
run batch batch clips -o done -j 2
[ -s done/a.mp4 ] && [ -s done/b.mp4 ] || fail "the batch under memcheck did not make both clips"
echo "memcheck: burn and batch (2 clips, -j 2): 0 errors, nothing definitely or indirectly lost"
