#!/bin/sh
# What bad or huge caption input costs (run by `make bench` after
# startup.sh, or alone: `make bench-bounds`). Writes its section of
# bench/RESULTS.md (between the "bounds" markers) and prints it.
#
#   50,000 cues all on screen at once (SRT, and the same as ASS), on a
#   3-second 1080x1920 clip: one preview frame (new process) and a whole
#   3-second burn (default encoder settings); 50,000 cues one after another: the
#   burn; /dev/zero and a 2 GB sparse file given as captions: the time to
#   the refusal. The issue's targets: the preview within 5 s, the 3-second
#   burn within 20 s, every refusal at once.
#   Issue 13's hostile files: 1,000,000 cues one after another (SRT, and
#   ASS), burned onto the 3-second clip, with the burn's peak memory (GNU
#   time's maximum resident set; target: 1 GiB and 60 s); one cue of a
#   single 1 MB line of Chinese, and of Latin letters without a space (a
#   preview); an ASS event with \fs100000, and one with every tag at the
#   largest a frame can show (a preview; target: 1 s a frame).
#
# Knobs: BOUNDS_RUNS (runs of each, default 5), BENCH_ZIMU (default
# build/zimu).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out/bounds
ZIMU=${BENCH_ZIMU:-$ROOT/build/zimu}
RUNS=${BOUNDS_RUNS:-5}
die() { echo "bounds: $*" >&2; exit 1; }
[ -x "$ZIMU" ] || die "$ZIMU is missing (make all)"

BENCH_SECONDS=3 sh "$ROOT/bench/gen.sh" "$OUT" >&2
cd "$OUT"
awk 'BEGIN { for (i = 0; i < 50000; i++)
               printf "%d\n00:00:00,500 --> 00:00:02,900\n字幕 %d\n\n", i + 1, i }' > overlap.srt
awk 'BEGIN { for (i = 0; i < 50000; i++) {
               s = i * 60; e = s + 50
               printf "%d\n%02d:%02d:%02d,%03d --> %02d:%02d:%02d,%03d\n字幕 %d\n\n", i + 1,
                 s / 3600000, s / 60000 % 60, s / 1000 % 60, s % 1000,
                 e / 3600000, e / 60000 % 60, e / 1000 % 60, e % 1000, i } }' > sequence.srt
{
    printf '[Script Info]\nScriptType: v4.00+\nPlayResX: 1080\nPlayResY: 1920\n\n'
    printf '[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, '
    printf 'OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, '
    printf 'Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, '
    printf 'MarginV, Encoding\n'
    printf 'Style: Default,Noto Sans CJK SC,60,&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,'
    printf '0,0,0,0,100,100,0,0,1,2,0,2,10,10,10,1\n\n'
    printf '[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, '
    printf 'Effect, Text\n'
    awk 'BEGIN { for (i = 0; i < 50000; i++)
        printf "Dialogue: 0,0:00:00.50,0:00:02.90,Default,,0,0,0,,字幕 %d\n", i }'
} > overlap.ass
awk 'BEGIN { for (i = 0; i < 1000000; i++) {
               s = i * 100; e = s + 90
               printf "%d\n%02d:%02d:%02d,%03d --> %02d:%02d:%02d,%03d\n字幕 %d\n\n", i + 1,
                 s / 3600000, s / 60000 % 60, s / 1000 % 60, s % 1000,
                 e / 3600000, e / 60000 % 60, e / 1000 % 60, e % 1000, i } }' > million.srt
{
    sed -n '1,/^Format: Layer/p' overlap.ass
    awk 'BEGIN { for (i = 0; i < 1000000; i++) {
               s = i * 10; e = s + 9
               printf "Dialogue: 0,%d:%02d:%02d.%02d,%d:%02d:%02d.%02d,Default,,0,0,0,,字幕 %d\n",
                 s / 360000, s / 6000 % 60, s / 100 % 60, s % 100,
                 e / 360000, e / 6000 % 60, e / 100 % 60, e % 100, i } }'
} > million.ass
awk 'BEGIN { printf "1\n00:00:00,000 --> 00:00:20,000\n"
             for (i = 0; i < 87381; i++) printf "字幕测试"; printf "\n" }' > line_zh.srt
awk 'BEGIN { printf "1\n00:00:00,000 --> 00:00:20,000\n"
             for (i = 0; i < 104857; i++) printf "abcdefghij"; printf "\n" }' > line_latin.srt
{
    sed -n '1,/^Format: Layer/p' overlap.ass
    printf 'Dialogue: 0,0:00:00.00,0:00:03.00,Default,,0,0,0,,{\\fs100000}字幕 AB\n'
} > fs100000.ass
{
    sed -n '1,/^Format: Layer/p' overlap.ass
    printf 'Dialogue: 0,0:00:00.00,0:00:03.00,Default,,0,0,0,,'
    printf '{\\fs1920\\bord240\\blur20\\be20}字幕 AB\n'
} > largest.ass
rm -f sparse.srt && truncate -s 2G sparse.srt
# A copy (a rebuild during the run cannot change what is measured), with
# the libzimu.so it finds beside itself ($ORIGIN).
cp "$ZIMU" zimu.bin
for f in "$(dirname "$ZIMU")"/libzimu.so*; do cp -P "$f" .; done
Z=./zimu.bin

# runs LABEL OK CMD...: wall seconds of RUNS runs into t_LABEL.tsv; OK 1:
# each run must succeed, 0: each must be refused.
now_s() { date +%s.%N; }
runs() {
    label=$1 ok=$2; shift 2
    : > "t_$label.tsv"
    r=1
    while [ "$r" -le "$RUNS" ]; do
        rm -f frame.png out.mp4
        t0=$(now_s)
        if "$@" > /dev/null 2> "err_$label.txt"; then st=0; else st=$?; fi
        t1=$(now_s)
        [ "$ok" = 1 ] && [ "$st" != 0 ] && die "$label failed: $(cat "err_$label.txt")"
        [ "$ok" = 0 ] && [ "$st" = 0 ] && die "$label was not refused"
        echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }' >> "t_$label.tsv"
        r=$((r + 1))
    done
}
stats() { sort -g "$1" | awk '{ a[++n] = $1 } END { printf "%.2f %.2f %.2f\n", a[int((n + 1) / 2)], a[1], a[n] }'; }

load0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bounds: $RUNS runs of each case" >&2
runs preview_srt 1 $Z preview clip.mp4 -s overlap.srt -t 1.5 -o frame.png -q -y
runs preview_ass 1 $Z preview clip.mp4 -s overlap.ass -t 1.5 -o frame.png -q -y
runs burn_srt 1 $Z burn clip.mp4 -s overlap.srt -o out.mp4 -q -y
runs burn_ass 1 $Z burn clip.mp4 -s overlap.ass -o out.mp4 -q -y
runs burn_seq 1 $Z burn clip.mp4 -s sequence.srt -o out.mp4 -q -y
runs million_srt 1 $Z burn clip.mp4 -s million.srt -o out.mp4 -q -y
runs million_ass 1 $Z burn clip.mp4 -s million.ass -o out.mp4 -q -y
runs line_zh 1 $Z preview clip.mp4 -s line_zh.srt -t 1.5 -o frame.png -q -y
runs line_latin 1 $Z preview clip.mp4 -s line_latin.srt -t 1.5 -o frame.png -q -y
runs fs100000 1 $Z preview clip.mp4 -s fs100000.ass -t 1.5 -o frame.png -q -y
runs largest 1 $Z preview clip.mp4 -s largest.ass -t 1.5 -o frame.png -q -y
# peak LABEL CMD...: the peak resident memory of one run, MiB ("?" without
# GNU time).
peak() {
    label=$1; shift
    if [ -x /usr/bin/time ] &&
        /usr/bin/time -f %M -o "peak_$label.txt" "$@" > /dev/null 2>&1; then
        echo "$(($(tail -1 "peak_$label.txt") / 1024))"
    else
        echo "?"
    fi
}
peak_million_srt=$(peak million_srt $Z burn clip.mp4 -s million.srt -o out.mp4 -q -y)
peak_million_ass=$(peak million_ass $Z burn clip.mp4 -s million.ass -o out.mp4 -q -y)
rm -f million.srt million.ass line_zh.srt line_latin.srt
runs devzero 0 $Z burn clip.mp4 -s /dev/zero -o out.mp4 -q -y
runs sparse 0 $Z burn clip.mp4 -s sparse.srt -o out.mp4 -q -y
rm -f sparse.srt

row() { set -- "$1" $(stats "t_$2.tsv"); printf '| %s | %s | %s to %s |\n' "$1" "$2" "$3" "$4"; }
zrev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
{
    echo '<!-- bounds: written by bench/bounds.sh -->'
    echo '## Huge and hostile caption input'
    echo
    echo "bench/bounds.sh (tree $zrev) on $(date -u '+%Y-%m-%d %H:%M UTC'), nproc $(nproc),"
    echo "load average $load0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
    echo "Clip: bench/gen.sh's, 3 s, 1080x1920, 30 fps. Wall seconds of the whole"
    echo "zimu process, $RUNS runs each."
    echo
    echo '| case | median | min to max |'
    echo '| --- | ---: | ---: |'
    row "preview of one frame, 50,000 SRT cues on screen at once (target: 5 s)" preview_srt
    row "preview of one frame, 50,000 ASS events at once" preview_ass
    row "3-second burn, 50,000 SRT cues at once (target: 20 s)" burn_srt
    row "3-second burn, 50,000 ASS events at once" burn_ass
    row "3-second burn, 50,000 SRT cues one after another" burn_seq
    row "3-second burn, 1,000,000 SRT cues 100 ms apart (27 h; peak $peak_million_srt MiB; target: 60 s, 1 GiB)" million_srt
    row "3-second burn, 1,000,000 ASS events 10 ms apart (peak $peak_million_ass MiB)" million_ass
    row "preview, one cue of a single 1 MB line of Chinese" line_zh
    row "preview, one cue of a single 1 MB line of Latin letters without a space" line_latin
    row "preview, an ASS event with \\fs100000 (clamped to the frame height)" fs100000
    row "preview, an ASS event at the largest size, border and blur a frame shows" largest
    row "/dev/zero as captions: to the refusal" devzero
    row "a 2 GB sparse file as captions: to the refusal" sparse
    echo
    echo 'Override tags are clamped to what a frame can show (lib/captions/ass_limits.h);'
    echo 'before, one preview frame with \\fs100000 took 45 s and 7.6 GB at 540x960.'
    echo 'At most 64 cues (256 ASS events) are shown at once; the others are'
    echo 'dropped with one warning. For comparison, issue 8 reports for 0.1 (not'
    echo 'measured by this script): about 13 s before the first frame and 78 s a'
    echo 'frame for the 50,000 cues, 35 s to warn about a 2 GB sparse file, and'
    echo '/dev/zero read until the kernel killed zimu.'
    echo '<!-- /bounds -->'
} > bounds.md

sh "$ROOT/bench/section.sh" bounds bounds.md
echo
cat bounds.md
