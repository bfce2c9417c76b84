/* SPDX-License-Identifier: BSD-2-Clause */
/* <signal.h> of the pytee TA libc: empty, as OP-TEE's (a TA has no signals). */
#ifndef __PYTEE_LIBC_SIGNAL_H
#define __PYTEE_LIBC_SIGNAL_H

#endif /* __PYTEE_LIBC_SIGNAL_H */
