/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TA logging macros with OP-TEE's names, written for pytee.
 *
 *   EMSG  error   (TRACE_ERROR)     IMSG  info  (TRACE_INFO)
 *   DMSG  debug   (TRACE_DEBUG)     FMSG  flow  (TRACE_FLOW)
 *   MSG   always, untagged          SMSG  like EMSG
 *   INMSG / OUTMSG: FMSG prefixed "> " / "< "; OUTRMSG(r) logs r, returns it
 *   *_RAW: the same without the function:line prefix
 *   DHEXDUMP(buf, len): hex dump at debug level
 *
 * Each takes a printf format and its arguments.  A macro whose level is
 * above TRACE_LEVEL expands to nothing that is evaluated; the dev kit sets
 * TRACE_LEVEL from CFG_TEE_TA_LOG_LEVEL and it defaults to TRACE_MAX.
 * libtee implements the functions declared below and writes the TA log.
 *
 * A call with no argument at all, e.g. IMSG(), logs an empty message
 * (an extension: OP-TEE rejects it at compile time).
 */
#ifndef TRACE_H
#define TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <compiler.h>
#include <trace_levels.h>

#define MAX_PRINT_SIZE		256
#define MAX_FUNC_PRINT_SIZE	32

#ifndef TRACE_LEVEL
#define TRACE_LEVEL		TRACE_MAX
#endif

/*
 * Logs one message.  func and line locate the caller (func NULL for the
 * raw variants); level is the message's level; level_ok false marks an
 * untagged message (MSG).
 */
void trace_printf(const char *func, int line, int level, bool level_ok,
		  const char *fmt, ...) __printf(5, 6);

/* Writes str to the TA log as is. */
void trace_ext_puts(const char *str);

/* Run-time level, at most the TRACE_LEVEL the TA was built with. */
int trace_get_level(void);
void trace_set_level(int level);

/* Logs len bytes at buf in hexadecimal. */
void dhex_dump(const char *function, int line, int level,
	       const void *buf, int len);

/*
 * __PYTEE_TRACE_ARGS(...) passes the caller's format and arguments on,
 * or a harmless "%s", "" when there are none.
 */
#define __PYTEE_TRACE_HAS_ARGS(...) \
	__PYTEE_TRACE_FIRST(__VA_OPT__(1, ) 0, ~)
#define __PYTEE_TRACE_FIRST(first, ...)	first
#define __PYTEE_TRACE_ARGS_0(...)	"%s", ""
#define __PYTEE_TRACE_ARGS_1(...)	__VA_ARGS__
#define __PYTEE_TRACE_SELECT(has, ...)	__PYTEE_TRACE_SELECT2(has, __VA_ARGS__)
#define __PYTEE_TRACE_SELECT2(has, ...)	__PYTEE_TRACE_ARGS_##has(__VA_ARGS__)
#define __PYTEE_TRACE_ARGS(...) \
	__PYTEE_TRACE_SELECT(__PYTEE_TRACE_HAS_ARGS(__VA_ARGS__), __VA_ARGS__)

#define __PYTEE_TRACE(level, level_ok, ...) \
	trace_printf(__func__, __LINE__, (level), (level_ok), \
		     __PYTEE_TRACE_ARGS(__VA_ARGS__))
#define __PYTEE_TRACE_RAW(level, level_ok, ...) \
	trace_printf(NULL, 0, (level), (level_ok), \
		     __PYTEE_TRACE_ARGS(__VA_ARGS__))

/* Untagged messages: dropped only when tracing is compiled out entirely. */
#if TRACE_LEVEL > 0
#define MSG(...)	__PYTEE_TRACE(0, false, __VA_ARGS__)
#define MSG_RAW(...)	__PYTEE_TRACE_RAW(0, false, __VA_ARGS__)
#define SMSG(...)	__PYTEE_TRACE(TRACE_ERROR, true, __VA_ARGS__)
#else
#define MSG(...)	(void)0
#define MSG_RAW(...)	(void)0
#define SMSG(...)	(void)0
#endif

#if TRACE_LEVEL >= TRACE_ERROR
#define EMSG(...)	__PYTEE_TRACE(TRACE_ERROR, true, __VA_ARGS__)
#define EMSG_RAW(...)	__PYTEE_TRACE_RAW(TRACE_ERROR, true, __VA_ARGS__)
#else
#define EMSG(...)	(void)0
#define EMSG_RAW(...)	(void)0
#endif

#if TRACE_LEVEL >= TRACE_INFO
#define IMSG(...)	__PYTEE_TRACE(TRACE_INFO, true, __VA_ARGS__)
#define IMSG_RAW(...)	__PYTEE_TRACE_RAW(TRACE_INFO, true, __VA_ARGS__)
#else
#define IMSG(...)	(void)0
#define IMSG_RAW(...)	(void)0
#endif

#if TRACE_LEVEL >= TRACE_DEBUG
#define DMSG(...)	__PYTEE_TRACE(TRACE_DEBUG, true, __VA_ARGS__)
#define DMSG_RAW(...)	__PYTEE_TRACE_RAW(TRACE_DEBUG, true, __VA_ARGS__)
#define DHEXDUMP(buf, len) \
	dhex_dump(__func__, __LINE__, TRACE_DEBUG, (buf), (len))
#else
#define DMSG(...)	(void)0
#define DMSG_RAW(...)	(void)0
#define DHEXDUMP(buf, len)	(void)0
#endif

#if TRACE_LEVEL >= TRACE_FLOW
#define FMSG(...)	__PYTEE_TRACE(TRACE_FLOW, true, __VA_ARGS__)
#define FMSG_RAW(...)	__PYTEE_TRACE_RAW(TRACE_FLOW, true, __VA_ARGS__)
#else
#define FMSG(...)	(void)0
#define FMSG_RAW(...)	(void)0
#endif

/* Function entry and exit at flow level; the format must be a literal. */
#define INMSG(...)	FMSG("> " __VA_ARGS__)
#define OUTMSG(...)	FMSG("< " __VA_ARGS__)
#define OUTRMSG(r) \
	do { \
		OUTMSG("r=[%x]", (r)); \
		return (r); \
	} while (0)

#endif /* TRACE_H */
