// SPDX-License-Identifier: BSD-2-Clause
/*
 * Fuzz target for the wire protocol (csrc/common/wire.c), for libFuzzer or
 * for the fallback driver fuzz_main.c.  The input format is in fuzz.h.
 *
 * For each input it
 *   1. sends the datagram, with the fds the control byte asks for, through
 *      a SOCK_SEQPACKET socketpair and runs wire_recv on it;
 *   2. checks that wire_recv accepts exactly what an independent model of
 *      the rules in wire.h accepts (and fails with the right errno);
 *   3. for an accepted message, checks what it decoded (type, body, data
 *      area, fds open and close-on-exec), runs wire_op_valid on its op with
 *      every fd count and compares with the model, does with the op what a
 *      receiver does (copies inline bytes out; takes the fds in order, checks
 *      each is what the op claims, maps it and touches the claimed range),
 *      then encodes the message again with wire_send and checks that the
 *      same bytes come out;
 *   4. checks that no fd was left open, and (under ASan) that nothing read
 *      the receive buffer past the end of the datagram.
 * Any disagreement aborts with a message; the sanitizers catch the rest.
 * FUZZ_WIRE_STATS=1 in the environment prints counters at exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "wire.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define FUZZ_ASAN 1
#endif
#ifdef FUZZ_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n)	ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n)	((void)(p), (void)(n))
#define UNPOISON(p, n)	((void)(p), (void)(n))
#endif

/* At most this many fds are compared before and after each input. */
#define FD_SCAN 1024
#define MAX_SEND_FDS 7
/* Room for a datagram of WIRE_MAX_MSG + 1 bytes in a socket buffer. */
#define SOCK_BUF (4 * WIRE_MAX_MSG)

enum outcome { ACCEPT, MALFORMED, HANGUP };

static struct {
	bool ready;
	int tx, rx;		/* the datagram goes tx -> rx */
	int echo_tx, echo_rx;	/* the re-encoded message goes echo_tx -> echo_rx */
	int pool[4][MAX_SEND_FDS]; /* fds to attach, by enum fuzz_fds */
	uint8_t *dgram;		/* WIRE_MAX_MSG + 1: the datagram sent */
	uint8_t *buf;		/* WIRE_MAX_MSG: wire_recv's buffer */
	uint8_t *echo;		/* WIRE_MAX_MSG + 1: the re-encoded datagram */
} g = { .tx = -1, .rx = -1, .echo_tx = -1, .echo_rx = -1 };

static struct {
	unsigned long inputs, accepted[WIRE_TYPE_END], malformed, hangups;
	unsigned long refused_fd, mapped, inline_copies;
} stats;

__attribute__((noreturn, format(printf, 1, 2)))
static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fuzz_wire: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

static void print_stats(void)
{
	fprintf(stderr, "fuzz_wire: %lu inputs, %lu malformed, %lu hang-ups,"
		" %lu fds refused by the receiver, %lu mapped, %lu inline copies\n",
		stats.inputs, stats.malformed, stats.hangups, stats.refused_fd,
		stats.mapped, stats.inline_copies);
	for (unsigned int t = 1; t < WIRE_TYPE_END; t++)
		fprintf(stderr, "fuzz_wire:   type %2u accepted %lu\n", t,
			stats.accepted[t]);
}

static int make_memfd(size_t size)
{
	int fd = memfd_create("fuzz_wire", MFD_CLOEXEC);

	if (fd < 0 || ftruncate(fd, (off_t)size))
		fail("memfd: %s", strerror(errno));
	return fd;
}

static void sock_pair(int *tx, int *rx)
{
	int sv[2] = { -1, -1 };
	int size = SOCK_BUF;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		fail("socketpair: %s", strerror(errno));
	/* Never block: a message that is not there is a failure, not a hang. */
	if (fcntl(sv[1], F_SETFL, O_NONBLOCK) ||
	    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)) ||
	    setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		fail("socket options: %s", strerror(errno));
	*tx = sv[0];
	*rx = sv[1];
}

static void setup(void)
{
	int spare = -1;

	sock_pair(&g.tx, &g.rx);
	sock_pair(&g.echo_tx, &g.echo_rx);
	for (unsigned int i = 0; i < MAX_SEND_FDS; i++) {
		g.pool[FUZZ_FDS_MEMFD][i] = make_memfd(FUZZ_MEMFD_SIZE);
		g.pool[FUZZ_FDS_CHANNEL][i] = i ? g.pool[FUZZ_FDS_MEMFD][i] : -1;
		g.pool[FUZZ_FDS_EMPTY][i] = make_memfd(0);
		g.pool[FUZZ_FDS_BIG][i] = make_memfd(FUZZ_BIG_MEMFD_SIZE);
	}
	/* The channel: one end of a socketpair (the other end is not needed). */
	sock_pair(&g.pool[FUZZ_FDS_CHANNEL][0], &spare);
	close(spare);
	g.dgram = malloc(WIRE_MAX_MSG + 1);
	g.buf = malloc(WIRE_MAX_MSG);
	g.echo = malloc(WIRE_MAX_MSG + 1);
	if (!g.dgram || !g.buf || !g.echo)
		fail("out of memory");
	if (getenv("FUZZ_WIRE_STATS"))
		atexit(print_stats);
	g.ready = true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!g.ready)
		setup();
	return 0;
}

/* ------------------------------------------------------------ the model */

/*
 * The rules of wire.h, written again from the header's comments and
 * independently of wire.c: ranges are summed in 128 bits instead of being
 * compared piecewise.
 */
struct type_info {
	size_t body;		/* fixed body size; 0 for an unknown type */
	size_t op_at;		/* offset of the wire_op in the body */
	bool has_op;
};

static struct type_info type_info(unsigned int type)
{
	struct type_info ti = { 0, 0, false };

	switch (type) {
	case WIRE_HELLO:
	case WIRE_STATUS:
	case WIRE_STOP:
		ti.body = sizeof(struct wire_hello);
		break;
	case WIRE_CLOSE_SESSION:
	case WIRE_CANCEL:
	case WIRE_HOST_CLOSE:
	case WIRE_HOST_DESTROY:
		ti.body = sizeof(struct wire_session_ref);
		break;
	case WIRE_HOST_HELLO:
		ti.body = sizeof(struct wire_host_hello);
		break;
	case WIRE_SHM_FORGET:
		ti.body = sizeof(struct wire_shm_forget);
		break;
	case WIRE_OPEN_SESSION:
		ti.body = sizeof(struct wire_open_session);
		ti.op_at = offsetof(struct wire_open_session, op);
		ti.has_op = true;
		break;
	case WIRE_HOST_OPEN:
		ti.body = sizeof(struct wire_host_open);
		ti.op_at = offsetof(struct wire_host_open, op);
		ti.has_op = true;
		break;
	case WIRE_INVOKE:
		ti.body = sizeof(struct wire_invoke);
		ti.op_at = offsetof(struct wire_invoke, op);
		ti.has_op = true;
		break;
	case WIRE_REPLY:
		ti.body = sizeof(struct wire_reply);
		ti.op_at = offsetof(struct wire_reply, op);
		ti.has_op = true;
		break;
	case WIRE_TUI_INIT:
	case WIRE_TUI_CLOSE:
	case WIRE_TUI_CANCEL:
		ti.body = sizeof(struct wire_tui_session);
		break;
	case WIRE_TUI_SCREEN:
		ti.body = sizeof(struct wire_tui_screen);
		break;
	case WIRE_TUI_INPUT:
		ti.body = sizeof(struct wire_tui_input);
		break;
	default:
		break;
	}
	return ti;
}

static bool fits(uint64_t offset, uint64_t size, uint64_t limit)
{
	return (unsigned __int128)offset + size <= limit;
}

/* An op of a request with `fds` fds for its parameters, or of a reply. */
static bool model_op(const struct wire_op *op, uint32_t data_len,
		     unsigned int fds, bool reply)
{
	unsigned int fd_params = 0;

	if (op->data_len != data_len)
		return false;
	for (unsigned int i = 0; i < WIRE_NUM_PARAMS; i++) {
		const struct wire_param *p = &op->params[i];

		switch (p->type) {
		case 0: /* none */
		case 1: /* value input */
		case 2: /* value output */
		case 3: /* value inout */
			if (p->mem != WIRE_MEM_NONE)
				return false;
			break;
		case 5: /* memref input */
		case 6: /* memref output */
		case 7: /* memref inout */
			if (p->mem == WIRE_MEM_NULL) {
				if (!reply && p->size != 0)
					return false;
			} else if (p->mem == WIRE_MEM_INLINE) {
				if (!fits(p->offset, reply ? p->block_size : p->size,
					  data_len))
					return false;
			} else if (p->mem == WIRE_MEM_SHM) {
				/* the receiver checks it against its own block */
			} else if (p->mem == WIRE_MEM_SHM_FD ||
				   p->mem == WIRE_MEM_TEMP_FD) {
				if (reply || !fits(p->offset, p->size, p->block_size))
					return false;
				fd_params++;
			} else {
				return false;
			}
			break;
		default:
			return false;
		}
	}
	return reply || fd_params == fds;
}

/* The rules of wire.h for the Trusted UI bodies, read field by field
 * from the datagram.  body: the fixed part; data: the rest. */
static uint32_t u32_at(const uint8_t *p, size_t at)
{
	uint32_t v = 0;

	memcpy(&v, p + at, sizeof(v));
	return v;
}

static bool texts_ok(const uint8_t *data, uint32_t data_len, uint64_t sum)
{
	if (sum != data_len)
		return false;
	for (uint32_t i = 0; i < data_len; i++)
		if (data[i] == 0)
			return false;
	return true;
}

static bool model_tui_screen(const uint8_t *body, const uint8_t *data,
			     uint32_t data_len)
{
	const size_t e0 = offsetof(struct wire_tui_screen, entries);
	const size_t esz = sizeof(struct wire_tui_entry);
	uint32_t buttons = u32_at(body, offsetof(struct wire_tui_screen, buttons));
	uint32_t custom = u32_at(body, offsetof(struct wire_tui_screen, custom));
	uint32_t n = u32_at(body, offsetof(struct wire_tui_screen, nentries));
	uint64_t sum = u32_at(body, offsetof(struct wire_tui_screen, label_len));

	if (u32_at(body, offsetof(struct wire_tui_screen, orientation)) > 1 ||
	    buttons >= 64 || custom >= 64 ||
	    u32_at(body, offsetof(struct wire_tui_screen, close_session)) > 1 ||
	    sum > 4096 || body[offsetof(struct wire_tui_screen, pad0)] != 0 ||
	    u32_at(body, offsetof(struct wire_tui_screen, pad1)) != 0 || n > 3)
		return false;
	for (unsigned int b = 0; b < 6; b++) {
		uint32_t blen = u32_at(body, offsetof(struct wire_tui_screen,
						      button_len) + 4 * b);

		if (blen > 256 || (blen != 0 && !((custom >> b) & 1)))
			return false;
		sum += blen;
	}
	for (unsigned int i = 0; i < 3; i++) {
		const uint8_t *e = body + e0 + i * esz;
		uint32_t mode = u32_at(e, 0), type = u32_at(e, 4);
		uint32_t min = u32_at(e, 8), max = u32_at(e, 12);
		uint32_t label = u32_at(e, 16), pad = u32_at(e, 20);

		if (i >= n) {
			if (mode | type | min | max | label | pad)
				return false;
		} else if (mode > 2 || type > 1 || min > max || max > 64 ||
			   label > 256 || pad) {
			return false;
		}
		sum += label;
	}
	return texts_ok(data, data_len, sum);
}

static bool model_tui_input(const uint8_t *body, const uint8_t *data,
			    uint32_t data_len)
{
	uint32_t n = u32_at(body, offsetof(struct wire_tui_input, nentries));
	uint64_t sum = 0;

	if (u32_at(body, offsetof(struct wire_tui_input, button)) >= 6 || n > 3 ||
	    u32_at(body, offsetof(struct wire_tui_input, pad)) != 0)
		return false;
	for (unsigned int i = 0; i < 3; i++) {
		uint32_t v = u32_at(body, offsetof(struct wire_tui_input,
						   value_len) + 4 * i);

		if (v > 64 || (i >= n && v))
			return false;
		sum += v;
	}
	return texts_ok(data, data_len, sum);
}

static enum outcome model_message(const uint8_t *d, size_t len,
				  unsigned int nfds)
{
	struct wire_hdr hdr = { 0 };
	struct type_info ti = { 0 };
	struct wire_op op = { 0 };
	uint32_t data_len = 0;

	if (len == 0)
		return HANGUP; /* an empty datagram reads as end of stream */
	if (len > WIRE_MAX_MSG || nfds > WIRE_MAX_FDS || len < sizeof(hdr))
		return MALFORMED;
	memcpy(&hdr, d, sizeof(hdr));
	ti = type_info(hdr.type);
	if (hdr.magic != WIRE_MAGIC || hdr.version != WIRE_VERSION ||
	    ti.body == 0 || hdr.length != len || len < sizeof(hdr) + ti.body)
		return MALFORMED;
	data_len = (uint32_t)(len - sizeof(hdr) - ti.body);
	if (!ti.has_op && nfds)
		return MALFORMED;
	if (hdr.type == WIRE_TUI_SCREEN)
		return model_tui_screen(d + sizeof(hdr), d + sizeof(hdr) + ti.body,
					data_len) ? ACCEPT : MALFORMED;
	if (hdr.type == WIRE_TUI_INPUT)
		return model_tui_input(d + sizeof(hdr), d + sizeof(hdr) + ti.body,
				       data_len) ? ACCEPT : MALFORMED;
	if (!ti.has_op)
		return data_len == 0 ? ACCEPT : MALFORMED;
	memcpy(&op, d + sizeof(hdr) + ti.op_at, sizeof(op));
	if (hdr.type == WIRE_REPLY)
		return nfds <= 1 && model_op(&op, data_len, 0, true) ?
		       ACCEPT : MALFORMED;
	if (hdr.type == WIRE_HOST_OPEN) {
		/* fds[0] is the session channel, then one per fd parameter */
		return nfds >= 1 && model_op(&op, data_len, nfds - 1, false) ?
		       ACCEPT : MALFORMED;
	}
	return model_op(&op, data_len, nfds, false) ? ACCEPT : MALFORMED;
}

/* ----------------------------------------------------------- the checks */

/*
 * Which fds below `limit` are open.  An input opens at most a dozen fds
 * (those received, those of the round trip), and the kernel gives each the
 * lowest free number, so a leak shows up below the lowest free fd + 64.
 */
static int scan_limit(void)
{
	int fd = fcntl(g.tx, F_DUPFD_CLOEXEC, 0);
	int limit = FD_SCAN;

	if (fd < 0)
		fail("F_DUPFD: %s", strerror(errno));
	close(fd);
	if (fd + 64 < limit)
		limit = fd + 64;
	return limit;
}

static void open_fds(uint8_t *set, int limit)
{
	for (int fd = 0; fd < limit; fd++)
		set[fd] = fcntl(fd, F_GETFD) >= 0;
}

static void check_decoded(const struct wire_msg *msg, const uint8_t *d,
			  size_t len, unsigned int nfds)
{
	struct type_info ti = type_info(d[3]);
	const struct wire_op *op = wire_msg_op(msg);

	if ((unsigned int)msg->type != d[3] || ti.body == 0)
		fail("decoded type %d, datagram says %u", (int)msg->type, d[3]);
	if (memcmp(&msg->u, d + sizeof(struct wire_hdr), ti.body))
		fail("decoded body differs from the datagram's");
	if (msg->data != g.buf + sizeof(struct wire_hdr) + ti.body ||
	    msg->data_len != len - sizeof(struct wire_hdr) - ti.body)
		fail("data area [%p, +%u) is not the rest of the datagram",
		     (const void *)msg->data, msg->data_len);
	if (msg->nfds != nfds)
		fail("%u fds decoded, %u sent", msg->nfds, nfds);
	for (unsigned int i = 0; i < WIRE_MAX_FDS; i++) {
		int flags = i < msg->nfds ? fcntl(msg->fds[i], F_GETFD) : 0;

		if (i >= msg->nfds && msg->fds[i] != -1)
			fail("fds[%u] = %d past nfds %u", i, msg->fds[i],
			     msg->nfds);
		if (i < msg->nfds && (flags < 0 || !(flags & FD_CLOEXEC)))
			fail("fds[%u] = %d not open close-on-exec", i,
			     msg->fds[i]);
	}
	if ((op != NULL) != ti.has_op)
		fail("wire_msg_op is %s for type %u", op ? "set" : "NULL", d[3]);
	if (op && (const uint8_t *)op != (const uint8_t *)&msg->u + ti.op_at)
		fail("wire_msg_op points at the wrong place");
}

/* wire_op_valid against the model, for every fd count and first fd. */
static void check_op_valid(const struct wire_op *op, uint32_t data_len)
{
	for (unsigned int nfds = 0; nfds <= WIRE_MAX_FDS + 1; nfds++) {
		for (unsigned int first = 0; first <= 2; first++) {
			bool want = first <= nfds &&
				    model_op(op, data_len, nfds - first, false);

			if (wire_op_valid(op, data_len, nfds, first) != want)
				fail("wire_op_valid(nfds %u, first_fd %u) is %d,"
				     " the model says %d", nfds, first, !want,
				     want);
		}
	}
}

static void copy_out(const uint8_t *data, uint64_t offset, uint64_t size)
{
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		fail("out of memory copying %llu bytes",
		     (unsigned long long)size);
	memcpy(copy, data + offset, size);
	stats.inline_copies++;
	free(copy);
}

/*
 * What a TA host must do with an fd-backed memref: check that the fd is a
 * regular file (a memfd) at least block_size long, map it and use
 * [offset, offset + size).  The size check is the receiver's: wire.c only
 * knows the block size the sender claims, and a mapping longer than its
 * file raises SIGBUS when touched past the end.
 */
static void use_fd(int fd, const struct wire_param *p)
{
	struct stat st = { 0 };
	volatile const uint8_t *map = NULL;
	void *addr = NULL;

	if (fstat(fd, &st))
		fail("fstat of decoded fd %d: %s", fd, strerror(errno));
	if (!S_ISREG(st.st_mode) || p->block_size == 0 ||
	    p->block_size > (uint64_t)st.st_size) {
		stats.refused_fd++;
		return;
	}
	addr = mmap(NULL, p->block_size, PROT_READ, MAP_SHARED, fd, 0);
	if (addr == MAP_FAILED)
		fail("mmap of %llu bytes: %s",
		     (unsigned long long)p->block_size, strerror(errno));
	map = addr;
	if (p->size) {
		(void)map[p->offset];
		(void)map[p->offset + p->size - 1];
	}
	munmap(addr, p->block_size);
	stats.mapped++;
}

/* A text of a TUI message: copied out and checked as teed checks it. */
static void use_text(const uint8_t *data, uint32_t *at, uint32_t len)
{
	struct wire_tui_text text = { 0 };
	bool ok = false;

	copy_out(data, *at, len);
	ok = wire_tui_text_check(data + *at, len, &text);
	if (len == 0 && (!ok || text.lines != 0 || text.width || text.height))
		fail("an empty text measures %u lines", text.lines);
	if (text.last > (len ? len - 1 : 0) && ok)
		fail("text check: last index %zu past %u bytes", text.last, len);
	if (!ok && text.last >= len)
		fail("text check failed at %zu of %u bytes", text.last, len);
	*at += len;
}

/* What teed does with a TUI screen or input: walk its texts. */
static void act_on_tui(const struct wire_msg *msg)
{
	uint32_t at = 0;

	if (msg->type == WIRE_TUI_SCREEN) {
		const struct wire_tui_screen *b = &msg->u.tui_screen;

		use_text(msg->data, &at, b->label_len);
		for (unsigned int i = 0; i < WIRE_TUI_BUTTONS; i++)
			use_text(msg->data, &at, b->button_len[i]);
		for (unsigned int i = 0; i < b->nentries; i++)
			use_text(msg->data, &at, b->entries[i].label_len);
	} else if (msg->type == WIRE_TUI_INPUT) {
		const struct wire_tui_input *b = &msg->u.tui_input;

		for (unsigned int i = 0; i < b->nentries; i++)
			use_text(msg->data, &at, b->value_len[i]);
	}
	if (at != msg->data_len)
		fail("texts use %u of %u data bytes", at, msg->data_len);
}

static void act_as_receiver(const struct wire_msg *msg)
{
	const struct wire_op *op = wire_msg_op(msg);
	bool reply = msg->type == WIRE_REPLY;
	unsigned int next_fd = msg->type == WIRE_HOST_OPEN ? 1 : 0;
	struct stat st = { 0 };

	if (!op) {
		act_on_tui(msg);
		return;
	}
	if (msg->type == WIRE_HOST_OPEN &&
	    (fstat(msg->fds[0], &st) || !S_ISSOCK(st.st_mode)))
		stats.refused_fd++; /* not a session channel */
	for (unsigned int i = 0; i < WIRE_NUM_PARAMS; i++) {
		const struct wire_param *p = &op->params[i];

		switch (p->mem) {
		case WIRE_MEM_INLINE:
			/* a request's input bytes, a reply's output bytes */
			copy_out(msg->data, p->offset,
				 reply ? p->block_size : p->size);
			break;
		case WIRE_MEM_SHM_FD:
		case WIRE_MEM_TEMP_FD:
			if (reply)
				fail("fd kind %u accepted in a reply", p->mem);
			if (next_fd >= msg->nfds)
				fail("param %u needs fd %u of %u", i, next_fd,
				     msg->nfds);
			use_fd(msg->fds[next_fd++], p);
			break;
		default:
			break;
		}
	}
	if (!reply && next_fd != msg->nfds)
		fail("%u fds used of %u", next_fd, msg->nfds);
}

/* Encode the message again: the same datagram must come out. */
static void check_round_trip(const struct wire_msg *msg, const uint8_t *d,
			     size_t len)
{
	struct iovec iov = { .iov_base = g.echo, .iov_len = WIRE_MAX_MSG + 1 };
	struct msghdr mh = { 0 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * MAX_SEND_FDS)];
	} ctl;
	ssize_t n = 0;

	if (wire_send(g.echo_tx, msg->type, &msg->u,
		      msg->data_len ? msg->data : NULL, msg->data_len,
		      msg->fds, msg->nfds))
		fail("wire_send of a decoded message: %s", strerror(errno));
	memset(&ctl, 0, sizeof(ctl));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	n = recvmsg(g.echo_rx, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0)
		fail("echo recvmsg: %s", strerror(errno));
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		if (count != msg->nfds)
			fail("wire_send sent %zu fds, not %u", count, msg->nfds);
		for (size_t i = 0; i < count; i++) {
			int fd = -1;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			close(fd);
		}
	}
	if ((size_t)n != len || memcmp(g.echo, d, len))
		fail("wire_send made %zd bytes that differ from the %zu decoded",
		     n, len);
}

/* ------------------------------------------------------------ the input */

static void fix_up(uint8_t *d, size_t len)
{
	struct wire_hdr hdr = { 0 };
	struct type_info ti = { 0 };
	uint32_t data_len = 0;

	if (len < sizeof(hdr))
		return;
	memcpy(&hdr, d, sizeof(hdr));
	hdr.length = (uint32_t)len;
	memcpy(d, &hdr, sizeof(hdr));
	ti = type_info(hdr.type);
	if (!ti.has_op || len < sizeof(hdr) + ti.body)
		return;
	data_len = (uint32_t)(len - sizeof(hdr) - ti.body);
	memcpy(d + sizeof(hdr) + ti.op_at + offsetof(struct wire_op, data_len),
	       &data_len, sizeof(data_len));
}

static bool send_datagram(const uint8_t *d, size_t len, const int *fds,
			  unsigned int nfds)
{
	struct iovec iov = { .iov_base = (void *)d, .iov_len = len };
	struct msghdr mh = { 0 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * MAX_SEND_FDS)];
	} ctl;

	memset(&ctl, 0, sizeof(ctl));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (nfds) {
		struct cmsghdr *c = NULL;

		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	if (sendmsg(g.tx, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)len)
		return true;
	if (errno == EMSGSIZE || errno == ENOBUFS || errno == EAGAIN)
		return false; /* the kernel refuses it: nothing to test */
	fail("sendmsg of %zu bytes: %s", len, strerror(errno));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t before[FD_SCAN] = { 0 };
	uint8_t after[FD_SCAN] = { 0 };
	struct wire_msg msg = { 0 };
	enum outcome want = MALFORMED;
	unsigned int nfds = 0;
	unsigned int pad = 0;
	size_t len = 0;
	int limit = 0;
	int ret = 0;
	int err = 0;

	if (!g.ready)
		setup();
	if (size < 1)
		return 0;
	stats.inputs++;
	nfds = FUZZ_CTL_NFDS(data[0]);
	pad = FUZZ_CTL_PAD(data[0]);
	len = size - 1;
	if (len > WIRE_MAX_MSG + 1)
		len = WIRE_MAX_MSG + 1;
	memcpy(g.dgram, data + 1, len);
	if (pad == FUZZ_PAD_MAX || pad == FUZZ_PAD_OVER) {
		size_t to = pad == FUZZ_PAD_MAX ? WIRE_MAX_MSG : WIRE_MAX_MSG + 1;

		if (len < to)
			memset(g.dgram + len, 0, to - len);
		len = to;
	}
	if (data[0] & FUZZ_CTL_FIXUP)
		fix_up(g.dgram, len);

	limit = scan_limit();
	open_fds(before, limit);
	/* Anything wire_recv reads past the datagram is a bug. */
	if (len < WIRE_MAX_MSG)
		POISON(g.buf + len, WIRE_MAX_MSG - len);
	if (!send_datagram(g.dgram, len, g.pool[FUZZ_CTL_FDS(data[0])], nfds)) {
		UNPOISON(g.buf, WIRE_MAX_MSG);
		return 0;
	}
	want = model_message(g.dgram, len, nfds);
	errno = 0;
	ret = wire_recv(g.rx, g.buf, &msg);
	err = errno;
	if (ret == 0 && want != ACCEPT)
		fail("wire_recv accepted a message the model calls %s"
		     " (type %u, %zu bytes, %u fds)",
		     want == HANGUP ? "a hang-up" : "malformed",
		     len > 3 ? g.dgram[3] : 0u, len, nfds);
	if (ret != 0 && want == ACCEPT)
		fail("wire_recv refused (%s) a message the model accepts"
		     " (type %u, %zu bytes, %u fds)", strerror(err),
		     len > 3 ? g.dgram[3] : 0u, len, nfds);
	if (ret != 0 && err != (want == HANGUP ? ECONNRESET : EBADMSG))
		fail("wire_recv failed with %s, expected %s", strerror(err),
		     strerror(want == HANGUP ? ECONNRESET : EBADMSG));

	if (ret == 0) {
		const struct wire_op *op = wire_msg_op(&msg);

		stats.accepted[msg.type]++;
		check_decoded(&msg, g.dgram, len, nfds);
		if (op)
			check_op_valid(op, msg.data_len);
		act_as_receiver(&msg);
		check_round_trip(&msg, g.dgram, len);
		wire_close_fds(&msg);
		if (msg.nfds != 0)
			fail("wire_close_fds left nfds %u", msg.nfds);
	} else if (want == HANGUP) {
		stats.hangups++;
	} else {
		stats.malformed++;
	}
	UNPOISON(g.buf, WIRE_MAX_MSG);

	open_fds(after, limit);
	for (int fd = 0; fd < limit; fd++) {
		if (before[fd] != after[fd])
			fail("fd %d %s by this input", fd,
			     after[fd] ? "left open" : "closed");
	}
	return 0;
}

#ifdef FUZZ_LIBFUZZER
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed);

/*
 * libFuzzer's own mutations, and now and then a fresh control byte: the fd
 * count and kind matter as much as the bytes, and are one byte of many.
 */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	size = LLVMFuzzerMutate(data, size, max_size);
	if (size && seed % 8 == 0)
		data[0] = (uint8_t)(seed >> 8);
	return size;
}
#endif
