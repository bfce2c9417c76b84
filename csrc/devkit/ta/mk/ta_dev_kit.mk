# SPDX-License-Identifier: BSD-2-Clause
#
# pytee host TA dev kit.
#
# Included by the Makefile of an OP-TEE-shaped TA folder:
#
#     BINARY = <uuid>
#     -include $(TA_DEV_KIT_DIR)/mk/ta_dev_kit.mk
#
# and run as  make -C <ta folder> TA_DEV_KIT_DIR=<dev kit> [O=<out>] [V=1].
# It reads the folder's sub.mk (and the sub.mk of every subdirs-y entry),
# compiles every source plus $(TA_DEV_KIT_DIR)/src/user_ta_header.c and
# links $(O)/<BINARY>.ta.so, a shared object the pytee TA host loads.
#
# As with OP-TEE's dev kit, sources see only the TA libc subset: they are
# compiled with -nostdinc against $(TA_DEV_KIT_DIR)/libc/include (the libc
# headers OP-TEE gives TAs, declaring what OP-TEE's declare) and the
# compiler's own headers (stddef.h, stdarg.h, stdbool.h, ...), and the
# linked TA is checked by libc/check_symbols.sh to need no C library
# symbol beyond libc/symbols.txt and what libtee.so defines.
#
# Variables read (as OP-TEE's dev kit reads them):
#   BINARY | LIBNAME | SHLIBNAME   exactly one; SHLIBNAME is not supported
#   O                      output folder, default "." (objects go below it)
#   V=1                    print whole commands
#   NM                     nm used by the link check, default "nm"
#   CFG_TEE_TA_LOG_LEVEL   0..4, default 2; becomes -DTRACE_LEVEL=<n>
#   CFLAGS, CFLAGS64       extra compiler flags for every source
#   LDADD                  extra link inputs
#   libnames, libdirs, libdeps  extra libraries (-l, -L, prerequisites)
#   CFG_TA_OPTEE_CORE_API_COMPAT_1_1=y  the GP v1.1 API: refused by the
#                          headers with a clear message (v1.3.1 only)
#   CFG_PYTEE_TUI          y (default) or n: whether TA sources see
#                          -DCFG_PYTEE_TUI=1, which says the GP Trusted UI
#                          API (<tee_tui_api.h>) is there (docs/tui.md).
#                          OP-TEE's dev kit never defines it, so a TA calls
#                          the TUI under #ifdef CFG_PYTEE_TUI and takes its
#                          fallback elsewhere; n builds that fallback here.
# OP-TEE-only variables (CROSS_COMPILE, CROSS_COMPILE32, PLATFORM, PYTHON3,
# TA_SIGN_KEY, CFG_TA_VERSION, CFLAGS32, ...) are accepted and ignored.
#
# sub.mk variables: srcs-y, subdirs-y, global-incdirs-y, incdirs-y,
# cflags-y, cflags-remove-y, cppflags-y, aflags-y and the per-file forms
# cflags-<file>-y, cflags-remove-<file>-y, cppflags-<file>-y,
# aflags-<file>-y.  Paths in a sub.mk are relative to its folder.
#
# Needs GNU make 4.0 or later.

# The default goal, whatever the including Makefile defines after us.
.PHONY: all clean
all:

# ---- where things are ------------------------------------------------------

ifeq ($(strip $(TA_DEV_KIT_DIR)),)
TA_DEV_KIT_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
endif
ta-kit := $(patsubst %/,%,$(TA_DEV_KIT_DIR))

ta-kinds := $(if $(strip $(BINARY)),BINARY) $(if $(strip $(LIBNAME)),LIBNAME) \
	$(if $(strip $(SHLIBNAME)),SHLIBNAME)
ifneq ($(words $(ta-kinds)),1)
$(error exactly one of BINARY, LIBNAME or SHLIBNAME must be set (set: $(or $(strip $(ta-kinds)),none)))
endif
ifneq ($(strip $(SHLIBNAME)),)
$(error SHLIBNAME (a TA shared library) is not supported by the pytee host dev kit; build a static library with LIBNAME instead)
endif

ta-out := $(patsubst %/,%,$(or $(strip $(O)),.))

ifneq ($(strip $(BINARY)),)
ta-name := $(strip $(BINARY))
ta-target := $(ta-out)/$(ta-name).ta.so
else
ta-name := lib$(strip $(LIBNAME))
ta-target := $(ta-out)/$(ta-name).a
endif

# Objects of each target get a folder of their own below $(O), so that
# several TAs can share one output folder.
ta-objdir := $(ta-out)/$(ta-name).objs
ta-sig-file := $(ta-objdir)/.flags

ifeq ($(V),1)
q :=
ta-echo = @:
else
q := @
ta-echo = @printf '  %-7s %s\n' '$1' '$2'
endif

# ---- reading sub.mk files --------------------------------------------------

# $(call ta-join,<dir>,<paths>): paths of a sub.mk in <dir>, relative to the
# TA folder (absolute paths are kept).
ta-join = $(foreach p,$2,$(if $(filter /%,$p),$p,$(subst /./,/,$(patsubst ./%,%,$1/$p))))

ta-srcs :=
ta-global-incdirs :=

# $(call ta-read-file,<dir>,<file as written in srcs-y>)
define ta-read-file
ta-srcs += $(call ta-join,$1,$2)
ta-dir-of-$(call ta-join,$1,$2) := $1
ta-cflags-of-$(call ta-join,$1,$2) := $$(cflags-$2-y)
ta-cflags-remove-of-$(call ta-join,$1,$2) := $$(cflags-remove-$2-y)
ta-cppflags-of-$(call ta-join,$1,$2) := $$(cppflags-$2-y)
ta-aflags-of-$(call ta-join,$1,$2) := $$(aflags-$2-y)
undefine cflags-$2-y
undefine cflags-remove-$2-y
undefine cppflags-$2-y
undefine aflags-$2-y
endef

# $(call ta-read-dir,<dir>): read <dir>/sub.mk, then its subdirs-y.
define ta-read-dir
$$(if $$(wildcard $1/sub.mk),,$$(error $1/sub.mk not found (a TA folder needs a sub.mk)))
sub-dir := $1
srcs-y :=
subdirs-y :=
global-incdirs-y :=
incdirs-y :=
cflags-y :=
cflags-remove-y :=
cppflags-y :=
aflags-y :=
include $1/sub.mk
ta-global-incdirs += $$(call ta-join,$1,$$(global-incdirs-y))
ta-dir-incdirs-$1 := $$(call ta-join,$1,$$(incdirs-y))
ta-dir-cflags-$1 := $$(cflags-y)
ta-dir-cflags-remove-$1 := $$(cflags-remove-y)
ta-dir-cppflags-$1 := $$(cppflags-y)
ta-dir-aflags-$1 := $$(aflags-y)
ta-subdirs-$1 := $$(call ta-join,$1,$$(subdirs-y))
$$(foreach s,$$(srcs-y),$$(eval $$(call ta-read-file,$1,$$(s))))
$$(foreach d,$$(ta-subdirs-$1),$$(eval $$(call ta-read-dir,$$(d))))
endef

$(eval $(call ta-read-dir,.))

ifeq ($(strip $(ta-srcs)),)
$(error sub.mk lists no sources (srcs-y))
endif

# ---- flags -------------------------------------------------------------------

CFG_TEE_TA_LOG_LEVEL ?= 2

ta-base-cflags := -std=gnu11 -fPIC -fvisibility=default -Wall -O2 -g
ta-base-cppflags := -DTRACE_LEVEL=$(CFG_TEE_TA_LOG_LEVEL) \
	-DCFG_TEE_TA_LOG_LEVEL=$(CFG_TEE_TA_LOG_LEVEL)
# The GP v1.1 API: <tee_internal_api.h> stops the build with a clear
# message, since pytee provides v1.3.1 only.
ifeq ($(CFG_TA_OPTEE_CORE_API_COMPAT_1_1),y)
ta-base-cppflags += -D__OPTEE_CORE_API_COMPAT_1_1=1
endif
# The Trusted UI, which OP-TEE lacks: TAs test the macro, not the TEE.
CFG_PYTEE_TUI ?= y
ifeq ($(CFG_PYTEE_TUI),y)
ta-base-cppflags += -DCFG_PYTEE_TUI=1
else ifneq ($(CFG_PYTEE_TUI),n)
$(error CFG_PYTEE_TUI must be y or n, not "$(CFG_PYTEE_TUI)")
endif
# The compiler's own headers, asked of the compiler as OP-TEE's build does.
ta-cc-include := $(shell $(CC) -print-file-name=include 2>/dev/null)
ifneq ($(filter-out clean,$(or $(MAKECMDGOALS),all)),)
ifeq ($(filter /%,$(ta-cc-include)),)
$(error $(CC) does not name its include folder ($(CC) -print-file-name=include gave "$(ta-cc-include)"))
endif
endif
ta-libc-incdirs := -nostdinc -isystem $(ta-kit)/libc/include \
	-isystem $(ta-cc-include)
ta-kit-incdirs := -I. $(addprefix -I,$(ta-global-incdirs)) -I$(ta-kit)/include \
	$(ta-libc-incdirs)

# $(call ta-flags,<source>): the whole compile command line but for -c/-o.
ta-flags = $(strip \
	$(filter-out $(ta-dir-cflags-remove-$(ta-dir-of-$1)) $(ta-cflags-remove-of-$1), \
		$(ta-base-cflags) $(CFLAGS) $(CFLAGS64) \
		$(ta-dir-cflags-$(ta-dir-of-$1)) $(ta-cflags-of-$1) \
		$(if $(filter %.S,$1),$(ta-dir-aflags-$(ta-dir-of-$1)) $(ta-aflags-of-$1))) \
	$(ta-base-cppflags) $(ta-dir-cppflags-$(ta-dir-of-$1)) $(ta-cppflags-of-$1) \
	$(addprefix -I,$(ta-dir-incdirs-$(ta-dir-of-$1))) $(ta-kit-incdirs))

# Where the object of a source goes: below $(ta-objdir), with ".." turned
# into "__" so that sources outside the TA folder stay below it too.
ta-obj = $(ta-objdir)/$(basename $(subst ../,__/,$(patsubst /%,_abs/%,$1))).o

ta-bad-srcs := $(filter-out %.c %.S,$(ta-srcs))
ifneq ($(ta-bad-srcs),)
$(error the host dev kit builds .c and .S sources only, not: $(ta-bad-srcs))
endif

ta-objs := $(foreach s,$(ta-srcs),$(call ta-obj,$s))

# The TA header: the dev kit's user_ta_header.c, which includes the TA's
# user_ta_header_defines.h (found through -I. and the global include dirs).
ta-header-src := $(ta-kit)/src/user_ta_header.c
ta-header-obj := $(ta-objdir)/_devkit/user_ta_header.o
ta-header-flags := $(strip $(ta-base-cflags) $(CFLAGS) $(CFLAGS64) \
	$(ta-base-cppflags) $(ta-kit-incdirs))

ta-link-flags := $(strip -shared -Wl,-z,defs $(LDADD) \
	$(addprefix -L,$(libdirs)) $(addprefix -l,$(libnames)) \
	-L$(ta-kit)/lib -ltee -lc)

# The link-time check of the TA libc subset, and what it reads.
ta-nm := $(or $(NM),nm)
ta-libc-check := $(ta-kit)/libc/check_symbols.sh
ta-libc-symbols := $(ta-kit)/libc/symbols.txt

# Rebuild everything when the compiler or any flag changes.
ta-sig := $(strip $(CC) $(AR) | $(foreach s,$(ta-srcs),$s: $(call ta-flags,$s) |) \
	$(ta-header-flags) | $(ta-link-flags))
ifneq ($(filter-out clean,$(or $(MAKECMDGOALS),all)),)
ifneq ($(strip $(shell cat '$(ta-sig-file)' 2>/dev/null)),$(ta-sig))
$(shell mkdir -p '$(ta-objdir)')
$(file >$(ta-sig-file),$(ta-sig))
endif
endif

# ---- rules -------------------------------------------------------------------

# $(call ta-compile-rule,<source>)
define ta-compile-rule
$(call ta-obj,$1): $1 $(ta-sig-file)
	@mkdir -p $$(@D)
	$$(call ta-echo,CC,$1)
	$(q)$(CC) $(call ta-flags,$1) -MMD -MP -MF $$(@:.o=.d) -c $1 -o $$@
endef
$(foreach s,$(ta-srcs),$(eval $(call ta-compile-rule,$s)))

# Normally written while the makefile is read (above); this only keeps make
# from failing when it is missing.
$(ta-sig-file):
	@mkdir -p $(@D)
	@touch $@

ifneq ($(strip $(BINARY)),)
$(ta-header-obj): $(ta-header-src) $(ta-sig-file)
	@mkdir -p $(@D)
	$(call ta-echo,CC,$(ta-header-src))
	$(q)$(CC) $(ta-header-flags) -MMD -MP -MF $(@:.o=.d) -c $< -o $@

# Linked to a temporary name and renamed once the check passes, so that a
# TA using a symbol outside the subset leaves no .ta.so behind.
$(ta-target): $(ta-objs) $(ta-header-obj) $(libdeps) $(ta-sig-file) \
		$(ta-libc-check) $(ta-libc-symbols)
	@mkdir -p $(@D)
	$(call ta-echo,LD,$@)
	$(q)$(CC) -o $@.tmp $(ta-objs) $(ta-header-obj) $(ta-link-flags)
	$(q)$(SHELL) $(ta-libc-check) '$(ta-nm)' $(ta-libc-symbols) \
		$(ta-kit)/lib/libtee.so $@.tmp $(ta-objs) \
		$(filter %.o %.a,$(LDADD) $(libdeps)) || { rm -f $@.tmp; exit 1; }
	$(q)mv -f $@.tmp $@
else
$(ta-target): $(ta-objs) $(ta-sig-file)
	@mkdir -p $(@D)
	$(call ta-echo,AR,$@)
	$(q)rm -f $@
	$(q)$(AR) rcs $@ $(ta-objs)
endif

all: $(ta-target)

clean:
	$(call ta-echo,CLEAN,$(ta-target))
	$(q)rm -rf '$(ta-objdir)' '$(ta-target)' '$(ta-target).tmp'

-include $(ta-objs:.o=.d) $(ta-header-obj:.o=.d)
