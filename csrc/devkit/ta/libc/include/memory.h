/* SPDX-License-Identifier: BSD-2-Clause */
/* <memory.h> of the pytee TA libc: an old name for <string.h>. */
#ifndef __PYTEE_LIBC_MEMORY_H
#define __PYTEE_LIBC_MEMORY_H

#include <string.h>

#endif /* __PYTEE_LIBC_MEMORY_H */
