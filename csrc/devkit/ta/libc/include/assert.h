/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <assert.h> of the pytee TA libc, as OP-TEE's: a failed assert() logs
 * "assertion '<expr>' failed at <file>:<line> in <func>()" as an error
 * and panics the TA with TEE_ERROR_GENERIC; with NDEBUG it does nothing.
 * runtime_assert() is the same without telling the compiler that a
 * failure does not return.  static_assert() takes one or two arguments.
 */
#ifndef __PYTEE_LIBC_ASSERT_H
#define __PYTEE_LIBC_ASSERT_H

#include <compiler.h>
#include <trace.h>

void _assert_log(const char *expr, const char *file, const int line,
		 const char *func);
void _assert_break(void) __noreturn;

static inline void __noreturn _assert_trap(const char *expr, const char *file,
					   const int line, const char *func)
{
	_assert_log(expr, file, line, func);
	_assert_break();
}

static inline void _runtime_assert_trap(const char *expr, const char *file,
					const int line, const char *func)
{
	/* volatile: the compiler may not conclude that this never returns */
	volatile bool do_break = true;

	_assert_log(expr, file, line, func);
	if (do_break)
		_assert_break();
}

#ifdef NDEBUG
#define assert(expr)		((void)0)
#define runtime_assert(expr)	((void)0)
#else
#define assert(expr) \
	((expr) ? (void)0 : _assert_trap(#expr, __FILE__, __LINE__, __func__))
#define runtime_assert(expr) \
	((expr) ? (void)0 : \
		  _runtime_assert_trap(#expr, __FILE__, __LINE__, __func__))
#endif

/* Deprecated by OP-TEE in favour of static_assert(). */
#define COMPILE_TIME_ASSERT(x) \
	do { \
		switch (0) { case 0: case ((x) ? 1 : 0): default: break; } \
	} while (0)

#ifndef static_assert
#define __PYTEE_SA_PICK(_1, _2, which, ...)	which
#define __PYTEE_SA_1(expr)		_Static_assert(expr, #expr)
#define __PYTEE_SA_2(expr, msg)		_Static_assert(expr, msg)
#define static_assert(...) \
	__PYTEE_SA_PICK(__VA_ARGS__, __PYTEE_SA_2, __PYTEE_SA_1, ~)(__VA_ARGS__)
#endif

#endif /* __PYTEE_LIBC_ASSERT_H */
