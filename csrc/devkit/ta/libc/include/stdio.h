/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <stdio.h> of the pytee TA libc: formatting into buffers and output to
 * the console, exactly as OP-TEE's TA libc declares them.  No fopen, no
 * fprintf, no sscanf, no stdin, no EOF.
 *
 * OP-TEE sends this output to the secure console, where the TA's traces
 * go; here it goes to the TA log (log/<uuid>.log), where EMSG/IMSG go,
 * as is, without a trace prefix.  printf() output longer than 255
 * characters is cut to 255, as OP-TEE's.  stdout and stderr are the same
 * stream; the FILE functions panic the TA (as abort()) when given any
 * other stream.
 */
#ifndef __PYTEE_LIBC_STDIO_H
#define __PYTEE_LIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/cdefs.h>

typedef struct _FILE FILE;

int printf(const char *fmt, ...) __PYTEE_TA_LIBC(printf)
	__attribute__((__format__(__printf__, 1, 2)));
/* sprintf() cannot be told the size of its buffer: use snprintf(). */
int sprintf(char *str, const char *fmt, ...)
	__attribute__((__format__(__printf__, 2, 3), __deprecated__));
int snprintf(char *str, size_t size, const char *fmt, ...)
	__attribute__((__format__(__printf__, 3, 4)));
int vsnprintf(char *str, size_t size, const char *fmt, va_list ap)
	__attribute__((__format__(__printf__, 3, 0)));

int puts(const char *str) __PYTEE_TA_LIBC(puts);
int putchar(int c) __PYTEE_TA_LIBC(putchar);

extern FILE *stdout __PYTEE_TA_LIBC(stdout);
extern FILE *stderr __PYTEE_TA_LIBC(stderr);

int fputc(int c, FILE *stream) __PYTEE_TA_LIBC(fputc);
int fputs(const char *s, FILE *stream) __PYTEE_TA_LIBC(fputs);
size_t fwrite(const void *ptr, size_t size, size_t nmemb, FILE *stream)
	__PYTEE_TA_LIBC(fwrite);

#endif /* __PYTEE_LIBC_STDIO_H */
