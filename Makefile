# SPDX-License-Identifier: GPL-2.0-only
# sanroot: boot Linux with its root filesystem on an iSCSI LUN.
#
#   make          host build (gcc, glibc, dynamic) in build/host/bin
#   make static   static musl tools in build/static/bin, sizes printed
#   make deps     Debian packages + static musl archives of the libraries, once
#   make check    every test suite; the last line is "N passed, N failed"
#   make fuzz     libFuzzer binaries in build/fuzz (clang)
#   make demo     boot a VM from an iSCSI root (VARIANT=itools, ibft or dracut)
#   make install  DESTDIR= PREFIX=
#   make deb      the Debian package (debian/) in build/deb

PREFIX  ?= /usr
DESTDIR ?=
DEPS    ?= build/deps
B       := build

TOOLS_ALL := sanroot-config sanroot-net sanroot-iscsi sanroot-lvm sanroot-pivot sanroot-boot
TOOLS     := $(foreach t,$(TOOLS_ALL),$(if $(wildcard cmd/$(t).c cmd/$(t)/*.c),$(t)))

# The libraries each tool links, beyond lib/: only what it uses.
LIBS.sanroot-config :=
LIBS.sanroot-net    := nl-route-3 nl-3
LIBS.sanroot-iscsi  := nettle blkid nl-3 devmapper
LIBS.sanroot-lvm    := devmapper blkid
LIBS.sanroot-pivot  := blkid
LIBS.sanroot-boot   :=
TEST_LIBS := nl-route-3 nl-3 nettle blkid devmapper

LIB_SRCS  := $(wildcard lib/*/*.c lib/*/*/*.c)
CMD_SHARED := cmd/tool.c cmd/plan_opts.c
tool_srcs = $(wildcard cmd/$(1).c cmd/$(1)/*.c) $(CMD_SHARED)

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wno-format-nonliteral -Wno-format-truncation -Wvla -Wimplicit-fallthrough
COMMON := -std=gnu11 -D_GNU_SOURCE -Ilib -MMD -MP $(WARN)

# Host --------------------------------------------------------------------
CC          ?= gcc
HOST_CFLAGS := $(COMMON) -O2 -g -I/usr/include/libnl3 $(CFLAGS)
HOST_LDFLAGS := $(LDFLAGS)

# Sanitizers, for the tests --------------------------------------------------
SAN         := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_CFLAGS := $(COMMON) -O1 -g $(SAN) -I/usr/include/libnl3 -DSANROOT_TEST

# Static musl ---------------------------------------------------------------
MUSLCC        := musl-gcc
DEPS_PREFIX   := $(DEPS)/prefix
STATIC_CFLAGS := $(COMMON) -Os -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	-idirafter $(DEPS)/kinc -I$(DEPS_PREFIX)/include -I$(DEPS_PREFIX)/include/libnl3
STATIC_LDFLAGS := -static -Wl,--gc-sections -s -L$(DEPS_PREFIX)/lib
DEPS_STAMPS   := $(addprefix $(DEPS)/.built-,nettle libblkid libnl libdevmapper)

# Fuzzing (clang, libFuzzer) -------------------------------------------------
CLANG       ?= clang
FUZZ_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Ilib -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	-I/usr/include/libnl3 -DSANROOT_TEST
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

UNIT_TESTS := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
# Static programs the VM tests put in their initramfs: tests/vm/NAME.c -> build/static/tests/NAME
VM_HELPERS := $(patsubst tests/vm/%.c,%,$(wildcard tests/vm/*.c))
# Programs the netns tests run: tests/net/NAME.c -> build/asan/net/NAME
NET_HELPERS := $(patsubst tests/net/%.c,%,$(wildcard tests/net/*.c))

# -----------------------------------------------------------------------------
.PHONY: all static deps check fuzz demo install deb clean distclean tests
.DELETE_ON_ERROR:
.SECONDEXPANSION:
.SECONDARY:

all: $(addprefix $(B)/host/bin/,$(TOOLS))

# $(1): flavour (host, asan, static), $(2): compiler, $(3): flags
define objrule
$(B)/$(1)/obj/%.o: %.c
	@mkdir -p $$(dir $$@)
	$(2) $(3) -c -o $$@ $$<
endef
$(eval $(call objrule,host,$(CC),$(HOST_CFLAGS)))
$(eval $(call objrule,asan,$(CC),$(ASAN_CFLAGS)))
$(eval $(call objrule,static,$(MUSLCC),$(STATIC_CFLAGS)))
$(eval $(call objrule,fuzz,$(CLANG),$(FUZZ_CFLAGS)))

objs = $(patsubst %.c,$(B)/$(1)/obj/%.o,$(2))

$(B)/%/libsanroot.a: $$(call objs,$$*,$(LIB_SRCS))
	@rm -f $@
	ar rcs $@ $^

# Tools: host and asan link the system's shared libraries, static links ours.
define toolrule
$(B)/host/bin/$(1): $(call objs,host,$(call tool_srcs,$(1))) $(B)/host/libsanroot.a
	@mkdir -p $$(dir $$@)
	$(CC) $(HOST_CFLAGS) $(HOST_LDFLAGS) -o $$@ $$^ $(addprefix -l,$(LIBS.$(1)))
$(B)/asan/bin/$(1): $(call objs,asan,$(call tool_srcs,$(1))) $(B)/asan/libsanroot.a
	@mkdir -p $$(dir $$@)
	$(CC) $(ASAN_CFLAGS) -o $$@ $$^ $(addprefix -l,$(LIBS.$(1)))
$(B)/static/bin/$(1): $(call objs,static,$(call tool_srcs,$(1))) $(B)/static/libsanroot.a
	@mkdir -p $$(dir $$@)
	$(MUSLCC) $(STATIC_CFLAGS) $(STATIC_LDFLAGS) -o $$@ $$^ $(addprefix -l,$(LIBS.$(1)))
endef
$(foreach t,$(TOOLS),$(eval $(call toolrule,$(t))))

$(call objs,static,$(LIB_SRCS) $(foreach t,$(TOOLS),$(call tool_srcs,$(t)))): | $(DEPS_STAMPS)

# The multi-call binary: every tool in one file, musl and the libraries once, for
# the initramfs. Each tool's main becomes main_<tool>; cmd/multicall.c picks one
# by the name it runs under (sanroot-config, switch_root, ...) or its first argument.
msym = main_$(subst -,_,$(1))
define multirule
$(B)/multi/obj/$(1)/%.o: %.c | $(DEPS_STAMPS)
	@mkdir -p $$(dir $$@)
	$(MUSLCC) $(STATIC_CFLAGS) -Wno-missing-prototypes -Dmain=$(call msym,$(1)) -c -o $$@ $$<
endef
$(foreach t,$(TOOLS),$(eval $(call multirule,$(t))))
MULTI_OBJS := $(foreach t,$(TOOLS),$(patsubst %.c,$(B)/multi/obj/$(t)/%.o,$(wildcard cmd/$(t).c cmd/$(t)/*.c)))
MULTI_LIBS := $(foreach l,nl-route-3 nl-3 nettle devmapper blkid,$(if $(filter $(l),$(foreach t,$(TOOLS),$(LIBS.$(t)))),$(l)))

$(B)/multi/tools.h: Makefile $(wildcard cmd/sanroot-*.c cmd/sanroot-*/*.c)
	@mkdir -p $(dir $@)
	@{ $(foreach t,$(TOOLS),echo 'int $(call msym,$(t))(int, char **);';) \
	   echo '#define SANROOT_TOOLS \'; \
	   $(foreach t,$(TOOLS),echo '	{ "$(t)", $(call msym,$(t)) }, \';) \
	   echo; } >$@

$(B)/static/bin/sanroot: cmd/multicall.c $(B)/multi/tools.h $(MULTI_OBJS) \
		$(call objs,static,$(CMD_SHARED)) $(B)/static/libsanroot.a
	@mkdir -p $(dir $@)
	$(MUSLCC) $(STATIC_CFLAGS) -I$(B)/multi $(STATIC_LDFLAGS) -o $@ cmd/multicall.c $(MULTI_OBJS) \
		$(call objs,static,$(CMD_SHARED)) $(B)/static/libsanroot.a $(addprefix -l,$(MULTI_LIBS))

static: $(addprefix $(B)/static/bin/,$(TOOLS) sanroot)
	@scripts/sizes.sh $(B)/static/bin $(TOOLS) sanroot

$(DEPS_STAMPS):
	scripts/deps.sh $(DEPS)

deps:
	scripts/deps.sh $(DEPS)

# Tests -----------------------------------------------------------------------
$(B)/asan/tests/%: tests/unit/%.c tests/unit/t.h $(B)/asan/libsanroot.a
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -Wno-missing-field-initializers -Itests/unit -o $@ $< $(B)/asan/libsanroot.a $(addprefix -l,$(TEST_LIBS))

$(B)/asan/replay/%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(B)/asan/libsanroot.a
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -o $@ $< tests/fuzz/replay.c $(B)/asan/libsanroot.a $(addprefix -l,$(TEST_LIBS))

$(B)/asan/net/%: tests/net/%.c $(B)/asan/libsanroot.a
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -o $@ $< $(B)/asan/libsanroot.a

$(B)/static/tests/%: tests/vm/%.c $(B)/static/libsanroot.a | $(DEPS_STAMPS)
	@mkdir -p $(dir $@)
	$(MUSLCC) $(STATIC_CFLAGS) $(STATIC_LDFLAGS) -o $@ $< $(B)/static/libsanroot.a \
		$(addprefix -l,$(TEST_LIBS))

tests: all $(addprefix $(B)/asan/bin/,$(TOOLS)) $(addprefix $(B)/asan/tests/,$(UNIT_TESTS)) \
	$(addprefix $(B)/asan/replay/,$(FUZZ_TARGETS)) $(addprefix $(B)/asan/net/,$(NET_HELPERS)) \
	$(addprefix $(B)/static/bin/,$(TOOLS)) $(addprefix $(B)/static/tests/,$(VM_HELPERS))

check: tests static
	@B=$(B) DEPS=$(DEPS) tests/run

fuzz: $(addprefix $(B)/fuzz/fuzz-,$(FUZZ_TARGETS))

$(B)/fuzz/fuzz-%: tests/fuzz/fuzz_%.c $(call objs,fuzz,$(LIB_SRCS))
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(addprefix -l,$(TEST_LIBS))

VARIANT ?= itools
demo:
	@VARIANT=$(VARIANT) scripts/demo.sh

# Install ---------------------------------------------------------------------
# The tools go in as links to the multi-call binary, as they go into the images.
# hooks/ (sourced, not run) is where both generators' scripts find the shared
# policy: PREFIX/share/sanroot/hooks (they look in /usr and /usr/local, or
# SANROOT_HOOKS).
ITOOLS := $(PREFIX)/share/initramfs-tools
DRACUT := $(PREFIX)/lib/dracut/modules.d/95sanroot
DRACUTCONF := $(PREFIX)/lib/dracut/dracut.conf.d
HOOKS  := $(PREFIX)/share/sanroot/hooks
install: static
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(HOOKS) \
		$(DESTDIR)$(ITOOLS)/hooks $(DESTDIR)$(ITOOLS)/scripts/local-top $(DESTDIR)$(DRACUT) \
		$(DESTDIR)$(DRACUTCONF)
	install -m 0755 $(B)/static/bin/sanroot $(DESTDIR)$(PREFIX)/sbin/sanroot
	for t in $(TOOLS); do ln -sf sanroot $(DESTDIR)$(PREFIX)/sbin/$$t; done
	install -m 0644 $(wildcard doc/*.8) $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 0644 $(wildcard hooks/*.sh) $(DESTDIR)$(HOOKS)/
	install -m 0755 initramfs-tools/hooks/sanroot $(DESTDIR)$(ITOOLS)/hooks/sanroot
	install -m 0755 initramfs-tools/scripts/local-top/sanroot $(DESTDIR)$(ITOOLS)/scripts/local-top/sanroot
	install -m 0755 $(wildcard dracut/95sanroot/*.sh) $(DESTDIR)$(DRACUT)/
	install -m 0644 dracut/sanroot.conf $(DESTDIR)$(DRACUTCONF)/99-sanroot.conf

# The Debian package: dpkg-buildpackage (debian/rules runs make static and
# make install), its results moved from the parent directory to build/deb.
deb:
	@scripts/deb.sh

clean:
	rm -rf $(B)/host $(B)/asan $(B)/static $(B)/fuzz $(B)/tests

distclean:
	rm -rf $(B)

-include $(shell find $(B)/host $(B)/asan $(B)/static $(B)/multi $(B)/fuzz -type f -name '*.d' 2>/dev/null)
