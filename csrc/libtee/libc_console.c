// SPDX-License-Identifier: BSD-2-Clause
/*
 * Console output of the TA libc subset (<stdio.h>, <unistd.h> of the host
 * dev kit, csrc/devkit/ta/libc): what OP-TEE's TA libc writes to the
 * secure console, where TA traces go, goes to the TA log here, as is.
 * The dev kit's headers link the TA's printf, puts, putchar, fputc,
 * fputs, fwrite, write, stdout and stderr to the __pytee_ta_* names
 * below, so that the host C library's own stdio stays the host's.
 *
 * Facts from OP-TEE (lib/libutee/trace_ext.c, libutils <stdio.h> and
 * <unistd.h>): printf() formats into a MAX_PRINT_SIZE buffer (longer
 * output is cut) and returns the length vsnprintf() reports; puts()
 * writes the string and a newline and returns 1; putchar() returns the
 * character as an unsigned char; the FILE functions treat stdout and
 * stderr alike and abort on any other stream; write() takes fd 1 or 2.
 * OP-TEE prints from TRACE_PRINTF_LEVEL (error) up, the lowest level a TA
 * can select, so the output never depends on the trace level.
 * pytee's choices: write() to any other fd aborts as well; fputs()
 * returns 1 (as puts()); a puts() line that fits MAX_PRINT_SIZE is written
 * in one piece so that it stays whole in a log other instances append to.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include <trace.h>
#include <util.h>

#include "api.h"
#include "libtee_internal.h"

/*
 * The TA's stdout and stderr (FILE * of an incomplete type on its side):
 * only their addresses matter.
 */
static char ta_stdout;
static char ta_stderr;

TEE_API void *__pytee_ta_stdout = &ta_stdout;
TEE_API void *__pytee_ta_stderr = &ta_stderr;

static void console_write(const void *buf, size_t len)
{
	if (len)
		rt_log_line(buf, len);
}

static void check_stream(const void *stream, const char *func)
{
	if (stream != &ta_stdout && stream != &ta_stderr) {
		EMSG("%s: %p is neither stdout nor stderr", func, stream);
		__pytee_ta_abort();
	}
}

TEE_API int __pytee_ta_printf(const char *fmt, ...)
{
	char buf[MAX_PRINT_SIZE] = { 0 };
	va_list ap;
	int n = 0;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		console_write(buf, strnlen(buf, sizeof(buf)));
	return n;
}

TEE_API int __pytee_ta_puts(const char *str)
{
	char line[MAX_PRINT_SIZE] = { 0 };
	size_t len = strlen(str);

	if (len < sizeof(line)) {
		memcpy(line, str, len);
		line[len] = '\n';
		console_write(line, len + 1);
	} else {
		console_write(str, len);
		console_write("\n", 1);
	}
	return 1;
}

/* Writes c as an unsigned char and returns it so, as putchar() does. */
static int console_putc(int c)
{
	unsigned char ch = (unsigned char)c;

	console_write(&ch, 1);
	return ch;
}

TEE_API int __pytee_ta_putchar(int c)
{
	return console_putc(c);
}

TEE_API int __pytee_ta_fputc(int c, const void *stream)
{
	check_stream(stream, "fputc");
	return console_putc(c);
}

TEE_API int __pytee_ta_fputs(const char *s, const void *stream)
{
	check_stream(stream, "fputs");
	console_write(s, strlen(s));
	return 1;
}

/*
 * Returns nmemb, or 0 when there is nothing to write (size or nmemb 0, as
 * C says) or size * nmemb overflows (no such buffer exists).
 */
TEE_API size_t __pytee_ta_fwrite(const void *ptr, size_t size, size_t nmemb,
				 const void *stream)
{
	size_t total = 0;
	size_t written = 0;

	check_stream(stream, "fwrite");
	if (!MUL_OVERFLOW(size, nmemb, &total) && total) {
		console_write(ptr, total);
		written = nmemb;
	}
	return written;
}

TEE_API ssize_t __pytee_ta_write(int fd, const void *buf, size_t count)
{
	/* the count is returned as an ssize_t: no more can be reported */
	size_t len = count < (size_t)SSIZE_MAX ? count : (size_t)SSIZE_MAX;

	if (fd != 1 && fd != 2) {
		EMSG("write: fd %d is not 1 or 2", fd);
		__pytee_ta_abort();
	}
	console_write(buf, len);
	return (ssize_t)len;
}
