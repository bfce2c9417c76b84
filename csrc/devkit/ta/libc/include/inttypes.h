/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <inttypes.h> of the pytee TA libc: the printf length modifiers of the
 * <stdint.h> types, as OP-TEE's gives TAs (no SCN* macros, no imax*()).
 */
#ifndef __PYTEE_LIBC_INTTYPES_H
#define __PYTEE_LIBC_INTTYPES_H

#include <stdint.h>

#ifdef __PYTEE_LP64
#define __PYTEE_PRI64	"l"
#else
#define __PYTEE_PRI64	"ll"
#endif
#define __PYTEE_PRIPTR	"l"	/* intptr_t is long (see <stdint.h>) */

#define PRId8		"d"
#define PRId16		"d"
#define PRId32		"d"
#define PRId64		__PYTEE_PRI64 "d"
#define PRIdPTR		__PYTEE_PRIPTR "d"

#define PRIi8		"i"
#define PRIi16		"i"
#define PRIi32		"i"
#define PRIi64		__PYTEE_PRI64 "i"
#define PRIiPTR		__PYTEE_PRIPTR "i"

#define PRIo8		"o"
#define PRIo16		"o"
#define PRIo32		"o"
#define PRIo64		__PYTEE_PRI64 "o"
#define PRIoPTR		__PYTEE_PRIPTR "o"

#define PRIu8		"u"
#define PRIu16		"u"
#define PRIu32		"u"
#define PRIu64		__PYTEE_PRI64 "u"
#define PRIuPTR		__PYTEE_PRIPTR "u"

#define PRIx8		"x"
#define PRIx16		"x"
#define PRIx32		"x"
#define PRIx64		__PYTEE_PRI64 "x"
#define PRIxPTR		__PYTEE_PRIPTR "x"

#define PRIX8		"X"
#define PRIX16		"X"
#define PRIX32		"X"
#define PRIX64		__PYTEE_PRI64 "X"
#define PRIXPTR		__PYTEE_PRIPTR "X"

#endif /* __PYTEE_LIBC_INTTYPES_H */
