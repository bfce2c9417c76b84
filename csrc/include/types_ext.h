/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Address types of OP-TEE's libutils <types_ext.h>, written for pytee.
 * On the host a TA only ever sees virtual addresses; paddr_t is kept so
 * that code naming it builds.
 */
#ifndef TYPES_EXT_H
#define TYPES_EXT_H

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uintptr_t uaddr_t;	/* user-space address */
#define PRIxUA		PRIxPTR

typedef uintptr_t vaddr_t;	/* virtual address */
#define PRIxVA		PRIxPTR

typedef uintptr_t paddr_t;
#define PRIxPA		PRIxPTR

typedef uintptr_t paddr_size_t;
#define PRIxPASZ	PRIxPTR
#define __SIZEOF_PADDR__	__SIZEOF_POINTER__

/* Field widths that print an address with all its hex digits */
#define PRIxVA_WIDTH	((int)(sizeof(vaddr_t) * 2))
#define PRIxPA_WIDTH	((int)(sizeof(paddr_t) * 2))

#endif /* TYPES_EXT_H */
