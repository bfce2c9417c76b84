// SPDX-License-Identifier: BSD-2-Clause
/*
 * The nine functions of the GP TEE Client API over pytee's software TEE,
 * with OP-TEE's semantics (../docs/architecture.md, teec-facts).  Bad
 * arguments that OP-TEE would crash on give TEEC_ERROR_BAD_PARAMETERS with
 * origin API instead.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libteec.h"

static void set_origin(uint32_t *origin, uint32_t value)
{
	if (origin)
		*origin = value;
}

/* A transport failure: hang-up means the TA instance (or teed) is gone. */
static TEEC_Result comms_error(uint32_t *origin)
{
	if (errno == ECONNRESET || errno == EPIPE) {
		set_origin(origin, TEEC_ORIGIN_TEE);
		return TEE_ERROR_TARGET_DEAD;
	}
	set_origin(origin, TEEC_ORIGIN_COMMS);
	return TEEC_ERROR_COMMUNICATION;
}

TEEC_EXPORT TEEC_Result TEEC_InitializeContext(const char *name,
					       TEEC_Context *context)
{
	struct lt_ctx *ctx = NULL;

	if (!context)
		return TEEC_ERROR_BAD_PARAMETERS;
	/* NULL is the default TEE; OP-TEE's own name is accepted too. */
	if (name && strcmp(name, "pytee") && strcmp(name, "optee-tz"))
		return TEEC_ERROR_ITEM_NOT_FOUND;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return TEEC_ERROR_OUT_OF_MEMORY;
	ctx->fd = -1;
	pthread_mutex_init(&ctx->io, NULL);
	ctx->sendbuf = malloc(WIRE_INLINE_MAX);
	ctx->recvbuf = malloc(WIRE_MAX_MSG);
	if (!ctx->sendbuf || !ctx->recvbuf) {
		ctx_free(ctx);
		return TEEC_ERROR_OUT_OF_MEMORY;
	}
	ctx->fd = teed_connect();
	if (ctx->fd < 0) {
		ctx_free(ctx);
		return TEEC_ERROR_ITEM_NOT_FOUND;
	}
	context->imp.fd = ctx->fd;
	context->imp.reg_mem = true;
	context->imp.memref_null = true;
	reg_lock();
	reg_ctx_add(ctx);
	reg_unlock();
	return TEEC_SUCCESS;
}

TEEC_EXPORT void TEEC_FinalizeContext(TEEC_Context *context)
{
	struct lt_ctx *ctx = NULL;
	struct lt_sess *orphans = NULL;

	if (!context)
		return;
	reg_lock();
	ctx = reg_ctx_remove(context->imp.fd);
	if (ctx)
		orphans = reg_sess_remove_ctx(ctx->fd);
	reg_unlock();
	/* Sessions left open: teed closes them when the socket closes. */
	while (orphans) {
		struct lt_sess *next = orphans->next;

		sess_free(orphans);
		orphans = next;
	}
	ctx_free(ctx);
	if (ctx)
		context->imp.fd = -1;
}

static void forget_new_blocks(struct lt_sess *sess, const struct marshal *m)
{
	reg_lock();
	for (unsigned int k = 0; k < m->nnew; k++)
		sess_add_known(sess, m->new_shm[k]);
	reg_unlock();
}

static struct lt_sess *new_session(uint32_t id, int ctx_fd, int chan)
{
	struct lt_sess *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->id = id;
	s->ctx_fd = ctx_fd;
	s->chan = chan;
	pthread_mutex_init(&s->io, NULL);
	s->sendbuf = malloc(WIRE_INLINE_MAX);
	s->recvbuf = malloc(WIRE_MAX_MSG);
	if (!s->sendbuf || !s->recvbuf) {
		sess_free(s);
		return NULL;
	}
	return s;
}

TEEC_EXPORT TEEC_Result TEEC_OpenSession(TEEC_Context *context,
					 TEEC_Session *session,
					 const TEEC_UUID *destination,
					 uint32_t connectionMethod,
					 const void *connectionData,
					 TEEC_Operation *operation,
					 uint32_t *returnOrigin)
{
	struct wire_open_session body = { 0 };
	struct marshal m;
	struct wire_msg reply;
	struct lt_ctx *ctx = NULL;
	struct lt_sess *sess = NULL;
	TEEC_Result res = TEEC_SUCCESS;
	bool group = connectionMethod == TEEC_LOGIN_GROUP ||
		     connectionMethod == TEEC_LOGIN_GROUP_APPLICATION;

	set_origin(returnOrigin, TEEC_ORIGIN_API);
	if (!context || !session || !destination || (group && !connectionData))
		return TEEC_ERROR_BAD_PARAMETERS;
	reg_lock();
	ctx = reg_ctx_find(context->imp.fd);
	reg_unlock();
	if (!ctx)
		return TEEC_ERROR_BAD_PARAMETERS;

	body.uuid[0] = (uint8_t)(destination->timeLow >> 24);
	body.uuid[1] = (uint8_t)(destination->timeLow >> 16);
	body.uuid[2] = (uint8_t)(destination->timeLow >> 8);
	body.uuid[3] = (uint8_t)destination->timeLow;
	body.uuid[4] = (uint8_t)(destination->timeMid >> 8);
	body.uuid[5] = (uint8_t)destination->timeMid;
	body.uuid[6] = (uint8_t)(destination->timeHiAndVersion >> 8);
	body.uuid[7] = (uint8_t)destination->timeHiAndVersion;
	memcpy(body.uuid + 8, destination->clockSeqAndNode, 8);
	body.login = connectionMethod;
	if (group)
		memcpy(&body.gid, connectionData, sizeof(body.gid));

	pthread_mutex_lock(&ctx->io);
	res = marshal_op(operation, NULL, ctx->sendbuf, &m);
	if (res)
		goto unlock;
	body.op = m.op;
	if (wire_send(ctx->fd, WIRE_OPEN_SESSION, &body, m.data, m.data_len,
		      m.fds, m.nfds) ||
	    wire_recv(ctx->fd, ctx->recvbuf, &reply)) {
		res = TEEC_ERROR_COMMUNICATION;
		set_origin(returnOrigin, TEEC_ORIGIN_COMMS);
		goto release;
	}
	if (reply.type != WIRE_REPLY) {
		wire_close_fds(&reply);
		res = TEEC_ERROR_COMMUNICATION;
		set_origin(returnOrigin, TEEC_ORIGIN_COMMS);
		goto release;
	}
	marshal_unpack(operation, &m, &reply);
	res = reply.u.reply.result;
	set_origin(returnOrigin, reply.u.reply.origin);
	if (res == TEEC_SUCCESS) {
		sess = reply.nfds == 1 ?
		       new_session(reply.u.reply.session, ctx->fd, reply.fds[0]) :
		       NULL;
		if (!sess) {
			/* The TA opened it but we cannot keep it: close it again. */
			struct wire_session_ref ref = {
				.session = reply.u.reply.session };
			struct wire_msg ack;

			wire_close_fds(&reply);
			if (!wire_send(ctx->fd, WIRE_CLOSE_SESSION, &ref, NULL,
				       0, NULL, 0) &&
			    !wire_recv(ctx->fd, ctx->recvbuf, &ack))
				wire_close_fds(&ack);
			res = TEEC_ERROR_OUT_OF_MEMORY;
			set_origin(returnOrigin, TEEC_ORIGIN_COMMS);
			goto release;
		}
		forget_new_blocks(sess, &m);
		reg_lock();
		reg_sess_add(sess);
		reg_unlock();
		session->imp.ctx = context;
		session->imp.session_id = sess->id;
	} else {
		wire_close_fds(&reply);
	}
release:
	marshal_release(&m);
unlock:
	pthread_mutex_unlock(&ctx->io);
	return res;
}

TEEC_EXPORT void TEEC_CloseSession(TEEC_Session *session)
{
	struct wire_session_ref ref = { 0 };
	struct wire_msg ack;
	struct lt_sess *sess = NULL;
	struct lt_ctx *ctx = NULL;

	if (!session)
		return;
	reg_lock();
	sess = reg_sess_remove(session->imp.session_id);
	if (sess)
		ctx = reg_ctx_find(sess->ctx_fd);
	reg_unlock();
	if (!sess)
		return;
	/* Wait for any invoke still running on it, then hang up. */
	pthread_mutex_lock(&sess->io);
	pthread_mutex_unlock(&sess->io);
	if (ctx) {
		ref.session = sess->id;
		pthread_mutex_lock(&ctx->io);
		if (!wire_send(ctx->fd, WIRE_CLOSE_SESSION, &ref, NULL, 0,
			       NULL, 0) &&
		    !wire_recv(ctx->fd, ctx->recvbuf, &ack))
			wire_close_fds(&ack);
		pthread_mutex_unlock(&ctx->io);
	}
	sess_free(sess);
}

TEEC_EXPORT TEEC_Result TEEC_InvokeCommand(TEEC_Session *session,
					   uint32_t commandID,
					   TEEC_Operation *operation,
					   uint32_t *returnOrigin)
{
	struct wire_invoke body = { 0 };
	struct marshal m;
	struct wire_msg reply;
	struct lt_sess *sess = NULL;
	TEEC_Result res = TEEC_SUCCESS;

	set_origin(returnOrigin, TEEC_ORIGIN_API);
	if (!session)
		return TEEC_ERROR_BAD_PARAMETERS;
	reg_lock();
	sess = reg_sess_find(session->imp.session_id);
	if (sess && operation)
		operation->imp.session = session;
	reg_unlock();
	if (!sess)
		return TEEC_ERROR_BAD_PARAMETERS;

	/* Sessions are closed only by their owner, so sess stays valid here. */
	pthread_mutex_lock(&sess->io);
	if (sess->dead) {
		set_origin(returnOrigin, TEEC_ORIGIN_TEE);
		res = TEE_ERROR_TARGET_DEAD;
		goto unlock;
	}
	res = marshal_op(operation, sess, sess->sendbuf, &m);
	if (res)
		goto unlock;
	body.command = commandID;
	body.seq = ++sess->next_seq;
	body.op = m.op;
	if (reg_op_begin(operation, sess->id, body.seq, sess->ctx_fd)) {
		res = TEEC_ERROR_OUT_OF_MEMORY;
		goto release;
	}
	if (wire_send(sess->chan, WIRE_INVOKE, &body, m.data, m.data_len,
		      m.fds, m.nfds) ||
	    wire_recv_spin(sess->chan, sess->recvbuf, &reply, WIRE_SPIN_US)) {
		res = comms_error(returnOrigin);
		if (res == TEE_ERROR_TARGET_DEAD)
			sess->dead = true;
		goto end_op;
	}
	wire_close_fds(&reply);
	if (reply.type != WIRE_REPLY) {
		res = TEEC_ERROR_COMMUNICATION;
		set_origin(returnOrigin, TEEC_ORIGIN_COMMS);
		goto end_op;
	}
	forget_new_blocks(sess, &m);
	marshal_unpack(operation, &m, &reply);
	res = reply.u.reply.result;
	set_origin(returnOrigin, reply.u.reply.origin);
end_op:
	reg_op_end(operation);
release:
	marshal_release(&m);
unlock:
	pthread_mutex_unlock(&sess->io);
	return res;
}

static TEEC_Result check_shm_args(TEEC_Context *context,
				  TEEC_SharedMemory *shm)
{
	bool known = false;

	if (!context || !shm || !shm->flags ||
	    (shm->flags & ~(uint32_t)(TEEC_MEM_INPUT | TEEC_MEM_OUTPUT)))
		return TEEC_ERROR_BAD_PARAMETERS;
	reg_lock();
	known = reg_ctx_find(context->imp.fd) != NULL;
	reg_unlock();
	return known ? TEEC_SUCCESS : TEEC_ERROR_BAD_PARAMETERS;
}

/* A memfd block of at least 8 bytes (OP-TEE registers 8 for size 0). */
static TEEC_Result new_block(size_t size, struct lt_shm **out)
{
	struct lt_shm *b = calloc(1, sizeof(*b));
	size_t len = size ? size : 8;

	if (!b)
		return TEEC_ERROR_OUT_OF_MEMORY;
	b->memfd = shm_memfd(len);
	if (b->memfd < 0)
		goto fail;
	b->map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		      b->memfd, 0);
	if (b->map == MAP_FAILED)
		goto fail;
	b->map_size = len;
	*out = b;
	return TEEC_SUCCESS;
fail:
	if (b->memfd >= 0)
		close(b->memfd);
	free(b);
	return TEEC_ERROR_OUT_OF_MEMORY;
}

static void publish_block(TEEC_SharedMemory *shm, struct lt_shm *b,
			  uint32_t flags)
{
	reg_lock();
	b->id = reg_next_shm_id();
	reg_shm_add(b);
	reg_unlock();
	shm->imp.id = b->id;
	shm->imp.alloced_size = b->map_size;
	shm->imp.registered_fd = b->memfd;
	shm->imp.flags = flags;
}

TEEC_EXPORT TEEC_Result TEEC_RegisterSharedMemory(TEEC_Context *context,
						  TEEC_SharedMemory *sharedMem)
{
	struct lt_shm *b = NULL;
	TEEC_Result res = check_shm_args(context, sharedMem);

	if (res)
		return res;
	if (!sharedMem->buffer || sharedMem->size > SIZE_MAX / 2)
		return TEEC_ERROR_BAD_PARAMETERS;
	/* Caller memory cannot be shared with another process: shadow it. */
	res = new_block(sharedMem->size, &b);
	if (res)
		return res;
	sharedMem->imp.shadow_buffer = b->map;
	publish_block(sharedMem, b, SHM_FLAG_SHADOW_BUFFER_ALLOCED);
	return TEEC_SUCCESS;
}

TEEC_EXPORT TEEC_Result TEEC_AllocateSharedMemory(TEEC_Context *context,
						  TEEC_SharedMemory *sharedMem)
{
	struct lt_shm *b = NULL;
	TEEC_Result res = check_shm_args(context, sharedMem);

	if (res)
		return res;
	if (sharedMem->size > SIZE_MAX / 2)
		return TEEC_ERROR_OUT_OF_MEMORY;
	res = new_block(sharedMem->size, &b);
	if (res)
		return res;
	sharedMem->buffer = b->map;
	sharedMem->imp.shadow_buffer = NULL;
	publish_block(sharedMem, b, SHM_FLAG_BUFFER_ALLOCED);
	return TEEC_SUCCESS;
}

TEEC_EXPORT void TEEC_ReleaseSharedMemory(TEEC_SharedMemory *sharedMemory)
{
	struct lt_shm *b = NULL;

	if (!sharedMemory)
		return;
	reg_lock();
	/* Only blocks we handed out: a zeroed struct (id 0) is never one. */
	b = reg_shm_remove(sharedMemory->imp.id);
	if (b)
		reg_forget_shm((uint64_t)b->id);
	reg_unlock();
	if (!b)
		return;
	munmap(b->map, b->map_size);
	close(b->memfd);
	free(b);
	sharedMemory->buffer = NULL; /* as OP-TEE, for both kinds */
	sharedMemory->imp.id = -1;
	sharedMemory->imp.shadow_buffer = NULL;
	sharedMemory->imp.registered_fd = -1;
	sharedMemory->imp.flags = 0;
}

TEEC_EXPORT void TEEC_RequestCancellation(TEEC_Operation *operation)
{
	struct wire_session_ref ref = { 0 };
	int ctx_fd = -1;
	bool found = false;

	if (!operation)
		return;
	reg_lock();
	found = reg_op_find(operation, &ref.session, &ref.seq, &ctx_fd);
	/* One datagram, no answer: safe beside a request on the same socket. */
	if (found)
		wire_send(ctx_fd, WIRE_CANCEL, &ref, NULL, 0, NULL, 0);
	reg_unlock();
}
