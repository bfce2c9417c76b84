/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <sys/cdefs.h> of the pytee TA libc: the two names OP-TEE's gives TAs
 * (__restrict, __always_inline), plus the dev kit's own link-name helper.
 */
#ifndef __PYTEE_LIBC_SYS_CDEFS_H
#define __PYTEE_LIBC_SYS_CDEFS_H

#ifndef __restrict
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L
#define __restrict	restrict
#else
#define __restrict
#endif
#endif

/* Same spelling as <compiler.h>, so that either may come first. */
#ifndef __always_inline
#define __always_inline	__inline __attribute__((__always_inline__))
#endif

/*
 * __PYTEE_TA_LIBC(name): links a declaration to libtee's __pytee_ta_<name>
 * instead of the host C library's <name>.  Used for what OP-TEE's TA libc
 * does differently from a host one: console output goes to the TA log,
 * abort() panics the TA, rand() draws from the TEE's random source.
 */
#define __PYTEE_TA_LIBC(name)	__asm__("__pytee_ta_" #name)

#endif /* __PYTEE_LIBC_SYS_CDEFS_H */
