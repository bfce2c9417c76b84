/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <stdint.h> of the pytee TA libc, with the types, limits and constant
 * macros OP-TEE's gives TAs (including its U(), UL(), ULL(), L(), LL()
 * and UINTPTR_C() helpers).  ILP32 and LP64 targets only, as OP-TEE.
 */
#ifndef __PYTEE_LIBC_STDINT_H
#define __PYTEE_LIBC_STDINT_H

#include <limits.h>

#if __SIZEOF_POINTER__ == 8 && __SIZEOF_LONG__ == 8
#define __PYTEE_LP64	1
#elif __SIZEOF_POINTER__ == 4 && __SIZEOF_LONG__ == 4 && __SIZEOF_INT__ == 4
#define __PYTEE_ILP32	1
#else
#error "the pytee TA libc supports ILP32 and LP64 targets only"
#endif

typedef signed char		int8_t;
typedef short int		int16_t;
typedef int			int32_t;
typedef unsigned char		uint8_t;
typedef unsigned short int	uint16_t;
typedef unsigned int		uint32_t;
#ifdef __PYTEE_LP64
typedef long int		int64_t;
typedef unsigned long int	uint64_t;
#else
__extension__ typedef long long int		int64_t;
__extension__ typedef unsigned long long int	uint64_t;
#endif

typedef int8_t		int_least8_t;
typedef int16_t		int_least16_t;
typedef int32_t		int_least32_t;
typedef int64_t		int_least64_t;
typedef uint8_t		uint_least8_t;
typedef uint16_t	uint_least16_t;
typedef uint32_t	uint_least32_t;
typedef uint64_t	uint_least64_t;

typedef int8_t		int_fast8_t;
typedef int16_t		int_fast16_t;
typedef int32_t		int_fast32_t;
typedef int64_t		int_fast64_t;
typedef uint8_t		uint_fast8_t;
typedef uint16_t	uint_fast16_t;
typedef uint32_t	uint_fast32_t;
typedef uint64_t	uint_fast64_t;

/* long on both ILP32 and LP64, so that "%lx" (PRIxPTR) always fits. */
typedef long int		intptr_t;
typedef unsigned long int	uintptr_t;

typedef int64_t		intmax_t;
typedef uint64_t	uintmax_t;

/* Suffix helpers (an OP-TEE extension used by its own headers). */
#define U(v)		v ## U
#define UL(v)		v ## UL
#define ULL(v)		v ## ULL
#define L(v)		v ## L
#define LL(v)		v ## LL

#define INT8_C(v)	v
#define INT16_C(v)	v
#define INT32_C(v)	v
#define UINT8_C(v)	v
#define UINT16_C(v)	v
#define UINT32_C(v)	U(v)
#ifdef __PYTEE_LP64
#define INT64_C(v)	L(v)
#define UINT64_C(v)	UL(v)
#else
#define INT64_C(v)	LL(v)
#define UINT64_C(v)	ULL(v)
#endif
#define INTMAX_C(v)	INT64_C(v)
#define UINTMAX_C(v)	UINT64_C(v)
#define UINTPTR_C(v)	UL(v)

#define INT8_MAX	0x7f
#define INT16_MAX	0x7fff
#define INT32_MAX	0x7fffffff
#define INT64_MAX	INT64_C(0x7fffffffffffffff)
#define INT8_MIN	(-INT8_MAX - 1)
#define INT16_MIN	(-INT16_MAX - 1)
#define INT32_MIN	(-INT32_MAX - 1)
#define INT64_MIN	(-INT64_MAX - 1)
#define UINT8_MAX	0xff
#define UINT16_MAX	0xffff
#define UINT32_MAX	UINT32_C(0xffffffff)
#define UINT64_MAX	UINT64_C(0xffffffffffffffff)

#define INT_LEAST8_MIN		INT8_MIN
#define INT_LEAST16_MIN		INT16_MIN
#define INT_LEAST32_MIN		INT32_MIN
#define INT_LEAST64_MIN		INT64_MIN
#define INT_LEAST8_MAX		INT8_MAX
#define INT_LEAST16_MAX		INT16_MAX
#define INT_LEAST32_MAX		INT32_MAX
#define INT_LEAST64_MAX		INT64_MAX
#define UINT_LEAST8_MAX		UINT8_MAX
#define UINT_LEAST16_MAX	UINT16_MAX
#define UINT_LEAST32_MAX	UINT32_MAX
#define UINT_LEAST64_MAX	UINT64_MAX

#define INT_FAST8_MIN		INT8_MIN
#define INT_FAST16_MIN		INT16_MIN
#define INT_FAST32_MIN		INT32_MIN
#define INT_FAST64_MIN		INT64_MIN
#define INT_FAST8_MAX		INT8_MAX
#define INT_FAST16_MAX		INT16_MAX
#define INT_FAST32_MAX		INT32_MAX
#define INT_FAST64_MAX		INT64_MAX
#define UINT_FAST8_MAX		UINT8_MAX
#define UINT_FAST16_MAX		UINT16_MAX
#define UINT_FAST32_MAX		UINT32_MAX
#define UINT_FAST64_MAX		UINT64_MAX

#define INTPTR_MIN	LONG_MIN
#define INTPTR_MAX	LONG_MAX
#define UINTPTR_MAX	ULONG_MAX

#define INTMAX_MIN	INT64_MIN
#define INTMAX_MAX	INT64_MAX
#define UINTMAX_MAX	UINT64_MAX

#define SIZE_MAX	__SIZE_MAX__

#endif /* __PYTEE_LIBC_STDINT_H */
