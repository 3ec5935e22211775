#!/bin/sh
# The fuzz gate of `make check` (also `make fuzz-check`): builds the
# libFuzzer targets (make fuzz: clang, ASan, UBSan), replays each committed
# corpus (tests/fuzz/corpus/<target>/, -runs=0), then fuzzes each target
# from that corpus for a fixed count with a fixed seed, so the gate is the
# same on every run (the same inputs, in the same order). Fails on any
# crash, failed check, leak, timeout, memory blow-up or sanitizer report,
# showing the report and the input (kept as build/fuzz/ci-crash-<target>-*). Prints the total number of executions.
# Two targets run at a time (FUZZ_JOBS); FUZZ_RUNS sets the count.
set -e
runs=${FUZZ_RUNS:-20000}
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

if [ "$1" = one ]; then
    # one target: $2, logs into $3
    t=$2 log=$3/$2
    bin=build/fuzz/fuzz_$t corpus=tests/fuzz/corpus/$t
    # The same run every time: libFuzzer does not take the values the code
    # compares into its mutations (-use_cmp=0: some are heap addresses,
    # which vary), does not reread the corpus folder on a timer, and runs
    # without address randomisation. (Longer runs, make fuzz-run, keep
    # -use_cmp.)
    if command -v setarch >/dev/null 2>&1 && setarch "$(uname -m)" -R true 2>/dev/null; then
        bin="setarch $(uname -m) -R $bin"
    fi
    if ! $bin -runs=0 -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix=build/fuzz/ci-crash-$t- $corpus >"$log.replay" 2>&1; then
        echo "fuzz_$t: replaying $corpus FAILED:"
        tail -50 "$log.replay"
        exit 1
    fi
    mkdir -p "$3/corpus-$t"
    if ! $bin -seed=1 -runs=$runs -reload=0 -use_cmp=0 -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix=build/fuzz/ci-crash-$t- \
            "$3/corpus-$t" $corpus >"$log" 2>&1; then
        echo "fuzz_$t: -seed=1 -runs=$runs FAILED (rerun: $bin -seed=1 -runs=$runs" \
             "-reload=0 -use_cmp=0 -max_len=4096 -timeout=10 -rss_limit_mb=2048 EMPTY_DIR $corpus):"
        tail -50 "$log"
        exit 1
    fi
    exit 0
fi

start=$(date +%s)
make -s --no-print-directory -j"${FUZZ_JOBS:-2}" fuzz
built=$(date +%s)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
targets=$(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_\(.*\)\.c|\1|')
rm -f build/fuzz/ci-crash-*
echo "$targets" | xargs -P "${FUZZ_JOBS:-2}" -I T sh tests/fuzz.sh one T "$tmp" || exit 1
total=0 n=0 seeds=0
for t in $targets; do
    e=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$t")
    [ "$e" = "$runs" ] || { echo "fuzz_$t: $e executions, want $runs"; tail -20 "$tmp/$t"; exit 1; }
    s=$(ls tests/fuzz/corpus/$t | wc -l)
    total=$((total + e)) n=$((n + 1)) seeds=$((seeds + s))
    echo "fuzz_$t: $s seeds replayed, $e executions, $(ls "$tmp/corpus-$t" | wc -l) new inputs"
done
end=$(date +%s)
echo "fuzz: $n targets, $seeds seeds replayed, $total executions (-seed=1 -runs=$runs each)," \
     "no crash, leak, timeout or sanitizer report; build $((built - start)) s, runs $((end - built)) s"
