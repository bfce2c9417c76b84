/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The wire-protocol fuzz target (fuzz_wire.c), its seeds (seeds.c) and the
 * fallback driver (fuzz_main.c).
 *
 * An input is one control byte followed by the bytes of one datagram:
 *
 *   bits 0-2  how many fds travel with the datagram (SCM_RIGHTS), 0-7;
 *             more than WIRE_MAX_FDS makes the message malformed
 *   bits 3-4  what they are (enum fuzz_fds)
 *   bit 5     fix-up: before sending, set the header's length, and the op's
 *             data_len when the type has an op, to what the datagram holds,
 *             so that mutations get past the length checks to the op checks
 *   bits 6-7  padding: 2 pads the datagram with zeros to WIRE_MAX_MSG bytes
 *             (the largest accepted), 3 to WIRE_MAX_MSG + 1 (truncated on
 *             receipt); 0 and 1 send it as it is
 */
#ifndef PYTEE_FUZZ_H
#define PYTEE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#define FUZZ_CTL_NFDS(c)	((unsigned int)(c) & 7u)
#define FUZZ_CTL_FDS(c)		(((unsigned int)(c) >> 3) & 3u)
#define FUZZ_CTL_FIXUP		0x20u
#define FUZZ_CTL_PAD(c)		(((unsigned int)(c) >> 6) & 3u)
#define FUZZ_CTL(nfds, fds)	((uint8_t)((nfds) | ((fds) << 3)))

#define FUZZ_PAD_MAX		2u
#define FUZZ_PAD_OVER		3u

/* Size of the memfds of FUZZ_FDS_MEMFD and FUZZ_FDS_CHANNEL. */
#define FUZZ_MEMFD_SIZE		4096u
#define FUZZ_BIG_MEMFD_SIZE	(64u * 1024u)

enum fuzz_fds {
	FUZZ_FDS_MEMFD = 0,	/* memfds of FUZZ_MEMFD_SIZE bytes */
	FUZZ_FDS_CHANNEL,	/* a socket (a session channel), then memfds */
	FUZZ_FDS_EMPTY,		/* memfds of 0 bytes */
	FUZZ_FDS_BIG,		/* memfds of FUZZ_BIG_MEMFD_SIZE bytes */
};

/*
 * Seeds: valid messages of every type, encoded by wire_send itself.
 * fuzz_seed() writes seed `index` (control byte and datagram) to out and
 * returns its length, or 0 when index is past the last seed or cap is
 * too small.
 */
unsigned int fuzz_seed_count(void);
size_t fuzz_seed(unsigned int index, uint8_t *out, size_t cap);

/* The libFuzzer entry points. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* PYTEE_FUZZ_H */
