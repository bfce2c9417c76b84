/* SPDX-License-Identifier: BSD-2-Clause */
/* <stdlib_ext.h> of OP-TEE's libutils, for pytee TAs: extensions to <stdlib.h>. */
#ifndef __PYTEE_LIBC_STDLIB_EXT_H
#define __PYTEE_LIBC_STDLIB_EXT_H

#include <stddef.h>

/* Wipes the whole malloc() block at ptr, then frees it; ptr may be NULL. */
void free_wipe(void *ptr);

#endif /* __PYTEE_LIBC_STDLIB_EXT_H */
