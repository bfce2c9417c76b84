/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <time.h> of the pytee TA libc: the time_t type only, as OP-TEE's.  No
 * time() or clock(): a TA reads the time with TEE_GetSystemTime(),
 * TEE_GetREETime() or TEE_GetTAPersistentTime().
 */
#ifndef __PYTEE_LIBC_TIME_H
#define __PYTEE_LIBC_TIME_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t time_t;

#endif /* __PYTEE_LIBC_TIME_H */
