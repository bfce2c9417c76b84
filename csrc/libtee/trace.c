// SPDX-License-Identifier: BSD-2-Clause
/*
 * The functions behind <trace.h> (EMSG, IMSG, DMSG, FMSG, MSG, DHEXDUMP):
 * each message becomes one line of the TA log, written with its newline
 * in one rt_log_line() call so that lines of instances sharing the log
 * do not mix.
 *
 * Lines look like OP-TEE's TA traces on the secure console:
 *
 *   E/TA:  func:42 message     error, debug and flow: long prefix
 *   D/TA:  message             (the same from the *_RAW macros)
 *   I/TA: message              info: short prefix
 *   M/TA: message              MSG (untagged)
 *
 * Facts taken from OP-TEE (lib/libutils/ext/trace.c, mk/config.mk): the
 * level letter is one of U E I D F (M when untagged); levels whose bit is
 * set in CFG_MSG_LONG_PREFIX_MASK (default 0x1a: error, debug, flow) get
 * the long prefix, which for a TA is a blank one-digit thread id, a space
 * and "func:line " when the caller's function is known; a line keeps at
 * most MAX_PRINT_SIZE - 2 characters; trailing newlines are dropped; a
 * level outside TRACE_MIN..TRACE_MAX given to trace_set_level() selects
 * TRACE_MAX.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <trace.h>

#include "api.h"
#include "libtee_internal.h"

/* Levels printed with the long prefix (OP-TEE's default mask). */
#define LONG_PREFIX_MASK	0x1aU
/* Visible characters of one line, as OP-TEE's MAX_PRINT_SIZE buffer allows. */
#define LINE_MAX_CHARS		(MAX_PRINT_SIZE - 2)
/* Bytes per DHEXDUMP line. */
#define HEX_PER_LINE		16

static atomic_int trace_level_now = TRACE_MAX;

TEE_API int trace_get_level(void)
{
	return atomic_load(&trace_level_now);
}

TEE_API void trace_set_level(int level)
{
	int lvl = TRACE_MAX;

	if (level >= TRACE_MIN && level <= TRACE_MAX)
		lvl = level;
	atomic_store(&trace_level_now, lvl);
}

static char level_letter(int level, bool level_ok)
{
	static const char letters[] = { 'U', 'E', 'I', 'D', 'F' };

	if (!level_ok)
		return 'M';
	if (level < TRACE_MIN || level > TRACE_MAX)
		return letters[0];
	return letters[level];
}

static bool long_prefix(int level, bool level_ok)
{
	if (!level_ok || level < TRACE_MIN || level > TRACE_MAX)
		return false;
	return (LONG_PREFIX_MASK & (1U << level)) != 0;
}

/*
 * Appends the result of snprintf-like output of n characters (n < 0 is an
 * encoding error) to a line of *off characters, keeping the count within
 * the line's capacity.
 */
static void advance(size_t *off, int n, size_t cap)
{
	size_t add = 0;

	if (n <= 0)
		return;
	add = (size_t)n;
	if (add > cap - *off)
		add = cap - *off;
	*off += add;
}

static void trace_vline(const char *func, int line, int level, bool level_ok,
			const char *fmt, va_list ap)
{
	char buf[MAX_PRINT_SIZE] = { 0 };
	const size_t cap = LINE_MAX_CHARS;
	size_t off = 0;
	int n = 0;

	if (level_ok && level > trace_get_level())
		return;

	n = snprintf(buf, cap + 1, "%c/TA:", level_letter(level, level_ok));
	advance(&off, n, cap);
	if (long_prefix(level, level_ok)) {
		/* blank thread id (one digit wide) and its separator */
		n = snprintf(buf + off, cap + 1 - off, "  ");
		advance(&off, n, cap);
		if (func) {
			n = snprintf(buf + off, cap + 1 - off, "%s:%d ", func,
				     line);
			advance(&off, n, cap);
		}
	} else {
		n = snprintf(buf + off, cap + 1 - off, " ");
		advance(&off, n, cap);
	}
	if (fmt) {
		n = vsnprintf(buf + off, cap + 1 - off, fmt, ap);
		advance(&off, n, cap);
	}
	while (off > 0 && buf[off - 1] == '\n')
		off--;
	buf[off++] = '\n';	/* off <= LINE_MAX_CHARS < sizeof(buf) - 1 */
	rt_log_line(buf, off);
}

TEE_API void trace_printf(const char *func, int line, int level, bool level_ok,
			  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	trace_vline(func, line, level, level_ok, fmt, ap);
	va_end(ap);
}

/* Writes str to the TA log as is: its newlines, if any, are its own. */
TEE_API void trace_ext_puts(const char *str)
{
	if (str)
		rt_log_line(str, strlen(str));
}

/*
 * Logs len bytes at buf, HEX_PER_LINE to a line: the address of the first
 * byte, two spaces, then each byte as "xx " with one more space after
 * the eighth, as OP-TEE's dhex_dump() prints them.
 */
TEE_API void dhex_dump(const char *function, int line, int level,
		       const void *buf, int len)
{
	const uint8_t *in = buf;
	char row[MAX_PRINT_SIZE] = { 0 };
	size_t off = 0;
	int i = 0;
	int n = 0;

	if (!in || len <= 0 || level > trace_get_level())
		return;
	for (i = 0; i < len; i++) {
		int col = i % HEX_PER_LINE;

		if (col == 0) {
			off = 0;
			n = snprintf(row, sizeof(row), "%0*" PRIxPTR "  ",
				     (int)(sizeof(uintptr_t) * 2),
				     (uintptr_t)(in + i));
			advance(&off, n, sizeof(row) - 1);
		}
		n = snprintf(row + off, sizeof(row) - off, "%02x ", in[i]);
		advance(&off, n, sizeof(row) - 1);
		if (col == HEX_PER_LINE / 2 - 1) {
			n = snprintf(row + off, sizeof(row) - off, " ");
			advance(&off, n, sizeof(row) - 1);
		}
		if (col == HEX_PER_LINE - 1 || i == len - 1)
			trace_printf(function, line, level, true, "%s", row);
	}
}
