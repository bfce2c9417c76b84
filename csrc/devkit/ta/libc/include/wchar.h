/* SPDX-License-Identifier: BSD-2-Clause */
/* <wchar.h> of the pytee TA libc: empty, as OP-TEE's (no wide characters). */
#ifndef __PYTEE_LIBC_WCHAR_H
#define __PYTEE_LIBC_WCHAR_H

#endif /* __PYTEE_LIBC_WCHAR_H */
