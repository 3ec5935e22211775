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
frames=$(ffprobe -v error -count_frames -select_streams v -show_entries stream=nb_read_frames -of csv=p=0 "$tmp/out.mp4")
[ "$frames" = 30 ] || { echo "example: expected 30 frames, got $frames"; exit 1; }
# uninstall leaves nothing behind
make -s --no-print-directory uninstall PREFIX="$tmp/prefix"
left=$(find "$tmp/prefix" -type f | wc -l)
[ "$left" = 0 ] || { echo "example: uninstall left $left files"; exit 1; }
echo ok
