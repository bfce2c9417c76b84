// SPDX-License-Identifier: BSD-2-Clause
/*
 * Encoding and checked decoding of the wire protocol (wire.h).
 * Nothing else in pytee reads or writes these bytes.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "wire.h"

/* Fixed body size of each message type (0 means "no body"). */
static size_t body_size(enum wire_type type)
{
	switch (type) {
	case WIRE_HELLO:
	case WIRE_STATUS:
	case WIRE_STOP:
		return sizeof(struct wire_hello);
	case WIRE_OPEN_SESSION:
		return sizeof(struct wire_open_session);
	case WIRE_CLOSE_SESSION:
	case WIRE_CANCEL:
	case WIRE_HOST_CLOSE:
	case WIRE_HOST_DESTROY:
		return sizeof(struct wire_session_ref);
	case WIRE_HOST_HELLO:
		return sizeof(struct wire_host_hello);
	case WIRE_HOST_OPEN:
		return sizeof(struct wire_host_open);
	case WIRE_INVOKE:
		return sizeof(struct wire_invoke);
	case WIRE_SHM_FORGET:
		return sizeof(struct wire_shm_forget);
	case WIRE_REPLY:
		return sizeof(struct wire_reply);
	case WIRE_TUI_INIT:
	case WIRE_TUI_CLOSE:
	case WIRE_TUI_CANCEL:
		return sizeof(struct wire_tui_session);
	case WIRE_TUI_SCREEN:
		return sizeof(struct wire_tui_screen);
	case WIRE_TUI_INPUT:
		return sizeof(struct wire_tui_input);
	case WIRE_TYPE_END:
		break;
	}
	return 0;
}

static struct wire_op *op_in_body(enum wire_type type, void *body)
{
	switch (type) {
	case WIRE_OPEN_SESSION:
		return &((struct wire_open_session *)body)->op;
	case WIRE_HOST_OPEN:
		return &((struct wire_host_open *)body)->op;
	case WIRE_INVOKE:
		return &((struct wire_invoke *)body)->op;
	case WIRE_REPLY:
		return &((struct wire_reply *)body)->op;
	default:
		return NULL;
	}
}

const struct wire_op *wire_msg_op(const struct wire_msg *msg)
{
	return op_in_body(msg->type, (void *)&msg->u);
}

int wire_send(int sock, enum wire_type type, const void *body,
	      const void *data, uint32_t data_len,
	      const int *fds, unsigned int nfds)
{
	size_t bsize = body_size(type);
	struct wire_hdr hdr = { 0 };
	struct iovec iov[3];
	struct msghdr mh = { 0 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * WIRE_MAX_FDS)];
	} ctl;
	ssize_t n = 0;

	if (bsize == 0 || nfds > WIRE_MAX_FDS || (!data && data_len) ||
	    sizeof(hdr) + bsize + data_len > WIRE_MAX_MSG) {
		errno = EINVAL;
		return -1;
	}
	hdr.magic = WIRE_MAGIC;
	hdr.version = WIRE_VERSION;
	hdr.type = (uint8_t)type;
	hdr.length = (uint32_t)(sizeof(hdr) + bsize + data_len);

	iov[0].iov_base = &hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = (void *)body;
	iov[1].iov_len = bsize;
	iov[2].iov_base = (void *)data;
	iov[2].iov_len = data_len;
	mh.msg_iov = iov;
	mh.msg_iovlen = data_len ? 3 : 2;
	if (nfds) {
		struct cmsghdr *c = NULL;

		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	do {
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != hdr.length) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

void wire_close_fds(struct wire_msg *msg)
{
	for (unsigned int i = 0; i < msg->nfds; i++) {
		if (msg->fds[i] >= 0)
			close(msg->fds[i]);
		msg->fds[i] = -1;
	}
	msg->nfds = 0;
}

static bool mem_kind_valid(uint32_t mem)
{
	return mem <= WIRE_MEM_TEMP_FD;
}

static bool range_inside(uint64_t offset, uint64_t size, uint64_t limit)
{
	return offset <= limit && size <= limit - offset;
}

/*
 * reply: in a WIRE_REPLY, fd kinds are refused, `size` is the size the TA
 * reported and an INLINE param's output bytes are [offset, offset +
 * block_size) of the data area.
 */
static bool op_valid(const struct wire_op *op, uint32_t data_len,
		     unsigned int fds_for_params, bool reply)
{
	unsigned int fds_needed = 0;

	if (op->data_len != data_len)
		return false;
	for (unsigned int i = 0; i < WIRE_NUM_PARAMS; i++) {
		const struct wire_param *p = &op->params[i];
		bool memref = p->type >= 5 && p->type <= 7;

		if (p->type > 7 || p->type == 4 || !mem_kind_valid(p->mem))
			return false;
		if (!memref) {
			if (p->mem != WIRE_MEM_NONE)
				return false;
			continue;
		}
		switch (p->mem) {
		case WIRE_MEM_NONE:
			return false;
		case WIRE_MEM_NULL:
			if (!reply && p->size)
				return false;
			break;
		case WIRE_MEM_INLINE:
			if (!range_inside(p->offset,
					  reply ? p->block_size : p->size,
					  data_len))
				return false;
			break;
		case WIRE_MEM_SHM:
			break;
		default: /* SHM_FD, TEMP_FD */
			if (reply || !range_inside(p->offset, p->size,
						   p->block_size))
				return false;
			fds_needed++;
			break;
		}
	}
	return reply || fds_needed == fds_for_params;
}

bool wire_op_valid(const struct wire_op *op, uint32_t data_len,
		   unsigned int nfds, unsigned int first_fd)
{
	if (first_fd > nfds)
		return false;
	return op_valid(op, data_len, nfds - first_fd, false);
}

static int recv_raw(int sock, uint8_t *buf, struct wire_msg *msg, size_t *len)
{
	struct iovec iov = { .iov_base = buf, .iov_len = WIRE_MAX_MSG };
	struct msghdr mh = { 0 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * WIRE_MAX_FDS)];
	} ctl;
	ssize_t n = 0;
	bool too_many = false;

	memset(&ctl, 0, sizeof(ctl));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	do {
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		size_t count = 0;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < count; i++) {
			int fd = -1;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (msg->nfds < WIRE_MAX_FDS) {
				msg->fds[msg->nfds++] = fd;
			} else {
				close(fd);
				too_many = true;
			}
		}
	}
	if (n == 0) {
		errno = ECONNRESET;
		return -1;
	}
	if (too_many || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
		errno = EBADMSG;
		return -1;
	}
	*len = (size_t)n;
	return 0;
}

/* ------------------------------------------------------------ the TUI */

static bool no_nul(const uint8_t *p, uint32_t len)
{
	return len == 0 || memchr(p, 0, len) == NULL;
}

static bool tui_session_valid(const struct wire_tui_session *b)
{
	(void)b; /* any uuid, screen and reason */
	return true;
}

static bool tui_screen_valid(const struct wire_tui_screen *b,
			     const uint8_t *data, uint32_t data_len)
{
	const uint32_t all = (1u << WIRE_TUI_BUTTONS) - 1;
	uint64_t sum = b->label_len;

	if (b->orientation > 1 || (b->buttons & ~all) || (b->custom & ~all) ||
	    b->close_session > 1 || b->label_len > WIRE_TUI_LABEL_MAX ||
	    b->pad0 || b->pad1 || b->nentries > WIRE_TUI_MAX_ENTRIES)
		return false;
	for (unsigned int i = 0; i < WIRE_TUI_BUTTONS; i++) {
		if (b->button_len[i] > WIRE_TUI_TEXT_MAX ||
		    (b->button_len[i] && !(b->custom & (1u << i))))
			return false;
		sum += b->button_len[i];
	}
	for (unsigned int i = 0; i < WIRE_TUI_MAX_ENTRIES; i++) {
		const struct wire_tui_entry *e = &b->entries[i];

		if (i >= b->nentries) {
			if (e->mode || e->type || e->min_len || e->max_len ||
			    e->label_len || e->pad)
				return false;
			continue;
		}
		if (e->mode > 2 || e->type > 1 || e->min_len > e->max_len ||
		    e->max_len > WIRE_TUI_VALUE_MAX ||
		    e->label_len > WIRE_TUI_TEXT_MAX || e->pad)
			return false;
		sum += e->label_len;
	}
	return sum == data_len && no_nul(data, data_len);
}

static bool tui_input_valid(const struct wire_tui_input *b,
			    const uint8_t *data, uint32_t data_len)
{
	uint64_t sum = 0;

	if (b->button >= WIRE_TUI_BUTTONS || b->nentries > WIRE_TUI_MAX_ENTRIES ||
	    b->pad)
		return false;
	for (unsigned int i = 0; i < WIRE_TUI_MAX_ENTRIES; i++) {
		if (b->value_len[i] > WIRE_TUI_VALUE_MAX ||
		    (i >= b->nentries && b->value_len[i]))
			return false;
		sum += b->value_len[i];
	}
	return sum == data_len && no_nul(data, data_len);
}

/* A message without an op: its data area and fds, by type. */
static bool plain_valid(const struct wire_msg *msg)
{
	if (msg->nfds)
		return false;
	switch (msg->type) {
	case WIRE_TUI_INIT:
	case WIRE_TUI_CLOSE:
	case WIRE_TUI_CANCEL:
		return msg->data_len == 0 && tui_session_valid(&msg->u.tui_session);
	case WIRE_TUI_SCREEN:
		return tui_screen_valid(&msg->u.tui_screen, msg->data,
					msg->data_len);
	case WIRE_TUI_INPUT:
		return tui_input_valid(&msg->u.tui_input, msg->data,
				       msg->data_len);
	default:
		return msg->data_len == 0;
	}
}

/* The code point of the UTF-8 sequence at s (len > 0 bytes left) and its
 * length in *n, or -1 for a sequence that is not well formed. */
static int32_t utf8_next(const uint8_t *s, size_t len, size_t *n)
{
	uint32_t c = s[0];
	uint32_t min = 0;
	size_t need = 0;

	if (c < 0x80) {
		*n = 1;
		return (int32_t)c;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		c &= 0x07;
		min = 0x10000;
	} else {
		return -1;
	}
	if (len <= need)
		return -1;
	for (size_t i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*n = need + 1;
	return (int32_t)c;
}

bool wire_tui_text_check(const uint8_t *s, size_t len, struct wire_tui_text *out)
{
	uint64_t line_w = 0;  /* pixels of the current line */
	uint64_t width = 0;
	uint64_t down = 0;    /* pixels of U+E003 nudges */
	uint64_t lines = len ? 1 : 0;
	size_t i = 0;
	size_t last = 0;
	bool ok = true;

	while (i < len) {
		size_t n = 0;
		int32_t c = utf8_next(s + i, len - i, &n);

		if (c == '\r' || c == '\n') {
			/* CR LF is one break; a break ends a line, the text
			 * after it (if any) starts the next. */
			if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
				n = 2;
			last = i;
			i += n;
			if (line_w > width)
				width = line_w;
			line_w = 0;
			if (i < len)
				lines++;
			continue;
		}
		if (c >= 0x20 && c <= 0x7d) {
			line_w += WIRE_TUI_CELL_W;
		} else if (c == 0xe002) {
			line_w += 1;
		} else if (c == 0xe003) {
			down += 1;
		} else if (c != 0xe000 && c != 0xe001) {
			ok = false;
			break;
		}
		last = i;
		i += n;
	}
	if (line_w > width)
		width = line_w;
	if (out) {
		uint64_t height = lines * WIRE_TUI_CELL_H + down;

		out->width = width > UINT32_MAX ? UINT32_MAX : (uint32_t)width;
		out->height = height > UINT32_MAX ? UINT32_MAX : (uint32_t)height;
		out->lines = lines > UINT32_MAX ? UINT32_MAX : (uint32_t)lines;
		out->last = ok ? last : i;
	}
	return ok;
}

const char *wire_tui_button_text(uint32_t button)
{
	static const char *const text[WIRE_TUI_BUTTONS] = {
		"Correction", "OK", "Cancel", "Validate", "Previous", "Next",
	};

	return button < WIRE_TUI_BUTTONS ? text[button] : NULL;
}

int wire_recv(int sock, uint8_t *buf, struct wire_msg *msg)
{
	struct wire_hdr hdr = { 0 };
	size_t len = 0;
	size_t bsize = 0;
	const struct wire_op *op = NULL;
	unsigned int first_fd = 0;

	memset(msg, 0, sizeof(*msg));
	for (unsigned int i = 0; i < WIRE_MAX_FDS; i++)
		msg->fds[i] = -1;
	if (recv_raw(sock, buf, msg, &len))
		goto err;
	errno = EBADMSG;
	if (len < sizeof(hdr))
		goto err;
	memcpy(&hdr, buf, sizeof(hdr));
	if (hdr.magic != WIRE_MAGIC || hdr.version != WIRE_VERSION ||
	    hdr.type == 0 || hdr.type >= WIRE_TYPE_END || hdr.length != len)
		goto err;
	msg->type = (enum wire_type)hdr.type;
	bsize = body_size(msg->type);
	if (len < sizeof(hdr) + bsize)
		goto err;
	memcpy(&msg->u, buf + sizeof(hdr), bsize);
	msg->data = buf + sizeof(hdr) + bsize;
	msg->data_len = (uint32_t)(len - sizeof(hdr) - bsize);

	op = wire_msg_op(msg);
	if (!op) {
		if (!plain_valid(msg))
			goto err;
		return 0;
	}
	if (msg->type == WIRE_REPLY) {
		if (msg->nfds > 1 || !op_valid(op, msg->data_len, 0, true))
			goto err;
		return 0;
	}
	first_fd = msg->type == WIRE_HOST_OPEN ? 1 : 0;
	if (!wire_op_valid(op, msg->data_len, msg->nfds, first_fd))
		goto err;
	return 0;
err:
	{
		int saved = errno;

		wire_close_fds(msg);
		errno = saved;
	}
	return -1;
}

/* ------------------------------------------------------------ spinning */

/* A sched_yield() that took longer ran another task: an idle yield costs
 * ~0.75 us here, a poll that does not wait ~0.4 us. */
#define YIELD_BUSY_NS 5000u
/* After a spin that did not pay, the next waits block at once: 4 of them,
 * twice as many after each further failure, at most 256. */
#define SPIN_SKIP_FIRST 4u
#define SPIN_SKIP_MAX 256u

/*
 * Spinning pays while the peer runs on another CPU and answers within the
 * window.  When the peer shares our CPU, blocking is as fast (that CPU
 * never halts) and spinning is harmful: sched_yield() does not always run
 * the peer, and a same-CPU C null invoke then took 60-120 us instead of
 * 15 us.  So a spin that ends with another task having run in our yield,
 * or with nothing after the window, makes this thread block for its next
 * few waits, more each time; a spin that is answered resets that.
 */
static _Thread_local struct {
	unsigned int skip;    /* waits left that block at once */
	unsigned int backoff; /* skip after the next spin that fails */
} spin;

static uint64_t now_ns(void)
{
	struct timespec ts = { 0 };

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int wire_poll_spin(struct pollfd *pfds, nfds_t n, unsigned int spin_us)
{
	uint64_t until = 0;
	bool busy = false;
	int r = 0;

	if (spin.skip) {
		spin.skip--;
		return 0;
	}
	r = poll(pfds, n, 0);
	if (r)
		return r; /* no wait at all: nothing learnt */
	until = now_ns() + (uint64_t)spin_us * 1000u;
	for (;;) {
		uint64_t t = now_ns();

		if (t >= until)
			break;
		/* Let a peer on this CPU run; if one did, look once more, stop. */
		sched_yield();
		busy = now_ns() - t > YIELD_BUSY_NS;
		r = poll(pfds, n, 0);
		if (r || busy)
			break;
	}
	if (r > 0 && !busy) {
		spin.backoff = 0;
	} else if (r >= 0) {
		spin.backoff = spin.backoff ? 2 * spin.backoff : SPIN_SKIP_FIRST;
		if (spin.backoff > SPIN_SKIP_MAX)
			spin.backoff = SPIN_SKIP_MAX;
		spin.skip = spin.backoff;
	}
	return r;
}

int wire_recv_spin(int sock, uint8_t *buf, struct wire_msg *msg,
		   unsigned int spin_us)
{
	struct pollfd pfd = { .fd = sock, .events = POLLIN };

	/* Whatever it found, wire_recv then waits or reports. */
	wire_poll_spin(&pfd, 1, spin_us);
	return wire_recv(sock, buf, msg);
}
