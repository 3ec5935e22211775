#!/bin/sh
# The README's example program, built against the installed library through
# pkg-config, burns a clip. Prints "ok" or the reason it failed.
set -e
top=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -s --no-print-directory install PREFIX="$tmp/prefix" >/dev/null
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
export LD_LIBRARY_PATH="$tmp/prefix/lib"
cc -Wall -Wextra -Werror "$top/examples/burn.c" -o "$tmp/burn" $(pkg-config --cflags --libs zimu)
ffmpeg -v error -f lavfi -i testsrc2=s=320x568:r=30:d=1 -f lavfi -i sine=d=1 \
    -c:v libx264 -c:a aac -shortest "$tmp/in.mp4"
printf '1\n00:00:00,200 --> 00:00:00,800\n例子程序\n' > "$tmp/in.srt"
"$tmp/burn" "$tmp/in.mp4" "$tmp/in.srt" "$tmp/out.mp4"
# The installed library finds its catalogue (PREFIX/share/locale) in a
# program that runs in zh_CN.UTF-8.
printf '#include <locale.h>\n#include <stdio.h>\n#include <zimu.h>\nint main(void) {\n    setlocale(LC_ALL, "");\n    puts(zimu_strerror(ZIMU_ESUBS));\n    return 0;\n}\n' > "$tmp/zh.c"
cc -Wall -Wextra -Werror "$tmp/zh.c" -o "$tmp/zh" $(pkg-config --cflags --libs zimu)
got=$(LC_ALL=zh_CN.UTF-8 LANGUAGE= "$tmp/zh")
[ "$got" = "字幕文件无法解析" ] || { echo "example: installed libzimu in zh_CN.UTF-8: '$got'"; exit 1; }
frames=$(ffprobe -v error -count_frames -select_streams v -show_entries stream=nb_read_frames -of csv=p=0 "$tmp/out.mp4")
[ "$frames" = 30 ] || { echo "example: expected 30 frames, got $frames"; exit 1; }

# examples/frames.c decodes a clip itself and captions every frame through
# the renderer: its frames must be the burn's frames, pixel for pixel, with
# the caption on exactly the frames whose time (from the file's start, as a
# burn counts it) lies in the cue.
cc -Wall -Wextra -Werror "$top/examples/frames.c" -o "$tmp/frames" \
    $(pkg-config --cflags --libs zimu libavformat libavcodec libswscale libavutil)
cat > "$tmp/compare.py" <<'PY'
import sys
y4m, burn, src = (open(p, "rb").read() for p in sys.argv[1:4])
first_ms, cue = int(sys.argv[4]), (400, 700)
header, _, body = y4m.partition(b"\n")
fields = header.split()
assert fields[0] == b"YUV4MPEG2", "frames: not a y4m file: %r" % header
tags = {f[:1]: f[1:] for f in fields[1:]}
assert (tags[b"W"], tags[b"H"], tags[b"F"]) == (b"320", b"568", b"30:1"), header
assert tags[b"C"] in (b"420jpeg", b"420mpeg2"), header
size = 320 * 568 + 2 * 160 * 284
frames = []
while body:
    assert body.startswith(b"FRAME"), "frames: frame %d has no FRAME line" % len(frames)
    start = body.index(b"\n") + 1
    frames.append(body[start:start + size])
    body = body[start + size:]
n = len(frames)
assert n == 30, "frames: %d frames, expected 30" % n
assert all(len(f) == size for f in frames), "frames: a frame is short"
assert len(burn) == n * size, "burn: %d bytes, expected %d frames" % (len(burn), n)
assert len(src) == n * size, "source: %d bytes, expected %d frames" % (len(src), n)
bad = []
for i in range(n):
    b = burn[i * size:(i + 1) * size]
    s = src[i * size:(i + 1) * size]
    shown = cue[0] <= first_ms + i * 1000 // 30 < cue[1]
    if frames[i] != b:
        diff = sum(1 for x, y in zip(frames[i], b) if x != y)
        bad.append("frame %d differs from the burn in %d bytes" % (i, diff))
    if shown and frames[i] == s:
        bad.append("frame %d has no caption" % i)
    if not shown and frames[i] != s:
        bad.append("frame %d is not the source frame" % i)
assert not bad, "example frames: " + "; ".join(bad[:5])
PY
printf '1\n00:00:00,400 --> 00:00:00,700\n逐帧字幕\n' > "$tmp/cue.srt"
# Raw yuv420p as stored: no conversion, one output frame per decoded frame.
raw() { ffmpeg -v error -i "$1" -fps_mode passthrough -f rawvideo -pix_fmt yuv420p "$2"; }
# frames_vs_burn CLIP FIRST_MS: FIRST_MS is the first frame's time
frames_vs_burn() {
    "$tmp/frames" "$tmp/$1" "$tmp/cue.srt" "$tmp/$1.y4m"
    "$tmp/prefix/bin/zimu" burn "$tmp/$1" -s "$tmp/cue.srt" -o "$tmp/$1.burn.mp4" \
        --crf 0 --preset ultrafast -q
    raw "$tmp/$1.burn.mp4" "$tmp/$1.burn.yuv"
    raw "$tmp/$1" "$tmp/$1.yuv"
    python3 "$tmp/compare.py" "$tmp/$1.y4m" "$tmp/$1.burn.yuv" "$tmp/$1.yuv" "$2" ||
        { echo "example frames: $1"; exit 1; }
}
lossless="-c:v libx264 -qp 0 -pix_fmt yuv420p"
# MP4 starting at 0: frames 12 to 20 carry the caption.
ffmpeg -v error -f lavfi -i testsrc2=s=320x568:r=30:d=1 $lossless "$tmp/src.mp4"
frames_vs_burn src.mp4 0
# MPEG-TS, whose clock starts at 1.4 s: times count from the file's start.
ffmpeg -v error -f lavfi -i testsrc2=s=320x568:r=30:d=1 $lossless "$tmp/src.ts"
frames_vs_burn src.ts 0
# Matroska whose audio starts 200 ms before the video: the file starts with
# the audio, so the first video frame is at 200 ms (frames 6 to 14).
ffmpeg -v error -f lavfi -i sine=d=1.2 -itsoffset 0.2 -f lavfi -i testsrc2=s=320x568:r=30:d=1 \
    -map 1:v -map 0:a $lossless -c:a flac "$tmp/late.mkv"
frames_vs_burn late.mkv 200
# uninstall leaves nothing behind
make -s --no-print-directory uninstall PREFIX="$tmp/prefix"
left=$(find "$tmp/prefix" -type f | wc -l)
[ "$left" = 0 ] || { echo "example: uninstall left $left files"; exit 1; }
echo ok
