/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <stdlib.h> of the pytee TA libc: exactly what OP-TEE's TA libc
 * declares.  No atoi, strtol, exit, getenv, bsearch, srand...
 *
 * As on OP-TEE, abort() logs "Abort!" and panics the TA (code 0), and
 * rand() returns random numbers from the TEE's generator (there is no
 * seed).  _strtoul() is strtoul() under OP-TEE's other name.
 */
#ifndef __PYTEE_LIBC_STDLIB_H
#define __PYTEE_LIBC_STDLIB_H

#include <compiler.h>
#include <stddef.h>
#include <malloc.h>
#include <sys/cdefs.h>

void qsort(void *base, size_t nmemb, size_t size,
	   int (*compar)(const void *, const void *));

void abort(void) __PYTEE_TA_LIBC(abort) __noreturn;

int abs(int i);

/* The largest number rand() returns */
#define RAND_MAX	__INT_MAX__
int rand(void) __PYTEE_TA_LIBC(rand);

unsigned long _strtoul(const char *nptr, char **endptr, int base);
unsigned long strtoul(const char *nptr, char **endptr, int base);

#endif /* __PYTEE_LIBC_STDLIB_H */
