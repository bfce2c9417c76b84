/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <sys/fcntl.h> of the pytee TA libc: the open(2) flag values OP-TEE's
 * defines (newlib's), for code that passes them around; a TA has no
 * open() to give them to.
 */
#ifndef __PYTEE_LIBC_SYS_FCNTL_H
#define __PYTEE_LIBC_SYS_FCNTL_H

#define _FAPPEND	0x0008
#define _FCREAT		0x0200
#define _FTRUNC		0x0400

#define O_RDONLY	0
#define O_WRONLY	1
#define O_RDWR		2
#define O_APPEND	_FAPPEND
#define O_CREAT		_FCREAT
#define O_TRUNC		_FTRUNC

#endif /* __PYTEE_LIBC_SYS_FCNTL_H */
