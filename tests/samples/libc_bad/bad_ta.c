// SPDX-License-Identifier: BSD-2-Clause
/*
 * A TA whose build tests/test_libc_subset.py breaks on purpose, choosing
 * the misuse with CFLAGS (without any, it builds and does nothing):
 *
 *   -DBAD_SYMBOL=name   declares name() itself and calls it: a function
 *                       of the host C library that OP-TEE's TA libc lacks
 *   -DBAD_MANY          the same with strtol, atoi, getenv and strerror
 *   -DBAD_FOPEN         calls fopen() with only <stdio.h>, which does not
 *                       declare it
 *   -DBAD_STDIN         reads the host C library's stdin
 *   -DBAD_ERRNO         reads errno, which no header declares
 *   -DBAD_HEADER=name   includes <name>, e.g. errno.h or math.h, which
 *                       OP-TEE does not have
 *   -DEVERY_FUNCTION    includes every header of the subset and takes the
 *                       address of each function listed in refs.inc
 *                       (written by the test): all must link
 *
 * The TA is never run: only its build matters.
 */
#include <stddef.h>

#include <tee_internal_api.h>

#define STR(x)		#x
#define XSTR(x)		STR(x)

#ifdef BAD_HEADER
#include XSTR(BAD_HEADER)
#endif

#ifdef BAD_FOPEN
#include <stdio.h>
#endif

#ifdef EVERY_FUNCTION
#include "every_header.h"
#endif

int bad_use(void);

#if defined(BAD_SYMBOL)
void BAD_SYMBOL(void);

int bad_use(void)
{
	BAD_SYMBOL();
	return 0;
}
#elif defined(BAD_MANY)
long strtol(const char *nptr, char **endptr, int base);
int atoi(const char *nptr);
char *getenv(const char *name);
char *strerror(int errnum);

int bad_use(void)
{
	return (int)strtol("1", NULL, 10) + atoi("2") + (getenv("X") != NULL) +
	       (strerror(1) != NULL);
}
#elif defined(BAD_FOPEN)
int bad_use(void)
{
	return fopen("/etc/passwd", "r") != 0;
}
#elif defined(BAD_STDIN)
extern void *stdin;

int bad_use(void)
{
	return stdin != NULL;
}
#elif defined(BAD_ERRNO)
int bad_use(void)
{
	return errno;
}
#elif defined(EVERY_FUNCTION)
#define REF(name)	(const void *)&name,
const void *const every_function[] = {
#include "refs.inc"
};

int bad_use(void)
{
	return every_function[0] != NULL;
}
#else
int bad_use(void)
{
	return 0;
}
#endif

TEE_Result TA_CreateEntryPoint(void)
{
	return bad_use() ? TEE_SUCCESS : TEE_ERROR_GENERIC;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t pt __unused,
				    TEE_Param params[4] __unused,
				    void **sess_ctx __unused)
{
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx __unused)
{
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx __unused,
				      uint32_t cmd __unused,
				      uint32_t pt __unused,
				      TEE_Param params[4] __unused)
{
	return TEE_ERROR_NOT_SUPPORTED;
}
