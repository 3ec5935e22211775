# tests/sanitizer/asan.sh - sourced by tests/run.sh for the suites built
# under AddressSanitizer, LeakSanitizer and UBSan (build/asan/, see the
# Makefile). Not a test itself.
#
# To rerun one suite by hand the same way:
#   make build/asan/zimu build/asan/tests/check_burn
#   . tests/sanitizer/asan.sh && asan_env "$PWD" check_burn && build/asan/tests/check_burn
#   cat build/asan/log/check_burn/*     # the reports, if any

# asan_env TOP NAME: export the environment of one suite's run. Reports of
# the suite and of every program it starts (build/asan/zimu) go to files
# under build/asan/log/NAME/, which asan_reports prints.
asan_env() {
    ZIMU_SANITIZER_LOGS=$1/build/asan/log/$(basename "$2")
    rm -rf "$ZIMU_SANITIZER_LOGS"
    mkdir -p "$ZIMU_SANITIZER_LOGS"
    sup=$1/tests/sanitizer
    # halt at the first error; leaks checked at every exit (each Check test
    # runs in a child of its own, so a leak fails the test that made it).
    ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_invalid_pointer_pairs=0:log_path=$ZIMU_SANITIZER_LOGS/asan
    LSAN_OPTIONS=suppressions=$sup/lsan.supp:print_suppressions=0
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$sup/ubsan.supp:log_path=$ZIMU_SANITIZER_LOGS/ubsan
    # suites that repeat one check over many inputs may do fewer under
    # the sanitizers (check_style: each preset at one frame size, not 3)
    ZIMU_TEST_SANITIZER=asan
    # the program the CLI suites run: the instrumented one
    ZIMU_BIN=$1/build/asan/zimu
    # Check's per-test timeouts (tcase_set_timeout) scaled for the slower
    # instrumented code
    CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-4}
    export ZIMU_TEST_SANITIZER ZIMU_SANITIZER_LOGS ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS ZIMU_BIN CK_TIMEOUT_MULTIPLIER
}

# asan_reports: the reports written during the run (first 60 lines of
# each), nothing when there were none.
asan_reports() {
    for f in "$ZIMU_SANITIZER_LOGS"/*; do
        [ -f "$f" ] || continue
        echo "--- sanitizer report $f:"
        head -60 "$f"
    done
}
