/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The wire protocol between libteec, teed and the TA hosts (version 1).
 *
 * Every message is one SOCK_SEQPACKET datagram: a struct wire_hdr, a fixed
 * body that depends on the type, then (for operations) an inline data area.
 * File descriptors travel with SCM_RIGHTS in the order the parameters that
 * need them appear.  wire.c is the only code that builds or parses these
 * bytes; every decoder checks type, exact length, offsets and counts before
 * anything is copied.
 */
#ifndef PYTEE_WIRE_H
#define PYTEE_WIRE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WIRE_MAGIC 0x5054 /* "PT" */
#define WIRE_VERSION 1

/* Largest datagram we send or accept, and how much memref data goes inline. */
#define WIRE_MAX_MSG (128 * 1024)
#define WIRE_INLINE_MAX (64 * 1024)
#define WIRE_MAX_FDS 5 /* session channel + one per parameter */
#define WIRE_NUM_PARAMS 4

enum wire_type {
	/* client -> teed */
	WIRE_HELLO = 1,
	WIRE_OPEN_SESSION,
	WIRE_CLOSE_SESSION,
	WIRE_CANCEL,
	WIRE_STATUS,
	WIRE_STOP,
	/* teed <-> host */
	WIRE_HOST_HELLO,
	WIRE_HOST_OPEN,
	WIRE_HOST_CLOSE,
	WIRE_HOST_DESTROY,
	/* client -> host */
	WIRE_INVOKE,
	WIRE_SHM_FORGET,
	/* answers */
	WIRE_REPLY,
	WIRE_TYPE_END
};

struct wire_hdr {
	uint16_t magic;
	uint8_t version;
	uint8_t type;
	uint32_t length; /* whole message, header included */
};

/* Where a memref parameter's bytes are. */
enum wire_mem {
	WIRE_MEM_NONE = 0,   /* not a memref */
	WIRE_MEM_NULL,       /* NULL buffer, size 0 (or a size query) */
	WIRE_MEM_INLINE,     /* [offset, offset+size) of the data area */
	WIRE_MEM_SHM,        /* block shm_id the host has already mapped */
	WIRE_MEM_SHM_FD,     /* block shm_id, its fd attached; host maps and keeps it */
	WIRE_MEM_TEMP_FD,    /* a one-call block (large temp memref), fd attached */
};

/*
 * One parameter.  `type` is the TA-side TEE_PARAM_TYPE_* (0 none, 1-3 value,
 * 5-7 memref).  For SHM_FD and TEMP_FD, block_size is the size of the whole
 * memfd and [offset, offset+size) must lie inside it.
 *
 * In a WIRE_REPLY no fd kind appears, `size` is the size the TA reported
 * (the required size after TEE_ERROR_SHORT_BUFFER), and an INLINE param's
 * output bytes are [offset, offset+block_size) of the data area.
 */
struct wire_param {
	uint32_t type;
	uint32_t mem;
	uint32_t a;
	uint32_t b;
	uint64_t shm_id;
	uint64_t offset;
	uint64_t size;
	uint64_t block_size;
};

struct wire_op {
	struct wire_param params[WIRE_NUM_PARAMS];
	uint32_t data_len; /* bytes of inline data after the body */
	uint32_t pad;
};

struct wire_hello {
	uint32_t pid;     /* the sender's pid, for logs */
	uint32_t pad;
};

/* client -> teed */
struct wire_open_session {
	uint8_t uuid[16];  /* big-endian octets, RFC 4122 order */
	uint32_t login;    /* TEEC_LOGIN_* */
	uint32_t gid;      /* connectionData for GROUP logins */
	struct wire_op op;
};

struct wire_session_ref {
	uint32_t session;
	uint32_t seq;      /* CANCEL: the invoke being cancelled */
};

/* host -> teed, once, right after start */
struct wire_host_hello {
	uint8_t uuid[16];
	uint32_t flags;      /* TA_FLAGS */
	uint32_t result;     /* of TA_CreateEntryPoint */
};

/* teed -> host */
struct wire_host_open {
	uint32_t session;
	uint32_t login;          /* TEE_LOGIN_* seen by the TA */
	uint8_t client_uuid[16]; /* gpd.client.identity */
	struct wire_op op;
};

/* client -> host */
struct wire_invoke {
	uint32_t command;
	uint32_t seq;
	struct wire_op op;
};

struct wire_shm_forget {
	uint64_t shm_id;
};

/*
 * The answer to every request.  For operations, `op` carries the values and
 * sizes the TA wrote and inline output bytes in the data area; for
 * OPEN_SESSION, `session` is the new session and the channel fd is attached;
 * for STATUS, `session` counts live instances and `seq` live sessions.
 */
struct wire_reply {
	uint32_t result;
	uint32_t origin;
	uint32_t session;
	uint32_t seq;
	struct wire_op op;
};

/* A decoded message.  `data` points into the caller's receive buffer. */
struct wire_msg {
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
	} u;
	const uint8_t *data;  /* inline data of the message's op, if any */
	uint32_t data_len;
	int fds[WIRE_MAX_FDS];
	unsigned int nfds;
};

/*
 * Spinning briefly before blocking, for the two waits of an invoke: the
 * client's for the reply, the TA host's for the next request.  A blocking
 * round trip costs 9-12 us when both ends share a CPU but ~100 us when they
 * run on two vCPUs of a VM (each direction wakes a halted vCPU); polling
 * for a few microseconds first brings the latter to 8-13 us
 * (bench/RESULTS.md).  Polling stops after WIRE_SPIN_US, and wire.c stops
 * spinning for a while when it does not pay (the peer shares our CPU).
 */
#ifndef WIRE_SPIN_US
#define WIRE_SPIN_US 50
#endif

/*
 * poll(pfds, n, 0), with sched_yield() between tries, for at most spin_us.
 * Returns what the last poll returned: > 0 (revents set), 0 (nothing yet:
 * block now) or -1 with errno.
 */
int wire_poll_spin(struct pollfd *pfds, nfds_t n, unsigned int spin_us);

/* wire_recv after wire_poll_spin on sock. */
int wire_recv_spin(int sock, uint8_t *buf, struct wire_msg *msg,
		   unsigned int spin_us);

/* Encoding: body is the fixed part for `type`; data may be NULL. */
int wire_send(int sock, enum wire_type type, const void *body,
	      const void *data, uint32_t data_len,
	      const int *fds, unsigned int nfds);

/*
 * Receive one message into buf (WIRE_MAX_MSG bytes) and decode it.
 * Returns 0, or -1 with errno: ECONNRESET for a hang-up, EBADMSG for a
 * malformed message (any fds received are closed).  On success the caller
 * owns msg->fds.
 */
int wire_recv(int sock, uint8_t *buf, struct wire_msg *msg);

/* The op of a decoded message of an operation-carrying type, or NULL. */
const struct wire_op *wire_msg_op(const struct wire_msg *msg);

/*
 * Check an op against its data area and its fds: every type and mem kind
 * valid, inline ranges inside the data area, fd-backed ranges inside their
 * block, one fd per *_FD parameter in order (starting at fds[first_fd]).
 */
bool wire_op_valid(const struct wire_op *op, uint32_t data_len,
		   unsigned int nfds, unsigned int first_fd);

void wire_close_fds(struct wire_msg *msg);

#endif /* PYTEE_WIRE_H */
