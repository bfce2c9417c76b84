/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <sys/types.h> of the pytee TA libc: OP-TEE's is <types_ext.h>, which
 * there also brings in <limits.h> and <unistd.h> (ssize_t); pytee's
 * <types_ext.h> does not, so they are included here for the same view.
 */
#ifndef __PYTEE_LIBC_SYS_TYPES_H
#define __PYTEE_LIBC_SYS_TYPES_H

#include <limits.h>
#include <types_ext.h>
#include <unistd.h>

#endif /* __PYTEE_LIBC_SYS_TYPES_H */
