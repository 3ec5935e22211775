#!/bin/sh
# A folder of clips with `zimu batch` (run by `make bench` after bench.sh,
# or alone: `make bench-batch`). Writes its section of bench/RESULTS.md
# (between the "batch" markers, replacing the last one) and prints it.
#
#  (a) 8 residents' clips (720x1280, 25 fps, BATCH_SECONDS s each, an SRT
#      beside each), `zimu batch` with -j auto (the library shares the
#      cores out: on two cores, two clips at once with one encoder thread
#      each) against -j 1 (one clip after the other, each with every
#      core). The order of the two alternates from round to round; every
#      run redoes every clip (--force).
#  (b) The per-clip profile: one of the clips alone, on one core (taskset:
#      the library then plans one clip with one encoder thread) and on
#      every core (one clip with one encoder thread a core): wall and CPU
#      seconds.
#  (c) The projection for 8 and 32 cores, from (b): the library's plan for
#      that many cores (the rule of share_cores() in lib/batch/run.c),
#      a clip's wall time at t encoder threads from Amdahl's law fitted to
#      the one- and two-thread walls of (b), and no faster than the CPU
#      seconds allow. It assumes the cores are as fast as these and that
#      memory bandwidth and the disk keep up; the same model's figure for
#      this machine is printed beside the measured one, as a check.
#
# Knobs (environment): BATCH_ROUNDS (rounds of (a) and (b), default 3),
# BATCH_SECONDS (clip length, default 8), BENCH_ZIMU (default build/zimu).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out/batch
ROUNDS=${BATCH_ROUNDS:-3}
SECS=${BATCH_SECONDS:-8}
ZIMU_SRC=${BENCH_ZIMU:-$ROOT/build/zimu}

die() { echo "batch bench: $*" >&2; exit 1; }
[ -x "$ZIMU_SRC" ] || die "$ZIMU_SRC is missing (make)"
command -v taskset > /dev/null || die "taskset is missing (Debian: util-linux)"
sh "$ROOT/tools/deps.sh" time
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian package time)"
command -v ffmpeg >/dev/null || die "ffmpeg is missing (make deps)"
cores=$(nproc)
[ "$cores" -ge 2 ] || die "needs at least two cores (has $cores)"

mkdir -p "$OUT"
cd "$OUT"
# A copy of the program (and its library, found beside it), so a rebuild
# during the run cannot change what is measured.
cp "$ZIMU_SRC" zimu.bin
for f in "$(dirname "$ZIMU_SRC")"/libzimu.so*; do
    [ -e "$f" ] && cp -P "$f" .
done

# The clips: made once, kept (their parameters in clips.params).
params="8 clips testsrc2 720x1280 25fps ${SECS}s x264 veryfast crf20 + sine aac"
if [ "$(cat clips.params 2>/dev/null)" != "$params" ]; then
    echo "batch bench: making 8 clips ($params)" >&2
    rm -rf clips one && mkdir clips one
    for i in 1 2 3 4 5 6 7 8; do
        ffmpeg -nostdin -hide_banner -loglevel error -y \
            -f lavfi -i "testsrc2=size=720x1280:rate=25:duration=$SECS,hue=h=$((i * 40))" \
            -f lavfi -i "sine=frequency=$((300 + i * 50)):sample_rate=48000:duration=$SECS" \
            -c:v libx264 -preset veryfast -crf 20 -pix_fmt yuv420p -c:a aac -b:a 96k \
            -shortest "clips/居民来稿$i.mp4"
        # a caption every 2 s
        t=0 n=0
        while [ $t -lt $((SECS * 1000)) ]; do
            n=$((n + 1))
            printf '%d\n00:00:%02d,%03d --> 00:00:%02d,%03d\n第%d条 欢迎收看宁安街道的居民来稿\n\n' \
                $n $((t / 1000)) $((t % 1000)) $(((t + 1900) / 1000)) $(((t + 1900) % 1000)) $n
            t=$((t + 2000))
        done > "clips/居民来稿$i.srt"
    done
    cp "clips/居民来稿1.mp4" "clips/居民来稿1.srt" one/
    echo "$params" > clips.params
fi

# run NAME ARGS...: one timed batch; appends "name round wall cpu jobs
# threads" to runs.tsv.
run() {
    name=$1 round=$2
    shift 2
    if ! /usr/bin/time -f '%e %U %S' -o run.time "$@" --force --json -q \
            > run.json 2> run.log; then
        cat run.log run.json >&2
        die "$name failed"
    fi
    grep -q '"failed": 0,' run.json || { cat run.json >&2; die "$name: a clip failed"; }
    set -- $(tail -n 1 run.time)
    jobs=$(sed -n 's/.*"jobs": \([0-9]*\).*/\1/p' run.json)
    threads=$(sed -n 's/.*"encoder_threads": \([0-9]*\).*/\1/p' run.json)
    echo "$name $round $1 $(echo "$2 $3" | awk '{print $1 + $2}') $jobs $threads" >> runs.tsv
    printf 'batch bench: %-6s round %d: wall %6.2f s (%s at once, %s threads each)\n' \
        "$name" "$round" "$1" "$jobs" "$threads" >&2
}

rm -f runs.tsv
load0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "batch bench: warming up (untimed)" >&2
./zimu.bin batch one -o out_warm --force -q --json > /dev/null
r=1
while [ $r -le "$ROUNDS" ]; do
    if [ $((r % 2)) = 1 ]; then
        run auto $r ./zimu.bin batch clips -o out_auto
        run seq $r ./zimu.bin batch clips -o out_seq -j 1
    else
        run seq $r ./zimu.bin batch clips -o out_seq -j 1
        run auto $r ./zimu.bin batch clips -o out_auto
    fi
    run one1 $r taskset -c 0 ./zimu.bin batch one -o out_one1
    run oneN $r ./zimu.bin batch one -o out_oneN
    r=$((r + 1))
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)
# one frame of an output, to look at
ffmpeg -nostdin -hide_banner -loglevel error -y -ss 3 -i "out_auto/居民来稿1.mp4" \
    -frames:v 1 frame_batch.png

zrev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
[ -z "$(git -C "$ROOT" status --porcelain -- lib tools include Makefile 2>/dev/null)" ] ||
    zrev="$zrev plus uncommitted changes"

awk -v cores="$cores" -v rounds="$ROUNDS" -v secs="$SECS" -v zrev="$zrev" \
    -v load0="$load0" -v load1="$load1" '
function sort(a, n,   i, j, t) { for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t } }
function q(a, n, p,   h, lo) { sort(a, n); h = (n - 1) * p + 1; lo = int(h); return (lo >= n) ? a[n] : a[lo] + (h - lo) * (a[lo + 1] - a[lo]) }
function med(k,   a, i) { for (i = 1; i <= cnt[k]; i++) a[i] = v[k, i]; return q(a, cnt[k], .5) }
function qt(k, p,   a, i) { for (i = 1; i <= cnt[k]; i++) a[i] = v[k, i]; return q(a, cnt[k], p) }
function add(k, x) { cnt[k]++; v[k, cnt[k]] = x }
# the library plan for c cores and n clips (share_cores() in lib/batch/run.c)
function plan_jobs(c, n,   j) { j = (c <= 2) ? c : ((int(c / 2) > 2) ? int(c / 2) : 2); if (j > n) j = n; if (j < 1) j = 1; return j }
function plan_threads(c, j) { return (int(c / j) > 1) ? int(c / j) : 1 }
# a clip at t threads: wall from Amdahl (serial share f), CPU growing with
# the threads as measured from 1 to 2
function wall_t(t) { return w1 * (f + (1 - f) / t) }
function cpu_t(t) { return c1 + (c2 - c1) * (t - 1) }
# 8 clips on c cores: rounds of j clips, each no faster than its CPU allows
function batch_time(c, j, t,   w) { w = wall_t(t); if (cpu_t(t) * j / c > w) w = cpu_t(t) * j / c; return int((8 + j - 1) / j) * w }
{
    add($1 "w", $3); add($1 "c", $4); jobs[$1] = $5; thr[$1] = $6
    if ($1 == "auto") wa[$2] = $3; if ($1 == "seq") ws[$2] = $3
}
END {
    for (r in wa) if (r in ws) add("ratio", ws[r] / wa[r])
    w1 = med("one1w"); c1 = med("one1c"); w2 = med("oneNw"); c2 = med("oneNc")
    # Amdahl: w2 / w1 = f + (1 - f) / t2, with t2 the threads of the oneN runs
    t2 = thr["oneN"]; f = (w2 / w1 - 1 / t2) / (1 - 1 / t2); if (f < 0) f = 0; if (f > 1) f = 1
    ratio = med("ratio")
    print "<!-- batch (bench/batch.sh; `make bench-batch` reruns it alone) -->"
    print "## A folder of clips (issue 10)"
    print ""
    printf "8 clips of %d s each, 720x1280 at 25 fps, an SRT beside each (a caption every 2 s), `zimu batch` with its default encoder settings; %d rounds, -j auto and -j 1 in alternating order, every run redoing every clip (--force). zimu %s, %d cores, load average %s before and %s after.\n", secs, rounds, zrev, cores, load0, load1
    print ""
    print "| run | clips at once x encoder threads | wall s, median | 1st to 3rd quartile | CPU s, median |"
    print "| --- | --- | ---: | ---: | ---: |"
    printf "| 8 clips, -j auto | %d x %d | %.2f | %.2f to %.2f | %.2f |\n", jobs["auto"], thr["auto"], med("autow"), qt("autow", .25), qt("autow", .75), med("autoc")
    printf "| 8 clips, -j 1 | %d x %d | %.2f | %.2f to %.2f | %.2f |\n", jobs["seq"], thr["seq"], med("seqw"), qt("seqw", .25), qt("seqw", .75), med("seqc")
    printf "| one clip, one core (taskset) | %d x %d | %.2f | %.2f to %.2f | %.2f |\n", jobs["one1"], thr["one1"], w1, qt("one1w", .25), qt("one1w", .75), c1
    printf "| one clip, %d cores | %d x %d | %.2f | %.2f to %.2f | %.2f |\n", cores, jobs["oneN"], thr["oneN"], w2, qt("oneNw", .25), qt("oneNw", .75), c2
    print ""
    printf "-j auto against -j 1, wall of the same round: **%.3fx** faster (median; 1st to 3rd quartile %.3f to %.3f, min %.3f, max %.3f); target at least 1.04x: %s.\n", ratio, qt("ratio", .25), qt("ratio", .75), qt("ratio", 0), qt("ratio", 1), (ratio >= 1.04) ? "met" : "NOT MET"
    print ""
    printf "Per-clip profile: %.2f CPU s on one thread, %.2f CPU s on %d; serial share by Amdahl from the walls: %.2f.\n", c1, c2, t2, f
    print ""
    print "| cores | plan: clips at once x threads | 8 clips, -j auto, s | 8 clips, -j 1, s | -j auto faster by |"
    print "| ---: | --- | ---: | ---: | ---: |"
    split(cores " 8 32", cs, " ")
    for (k = 1; k <= 3; k++) {
        c = cs[k]; j = plan_jobs(c, 8); t = plan_threads(c, j)
        pa = batch_time(c, j, t); ps = batch_time(c, 1, c)
        label = (k == 1) ? sprintf("%d (this machine: model; measured %.2f and %.2f, %.3fx)", c, med("autow"), med("seqw"), ratio) : c
        printf "| %s | %d x %d | %.1f | %.1f | %.2fx |\n", label, j, t, pa, ps, ps / pa
    }
    print ""
    print "The projection assumes cores as fast as these and memory and disk that keep up; a clip on many threads gains little (the serial share above), which is why the library runs several clips at once with a few threads each."
    print ""
    print "One frame of an output: bench/out/batch/frame_batch.png."
    print "<!-- /batch -->"
}' runs.tsv > section.md
sh "$ROOT/bench/section.sh" batch section.md
cat section.md
