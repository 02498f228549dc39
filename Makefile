# SPDX-License-Identifier: GPL-2.0
#
# cbu: Certificate-based Binding Update for Mobile IPv6.
#
#   make              kernel/cbu.ko (against KDIR), agent/cbu-agent, tools/cbuctl
#   make KDIR=<dir>   the module for another kernel's build tree
#   make deps         install what the project needs (tools/setup)
#   make check        every test: host unit tests, KUnit, kselftests in the VM
#                     on 6.1 and 6.12; last line "N passed, N failed"
#   make kunit        KUnit suites only;  make kselftest  kselftests only
#   make packages     build the Debian packages (debian/) and test them
#   make model        the Promela models, checked with spin (seconds)
#   make demo         boot the VM: an MN, its HA and a CN, narrated;
#                     SCENARIO=mobile-cn: two mobile nodes, both moving;
#                     SCENARIO=hmip: a local move under a MAP beside a
#                     plain one
#   make lint         checkpatch --strict and sparse on the module
#   make install      install the module (into KDIR's kernel) and install-userspace
#   make install-userspace  cbuctl, cbu-agent, its example configuration,
#                     systemd unit, manual, man pages, bash completion and
#                     the Wireshark dissector (PREFIX, DESTDIR,
#                     SYSTEMDUNITDIR, MANDIR, BASHCOMPDIR, WIRESHARK_PLUGINDIR)
#   make install-dkms the module's sources and dkms.conf in /usr/src/cbu-VERSION
#   make uninstall    remove what install put (the same variables);
#                     make uninstall-dkms, what install-dkms put
#
# CFLAGS, CPPFLAGS and LDFLAGS are honoured.  WERROR=1 (the default in a
# git checkout, where development happens) makes warnings errors; release
# trees and the Debian packages build with WERROR=0.
#
# Userspace objects go to build/<variant>/; SAN=1 builds the ASan/UBSan
# variant the tests use (build/san/cbuctl, build/san/cbu-agent).

CBU_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/cbu
export CBU_CACHE

# What `make deps` installs and writes is read when a recipe first needs
# it, never when make reads this file: `make deps demo` sets up and builds
# in one run.  $(call once,VAR,TEXT) defines VAR as TEXT, expanded at its
# first use and then kept.
once = $(eval $(1) = $$(eval $(1) := $(2))$$($(1)))

# The target kernels' releases, from the kernels.mk tools/setup writes:
# $(call kver,6.1) is CBU_KVER_6_1 (an assignment on the command line
# wins).
kver_var = CBU_KVER_$(subst .,_,$(1))
kver = $(or $($(kver_var)),$(shell sed -n \
	's/^$(kver_var) := //p' $(CBU_CACHE)/kernels.mk 2>/dev/null))

# The module builds against Debian 12's 6.1 once `make deps` has set it
# up, else against the running kernel.
KDIR ?= /lib/modules/$(or $(call kver,6.1),$(shell uname -r))/build
KERNELS ?= 6.1 6.12
VERSION := $(shell cat VERSION)

PKG_CONFIG ?= pkg-config
pkg = $(shell $(PKG_CONFIG) $(1) 2>/dev/null)
$(call once,LIBS_CFLAGS,$$(call pkg,--cflags libnl-genl-3.0 libsodium))
$(call once,LIBNL_LIBS,$$(call pkg,--libs libnl-genl-3.0))
$(call once,SODIUM_LIBS,$$(call pkg,--libs libsodium))

CFLAGS ?= -O2 -g
WERROR ?= $(if $(wildcard .git),1,0)
CBU_CFLAGS := -std=gnu11 -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) \
	-Wshadow -Wformat=2 \
	-Wno-format-nonliteral -D_FORTIFY_SOURCE=2 -fstack-protector-strong \
	-I. -Iuapi -Itools -DCBU_VERSION='"$(VERSION)"'

ifeq ($(SAN),)
O := build/release
CBUCTL := tools/cbuctl
AGENT := agent/cbu-agent
else
O := build/san
CBUCTL := $(O)/cbuctl
AGENT := $(O)/cbu-agent
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
CFLAGS := -O1 -g
CBU_CFLAGS := $(filter-out -D_FORTIFY_SOURCE=2,$(CBU_CFLAGS))
endif

# The userspace library: kernel/mh.c is the module's own MH parser.
LIB_SRCS := tools/lib/genl.c tools/lib/json_print.c tools/lib/crypto.c \
	tools/lib/msg.c tools/lib/pkt.c tools/lib/cert.c tools/lib/armor.c \
	tools/lib/family.c tools/lib/names.c tools/lib/rtnl.c \
	tools/lib/xfrm.c tools/lib/nd.c kernel/mh.c
CBUCTL_SRCS := tools/cbuctl.c tools/version.c tools/cert.c tools/key.c \
	tools/binding.c tools/stats.c tools/param.c tools/home.c tools/own.c \
	tools/map.c tools/monitor.c tools/agent.c $(LIB_SRCS)
AGENT_SRCS := agent/main.c agent/config.c agent/log.c agent/loop.c \
	agent/control.c agent/io.c agent/dp.c agent/role.c agent/mn.c \
	agent/ha.c agent/mcn_ha.c agent/mcn_mn.c agent/cn.c agent/cnx.c agent/rekey.c \
	agent/notify.c agent/limit.c agent/map.c agent/hm.c $(LIB_SRCS)

# Userspace unit tests: tools/testing/unit/<name>.c, linked with the library.
UNIT_TESTS := json_print_test mh_test msg_test crypto_test cert_test
UNIT_TESTS += config_test log_test notify_test limit_test rtnl_test nd_test
$(foreach t,$(UNIT_TESTS),$(eval UNIT_SRCS_$(t) := tools/testing/unit/$(t).c $(LIB_SRCS)))
UNIT_SRCS_config_test += agent/config.c agent/log.c
UNIT_SRCS_log_test += agent/log.c
UNIT_SRCS_notify_test += agent/notify.c
UNIT_SRCS_limit_test += agent/limit.c
# Test tools the selftests run (build/san/bin/<name>).
TEST_TOOLS := mh-send
UNIT_SRCS_mh-send := tools/testing/mh-send.c $(LIB_SRCS)
TEST_TOOLS += xfrm-test
UNIT_SRCS_xfrm-test := tools/testing/xfrm-test.c $(LIB_SRCS)
TEST_TOOLS += exch-send
UNIT_SRCS_exch-send := tools/testing/exch-send.c tools/testing/exch.c \
	$(LIB_SRCS)
TEST_TOOLS += exch-answer
UNIT_SRCS_exch-answer := tools/testing/exch-answer.c tools/testing/exch.c \
	$(LIB_SRCS)
TEST_TOOLS += mh-pcap
TEST_TOOLS += hmip-send
UNIT_SRCS_hmip-send := tools/testing/hmip-send.c $(LIB_SRCS)
TEST_TOOLS += ra-send
UNIT_SRCS_ra-send := tools/testing/ra-send.c tools/lib/nd.c
UNIT_SRCS_mh-pcap := tools/testing/mh-pcap.c $(LIB_SRCS)
# The loads and peers of the benchmarks (build/release/bin/<name>).
BENCH_TOOLS := cbu-flood cbu-ike-load cbu-ro-load cbu-rr cbu-move
UNIT_SRCS_cbu-flood := bench/flood.c $(LIB_SRCS)
UNIT_SRCS_cbu-ike-load := bench/ike-load.c bench/vici.c
UNIT_SRCS_cbu-ro-load := bench/ro-load.c $(LIB_SRCS)
UNIT_SRCS_cbu-rr := bench/rr.c bench/mhcap.c $(LIB_SRCS)
UNIT_SRCS_cbu-move := bench/move.c bench/mhcap.c $(LIB_SRCS)
# Return Routability's HMAC-SHA1 and SHA1, which libsodium does not have.
$(call once,LIBS_cbu-rr,$$(call pkg,--libs libcrypto))

# libFuzzer targets: tools/fuzz/<name>.c (clang), one per decoder.
FUZZERS := fuzz_mh fuzz_msg fuzz_cert fuzz_armor fuzz_family
FUZZERS += fuzz_config fuzz_mhcap fuzz_vici fuzz_rtnl fuzz_nd
# Sources a fuzzer needs beyond FUZZ_LIB_SRCS.
FUZZ_SRCS_fuzz_rtnl := tools/lib/rtnl.c
FUZZ_SRCS_fuzz_nd := tools/lib/nd.c
FUZZ_SRCS_fuzz_config := agent/config.c agent/log.c
FUZZ_SRCS_fuzz_mhcap := bench/mhcap.c
FUZZ_SRCS_fuzz_vici := bench/vici.c
FUZZ_CFLAGS = -std=gnu11 -g -O1 -I. -Iuapi -Itools $(LIBS_CFLAGS) \
	-DCBU_VERSION='"$(VERSION)"' -fsanitize=fuzzer,address,undefined
FUZZ_LIB_SRCS := tools/lib/crypto.c tools/lib/msg.c tools/lib/cert.c \
	tools/lib/armor.c tools/lib/family.c tools/lib/genl.c kernel/mh.c
FUZZ_SECONDS ?= 300

objs = $(patsubst %.c,$(O)/%.o,$(1))

# Quiet output like Kbuild's; V=1 shows the commands.
ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-7s %s\n'
endif

.PHONY: all module userspace cbuctl agent deps check unit kunit kselftest \
	demo lint install clean modules-test module-for shadow-tree \
	bench bench-build test-kernel test-module need-libs need-kernels \
	kunit-module unit-build fuzz fuzz-build print-fuzzers model umip \
	packages
.DELETE_ON_ERROR:
.SECONDEXPANSION:
# Unit test objects are not intermediates to delete.
.SECONDARY:

all: module userspace

userspace: $(CBUCTL) $(AGENT)
cbuctl: $(CBUCTL)
agent: $(AGENT)

$(O)/%.o: %.c | need-libs
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(CBU_CFLAGS) $(LIBS_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(SAN_FLAGS) \
		-MMD -MP -c $< -o $@

$(CBUCTL): $(call objs,$(CBUCTL_SRCS))
	$(quiet) LD $@
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LIBNL_LIBS) $(SODIUM_LIBS)

$(AGENT): $(call objs,$(AGENT_SRCS))
	$(quiet) LD $@
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LIBNL_LIBS) $(SODIUM_LIBS)

$(O)/tests/% $(O)/bin/%: $$(call objs,$$(UNIT_SRCS_$$*))
	@mkdir -p $(dir $@)
	$(quiet) LD $@
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LIBS_$*) \
		$(LIBNL_LIBS) $(SODIUM_LIBS)

build/fuzz/%: tools/fuzz/%.c $(FUZZ_LIB_SRCS) $$(FUZZ_SRCS_$$*) $(wildcard tools/lib/*.h kernel/*.h uapi/linux/*.h agent/*.h bench/*.h) | need-libs
	@mkdir -p $(dir $@)
	$(quiet) FUZZ $@
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_LIB_SRCS) $(FUZZ_SRCS_$*) \
		$(LIBNL_LIBS) $(SODIUM_LIBS)

fuzz-build: $(addprefix build/fuzz/,$(FUZZERS))

print-fuzzers:
	@echo $(FUZZERS)

# Each fuzzer for FUZZ_SECONDS (default 300) from its seed corpus.
fuzz: fuzz-build
	tools/testing/fuzz-run $(FUZZ_SECONDS) $(FUZZERS)

-include $(shell find build -name '*.d' 2>/dev/null)

# The module.  `make` builds it in place for KDIR; the tests build it once
# per target kernel in build/kernel/<release>/, a tree of links to the
# sources (Kbuild before 6.13 cannot put one source tree's objects in two
# places).
module:
	@test -d "$(KDIR)" || { echo "cbu: no kernel build tree at" \
		"KDIR=$(KDIR): run 'make deps', or pass KDIR=<kernel build dir>" >&2; \
		exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# The module's sources, as paths from the top: what shadow_tree links and
# install-dkms copies.
module_srcs = cd $(CURDIR) && find Kbuild VERSION kernel uapi -name '*.mod.c' \
	-prune -o \( -name Kbuild -o -name VERSION -o -name '*.[ch]' \) -print

define shadow_tree
	@mkdir -p $(1)
	@$(module_srcs) | while read -r f; do \
		mkdir -p "$(1)/$$(dirname $$f)"; \
		ln -sfn "$(CURDIR)/$$f" "$(1)/$$f"; done
endef


# shadow-tree SHADOW=<dir>: the link tree alone (used by tools/testing/lint).
shadow-tree:
	$(call shadow_tree,$(SHADOW))

modules-test: need-kernels
	@for k in $(filter-out test,$(KERNELS)); do \
		$(MAKE) --no-print-directory module-for KV=$$k || exit 1; done

module-for:
	$(call shadow_tree,$(CURDIR)/build/kernel/$(call kver,$(KV)))
	$(MAKE) -C /lib/modules/$(call kver,$(KV))/build \
		M=$(CURDIR)/build/kernel/$(call kver,$(KV)) W=1 modules

# The benchmarks: `make bench` runs bench/run on each target kernel.
bench-build: userspace
	$(MAKE) --no-print-directory $(addprefix build/release/bin/,$(BENCH_TOOLS))
	$(call shadow_tree,$(CURDIR)/build/bench/$(call kver,$(KV)))
	@mkdir -p $(CURDIR)/build/bench/$(call kver,$(KV))/bench
	@ln -sfn $(CURDIR)/bench/kmod/Kbuild \
		$(CURDIR)/build/bench/$(call kver,$(KV))/bench/Kbuild
	@ln -sfn $(CURDIR)/bench/kmod/cbu_bench.c \
		$(CURDIR)/build/bench/$(call kver,$(KV))/bench/bench.c
	@ln -sfn $(CURDIR)/kernel/hmac.c \
		$(CURDIR)/build/bench/$(call kver,$(KV))/bench/hmac.c
	@ln -sfn $(CURDIR)/kernel/mh.c \
		$(CURDIR)/build/bench/$(call kver,$(KV))/bench/mh.c
	$(MAKE) -C /lib/modules/$(call kver,$(KV))/build \
		M=$(CURDIR)/build/bench/$(call kver,$(KV))/bench modules

bench: need-kernels
	@for k in $(KERNELS); do bench/run $$k || exit 1; done

# The test kernel: x86_64 with KUnit and the kernel's checkers, built once
# from linux-source-6.1 (tools/testing/kernel/build-kernel).
test-kernel: need-kernels
	tools/testing/kernel/build-kernel >/dev/null

kunit-module: test-kernel
	$(call shadow_tree,$(CURDIR)/build/kernel/kunit)
	@rm -f $(CURDIR)/build/kernel/kunit/kernel/cbu.ko
	$(MAKE) -C $$(tools/testing/kernel/build-kernel --print-dir)/build \
		M=$(CURDIR)/build/kernel/kunit CBU_KUNIT=y W=1 modules

# The module the kselftests load on the test kernel (no KUnit suites).
test-module: test-kernel
	$(call shadow_tree,$(CURDIR)/build/kernel/test)
	@rm -f $(CURDIR)/build/kernel/test/kernel/cbu.ko
	$(MAKE) -C $$(tools/testing/kernel/build-kernel --print-dir)/build \
		M=$(CURDIR)/build/kernel/test W=1 modules

unit-build:
	$(MAKE) SAN=1 userspace $(addprefix build/san/tests/,$(UNIT_TESTS)) \
		$(addprefix build/san/bin/,$(TEST_TOOLS))
	$(MAKE) fuzz-build

deps:
	tools/setup

# UMIP's mip6d, the interop peer of selftests/cbu_umip.sh: built once
# into the cache from tools/testing/interop/ (build-umip).
umip: $(filter deps,$(MAKECMDGOALS))
	@tools/testing/interop/build-umip >/dev/null

# What a target needs from `make deps`, checked first, said in one line.
# In `make deps TARGET` (even with -j), deps runs before the checks.
need-libs: $(filter deps,$(MAKECMDGOALS))
	@$(PKG_CONFIG) --exists libnl-genl-3.0 libsodium 2>/dev/null || { \
		echo "cbu: libnl-genl-3 and libsodium not found: run 'make deps'" \
		"(or apt-get install pkg-config libnl-genl-3-dev libsodium-dev)" >&2; \
		exit 1; }

need-kernels: $(filter deps,$(MAKECMDGOALS))
	@test -n "$(call kver,6.1)" -a -n "$(call kver,6.12)" || { \
		echo "cbu: the test kernels are not set up: run 'make deps'" >&2; \
		exit 1; }

# The test kernel and the modules built against it are built by run-tests
# in the background, while the stages that do not need them run
# (CBU_BUILD_TEST_KERNEL).  One that does not build stops no other stage:
# the report names every KUnit case as not run, and why.  Nor does UMIP's
# mip6d: cbu_umip.sh then fails, naming it.
check: need-kernels userspace unit-build modules-test
	-$(MAKE) --no-print-directory umip
	CBU_CHECK=1 CBU_BUILD_TEST_KERNEL=1 \
		tools/testing/run-tests --kernels "$(KERNELS) test"

unit: unit-build
	tools/testing/run-tests --only unit

kunit: kunit-module
	tools/testing/run-tests --only kunit

model:
	tools/testing/run-tests --only model

# cbu and cbu-dkms in build/packages/, DKMS on both kernels, one guest.
packages: need-kernels
	tools/testing/run-tests --only packages

# KERNELS="6.1 6.12 test": the test kernel's run is asked for by name.
kselftest: need-kernels userspace unit-build modules-test
	-$(MAKE) --no-print-directory umip
	$(if $(filter test,$(KERNELS)),$(MAKE) --no-print-directory test-module)
	tools/testing/run-tests --only kselftest --kernels "$(KERNELS)"

# SCENARIO: basic (tools/demo), mobile-cn (tools/demo-mobile-cn) or hmip
# (tools/demo-hmip).
SCENARIO ?= basic
DEMO_basic := tools/demo
DEMO_mobile-cn := tools/demo-mobile-cn
DEMO_hmip := tools/demo-hmip

demo: need-kernels userspace
	$(if $(DEMO_$(SCENARIO)),,$(error SCENARIO=$(SCENARIO): one of basic, mobile-cn, hmip))
	$(MAKE) --no-print-directory module-for KV=6.1
	tools/testing/vm/vm-run -k 6.1 \
		-e CBU_KO=$(CURDIR)/build/kernel/$(call kver,6.1)/kernel/cbu.ko \
		-e CBUCTL=$(CURDIR)/$(CBUCTL) \
		-e CBU_AGENT=$(CURDIR)/$(AGENT) -- $(DEMO_$(SCENARIO))

lint: need-kernels userspace
	tools/testing/lint

# install: the module into KDIR's kernel (under DESTDIR if given), then
# install-userspace, which needs no kernel tree: cbuctl and cbu-agent in
# SBINDIR (as iproute2's ip), the example configuration beside where the
# real one goes (never over it), the systemd unit, the agent's manual, the
# man pages, cbuctl's bash completion and the Wireshark dissector.
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
SYSTEMDUNITDIR ?= /lib/systemd/system
DOCDIR ?= $(PREFIX)/share/doc/cbu
MANDIR ?= $(PREFIX)/share/man
MAN5 := Documentation/man/cbu-agent.conf.5
MAN8 := Documentation/man/cbuctl.8 Documentation/man/cbu-agent.8
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# Wireshark's global Lua plugin folder, as the installed Wireshark names it
# (Debian: /usr/lib/<multiarch>/wireshark/plugins); without one, where
# Debian's would be.  Wireshark reads no folder under PREFIX.
WIRESHARK_PLUGINDIR ?= $(or $(shell tshark -G folders 2>/dev/null | \
	sed -n 's/^Global Lua Plugins:[[:space:]]*//p'),/usr/lib/$(shell \
	$(CC) -print-multiarch 2>/dev/null)/wireshark/plugins)

# The module goes to updates/kernel/ (6.1's default for an external module
# is extra/, 6.12's updates/): uninstall finds it there on either.
INSTALL_MOD_DIR ?= updates
# The release modules_install installs for (Debian 6.1 headers' own
# include/config/kernel.release is upstream's 6.1.N).
KRELEASE = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
DKMSDIR ?= /usr/src/cbu-$(VERSION)

.PHONY: install-module install-userspace install-dkms uninstall \
	uninstall-module uninstall-userspace uninstall-dkms

install: install-module install-userspace

install-module: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) \
		INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) modules_install

# The sources DKMS builds the module from, for every kernel installed
# (dkms.conf; the cbu-dkms package installs these).
install-dkms:
	@$(module_srcs) | while read -r f; do \
		install -D -m 0644 "$$f" "$(DESTDIR)$(DKMSDIR)/$$f" || exit 1; done
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf >$(DESTDIR)$(DKMSDIR)/dkms.conf

install-userspace: userspace
	install -D -m 0755 $(CBUCTL) $(DESTDIR)$(SBINDIR)/cbuctl
	install -D -m 0755 $(AGENT) $(DESTDIR)$(SBINDIR)/cbu-agent
	test -d $(DESTDIR)$(SYSCONFDIR)/cbu || \
		install -d -m 0700 $(DESTDIR)$(SYSCONFDIR)/cbu
	install -m 0644 agent/cbu-agent.conf.example \
		$(DESTDIR)$(SYSCONFDIR)/cbu/cbu-agent.conf.example
	@mkdir -p $(O)
	for u in cbu-agent.service cbu-agent@.service; do \
		sed -e 's|/usr/sbin/|$(SBINDIR)/|g' \
			-e 's|/etc/cbu/|$(SYSCONFDIR)/cbu/|g' \
			-e 's|/usr/share/doc/cbu/|$(DOCDIR)/|g' \
			agent/$$u >$(O)/$$u && \
		install -D -m 0644 $(O)/$$u $(DESTDIR)$(SYSTEMDUNITDIR)/$$u || \
		exit 1; \
	done
	install -D -m 0644 Documentation/agent.md $(DESTDIR)$(DOCDIR)/agent.md
	install -d $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	install -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/
	install -D -m 0644 tools/completion/cbuctl \
		$(DESTDIR)$(BASHCOMPDIR)/cbuctl
	install -D -m 0644 tools/wireshark/cbu.lua \
		$(DESTDIR)$(WIRESHARK_PLUGINDIR)/cbu.lua

uninstall: uninstall-module uninstall-userspace

uninstall-module:
	@test -n "$(KRELEASE)" || { echo "cbu: no kernel build tree at" \
		"KDIR=$(KDIR): pass the KDIR the module was installed with" >&2; \
		exit 1; }
	rm -f $(foreach z,ko ko.xz ko.zst ko.gz,\
		$(DESTDIR)/lib/modules/$(KRELEASE)/$(INSTALL_MOD_DIR)/kernel/cbu.$(z))
	$(if $(DESTDIR),,depmod -a $(KRELEASE))

# What install-dkms put, once `dkms remove cbu/VERSION --all` has run.
uninstall-dkms:
	test ! -f $(DESTDIR)$(DKMSDIR)/dkms.conf || rm -r $(DESTDIR)$(DKMSDIR)

# The configuration directory goes only if empty: it holds keys.
uninstall-userspace:
	rm -f $(DESTDIR)$(SBINDIR)/cbuctl $(DESTDIR)$(SBINDIR)/cbu-agent \
		$(DESTDIR)$(SYSCONFDIR)/cbu/cbu-agent.conf.example \
		$(DESTDIR)$(SYSTEMDUNITDIR)/cbu-agent.service \
		$(DESTDIR)$(SYSTEMDUNITDIR)/cbu-agent@.service \
		$(DESTDIR)$(DOCDIR)/agent.md \
		$(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5))) \
		$(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(MAN8))) \
		$(DESTDIR)$(BASHCOMPDIR)/cbuctl \
		$(DESTDIR)$(WIRESHARK_PLUGINDIR)/cbu.lua
	rmdir $(DESTDIR)$(SYSCONFDIR)/cbu $(DESTDIR)$(DOCDIR) 2>/dev/null || true

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -rf build $(CBUCTL) $(AGENT) tools/cbuctl agent/cbu-agent
