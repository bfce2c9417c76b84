/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Small helper macros TAs expect from OP-TEE's libutils <util.h>, written
 * for pytee: bit and mask builders, rounding, min/max, overflow checks.
 * Names and results match OP-TEE's; the macros that evaluate their
 * arguments once use GNU statement expressions behind __extension__ so
 * that they build under -std=c11 as well as -std=gnu11.
 */
#ifndef UTIL_H
#define UTIL_H

#include <compiler.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>

#define SIZE_4K		UINTPTR_C(0x1000)
#define SIZE_1M		UINTPTR_C(0x100000)
#define SIZE_2M		UINTPTR_C(0x200000)
#define SIZE_4M		UINTPTR_C(0x400000)
#define SIZE_8M		UINTPTR_C(0x800000)
#define SIZE_2G		UINTPTR_C(0x80000000)

/* Larger / smaller of two values, each argument evaluated once. */
#ifndef MAX
#define MAX(a, b) (__extension__({ \
	__typeof__(a) __max_a = (a); \
	__typeof__(b) __max_b = (b); \
	__max_a > __max_b ? __max_a : __max_b; }))
#endif
#ifndef MIN
#define MIN(a, b) (__extension__({ \
	__typeof__(a) __min_a = (a); \
	__typeof__(b) __min_b = (b); \
	__min_a < __min_b ? __min_a : __min_b; }))
#endif

/* Same, usable where a statement expression is not (file scope, #if). */
#define MAX_UNSAFE(a, b)	(((a) > (b)) ? (a) : (b))
#define MIN_UNSAFE(a, b)	(((a) < (b)) ? (a) : (b))

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr)		(sizeof(arr) / sizeof((arr)[0]))
#endif

/*
 * Rounding to a multiple.  ROUNDUP / ROUNDDOWN / ROUNDUP_DIV accept any
 * non-zero size; the *2 forms require a power of two (not checked here,
 * OP-TEE asserts it) and use masks instead of division.
 */
#define ROUNDUP(x, y) \
	((((x) + (__typeof__(x))(y) - 1) / (__typeof__(x))(y)) * \
	 (__typeof__(x))(y))
#define ROUNDUP2(v, size) \
	(((v) + ((__typeof__(v))(size) - 1)) & ~((__typeof__(v))(size) - 1))
#define ROUNDDOWN(x, y) \
	(((x) / (__typeof__(x))(y)) * (__typeof__(x))(y))
#define ROUNDDOWN2(v, size)	((v) & ~((__typeof__(v))(size) - 1))

/* Number of y-sized units needed to hold x */
#define ROUNDUP_DIV(x, y)	(ROUNDUP((x), (y)) / (__typeof__(x))(y))
#define ROUNDUP2_DIV(x, y) (__extension__({ \
	__typeof__(x) __rd_x = (x); \
	__typeof__(x) __rd_mask = (__typeof__(x))(y) - 1; \
	(__rd_x / (y)) + ((__rd_x & __rd_mask) ? 1 : 0); }))
#define DIV_ROUND_UP(x, y)	(((x) + (y) - 1) / (y))

/*
 * Round v up into *res; evaluates to true when the result does not fit
 * in *res.
 */
#define ROUNDUP_OVERFLOW(v, size, res) (__extension__({ \
	__typeof__(v) __ru_rem = (v) % (__typeof__(v))(size); \
	__typeof__(v) __ru_add = __ru_rem ? \
		(__typeof__(v))(size) - __ru_rem : 0; \
	ADD_OVERFLOW((v), __ru_add, (res)); }))
#define ROUNDUP2_OVERFLOW(v, size, res) (__extension__({ \
	__typeof__(*(res)) __ru_tmp = 0; \
	__typeof__(v) __ru_mask = (__typeof__(v))(size) - 1; \
	ADD_OVERFLOW((v), __ru_mask, &__ru_tmp) ? 1 : \
		((void)(*(res) = __ru_tmp & ~__ru_mask), 0); }))

/* Unsigned division rounded to the nearest integer. */
#define UDIV_ROUND_NEAREST(x, y) (__extension__({ \
	__typeof__(x) __ud_x = (x); \
	__typeof__(y) __ud_y = (y); \
	(__ud_x + (__ud_y / 2)) / __ud_y; }))

/* x must have an unsigned type. */
#define IS_POWER_OF_TWO(x)	(((x) != 0) && (((x) & (~(x) + 1)) == (x)))

/* a must be a power of two */
#define IS_ALIGNED(x, a)		(((x) & ((a) - 1)) == 0)
#define IS_ALIGNED_WITH_TYPE(x, type) \
	IS_ALIGNED((uintptr_t)(x), __alignof__(type))
/* Older spelling of IS_ALIGNED_WITH_TYPE() */
#define ALIGNMENT_IS_OK(p, type)	IS_ALIGNED_WITH_TYPE(p, type)

#define TO_STR(x)		__PYTEE_TO_STR(x)
#define __PYTEE_TO_STR(x)	#x

#define CONCAT(x, y)		__PYTEE_CONCAT(x, y)
#define __PYTEE_CONCAT(x, y)	x##y

/* The structure of type `type` whose member `member` is at ptr. */
#define container_of(ptr, type, member) (__extension__({ \
	const __typeof__(((type *)0)->member) *__co_ptr = (ptr); \
	(type *)((uintptr_t)(__co_ptr) - offsetof(type, member)); }))

#define MEMBER_SIZE(type, member)	sizeof(((type *)0)->member)

/* Single bits and shifted values of a fixed width. */
#define BIT32(n)		(UINT32_C(1) << (n))
#define BIT64(n)		(UINT64_C(1) << (n))
#define BIT(n)			BIT32(n)
#define SHIFT_U32(v, shift)	((uint32_t)(v) << (shift))
#define SHIFT_U64(v, shift)	((uint64_t)(v) << (shift))

/* Bits l..h (inclusive) set, e.g. GENMASK_32(7, 4) == 0xf0. */
#define GENMASK_32(h, l) \
	((~UINT32_C(0) << (l)) & (~UINT32_C(0) >> (31 - (h))))
#define GENMASK_64(h, l) \
	((~UINT64_C(0) << (l)) & (~UINT64_C(0) >> (63 - (h))))

/* True when the exact result does not fit in *res. */
#define ADD_OVERFLOW(a, b, res)	__compiler_add_overflow((a), (b), (res))
#define SUB_OVERFLOW(a, b, res)	__compiler_sub_overflow((a), (b), (res))
#define MUL_OVERFLOW(a, b, res)	__compiler_mul_overflow((a), (b), (res))

/* 1, 0 or -1 as a is greater than, equal to or less than b. */
#define CMP_TRILEAN(a, b) (__extension__({ \
	__typeof__(a) __ct_a = (a); \
	__typeof__(b) __ct_b = (b); \
	__ct_a > __ct_b ? 1 : (__ct_a < __ct_b ? -1 : 0); }))

/* Split a 64-bit value into 32-bit halves, and join them back. */
static inline uint32_t high32_from_64(uint64_t val)
{
	return (uint32_t)(val >> 32);
}

static inline uint32_t low32_from_64(uint64_t val)
{
	return (uint32_t)val;
}

static inline uint64_t reg_pair_to_64(uint32_t reg0, uint32_t reg1)
{
	return ((uint64_t)reg0 << 32) | reg1;
}

static inline void reg_pair_from_64(uint64_t val, uint32_t *reg0,
				    uint32_t *reg1)
{
	*reg0 = high32_from_64(val);
	*reg1 = low32_from_64(val);
}

/*
 * Bit fields selected by a mask (mask must not be 0): get_field_*()
 * returns the bits of reg under mask moved down to bit 0; set_field_*()
 * returns reg with the bits under mask replaced by val moved up into
 * place.  Example: get_field_u32(0x123456, 0xf0ff00) == 0x1034.
 */
static inline uint32_t get_field_u32(uint32_t reg, uint32_t mask)
{
	return (reg & mask) / (mask & ~(mask - 1));
}

static inline uint32_t set_field_u32(uint32_t reg, uint32_t mask, uint32_t val)
{
	return (reg & ~mask) | (val * (mask & ~(mask - 1)));
}

static inline uint64_t get_field_u64(uint64_t reg, uint64_t mask)
{
	return (reg & mask) / (mask & ~(mask - 1));
}

static inline uint64_t set_field_u64(uint64_t reg, uint64_t mask, uint64_t val)
{
	return (reg & ~mask) | (val * (mask & ~(mask - 1)));
}

/* Ascending in-place sorts of arrays of standard types (libutils). */
void qsort_int(int *aa, size_t n);
void qsort_uint(unsigned int *aa, size_t n);
void qsort_long(long int *aa, size_t n);
void qsort_ul(unsigned long int *aa, size_t n);
void qsort_ll(long long int *aa, size_t n);
void qsort_ull(unsigned long long int *aa, size_t n);
void qsort_s8(int8_t *aa, size_t n);
void qsort_u8(uint8_t *aa, size_t n);
void qsort_s16(int16_t *aa, size_t n);
void qsort_u16(uint16_t *aa, size_t n);
void qsort_s32(int32_t *aa, size_t n);
void qsort_u32(uint32_t *aa, size_t n);
void qsort_s64(int64_t *aa, size_t n);
void qsort_u64(uint64_t *aa, size_t n);

#endif /* UTIL_H */
