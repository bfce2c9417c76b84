/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Compiler annotations for TA code, written for pytee.
 *
 * OP-TEE's TA dev kit exports a <compiler.h> that <tee_internal_api.h>
 * pulls in, and TA sources use its short names (__unused on entry-point
 * parameters above all).  This header gives the same names the same
 * meaning on the host compiler.  It sticks to spellings that work under
 * both -std=c11 and -std=gnu11: __typeof__, __asm__, __extension__.
 *
 * A few names may already come from the C library's <sys/cdefs.h>; those
 * are only defined here when they are still free.
 */
#ifndef COMPILER_H
#define COMPILER_H

/* Attributes on declarations */
#define __deprecated		__attribute__((deprecated))
#ifndef __packed
#define __packed		__attribute__((packed))
#endif
#define __weak			__attribute__((weak))
#define __alias(sym)		__attribute__((alias(sym)))
#ifndef __noreturn
#define __noreturn		__attribute__((__noreturn__))
#endif
#define __pure			__attribute__((pure))
#define __attr_const		__attribute__((__const__))
#define __aligned(n)		__attribute__((aligned(n)))
#define __printf(fmt_idx, first_arg) \
	__attribute__((format(printf, fmt_idx, first_arg)))
#define __noinline		__attribute__((noinline))
#ifndef __always_inline
#define __always_inline		__inline __attribute__((__always_inline__))
#endif
#ifndef __unused
#define __unused		__attribute__((unused))
#endif
#define __maybe_unused		__attribute__((unused))
#ifndef __used
#define __used			__attribute__((__used__))
#endif
#define __must_check		__attribute__((warn_unused_result))
#define __cold			__attribute__((__cold__))
#define __section(name)		__attribute__((section(name)))
#define __data			__section(".data")
#define __bss			__section(".bss")
#define __noprof		__attribute__((no_instrument_function))
#define __nostackcheck		__attribute__((no_instrument_function))

#ifndef __clang__
#define __no_stackprot	__attribute__((__optimize__("-fno-stack-protector")))
#else
#define __no_stackprot
#endif

/* Byte swapping */
#define __compiler_bswap16(x)	__builtin_bswap16((x))
#define __compiler_bswap32(x)	__builtin_bswap32((x))
#define __compiler_bswap64(x)	__builtin_bswap64((x))

/*
 * Overflow-checked arithmetic: each evaluates to true when the exact
 * result does not fit in *res (whose value is then unspecified).
 * util.h exposes them as ADD_OVERFLOW, SUB_OVERFLOW and MUL_OVERFLOW.
 */
#define __HAVE_BUILTIN_OVERFLOW 1
#define __compiler_add_overflow(a, b, res) \
	__builtin_add_overflow((a), (b), (res))
#define __compiler_sub_overflow(a, b, res) \
	__builtin_sub_overflow((a), (b), (res))
#define __compiler_mul_overflow(a, b, res) \
	__builtin_mul_overflow((a), (b), (res))

/* Atomics on naturally aligned scalars */
#define __compiler_compare_and_swap(p, oval, nval) \
	__atomic_compare_exchange_n((p), (oval), (nval), 1, \
				    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)
#define __compiler_atomic_load(p)	__atomic_load_n((p), __ATOMIC_RELAXED)
#define __compiler_atomic_store(p, val) \
	__atomic_store_n((p), (val), __ATOMIC_RELAXED)

/* Compiler-only memory barrier */
#define barrier()	__asm__ __volatile__("" : : : "memory")

#ifndef __has_attribute
#define __has_attribute(x) 0
#endif

/* Marks an intended fall through between switch cases: "fallthrough;" */
#if __has_attribute(__fallthrough__)
#define fallthrough	__attribute__((__fallthrough__))
#else
#define fallthrough	do {} while (0)
#endif

/*
 * IS_ENABLED(CFG_FOO) is 1 when CFG_FOO is defined as 1 (what the dev kit
 * makes of CFG_FOO=y) and 0 when it is undefined or defined otherwise.
 * Usable both in #if and in ordinary C expressions.
 */
#define __PYTEE_ISEN_PROBE_1		0,
#define __PYTEE_ISEN_SECOND(ignored, val, ...)	val
#define __PYTEE_ISEN_PICK(arg)		__PYTEE_ISEN_SECOND(arg 1, 0, 0)
#define __PYTEE_ISEN_PASTE(val)		__PYTEE_ISEN_PICK(__PYTEE_ISEN_PROBE_##val)
#define IS_ENABLED(config)		__PYTEE_ISEN_PASTE(config)

#endif /* COMPILER_H */
