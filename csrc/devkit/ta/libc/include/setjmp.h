/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <setjmp.h> of the pytee TA libc: setjmp() and longjmp(), as OP-TEE's.
 * The host C library does the work, so jmp_buf must hold its jmp_buf:
 * 1024 bytes do on every Linux target (libtee checks it for its own).
 */
#ifndef __PYTEE_LIBC_SETJMP_H
#define __PYTEE_LIBC_SETJMP_H

#include <compiler.h>

#define __PYTEE_JMP_BUF_SIZE	1024

typedef long long jmp_buf[__PYTEE_JMP_BUF_SIZE / sizeof(long long)]
	__attribute__((__aligned__(16)));

int setjmp(jmp_buf env) __attribute__((__returns_twice__));
void longjmp(jmp_buf env, int val) __noreturn;

#endif /* __PYTEE_LIBC_SETJMP_H */
