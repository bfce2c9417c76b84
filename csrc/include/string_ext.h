/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * String and memory helpers missing from ISO C that OP-TEE's libutils
 * offers TAs, written for pytee with the same names and signatures.
 */
#ifndef STRING_EXT_H
#define STRING_EXT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * BSD strlcpy() / strlcat(): copy or append src into the size-byte buffer
 * dst, always NUL-terminated when size > 0, and return the length the
 * whole result would have had (>= size means it was truncated).
 */
size_t strlcpy(char *dst, const char *src, size_t size);
size_t strlcat(char *dst, const char *src, size_t size);

/*
 * Compares nb bytes in a time that depends on nb only; returns 0 when
 * equal, otherwise a value whose sign is that of the first difference.
 */
int consttime_memcmp(const void *p1, const void *p2, size_t nb);

/* Former name of consttime_memcmp() (deprecated). */
static inline int buf_compare_ct(const void *s1, const void *s2, size_t n)
{
	return consttime_memcmp(s1, s2, n);
}

/*
 * Zeroes count bytes at s in a way the compiler may not remove even if s
 * is never read again: use it to wipe keys and other secrets.
 */
void memzero_explicit(void *s, size_t count);

#ifdef __cplusplus
}
#endif

#endif /* STRING_EXT_H */
