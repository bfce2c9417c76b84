/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A TA that uses the functions of the TA libc subset, for
 * tests/test_libc_subset.py.  Commands and their parameters:
 *
 * FORMAT   p0 VALUE_IN (a, b)  p1 MEMREF_OUT: snprintf() of
 *          "%u+%u=%u %s %08x|%-4d|%5.2s|%c" with (a, b, a + b, "ok", a,
 *          -(int)b, "xyz", 'A' + a % 26); p2 VALUE_OUT a = strlen(p1)
 * SORT     p0 MEMREF_INOUT u32 array, p1 VALUE_IN a = how: 0 qsort(),
 *          1 qsort_u32(), 2 bisect_sort(); sorted in place
 * FIND     p0 MEMREF_IN sorted u32 array, p1 VALUE_IN a = target,
 *          p2 VALUE_OUT a = 1 if bisect_equal() found it, b = its index
 * PARSE    p0 MEMREF_IN text, p1 VALUE_IN a = base, p2 VALUE_OUT
 *          (a, b) = low, high 32 bits of strtoul(), p3 VALUE_OUT a = chars
 *          strtoul() used, b = isdigit() count of the text
 * TOKENS   p0 MEMREF_IN text, p1 MEMREF_OUT: the strtok_r() tokens of the
 *          text (delimiters " ,"), toupper()ed, joined by '|' with
 *          strlcpy()/strlcat() into a buffer of p1's size; p2 VALUE_OUT
 *          a = what strlcat() returned last (the untruncated length)
 * SEARCH   p0 MEMREF_IN text, p1 MEMREF_IN needle, p2 VALUE_OUT a =
 *          strstr() offset or 0xffffffff, b = strchr() offset of the
 *          needle's first char or 0xffffffff; p3 VALUE_OUT a = strrchr()
 *          offset, same convention
 * COMPARE  p0 MEMREF_IN x, p1 MEMREF_IN y (same size), p2 VALUE_OUT
 *          a = consttime_memcmp() + 1, b = memcmp() sign + 1
 * JUMP     p0 VALUE_IN a = depth, p1 VALUE_OUT a = value longjmp() gave
 *          setjmp() back, b = times setjmp() returned
 * HEAP     p0 VALUE_IN a = size, p1 VALUE_OUT a = bit mask of the checks
 *          that passed (all of HEAP_CHECKS_ALL)
 * QUEUE    p0 MEMREF_IN u32 array, p1 MEMREF_OUT u32 array: see
 *          libc_queue.c
 * BITS     p0 VALUE_IN (a, b) = bits to set in a 64-bit bit string,
 *          p1 VALUE_OUT a = bit_ffs(), b = bit_ffc(); p2 VALUE_OUT a =
 *          confine_array_index(a, b), b = atomic_inc32() of a then
 *          atomic_dec32() twice
 * PRINT    p0 MEMREF_IN text: printed with printf, puts, putchar, fputs
 *          (stdout and stderr), fwrite and write; p1 VALUE_OUT a = what
 *          printf() returned for "[%s]\n"
 * RAND     p0 VALUE_OUT (a, b) = two rand() values
 * ASSERT   p0 VALUE_IN a: assert(a < 10)
 * ABORT    abort()
 * BADFILE  fputs() to a pointer that is not stdout or stderr
 * BADFD    write() to fd 5
 */
#ifndef LIBC_TA_H
#define LIBC_TA_H

/* d6fe4ba4-e2c6-4dd8-8025-74d02d304937 */
#define TA_LIBC_UUID \
	{ 0xd6fe4ba4, 0xe2c6, 0x4dd8, \
		{ 0x80, 0x25, 0x74, 0xd0, 0x2d, 0x30, 0x49, 0x37 } }

#define TA_LIBC_CMD_FORMAT	0
#define TA_LIBC_CMD_SORT	1
#define TA_LIBC_CMD_FIND	2
#define TA_LIBC_CMD_PARSE	3
#define TA_LIBC_CMD_TOKENS	4
#define TA_LIBC_CMD_SEARCH	5
#define TA_LIBC_CMD_COMPARE	6
#define TA_LIBC_CMD_JUMP	7
#define TA_LIBC_CMD_HEAP	8
#define TA_LIBC_CMD_QUEUE	9
#define TA_LIBC_CMD_BITS	10
#define TA_LIBC_CMD_PRINT	11
#define TA_LIBC_CMD_RAND	12
#define TA_LIBC_CMD_ASSERT	13
#define TA_LIBC_CMD_ABORT	14
#define TA_LIBC_CMD_BADFILE	15
#define TA_LIBC_CMD_BADFD	16

#define TA_LIBC_SORT_QSORT	0
#define TA_LIBC_SORT_QSORT_U32	1
#define TA_LIBC_SORT_BISECT	2

/* HEAP checks, one bit each */
#define TA_LIBC_HEAP_CALLOC_ZERO	0x01	/* calloc() memory reads 0 */
#define TA_LIBC_HEAP_REALLOC_KEEPS	0x02	/* realloc() kept the bytes */
#define TA_LIBC_HEAP_MEMALIGN		0x04	/* memalign(64) is aligned */
#define TA_LIBC_HEAP_STRDUP		0x08	/* strdup/strndup copies */
#define TA_LIBC_HEAP_CHECKS_ALL		0x0f

#endif /* LIBC_TA_H */
