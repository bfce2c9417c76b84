/* SPDX-License-Identifier: BSD-2-Clause */
/* <strings.h> of the pytee TA libc: bcmp() only, as OP-TEE's. */
#ifndef __PYTEE_LIBC_STRINGS_H
#define __PYTEE_LIBC_STRINGS_H

#include <stddef.h>

int bcmp(const void *s1, const void *s2, size_t n);

#endif /* __PYTEE_LIBC_STRINGS_H */
