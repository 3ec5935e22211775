# zimu - see README.md. `make`, `make check`, `make demo`, `make bench`.
PREFIX  ?= /usr/local
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
PCDIR   ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
LOCALEDIR ?= $(PREFIX)/share/locale

CC      ?= gcc
PKGS     = libavformat libavcodec libavfilter libswscale libswresample libavutil \
           libass fontconfig freetype2 harfbuzz uchardet json-c icu-uc icu-i18n opencc
# Debian packages: make deps installs what is missing (see tools/deps.sh).
DEB_PKGS = build-essential pkg-config libavformat-dev libavcodec-dev libavfilter-dev \
           libswscale-dev libswresample-dev libavutil-dev libass-dev libfontconfig-dev \
           libfreetype-dev libharfbuzz-dev libuchardet-dev libjson-c-dev libcsv-dev libicu-dev \
           libopencc-dev check ffmpeg fonts-noto-cjk fonts-symbola \
           gettext locales clang libclang-rt-14-dev valgrind groff-base

# zimu_version() says the same (from include/zimu.h's ZIMU_VERSION_*).
VERSION  = 0.4.0
# Before 1.0 every minor version may break the ABI: the soname carries it.
SOVERSION = 0.4
SONAME   = libzimu.so.$(SOVERSION)

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)

CFLAGS  ?= -O2 -g
WARN     = -Wall -Wextra -Wno-unused-parameter
# tools/ sees the public header only, and builds with nothing else:
#   cc -Iinclude -Itools tools/*.c -Lbuild -lzimu -lm
TOOL_CFLAGS := $(CFLAGS) $(WARN) -Iinclude -Itools -DZIMU_LOCALEDIR='"$(LOCALEDIR)"'
# lib/ is grouped by layer, lowest first; a file includes headers of its own
# layer and the layers below it.
LIB_LAYERS = base fonts captions layout render media flash job batch
LIB_INC  = $(LIB_LAYERS:%=-Ilib/%)
CFLAGS  += -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude $(LIB_INC) $(PKG_CFLAGS)
LIB_CFLAGS = $(CFLAGS) -fPIC -fvisibility=hidden -DZIMU_BUILDING -DZIMU_LOCALEDIR='"$(LOCALEDIR)"'
# libcsv (the batch manifest) has no pkg-config file.
LDLIBS  += $(PKG_LIBS) -lcsv -lm -lpthread

LIB_SRC  = $(sort $(wildcard $(LIB_LAYERS:%=lib/%/*.c)))
LIB_HDR  = $(wildcard $(LIB_LAYERS:%=lib/%/*.h))
LIB_OBJ  = $(LIB_SRC:lib/%.c=build/lib/%.o)
TOOL_SRC = $(sort $(wildcard tools/*.c))
TOOL_OBJ = $(TOOL_SRC:tools/%.c=build/tools/%.o)
TEST_SRC = $(sort $(wildcard tests/check_*.c))
TEST_BIN = $(TEST_SRC:tests/%.c=build/tests/%)
TEST_UTIL_SRC = $(sort $(wildcard tests/util_*.c))
TEST_UTIL_OBJ = $(TEST_UTIL_SRC:tests/%.c=build/tests/%.o)
# Message catalogues: po/<domain>/zh_CN.po, one text domain each (zimu: the
# tool; libzimu: the library), compiled into build/locale/ where the tool and
# the library find them uninstalled, and installed under $(LOCALEDIR).
# po/<domain>/xgettext.args names the sources and keywords tests/i18n.sh
# extracts the messages with.
PO_DOMAINS = $(notdir $(patsubst %/zh_CN.po,%,$(wildcard po/*/zh_CN.po)))
MO_FILES = $(PO_DOMAINS:%=build/locale/zh_CN/LC_MESSAGES/%.mo)

.PHONY: all deps demo check test asan bench bench-startup bench-bounds bench-batch fuzz tsan install uninstall clean FORCE
# Keep test objects between runs (make would delete them as intermediates).
.SECONDARY:
all: build/libzimu.a build/libzimu.so build/zimu $(MO_FILES)

build/locale/zh_CN/LC_MESSAGES/%.mo: po/%/zh_CN.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

build/lib/%.o: lib/%.c $(LIB_HDR) include/zimu.h
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -c $< -o $@
build/tools/%.o: tools/%.c $(wildcard tools/*.h) include/zimu.h Makefile | build/tools
	$(CC) $(TOOL_CFLAGS) -c $< -o $@
build/tests/%.o: tests/%.c $(wildcard tests/*.h) $(LIB_HDR) include/zimu.h | build/tests
	$(CC) $(CFLAGS) -c $< -o $@

build/lib build/tools build/tests build/examples build/install:
	mkdir -p $@

build/libzimu.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^
# Linked again when the Makefile changes (the soname is in it).
build/libzimu.so: $(LIB_OBJ) Makefile
	$(CC) -shared -Wl,-soname,$(SONAME) -o $@ $(LIB_OBJ) $(LDFLAGS) $(LDLIBS)
	ln -sf libzimu.so build/$(SONAME)
# The tool links the shared library, so it can only use what it exports,
# and finds it beside itself ($ORIGIN) when run from build/. Installed, it
# is linked again to find the installed library (see install).
TOOL_LIBS = -Lbuild -lzimu -lm
build/zimu: $(TOOL_OBJ) build/libzimu.so
	$(CC) -o $@ $(TOOL_OBJ) $(LDFLAGS) $(TOOL_LIBS) -Wl,-rpath,'$$ORIGIN'
build/install/zimu: $(TOOL_OBJ) build/libzimu.so FORCE | build/install
	$(CC) -o $@ $(TOOL_OBJ) $(LDFLAGS) $(TOOL_LIBS) -Wl,-rpath,'$(LIBDIR)'

build/tests/check_%: build/tests/check_%.o $(TEST_UTIL_OBJ) build/libzimu.a
	$(CC) -o $@ $< $(TEST_UTIL_OBJ) build/libzimu.a $(LDFLAGS) $(LDLIBS) $(CHECK_LIBS)

deps:
	@sh tools/deps.sh $(DEB_PKGS)

# The demo's music (make demo, make bench): a pop pattern synthesised by a
# program that needs only libc and libm.
build/examples/music: examples/music.c | build/examples
	$(CC) -O2 -g -std=c11 $(WARN) -o $@ $< -lm

# The library, the program and the suites that start threads (threads,
# batch: zimu_batch_set_jobs and `zimu batch -j 2`; bounds: a cancel from
# another thread) under ThreadSanitizer, in build/tsan/ (FFmpeg, libass and
# fontconfig themselves are not instrumented: races inside them are not
# seen). `make check` runs it too (tests/tsan.sh).
TSAN_FLAGS = -O1 -g -fsanitize=thread
TSAN_OBJ = $(LIB_SRC:lib/%.c=build/tsan/lib/%.o) $(TEST_UTIL_SRC:tests/%.c=build/tsan/tests/%.o)
build/tsan/lib/%.o: lib/%.c $(LIB_HDR) include/zimu.h
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) $(TSAN_FLAGS) -c $< -o $@
build/tsan/tests/%.o: tests/%.c $(wildcard tests/*.h) include/zimu.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(TSAN_FLAGS) -c $< -o $@
build/tsan/tools/%.o: tools/%.c $(wildcard tools/*.h) include/zimu.h Makefile
	@mkdir -p $(@D)
	$(CC) $(TOOL_CFLAGS) $(TSAN_FLAGS) -c $< -o $@
build/tsan/check_%: build/tsan/tests/check_%.o $(TSAN_OBJ) | build/tsan/locale
	$(CC) $(TSAN_FLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS) $(CHECK_LIBS)
# The program too: the batch suite's `zimu batch -j 2` runs it.
# The sanitizer builds find the message catalogues of the build tree as the
# plain build does, beside themselves (lib/base/i18n.c, tools/zimu.c).
build/asan/locale build/tsan/locale: | $(MO_FILES)
	@mkdir -p $(@D)
	ln -sfn ../locale $@
build/tsan/zimu: $(TOOL_SRC:tools/%.c=build/tsan/tools/%.o) $(LIB_SRC:lib/%.c=build/tsan/lib/%.o) | build/tsan/locale
	$(CC) $(TSAN_FLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)
tsan: deps
	@sh tests/tsan.sh

# The library, the test utilities, every suite and the tool again under
# AddressSanitizer (with LeakSanitizer) and UBSan, in build/asan/. The
# suites that run the program run build/asan/zimu (ZIMU_BIN), so its code
# is checked too. `make test` runs them after the plain suites (tests/run.sh
# with its environment, tests/sanitizer/); `make asan` runs only them.
# Built with clang: with gcc 12's runtimes UBSan ignores log_path, so a
# report of the program, whose stderr a test may not read, could pass.
ASAN_CC    = clang
ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined \
             -fno-omit-frame-pointer
ASAN_LIB_OBJ  = $(LIB_SRC:lib/%.c=build/asan/lib/%.o)
ASAN_TOOL_OBJ = $(TOOL_SRC:tools/%.c=build/asan/tools/%.o)
ASAN_UTIL_OBJ = $(TEST_UTIL_SRC:tests/%.c=build/asan/tests/%.o)
ASAN_TEST_BIN = $(TEST_SRC:tests/%.c=build/asan/tests/%)
build/asan/lib/%.o: lib/%.c $(LIB_HDR) include/zimu.h
	@mkdir -p $(@D)
	$(ASAN_CC) $(LIB_CFLAGS) $(ASAN_FLAGS) -c $< -o $@
build/asan/tools/%.o: tools/%.c $(wildcard tools/*.h) include/zimu.h Makefile
	@mkdir -p $(@D)
	$(ASAN_CC) $(TOOL_CFLAGS) $(ASAN_FLAGS) -c $< -o $@
build/asan/tests/%.o: tests/%.c $(wildcard tests/*.h) $(LIB_HDR) include/zimu.h
	@mkdir -p $(@D)
	$(ASAN_CC) $(CFLAGS) $(ASAN_FLAGS) -c $< -o $@
build/asan/libzimu.a: $(ASAN_LIB_OBJ)
	rm -f $@ && ar rcs $@ $^
# Linked with the static library: one instrumented program, no rpath.
build/asan/zimu: $(ASAN_TOOL_OBJ) build/asan/libzimu.a | build/asan/locale
	$(ASAN_CC) $(ASAN_FLAGS) -o $@ $(ASAN_TOOL_OBJ) build/asan/libzimu.a $(LDFLAGS) $(LDLIBS)
build/asan/tests/check_%: build/asan/tests/check_%.o $(ASAN_UTIL_OBJ) build/asan/libzimu.a
	$(ASAN_CC) $(ASAN_FLAGS) -o $@ $< $(ASAN_UTIL_OBJ) build/asan/libzimu.a $(LDFLAGS) $(LDLIBS) $(CHECK_LIBS)
asan: deps
	@$(MAKE) --no-print-directory all build/asan/zimu $(ASAN_TEST_BIN)
	@sh tests/run.sh -j2 --no-shell $(ASAN_TEST_BIN)

test: all $(TEST_BIN) build/asan/zimu $(ASAN_TEST_BIN)
	@sh tests/run.sh -j2 $(TEST_BIN) $(ASAN_TEST_BIN)

check: deps
	@$(MAKE) --no-print-directory test

demo: deps
	@$(MAKE) --no-print-directory all build/examples/music
	@sh examples/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all build/bench_startup build/examples/music
	@sh bench/bench.sh
	@sh bench/startup.sh
	@sh bench/bounds.sh
	@sh bench/batch.sh

# Only the batch figures of `make bench` (bench/batch.sh).
bench-batch: deps
	@$(MAKE) --no-print-directory all
	@sh bench/batch.sh

# Only the huge-input figures of `make bench` (bench/bounds.sh).
bench-bounds: deps
	@$(MAKE) --no-print-directory all
	@sh bench/bounds.sh

# Only the start-up and set-up figures of `make bench` (bench/startup.sh).
bench-startup: deps
	@$(MAKE) --no-print-directory build/bench_startup
	@sh bench/startup.sh

build/bench_startup: bench/startup.c build/libzimu.a include/zimu.h
	$(CC) $(CFLAGS) -o $@ $< build/libzimu.a $(LDFLAGS) $(LDLIBS)

build/zimu.pc: zimu.pc.in Makefile FORCE | build/lib
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCDIR@|$(INCDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' -e 's|@PKGS@|$(PKGS)|' $< > $@

# Made anew at every install: they record PREFIX and LIBDIR.
FORCE:
install: all build/zimu.pc build/install/zimu
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) $(DESTDIR)$(BINDIR) \
	           $(DESTDIR)$(PCDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 644 build/libzimu.a $(DESTDIR)$(LIBDIR)/libzimu.a
	install -m 755 build/libzimu.so $(DESTDIR)$(LIBDIR)/libzimu.so.$(VERSION)
	ln -sf libzimu.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libzimu.so
	install -m 644 include/zimu.h $(DESTDIR)$(INCDIR)/zimu.h
	install -m 644 build/zimu.pc $(DESTDIR)$(PCDIR)/zimu.pc
	install -m 755 build/install/zimu $(DESTDIR)$(BINDIR)/zimu
	install -m 644 zimu.1 $(DESTDIR)$(MANDIR)/man1/zimu.1
	install -D -m 644 docs/zimu.zh_CN.1 $(DESTDIR)$(MANDIR)/zh_CN/man1/zimu.1
	install -m 644 tools/zimu.bash $(DESTDIR)$(BASHCOMPDIR)/zimu
	for d in $(PO_DOMAINS); do \
	    install -D -m 644 build/locale/zh_CN/LC_MESSAGES/$$d.mo \
	        $(DESTDIR)$(LOCALEDIR)/zh_CN/LC_MESSAGES/$$d.mo || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libzimu.a $(DESTDIR)$(LIBDIR)/libzimu.so \
	      $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libzimu.so.$(VERSION) \
	      $(DESTDIR)$(INCDIR)/zimu.h $(DESTDIR)$(PCDIR)/zimu.pc \
	      $(DESTDIR)$(BINDIR)/zimu $(DESTDIR)$(MANDIR)/man1/zimu.1 \
	      $(DESTDIR)$(MANDIR)/zh_CN/man1/zimu.1 \
	      $(DESTDIR)$(BASHCOMPDIR)/zimu \
	      $(PO_DOMAINS:%=$(DESTDIR)$(LOCALEDIR)/zh_CN/LC_MESSAGES/%.mo)

clean:
	rm -rf build demo

include tests/fuzz/fuzz.mk
