# tests/fuzz/fuzz.mk - libFuzzer targets for the caption parsers, included
# by the main Makefile.
#
#   make fuzz                       build build/fuzz/fuzz_<fmt> with clang
#   make fuzz-run FUZZ_SECONDS=300  run each for that long on a scratch copy
#                                   of its corpus (the committed corpus is
#                                   read only; crashes land in build/fuzz/)
#
# The committed seeds (tests/fuzz/corpus/<fmt>/) are replayed by
# tests/check_fuzz_corpus.c under `make test`, without clang.
# Included before any target, this file must not become the default goal.
ifeq ($(.DEFAULT_GOAL),)
.DEFAULT_GOAL := all
endif

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS  = srt ass vtt lrc whisper txt subs
FUZZ_LIB_SRC  = lib/captions/subs.c lib/base/charset.c lib/captions/fmt_srt.c \
                lib/captions/fmt_ass.c lib/captions/fmt_vtt.c lib/captions/fmt_lrc.c \
                lib/captions/fmt_whisper.c lib/captions/fmt_txt.c lib/captions/cue.c \
                lib/captions/cuetext.c lib/base/error.c lib/base/log.c lib/base/sbuf.c
FUZZ_CFLAGS   = -g -O1 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
                -Iinclude $(LIB_INC) $(shell pkg-config --cflags uchardet json-c libavutil)
FUZZ_LIBS     = $(shell pkg-config --libs uchardet json-c libavutil) -lm
FUZZ_BIN      = $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)

.PHONY: fuzz fuzz-run
fuzz: $(FUZZ_BIN)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_check.h $(FUZZ_LIB_SRC) $(LIB_HDR) include/zimu.h
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_LIB_SRC) $(FUZZ_LIBS)

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
