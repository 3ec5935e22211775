# tests/fuzz/fuzz.mk - libFuzzer targets for every parser, included by the
# main Makefile.
#
#   make fuzz                       build build/fuzz/fuzz_<target> with clang
#   make fuzz-run FUZZ_SECONDS=300  run each for that long, one after the
#                                   other, on a scratch copy of its corpus
#                                   (the committed corpus is read only;
#                                   crashes land in build/fuzz/)
#   make fuzz-check                 what `make check` runs (tests/fuzz.sh):
#                                   replay each corpus, then a short run
#                                   with a fixed seed and count
#
# The library files the targets need are built once with clang, ASan and
# UBSan into build/fuzz/lib/ (FUZZ_LIB_SRC: a file missing from it shows as
# an undefined reference when the targets link).
# The committed seeds (tests/fuzz/corpus/<target>/) are also replayed by
# tests/check_fuzz_corpus.c under `make test`, without clang.
# Included before any target, this file must not become the default goal.
ifeq ($(.DEFAULT_GOAL),)
.DEFAULT_GOAL := all
endif

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS  = $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_LIB_SRC  = lib/base/charset.c lib/base/cnum.c lib/base/distance.c lib/base/error.c \
                lib/base/i18n.c lib/base/log.c \
                lib/base/parse.c lib/base/readfile.c lib/base/sbuf.c \
                lib/captions/capopts.c lib/captions/chinese.c lib/captions/cue.c \
                lib/captions/cuetext.c lib/captions/subs.c lib/captions/fmt_srt.c \
                lib/captions/fmt_ass.c lib/captions/fmt_vtt.c lib/captions/fmt_lrc.c \
                lib/captions/fmt_whisper.c lib/captions/fmt_txt.c \
                lib/captions/write_subs.c lib/captions/ass_track.c lib/captions/ass_limits.c \
                lib/captions/shown.c \
                lib/base/version.c \
                lib/layout/style.c lib/flash/script.c lib/flash/options.c \
                lib/flash/schedule.c lib/flash/cards.c lib/batch/manifest.c
FUZZ_LIB_OBJ  = $(FUZZ_LIB_SRC:lib/%.c=build/fuzz/lib/%.o)
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS   = -g -O1 -std=c11 -D_GNU_SOURCE $(WARN) $(FUZZ_SAN) -Iinclude $(LIB_INC) \
                $(PKG_CFLAGS)
FUZZ_LIBS     = $(PKG_LIBS) -lcsv -lm -lpthread
FUZZ_BIN      = $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)

.PHONY: fuzz fuzz-run fuzz-check
fuzz: $(FUZZ_BIN)

build/fuzz/lib/%.o: lib/%.c $(LIB_HDR) include/zimu.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -DZIMU_BUILDING -DZIMU_LOCALEDIR='"$(LOCALEDIR)"' -c $< -o $@

# (made again when the list changes: the Makefile's .SECONDARY would not
# build a new object for an archive that is otherwise up to date)
build/fuzz/libzimu_fuzz.a: $(FUZZ_LIB_OBJ) tests/fuzz/fuzz.mk
	rm -f $@ && ar rcs $@ $(FUZZ_LIB_OBJ)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_check.h build/fuzz/libzimu_fuzz.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< build/fuzz/libzimu_fuzz.a $(FUZZ_LIBS)

fuzz-run: $(FUZZ_BIN)
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p build/fuzz/corpus-$$t; \
	    build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -timeout=10 \
	        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build/fuzz/crash-$$t- \
	        build/fuzz/corpus-$$t tests/fuzz/corpus/$$t >build/fuzz/fuzz_$$t.log 2>&1 || \
	        { echo "fuzz_$$t FAILED:"; tail -60 build/fuzz/fuzz_$$t.log; exit 1; }; \
	    echo "fuzz_$$t: $$(grep -E '^stat::number_of_executed_units' build/fuzz/fuzz_$$t.log | \
	        sed 's/.*: *//') runs in $(FUZZ_SECONDS) s, $$(ls build/fuzz/corpus-$$t | wc -l) new inputs, no crash"; \
	done

fuzz-check:
	@sh tests/fuzz.sh
