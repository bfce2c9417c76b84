/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <bitstring.h> of OP-TEE's libutils (the BSD bit string macros), written
 * for pytee TAs.  A bit string is an array of bitstr_t; bit n is bit
 * (n % 8) of byte n / 8.  Bit numbers and counts are ints.
 *
 *   bitstr_size(nbits)          bytes needed for nbits bits
 *   bit_alloc(nbits)            calloc()ed zeroed bit string (<stdlib.h>)
 *   bitstr_t bit_decl(name, nbits);   declares one (e.g. on the stack)
 *   bit_test / bit_set / bit_clear(name, bit)
 *   bit_nset / bit_nclear(name, start, stop)   bits start..stop inclusive
 *   bit_ffs(name, nbits, &value)   first set bit, or -1
 *   bit_ffs_from(name, nbits, startbit, &value)  the same from startbit on
 *   bit_ffc(name, nbits, &value)   first clear bit, or -1
 */
#ifndef __PYTEE_LIBC_BITSTRING_H
#define __PYTEE_LIBC_BITSTRING_H

typedef unsigned char bitstr_t;

#define _bit_byte(bit)		((bit) >> 3)
#define _bit_mask(bit)		(1 << ((bit) & 0x7))

#define bitstr_size(nbits)	(((nbits) + 7) >> 3)
#define bit_alloc(nbits) \
	((bitstr_t *)calloc((size_t)bitstr_size(nbits), sizeof(bitstr_t)))
#define bit_decl(name, nbits)	((name)[bitstr_size(nbits)])

#define bit_test(name, bit)	((name)[_bit_byte(bit)] & _bit_mask(bit))
#define bit_set(name, bit)	((name)[_bit_byte(bit)] |= _bit_mask(bit))
#define bit_clear(name, bit)	((name)[_bit_byte(bit)] &= ~_bit_mask(bit))

#define bit_nset(name, start, stop) do { \
	bitstr_t *__bs_name = (name); \
	int __bs_i = (start); \
	int __bs_stop = (stop); \
	for (; __bs_i <= __bs_stop; __bs_i++) \
		bit_set(__bs_name, __bs_i); \
} while (0)

#define bit_nclear(name, start, stop) do { \
	bitstr_t *__bs_name = (name); \
	int __bs_i = (start); \
	int __bs_stop = (stop); \
	for (; __bs_i <= __bs_stop; __bs_i++) \
		bit_clear(__bs_name, __bs_i); \
} while (0)

#define bit_ffs_from(name, nbits, startbit, value) do { \
	bitstr_t *__bs_name = (name); \
	int __bs_n = (nbits); \
	int __bs_i = (startbit); \
	int __bs_found = -1; \
	for (; __bs_i < __bs_n; __bs_i++) { \
		if (bit_test(__bs_name, __bs_i)) { \
			__bs_found = __bs_i; \
			break; \
		} \
	} \
	*(value) = __bs_found; \
} while (0)

#define bit_ffs(name, nbits, value)	bit_ffs_from((name), (nbits), 0, (value))

#define bit_ffc(name, nbits, value) do { \
	bitstr_t *__bs_name = (name); \
	int __bs_n = (nbits); \
	int __bs_i = 0; \
	int __bs_found = -1; \
	for (; __bs_i < __bs_n; __bs_i++) { \
		if (!bit_test(__bs_name, __bs_i)) { \
			__bs_found = __bs_i; \
			break; \
		} \
	} \
	*(value) = __bs_found; \
} while (0)

#endif /* __PYTEE_LIBC_BITSTRING_H */
