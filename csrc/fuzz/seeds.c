// SPDX-License-Identifier: BSD-2-Clause
/*
 * Seed inputs for the wire fuzz target: valid messages of every type, with
 * values, inline, shared-memory, fd-backed and NULL memrefs, encoded by
 * wire_send itself and read back raw from a socketpair, so the seeds always
 * match the encoder of this tree.
 */
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "wire.h"

enum {
	PT_VALUE_IN = 1,
	PT_VALUE_OUT = 2,
	PT_VALUE_INOUT = 3,
	PT_MEMREF_IN = 5,
	PT_MEMREF_OUT = 6,
	PT_MEMREF_INOUT = 7,
};

struct seed {
	enum wire_type type;
	union {
		struct wire_hello hello;
		struct wire_open_session open;
		struct wire_session_ref ref;
		struct wire_host_hello host_hello;
		struct wire_host_open host_open;
		struct wire_invoke invoke;
		struct wire_shm_forget forget;
		struct wire_reply reply;
		struct wire_tui_session tui_session;
		struct wire_tui_screen tui_screen;
		struct wire_tui_input tui_input;
	} u;
	uint8_t data[256];
	uint32_t data_len;
	unsigned int nfds;
	enum fuzz_fds fds;
};

static const uint8_t seed_uuid[16] = {
	0x25, 0x45, 0x4e, 0x49, 0x10, 0x8c, 0x41, 0xc6,
	0xb5, 0xde, 0xa3, 0x72, 0x7d, 0xf2, 0x51, 0xe3,
};

static void value(struct wire_param *p, uint32_t type, uint32_t a, uint32_t b)
{
	p->type = type;
	p->mem = WIRE_MEM_NONE;
	p->a = a;
	p->b = b;
}

static void memref(struct wire_param *p, uint32_t type, uint32_t mem,
		   uint64_t offset, uint64_t size, uint64_t block_size)
{
	p->type = type;
	p->mem = mem;
	p->offset = offset;
	p->size = size;
	p->block_size = block_size;
}

/* Inline bytes of a request: `size` bytes appended to the data area. */
static void inline_in(struct seed *s, struct wire_param *p, uint32_t type,
		      uint32_t size)
{
	for (uint32_t i = 0; i < size; i++)
		s->data[s->data_len + i] = (uint8_t)(0x41 + i % 26);
	memref(p, type, WIRE_MEM_INLINE, s->data_len, size, 0);
	s->data_len += size;
}

/* Text appended to the data area; returns its length. */
static uint32_t text(struct seed *s, const char *t)
{
	uint32_t n = (uint32_t)strlen(t);

	memcpy(s->data + s->data_len, t, n);
	s->data_len += n;
	return n;
}

static void finish_op(struct seed *s, struct wire_op *op)
{
	op->data_len = s->data_len;
}

/* Fills seed `index`; false past the last one. */
static bool build(unsigned int index, struct seed *s)
{
	struct wire_op *op = NULL;

	memset(s, 0, sizeof(*s));
	s->fds = FUZZ_FDS_MEMFD;
	switch (index) {
	case 0:
		s->type = WIRE_HELLO;
		s->u.hello.pid = 4242;
		return true;
	case 1:
		s->type = WIRE_STATUS;
		return true;
	case 2:
		s->type = WIRE_STOP;
		return true;
	case 3: /* open, no parameters */
		s->type = WIRE_OPEN_SESSION;
		memcpy(s->u.open.uuid, seed_uuid, sizeof(seed_uuid));
		return true;
	case 4: /* open with a value, inline input and a NULL output */
		s->type = WIRE_OPEN_SESSION;
		memcpy(s->u.open.uuid, seed_uuid, sizeof(seed_uuid));
		s->u.open.login = 4; /* TEEC_LOGIN_APPLICATION */
		op = &s->u.open.op;
		value(&op->params[0], PT_VALUE_IN, 7, 9);
		inline_in(s, &op->params[1], PT_MEMREF_IN, 16);
		memref(&op->params[2], PT_MEMREF_OUT, WIRE_MEM_NULL, 0, 0, 0);
		value(&op->params[3], PT_VALUE_OUT, 0, 0);
		finish_op(s, op);
		return true;
	case 5: /* open, group login, one shared block with its fd */
		s->type = WIRE_OPEN_SESSION;
		memcpy(s->u.open.uuid, seed_uuid, sizeof(seed_uuid));
		s->u.open.login = 2; /* TEEC_LOGIN_GROUP */
		s->u.open.gid = 100;
		op = &s->u.open.op;
		memref(&op->params[0], PT_MEMREF_INOUT, WIRE_MEM_SHM_FD, 16, 100,
		       FUZZ_MEMFD_SIZE);
		op->params[0].shm_id = 1;
		s->nfds = 1;
		finish_op(s, op);
		return true;
	case 6:
		s->type = WIRE_CLOSE_SESSION;
		s->u.ref.session = 3;
		return true;
	case 7:
		s->type = WIRE_CANCEL;
		s->u.ref.session = 3;
		s->u.ref.seq = 12;
		return true;
	case 8:
		s->type = WIRE_HOST_HELLO;
		memcpy(s->u.host_hello.uuid, seed_uuid, sizeof(seed_uuid));
		s->u.host_hello.flags = 0x1c;
		return true;
	case 9: /* host open: the session channel only */
		s->type = WIRE_HOST_OPEN;
		s->u.host_open.session = 1;
		memcpy(s->u.host_open.client_uuid, seed_uuid, sizeof(seed_uuid));
		s->nfds = 1;
		s->fds = FUZZ_FDS_CHANNEL;
		return true;
	case 10: /* host open: channel, a temporary block, a shared block */
		s->type = WIRE_HOST_OPEN;
		s->u.host_open.session = 2;
		s->u.host_open.login = 0xf0000000; /* TEE_LOGIN_TRUSTED_APP */
		op = &s->u.host_open.op;
		memref(&op->params[0], PT_MEMREF_IN, WIRE_MEM_TEMP_FD, 0,
		       FUZZ_MEMFD_SIZE, FUZZ_MEMFD_SIZE);
		value(&op->params[1], PT_VALUE_INOUT, 1, 2);
		memref(&op->params[2], PT_MEMREF_OUT, WIRE_MEM_SHM_FD, 4000, 96,
		       FUZZ_MEMFD_SIZE);
		op->params[2].shm_id = 9;
		inline_in(s, &op->params[3], PT_MEMREF_INOUT, 33);
		s->nfds = 3;
		s->fds = FUZZ_FDS_CHANNEL;
		finish_op(s, op);
		return true;
	case 11: /* host open: channel and four fd-backed blocks (5 fds) */
		s->type = WIRE_HOST_OPEN;
		s->u.host_open.session = 3;
		op = &s->u.host_open.op;
		for (unsigned int i = 0; i < WIRE_NUM_PARAMS; i++) {
			memref(&op->params[i], PT_MEMREF_INOUT,
			       i % 2 ? WIRE_MEM_TEMP_FD : WIRE_MEM_SHM_FD,
			       i * 8, 8, FUZZ_MEMFD_SIZE);
			op->params[i].shm_id = 100 + i;
		}
		s->nfds = 5;
		s->fds = FUZZ_FDS_CHANNEL;
		finish_op(s, op);
		return true;
	case 12:
		s->type = WIRE_HOST_CLOSE;
		s->u.ref.session = 2;
		return true;
	case 13:
		s->type = WIRE_HOST_DESTROY;
		return true;
	case 14: /* invoke with values only */
		s->type = WIRE_INVOKE;
		s->u.invoke.command = 1;
		s->u.invoke.seq = 1;
		op = &s->u.invoke.op;
		value(&op->params[0], PT_VALUE_IN, 0xffffffff, 1);
		value(&op->params[1], PT_VALUE_OUT, 0, 0);
		value(&op->params[2], PT_VALUE_INOUT, 5, 7);
		finish_op(s, op);
		return true;
	case 15: /* invoke: inline in and inout, a known block, a NULL ref */
		s->type = WIRE_INVOKE;
		s->u.invoke.command = 5;
		s->u.invoke.seq = 2;
		op = &s->u.invoke.op;
		inline_in(s, &op->params[0], PT_MEMREF_IN, 64);
		inline_in(s, &op->params[1], PT_MEMREF_INOUT, 0);
		memref(&op->params[2], PT_MEMREF_INOUT, WIRE_MEM_SHM, 8, 32, 0);
		op->params[2].shm_id = 1;
		memref(&op->params[3], PT_MEMREF_IN, WIRE_MEM_NULL, 0, 0, 0);
		finish_op(s, op);
		return true;
	case 16: /* invoke with a large temporary memref in a memfd */
		s->type = WIRE_INVOKE;
		s->u.invoke.command = 4;
		s->u.invoke.seq = 3;
		op = &s->u.invoke.op;
		memref(&op->params[0], PT_MEMREF_OUT, WIRE_MEM_TEMP_FD, 0,
		       FUZZ_BIG_MEMFD_SIZE, FUZZ_BIG_MEMFD_SIZE);
		value(&op->params[1], PT_VALUE_IN, 0x5a, 0);
		s->nfds = 1;
		s->fds = FUZZ_FDS_BIG;
		finish_op(s, op);
		return true;
	case 17:
		s->type = WIRE_SHM_FORGET;
		s->u.forget.shm_id = 1;
		return true;
	case 18: /* the plain answer */
		s->type = WIRE_REPLY;
		s->u.reply.result = 0xffff0006; /* TEE_ERROR_BAD_PARAMETERS */
		s->u.reply.origin = 3;
		return true;
	case 19: /* answer to an invoke: values, inline output, size query */
		s->type = WIRE_REPLY;
		s->u.reply.origin = 4;
		op = &s->u.reply.op;
		value(&op->params[0], PT_VALUE_OUT, 12, 34);
		inline_in(s, &op->params[1], PT_MEMREF_OUT, 20);
		op->params[1].block_size = op->params[1].size;
		op->params[1].size = 40; /* the TA wrote less than it reports */
		memref(&op->params[2], PT_MEMREF_OUT, WIRE_MEM_NULL, 0, 128, 0);
		memref(&op->params[3], PT_MEMREF_INOUT, WIRE_MEM_SHM, 0, 16, 0);
		finish_op(s, op);
		return true;
	case 20: /* answer to an open: the new session and its channel */
		s->type = WIRE_REPLY;
		s->u.reply.session = 7;
		s->nfds = 1;
		s->fds = FUZZ_FDS_CHANNEL;
		return true;
	case 21: /* a TA takes the trusted UI */
		s->type = WIRE_TUI_INIT;
		memcpy(s->u.tui_session.uuid, seed_uuid, sizeof(seed_uuid));
		return true;
	case 22:
		s->type = WIRE_TUI_CLOSE;
		return true;
	case 23: /* a screen taken down by a cancelled TA */
		s->type = WIRE_TUI_CANCEL;
		s->u.tui_session.screen = 3;
		s->u.tui_session.reason = 0xffff0002; /* TEE_ERROR_CANCEL */
		return true;
	case 24: /* a PIN screen: label, a custom button, two entries */
		s->type = WIRE_TUI_SCREEN;
		memcpy(s->u.tui_screen.uuid, seed_uuid, sizeof(seed_uuid));
		s->u.tui_screen.screen = 3;
		s->u.tui_screen.buttons = 0x0d; /* CORRECTION, CANCEL, VALIDATE */
		s->u.tui_screen.custom = 0x08;
		s->u.tui_screen.close_session = 1;
		s->u.tui_screen.label_rgb[1] = 0x80;
		s->u.tui_screen.label_len = text(s, "Pay 12.50 EUR\r\nto Shop\xee\x80\x80");
		s->u.tui_screen.button_len[3] = text(s, "Pay");
		s->u.tui_screen.nentries = 2;
		s->u.tui_screen.entries[0].type = 1;
		s->u.tui_screen.entries[0].mode = 1;
		s->u.tui_screen.entries[0].max_len = 16;
		s->u.tui_screen.entries[0].label_len = text(s, "Login");
		s->u.tui_screen.entries[1].min_len = 4;
		s->u.tui_screen.entries[1].max_len = 6;
		s->u.tui_screen.entries[1].label_len = text(s, "PIN");
		return true;
	case 25: /* a message screen in landscape with an image */
		s->type = WIRE_TUI_SCREEN;
		s->u.tui_screen.orientation = 1;
		s->u.tui_screen.buttons = 0x02; /* OK */
		s->u.tui_screen.image_w = 64;
		s->u.tui_screen.image_h = 32;
		s->u.tui_screen.label_len = text(s, "Done");
		return true;
	case 26: /* the answer to screen 24 */
		s->type = WIRE_TUI_INPUT;
		s->u.tui_input.screen = 3;
		s->u.tui_input.button = 3; /* VALIDATE */
		s->u.tui_input.nentries = 2;
		s->u.tui_input.value_len[0] = text(s, "alice");
		s->u.tui_input.value_len[1] = text(s, "1234");
		return true;
	case 27: /* a screen that ended without input */
		s->type = WIRE_TUI_INPUT;
		s->u.tui_input.screen = 4;
		s->u.tui_input.result = 0xffff0011; /* TEE_ERROR_EXTERNAL_CANCEL */
		return true;
	default:
		return false;
	}
}

unsigned int fuzz_seed_count(void)
{
	struct seed s = { 0 };
	unsigned int n = 0;

	while (build(n, &s))
		n++;
	return n;
}

size_t fuzz_seed(unsigned int index, uint8_t *out, size_t cap)
{
	struct seed s = { 0 };
	int sv[2] = { -1, -1 };
	int fds[WIRE_MAX_FDS] = { 0 };
	struct iovec iov = { 0 };
	struct msghdr mh = { 0 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * WIRE_MAX_FDS)];
	} ctl;
	ssize_t n = -1;

	if (!build(index, &s) || cap < 2)
		return 0;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return 0;
	/* Any open fd will do: only the bytes are kept. */
	for (unsigned int i = 0; i < WIRE_MAX_FDS; i++)
		fds[i] = sv[0];
	memset(&ctl, 0, sizeof(ctl));
	iov.iov_base = out + 1;
	iov.iov_len = cap - 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	if (!wire_send(sv[0], s.type, &s.u, s.data_len ? s.data : NULL,
		       s.data_len, fds, s.nfds))
		n = recvmsg(sv[1], &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	for (struct cmsghdr *c = n >= 0 ? CMSG_FIRSTHDR(&mh) : NULL; c;
	     c = CMSG_NXTHDR(&mh, c)) {
		size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

		for (size_t i = 0; i < count; i++) {
			int fd = -1;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			close(fd);
		}
	}
	close(sv[0]);
	close(sv[1]);
	if (n <= 0 || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)))
		return 0;
	out[0] = FUZZ_CTL(s.nfds, s.fds);
	return (size_t)n + 1;
}
