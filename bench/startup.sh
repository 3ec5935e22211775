#!/bin/sh
# How long zimu takes to get going (run by `make bench` after bench.sh, or
# alone: `make bench-startup`). Needs build/bench_startup (bench/startup.c
# linked with build/libzimu.a). Writes its section of bench/RESULTS.md
# (between the "startup" markers, replacing the last one) and prints it.
#
#  (a) Time to the first frame of a one-second burn, one new process per
#      run: from just before zimu_job_new() to the first progress callback
#      with frames >= 1. zimu reports progress at the first frame and then
#      at most every 100 ms, so that callback comes right after the first
#      frame has been decoded, captioned and handed to libx264 (the table
#      shows the frame count it saw, which must be 1). libx264 holds frames
#      for its lookahead, so no packet exists yet at that point: the second
#      row, a burn trimmed to one frame (zimu_job_run() to the file written),
#      includes the encoder's flush and the MP4 being finished.
#  (b) Set-up of jobs 2 to 10 of ten run one after another in one process
#      (null output; set-up = zimu_job_run() up to its first frame done),
#      each job with its own font context, and all sharing one loaded
#      before the first job. Several processes, alternating which runs first.
#
# Knobs (environment): STARTUP_RUNS (processes for (a), default 9),
# STARTUP_PROCS (processes per case for (b), default 5), STARTUP_BEFORE (a
# git revision: its library is built in bench/out/startup/before and timed
# the same way, interleaved with this tree's, in rows marked "before").
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out/startup
BIN=${STARTUP_BIN:-$ROOT/build/bench_startup}
RUNS=${STARTUP_RUNS:-9}
PROCS=${STARTUP_PROCS:-5}

die() { echo "startup: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "$BIN is missing (make build/bench_startup)"

# The same 1080x1920 clip as the main benchmark, one second long.
BENCH_SECONDS=1 sh "$ROOT/bench/gen.sh" "$OUT" >&2
cd "$OUT"
printf '1\r\n00:00:00,000 --> 00:00:01,000\r\n%s\r\n\r\n' "欢迎收看本期法律小课堂" > startup.srt
cp "$BIN" startup.bin
rm -f first.tsv trim1.tsv setup.tsv fontsload.tsv bfirst.tsv btrim1.tsv renderers.tsv
BEFORE=${STARTUP_BEFORE:-}
if [ -n "$BEFORE" ]; then
    echo "startup: building the library of $BEFORE for the before rows" >&2
    rm -rf before && mkdir before
    git -C "$ROOT" archive "$BEFORE" | tar -x -C before
    make -C before -s build/libzimu.a >/dev/null
    # shellcheck disable=SC2046
    cc -O2 -std=c11 -Ibefore/include -o before.bin "$ROOT/bench/startup.c" \
        before/build/libzimu.a $(pkg-config --libs libavformat libavcodec libavfilter \
        libswscale libswresample libavutil libass fontconfig freetype2 harfbuzz uchardet \
        json-c) -lcsv -lm -lpthread
    ./before.bin first clip.mp4 startup.srt warm.mp4 > /dev/null
fi

load0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "startup: warming up (untimed)" >&2
./startup.bin first clip.mp4 startup.srt warm.mp4 > /dev/null

echo "startup: (a) $RUNS runs each of a one-second burn and a one-frame burn" >&2
r=1
while [ "$r" -le "$RUNS" ]; do
    ./startup.bin first clip.mp4 startup.srt first.mp4 >> first.tsv
    ./startup.bin trim1 clip.mp4 startup.srt trim1.mp4 >> trim1.tsv
    if [ -n "$BEFORE" ]; then
        ./before.bin first clip.mp4 startup.srt first.mp4 >> bfirst.tsv
        ./before.bin trim1 clip.mp4 startup.srt trim1.mp4 >> btrim1.tsv
    fi
    r=$((r + 1))
done

echo "startup: (b) $PROCS processes of 10 jobs each, own fonts and shared fonts" >&2
p=1
while [ "$p" -le "$PROCS" ]; do
    if [ $((p % 2)) = 1 ]; then order="own shared"; else order="shared own"; fi
    [ -n "$BEFORE" ] && order="$order before"
    for mode in $order; do
        if [ "$mode" = before ]; then
            ./before.bin setup clip.mp4 startup.srt own 10 > setup.out
        else
            ./startup.bin setup clip.mp4 startup.srt "$mode" 10 > setup.out
        fi
        awk -v m="$mode" -v p="$p" '$1 != "fonts" { print m, p, $1, $2, $3 }' setup.out >> setup.tsv
        awk '$1 == "fonts" { print $2 }' setup.out >> fontsload.tsv
    done
    p=$((p + 1))
done

echo "startup: (c) 20 renderers sharing one font context" >&2
./startup.bin renderers startup.srt 20 > renderers.tsv

# stats FILE COLUMN [AWK-FILTER]: "median min max q1 q3 n" of a column
stats() {
    awk "${3:-1} { print \$$2 }" "$1" | sort -g | awk '
        { a[++n] = $1 }
        function q(f,   h, lo) { h = (n - 1) * f + 1; lo = int(h)
            return lo >= n ? a[n] : a[lo] + (h - lo) * (a[lo + 1] - a[lo]) }
        END { if (n) printf "%.1f %.1f %.1f %.1f %.1f %d\n", q(0.5), a[1], a[n], q(0.25), q(0.75), n }'
}
row() { # label "median min max q1 q3 n"
    set -- "$1" $2
    printf '| %s | %s | %s to %s | %s to %s | %s |\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7"
}
fa=$(stats first.tsv 1); fr=$(stats first.tsv 3); t1=$(stats trim1.tsv 1)
fn=$(awk '{ print $2 }' first.tsv | sort -nu | paste -sd, -)
own=$(stats setup.tsv 4 '$1 == "own" && $3 >= 2')
shr=$(stats setup.tsv 4 '$1 == "shared" && $3 >= 2')
own1=$(stats setup.tsv 4 '$1 == "own" && $3 == 1')
shr1=$(stats setup.tsv 4 '$1 == "shared" && $3 == 1')
ownr=$(stats setup.tsv 5 '$1 == "own" && $3 >= 2')
shrr=$(stats setup.tsv 5 '$1 == "shared" && $3 >= 2')
ratio=$(echo "${own%% *} ${shr%% *}" | awk '{ printf "%.2f", ($2 > 0) ? $1 / $2 : 0 }')
fl=$(stats fontsload.tsv 1)
rp=$(stats renderers.tsv 2 '$1 >= 2')
if [ -n "$BEFORE" ]; then
    bfa=$(stats bfirst.tsv 1); bt1=$(stats btrim1.tsv 1)
    bown=$(stats setup.tsv 4 '$1 == "before" && $3 >= 2')
    bratio=$(echo "${bown%% *} ${shr%% *}" | awk '{ printf "%.2f", ($2 > 0) ? $1 / $2 : 0 }')
    bfratio=$(echo "${bfa%% *} ${fa%% *}" | awk '{ printf "%.2f", ($2 > 0) ? $1 / $2 : 0 }')
fi

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
zrev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
[ -z "$(git -C "$ROOT" status --porcelain -- lib include 2>/dev/null)" ] ||
    zrev="$zrev plus uncommitted changes"

{
    echo '<!-- startup: written by bench/startup.sh -->'
    echo '## Start-up and set-up time'
    echo
    echo "bench/startup.sh (bench/startup.c linked with libzimu.a, tree $zrev) on"
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $cpu_model, nproc $(nproc), load average"
    echo "$load0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end (the machine may be shared:"
    echo "compare the two cases of (b), which ran interleaved, more than absolute figures)."
    echo "Clip: bench/gen.sh's clip, 1 s (1080x1920,"
    echo "30 fps, H.264 + AAC), one caption over the whole second. Milliseconds."
    echo
    echo '| measure | median | min to max | 1st to 3rd quartile | runs |'
    echo '| --- | ---: | ---: | ---: | ---: |'
    row "(a) one-second burn (crf 20, medium), new process: to the first progress callback with a frame done (frames it saw: $fn)" "$fa"
    row "(a) the same burn, whole run" "$fr"
    row "(a) burn trimmed to its first frame, new process: zimu_job_run() to the file written" "$t1"
    row "(b) set-up of jobs 2 to 10, each with its own fonts (null output)" "$own"
    row "(b) set-up of jobs 2 to 10, one shared zimu_fonts" "$shr"
    row "(b) set-up of job 1, own fonts" "$own1"
    row "(b) set-up of job 1, shared fonts (loaded before it, not counted)" "$shr1"
    row "(b) zimu_fonts_new() + zimu_fonts_load() of the shared context, once a process" "$fl"
    row "(b) whole run of jobs 2 to 10, own fonts" "$ownr"
    row "(b) whole run of jobs 2 to 10, shared fonts" "$shrr"
    row "(c) zimu_renderer_prepare() of renderers 2 to 20 sharing one zimu_fonts: what each renderer still pays (libass builds its font provider from the configuration for every renderer), plus the layout" "$rp"
    if [ -n "$BEFORE" ]; then
        row "before ($BEFORE): (a) to the first progress callback with a frame done" "$bfa"
        row "before ($BEFORE): (a) burn trimmed to its first frame" "$bt1"
        row "before ($BEFORE): (b) set-up of jobs 2 to 10 (no font context then)" "$bown"
    fi
    echo
    echo "Set-up of jobs 2 to 10, own fonts over shared fonts (medians): $ratio."
    if [ -n "$BEFORE" ]; then
        echo "Before ($BEFORE) over now: first frame $bfratio; set-up of jobs 2 to 10"
        echo "before over now with shared fonts $bratio (medians)."
    fi
    echo
    echo 'How it is measured: (a) one process per run, started anew each time, so'
    echo 'fontconfig reads its cache anew as for a user starting a burn; the clock'
    echo 'starts just before zimu_job_new(). zimu reports progress at the first'
    echo 'frame, then at most every 100 ms: the first callback comes when frame 1'
    echo 'has been decoded, captioned and handed to libx264, whose lookahead holds'
    echo 'it (no packet is written yet); the trimmed burn includes the encoder flush'
    echo 'and writing the MP4. (b) set-up = zimu_job_run() up to the first progress'
    echo 'callback with a frame done; jobs 2 to 10 of each process, over all'
    echo 'processes (the first job of a process also pays for loading libraries).'
    echo '<!-- /startup -->'
} > startup.md

sh "$ROOT/bench/section.sh" startup startup.md
echo
cat startup.md
echo "startup: wrote its section of bench/RESULTS.md (runs in bench/out/startup/*.tsv)" >&2
