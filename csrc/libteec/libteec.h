/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the files of pytee's libteec export to each other.
 *
 * The caller's TEEC_* structs hold only handles: imp.fd of a context is its
 * socket to teed, imp.session_id of a session is teed's session id, imp.id of
 * a shared memory block is libteec's block id.  Everything else lives in the
 * registry (registry.c), looked up by those handles under one lock.
 */
#ifndef LIBTEEC_INTERNAL_H
#define LIBTEEC_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <tee_client_api.h>

#include "wire.h"

#define TEEC_EXPORT __attribute__((visibility("default")))

/* imp.flags of a TEEC_SharedMemory, as OP-TEE names them. */
#define SHM_FLAG_BUFFER_ALLOCED 0x1u
#define SHM_FLAG_SHADOW_BUFFER_ALLOCED 0x2u

/* A context: its socket to teed and buffers for one request at a time. */
struct lt_ctx {
	int fd;
	pthread_mutex_t io;       /* one request/answer at a time */
	uint8_t *sendbuf;         /* WIRE_INLINE_MAX */
	uint8_t *recvbuf;         /* WIRE_MAX_MSG */
	struct lt_ctx *next;
};

/* A session: its direct channel to the TA host. */
struct lt_sess {
	uint32_t id;
	int ctx_fd;
	int chan;
	bool dead;                /* the instance died: TARGET_DEAD from now on */
	pthread_mutex_t io;
	uint32_t next_seq;
	uint8_t *sendbuf;
	uint8_t *recvbuf;
	uint64_t *known_shm;      /* blocks the host has mapped for this session */
	size_t nknown;
	size_t capknown;
	struct lt_sess *next;
};

/* A shared memory block (registered or allocated). */
struct lt_shm {
	int id;
	int memfd;
	void *map;                /* the memfd mapping (buffer or shadow) */
	size_t map_size;
	struct lt_shm *next;
};

/* ---- registry.c: every lookup returns with the entry still owned by the registry ---- */
void reg_lock(void);
void reg_unlock(void);
/* Under reg_lock: */
struct lt_ctx *reg_ctx_find(int fd);
struct lt_sess *reg_sess_find(uint32_t id);
struct lt_shm *reg_shm_find(int id);
void reg_ctx_add(struct lt_ctx *ctx);
struct lt_ctx *reg_ctx_remove(int fd);
void reg_sess_add(struct lt_sess *sess);
struct lt_sess *reg_sess_remove(uint32_t id);
/* Remove and return the sessions of a context, as a list linked by next. */
struct lt_sess *reg_sess_remove_ctx(int ctx_fd);
void reg_shm_add(struct lt_shm *shm);
struct lt_shm *reg_shm_remove(int id);
int reg_next_shm_id(void);
/* Tell every session's host to forget shm id; drops it from known lists. */
void reg_forget_shm(uint64_t id);
bool sess_knows_shm(const struct lt_sess *sess, uint64_t id);
int sess_add_known(struct lt_sess *sess, uint64_t id);
void sess_free(struct lt_sess *sess);
void ctx_free(struct lt_ctx *ctx);

/* In-flight invokes, so TEEC_RequestCancellation can find its target. */
int reg_op_begin(TEEC_Operation *op, uint32_t session, uint32_t seq, int ctx_fd);
void reg_op_end(TEEC_Operation *op);
/* Under reg_lock: the session, seq and context of an in-flight op. */
bool reg_op_find(const TEEC_Operation *op, uint32_t *session, uint32_t *seq,
		 int *ctx_fd);

/*
 * ---- registry.c ----
 * A memfd of `size` bytes sealed against resizing, as TA hosts require
 * before they map it; -1 on failure.
 */
int shm_memfd(size_t size);

/* ---- connect.c ---- */
/* Connect to teed (starting it when needed) and say hello; fd or -1. */
int teed_connect(void);

/* ---- marshal.c ---- */
struct marshal {
	struct wire_op op;
	uint8_t *data;            /* sendbuf of the context or session */
	uint32_t data_len;
	int fds[WIRE_MAX_FDS];
	unsigned int nfds;
	uint64_t new_shm[WIRE_NUM_PARAMS]; /* blocks sent with their fd */
	unsigned int nnew;
	struct {
		int fd;               /* one-call memfd of a large temp memref */
		void *map;
		size_t len;
	} temp[WIRE_NUM_PARAMS];
};

/*
 * Turn a TEEC_Operation (NULL = no parameters) into a wire op.  fd_base
 * fds are already in m->fds (the session channel for HOST_OPEN is not:
 * teed adds it).  sess is NULL for OpenSession.  On error the result is a
 * TEEC error with origin API and nothing needs releasing.
 */
TEEC_Result marshal_op(TEEC_Operation *op, const struct lt_sess *sess,
		       uint8_t *sendbuf, struct marshal *m);
/* Write back values, sizes and bytes from a reply (any result). */
void marshal_unpack(TEEC_Operation *op, const struct marshal *m,
		    const struct wire_msg *reply);
/* Release what marshal_op set up (one-call memfds). */
void marshal_release(struct marshal *m);

#endif /* LIBTEEC_INTERNAL_H */
