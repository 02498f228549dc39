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
#   make demo         boot the VM and show cbu.ko and cbuctl talking
#   make lint         checkpatch --strict and sparse on the module
#   make install      install the module (into KDIR's kernel) and binaries
#
# Userspace objects go to build/<variant>/; SAN=1 builds the ASan/UBSan
# variant the tests use (build/san/cbuctl, build/san/cbu-agent).

CBU_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/cbu
export CBU_CACHE
-include $(CBU_CACHE)/kernels.mk

KDIR ?= /lib/modules/$(CBU_KVER_6_1)/build
KERNELS ?= 6.1 6.12
VERSION := $(shell cat VERSION)

PKG_CONFIG ?= pkg-config
LIBS_CFLAGS := $(shell $(PKG_CONFIG) --cflags libnl-genl-3.0 libsodium 2>/dev/null)
LIBNL_LIBS := $(shell $(PKG_CONFIG) --libs libnl-genl-3.0 2>/dev/null)
SODIUM_LIBS := $(shell $(PKG_CONFIG) --libs libsodium 2>/dev/null)

CFLAGS ?= -O2 -g
CBU_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wformat=2 \
	-Wno-format-nonliteral -D_FORTIFY_SOURCE=2 -fstack-protector-strong \
	-Iuapi -Itools -DCBU_VERSION='"$(VERSION)"' $(LIBS_CFLAGS)

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

LIB_SRCS := tools/lib/genl.c tools/lib/json_print.c
CBUCTL_SRCS := tools/cbuctl.c tools/version.c $(LIB_SRCS)
AGENT_SRCS := agent/cbu-agent.c $(LIB_SRCS)
UNIT_TESTS := json_print_test
UNIT_SRCS_json_print_test := tools/testing/unit/json_print_test.c \
	tools/lib/json_print.c

objs = $(patsubst %.c,$(O)/%.o,$(1))

.PHONY: all module userspace cbuctl agent deps check unit kunit kselftest \
	demo lint install clean modules-test module-for shadow-tree kunit-kernel \
	kunit-module unit-build
.DELETE_ON_ERROR:
.SECONDEXPANSION:

all: module userspace

userspace: $(CBUCTL) $(AGENT)
cbuctl: $(CBUCTL)
agent: $(AGENT)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CBU_CFLAGS) $(CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

$(CBUCTL): $(call objs,$(CBUCTL_SRCS))
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LIBNL_LIBS)

$(AGENT): $(call objs,$(AGENT_SRCS))
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LIBNL_LIBS) $(SODIUM_LIBS)

$(O)/tests/%: $$(call objs,$$(UNIT_SRCS_$$*))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LIBNL_LIBS) $(SODIUM_LIBS)

-include $(shell find build -name '*.d' 2>/dev/null)

# The module.  `make` builds it in place for KDIR; the tests build it once
# per target kernel in build/kernel/<release>/, a tree of links to the
# sources (Kbuild before 6.13 cannot put one source tree's objects in two
# places).
module:
	@test -d "$(KDIR)" || { echo "No kernel build tree at KDIR=$(KDIR):" \
		"run 'make deps' or pass KDIR=/lib/modules/<release>/build" >&2; \
		exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

define shadow_tree
	@mkdir -p $(1)
	@cd $(CURDIR) && find Kbuild VERSION kernel uapi -name '*.mod.c' -prune \
		-o \( -name Kbuild -o -name VERSION -o -name '*.[ch]' \) -print | \
		while read -r f; do \
		mkdir -p "$(1)/$$(dirname $$f)"; \
		ln -sfn "$(CURDIR)/$$f" "$(1)/$$f"; done
endef

kver = $(CBU_KVER_$(subst .,_,$(1)))

# shadow-tree SHADOW=<dir>: the link tree alone (used by tools/testing/lint).
shadow-tree:
	$(call shadow_tree,$(SHADOW))

modules-test:
	@for k in $(KERNELS); do \
		$(MAKE) --no-print-directory module-for KV=$$k || exit 1; done

module-for:
	$(call shadow_tree,$(CURDIR)/build/kernel/$(call kver,$(KV)))
	$(MAKE) -C /lib/modules/$(call kver,$(KV))/build \
		M=$(CURDIR)/build/kernel/$(call kver,$(KV)) W=1 modules

kunit-kernel:
	tools/testing/kunit/build-kernel >/dev/null

# The KUnit kernel is User Mode Linux (tools/testing/kunit/build-kernel).
kunit-module: kunit-kernel
	$(call shadow_tree,$(CURDIR)/build/kernel/kunit)
	$(MAKE) ARCH=um -C $$(tools/testing/kunit/build-kernel --print-dir)/build \
		M=$(CURDIR)/build/kernel/kunit CBU_KUNIT=y W=1 modules

unit-build:
	$(MAKE) SAN=1 userspace $(addprefix build/san/tests/,$(UNIT_TESTS))

deps:
	tools/setup

check: unit-build modules-test kunit-module
	tools/testing/run-tests --kernels "$(KERNELS)"

unit: unit-build
	tools/testing/run-tests --only unit

kunit: kunit-module
	tools/testing/run-tests --only kunit

kselftest: unit-build modules-test
	tools/testing/run-tests --only kselftest --kernels "$(KERNELS)"

demo: userspace
	$(MAKE) --no-print-directory module-for KV=6.1
	tools/testing/vm/vm-run -k 6.1 \
		-e CBU_KO=$(CURDIR)/build/kernel/$(CBU_KVER_6_1)/kernel/cbu.ko \
		-e CBUCTL=$(CURDIR)/$(CBUCTL) -- tools/demo

lint:
	tools/testing/lint

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	install -D -m 0755 $(CBUCTL) $(DESTDIR)/usr/local/sbin/cbuctl
	install -D -m 0755 $(AGENT) $(DESTDIR)/usr/local/sbin/cbu-agent

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -rf build $(CBUCTL) $(AGENT) tools/cbuctl agent/cbu-agent
