/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <unistd.h> of the pytee TA libc: ssize_t and write() to the console
 * only, as OP-TEE's.  fd must be 1 or 2 (the same stream as stdout in
 * <stdio.h>); any other fd panics the TA, as abort() does.
 */
#ifndef __PYTEE_LIBC_UNISTD_H
#define __PYTEE_LIBC_UNISTD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/cdefs.h>

typedef intptr_t ssize_t;

ssize_t write(int fd, const void *buf, size_t count) __PYTEE_TA_LIBC(write);

#endif /* __PYTEE_LIBC_UNISTD_H */
