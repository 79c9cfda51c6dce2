# tether - one non-recursive Makefile for the library, the four programs,
# the tests, the demo and the benchmark.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/tether
# CLDR's Windows time-zone table, as Debian's unicode-cldr-core installs it.
CLDR_WINDOWS_ZONES ?= /usr/share/unicode/cldr/common/supplemental/windowsZones.xml
DESTDIR ?=
PKG_CONFIG ?= pkg-config
VERSION := 0.1.0

# Debian packages the build, the tests and the demo need.
DEB_PACKAGES := build-essential pkg-config libsqlite3-dev sqlite3 \
	libxlsxwriter-dev libcsv-dev libical-dev libjansson-dev libcmocka-dev \
	libcairo2-dev libpango1.0-dev libglib2.0-dev tzdata python3 \
	python3-openpyxl poppler-utils time valgrind clang libclang-rt-14-dev \
	libzip-dev libxml2-dev unicode-cldr-core libgmime-3.0-dev

WARNINGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall \
	-Wextra -Wpedantic -Wshadow -Wconversion -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla -Wundef -Wswitch-enum
ifneq ($(WERROR),)
WARNINGS += -Werror
endif

OPT := -O2 -g
ifneq ($(SANITIZE),)
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=$(SANITIZE)
SAN_LDFLAGS := -fsanitize=$(SANITIZE)
endif
# Objects remember how they were built: switching SANITIZE (or CC, CFLAGS,
# LDFLAGS) rebuilds everything instead of mixing instrumented objects.
BUILD_STAMP := build/.flags
BUILD_HOW := $(CC) $(OPT) $(CFLAGS) $(LDFLAGS)
$(shell mkdir -p build && (printf '%s\n' "$(BUILD_HOW)" | \
	cmp -s - $(BUILD_STAMP) || printf '%s\n' "$(BUILD_HOW)" >$(BUILD_STAMP)))

PKGS_CORE := sqlite3
PKGS_COLLECT := sqlite3 libical jansson libxml-2.0 libzip gmime-3.0
PKGS_ANALYZE := sqlite3 jansson
PKGS_REPORT := sqlite3 jansson xlsxwriter cairo pangocairo
PKGS_SAMPLE := jansson libzip
PKGS_ALL := sqlite3 libical jansson xlsxwriter cairo pangocairo libxml-2.0 \
	gmime-3.0 \
	libzip

pkg_cflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
pkg_libs = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)

# Recursively expanded: pkg-config runs when a file is compiled, after
# `make deps` has installed the packages, not when the Makefile is read.
ALL_CFLAGS = $(WARNINGS) $(OPT) -Iinclude -Icore -MMD -MP \
	-DTETHER_VERSION='"$(VERSION)"' -DTETHER_DATADIR='"$(DATADIR)"' \
	-DTETHER_CLDR_WINDOWS_ZONES='"$(CLDR_WINDOWS_ZONES)"' \
	$(call pkg_cflags,$(PKGS_ALL) cmocka) \
	$(CFLAGS)
ALL_LDFLAGS := $(SAN_LDFLAGS) $(LDFLAGS)

CORE_SRC := $(wildcard core/*.c)
COLLECT_SRC := $(wildcard collect/*.c)
ANALYSIS_SRC := $(wildcard analysis/*.c)
ANALYZE_SRC := $(wildcard analyze/*.c)
REPORT_SRC := $(wildcard report/*.c)
SAMPLE_SRC := $(wildcard sample-data/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)

obj = $(patsubst %.c,build/%.o,$(1))
nomain = $(filter-out %/main.o,$(call obj,$(1)))

LIBTETHER := build/libtether.a
LIBCOLLECT := build/libcollect.a
LIBANALYSIS := build/libtether-analysis.a
LIBANALYZE := build/libanalyze.a
LIBREPORT := build/libreport.a
LIBSAMPLE := build/libsample.a

PROGRAMS := bin/tether-collect bin/tether-analyze bin/tether-report \
	bin/tether-sample
UNIT_TESTS := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))

.PHONY: all check demo bench deps clean install uninstall format fuzz \
	print-deps
all: $(PROGRAMS)

build/%.o: %.c $(BUILD_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

# build/empty.o keeps a library valid while its folder has only main.c.
$(LIBTETHER): $(call obj,$(CORE_SRC)) build/empty.o
$(LIBCOLLECT): $(call nomain,$(COLLECT_SRC)) build/empty.o
$(LIBANALYSIS): $(call obj,$(ANALYSIS_SRC))
$(LIBANALYZE): $(call nomain,$(ANALYZE_SRC)) build/empty.o
$(LIBREPORT): $(call nomain,$(REPORT_SRC)) build/empty.o
$(LIBSAMPLE): $(call nomain,$(SAMPLE_SRC)) build/empty.o
build/%.a:
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

build/empty.o:
	@mkdir -p $(@D)
	printf 'typedef int tether_empty_unit;\n' | $(CC) -x c -c -o $@ -

# Every program is its main.o, its own folder's library, the shared
# libraries it uses (the analysis for tether-analyze and tether-report),
# and the core.
bin/tether-collect: build/collect/main.o $(LIBCOLLECT) $(LIBTETHER)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKGS_COLLECT)) -lcsv -lm
bin/tether-analyze: build/analyze/main.o $(LIBANALYZE) $(LIBANALYSIS) \
		$(LIBTETHER)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKGS_ANALYZE)) -lcsv -lm
bin/tether-report: build/report/main.o $(LIBREPORT) $(LIBANALYSIS) $(LIBTETHER)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKGS_REPORT)) -lcsv -lm
bin/tether-sample: build/sample-data/main.o $(LIBSAMPLE) $(LIBTETHER)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKGS_SAMPLE)) -lcsv -lm

# A unit test links every program library, so it can test any module.
build/tests/%: build/tests/unit/%.o $(LIBREPORT) $(LIBANALYZE) $(LIBANALYSIS) \
		$(LIBCOLLECT) \
		$(LIBSAMPLE) $(LIBTETHER)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ \
		$(call pkg_libs,$(PKGS_ALL) cmocka) -lcsv -lm

# check and demo install the packages first, then build in a second make:
# with -j, prerequisites would otherwise build beside the installation.
check:
	@$(MAKE) -s deps
	@$(MAKE) --no-print-directory all $(UNIT_TESTS)
	@SANITIZE='$(SANITIZE)' bash tests/run.sh $(UNIT_TESTS)

demo:
	@$(MAKE) -s deps
	@$(MAKE) --no-print-directory all
	@bash scripts/demo.sh

bench:
	@$(MAKE) -s deps
	@$(MAKE) --no-print-directory all bin/xlsx_baseline
	@bash scripts/bench.sh $(SIZE)

# The report benchmark's baseline: libxlsxwriter alone.
bin/xlsx_baseline: bench/xlsx_baseline.c
	@mkdir -p $(@D)
	$(CC) $(WARNINGS) $(OPT) $(call pkg_cflags,sqlite3 xlsxwriter) $(CFLAGS) \
		-o $@ $< $(ALL_LDFLAGS) $(call pkg_libs,sqlite3 xlsxwriter)

# Fuzzing with libFuzzer (clang): the core and tether-collect's sources are
# built again under build/fuzz/ with coverage and sanitizers, and every
# fuzz/fuzz_*.c is one target. `make fuzz FUZZ_SECONDS=N` runs each target
# for N seconds on a seed corpus made at run time from the test data, and
# fails when one finds a crash (kept in build/fuzz/crashes/).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_BIN := $(patsubst fuzz/%.c,build/fuzz/bin/%,$(FUZZ_SRC))
FUZZ_LIB := build/fuzz/libfuzzed.a
FUZZ_LIB_OBJ := $(patsubst %.c,build/fuzz/%.o,\
	$(filter-out %/main.c,$(CORE_SRC) $(COLLECT_SRC)))

build/fuzz/%.o: %.c
	@mkdir -p $(@D)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(WARNINGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link \
		-Iinclude -Icore -Icollect -MMD -MP \
		-DTETHER_VERSION='"$(VERSION)"' \
		$(call pkg_cflags,$(PKGS_COLLECT)) $(CFLAGS) -c -o $@ $<
$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^
build/fuzz/bin/%: build/fuzz/fuzz/%.o $(FUZZ_LIB)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ \
		$(call pkg_libs,$(PKGS_COLLECT)) -lcsv -lm

.SECONDARY: $(patsubst fuzz/%.c,build/fuzz/fuzz/%.o,$(FUZZ_SRC))
fuzz: $(FUZZ_BIN)
	@bash fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

# DEPS is the installing command; .ci/fresh-machine.sh replaces it to show
# that the build waits for it.
DEPS ?= bash scripts/deps.sh $(DEB_PACKAGES)
deps:
	@$(DEPS)

format:
	clang-format -i $(wildcard include/tether/*.h */*.c */*.h tests/unit/*.c)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(PROGRAMS) $(DESTDIR)$(BINDIR)
	install -m 0644 $(wildcard man/*.1) $(DESTDIR)$(MANDIR)/man1
	install -d $(DESTDIR)$(DATADIR)
	install -m 0644 $(wildcard data/*.csv) $(DESTDIR)$(DATADIR)

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(PROGRAMS)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(wildcard man/*.1)))
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/,$(notdir $(wildcard data/*.csv)))

clean:
	rm -rf build bin

-include $(shell find build -name '*.d' 2>/dev/null)

print-deps:
	@echo $(DEB_PACKAGES)
