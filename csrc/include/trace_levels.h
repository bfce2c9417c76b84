/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Trace levels shared by <trace.h> and the TA log, written for pytee with
 * OP-TEE's values.  A message is printed when its level is at or below the
 * current level; a TA built with TRACE_LEVEL=N drops, at compile time,
 * every message above N.
 */
#ifndef TRACE_LEVELS_H
#define TRACE_LEVELS_H

#define TRACE_MIN	1
#define TRACE_ERROR	TRACE_MIN	/* EMSG: something failed */
#define TRACE_INFO	2		/* IMSG: normal progress (dev kit default) */
#define TRACE_DEBUG	3		/* DMSG: details for debugging */
#define TRACE_FLOW	4		/* FMSG: function entry and exit */
#define TRACE_MAX	TRACE_FLOW

/* Level at which the TA's printf() output is reported. */
#define TRACE_PRINTF_LEVEL	TRACE_ERROR

#endif /* TRACE_LEVELS_H */
