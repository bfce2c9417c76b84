// SPDX-License-Identifier: BSD-2-Clause
/*
 * TEEC_Operation <-> wire op, with OP-TEE's pre- and post-processing rules:
 * temporary memrefs travel inline (or in a one-call memfd when large),
 * shared memory travels by block id (its memfd is sent once per session),
 * registered memory is copied through its shadow block, and sizes and
 * values are written back after every answer from the TEE.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libteec.h"

#define TA_MEMREF_INPUT 5
#define TA_MEMREF_OUTPUT 6
#define TA_MEMREF_INOUT 7

static TEEC_Result temp_memref(const TEEC_TempMemoryReference *t,
			       uint32_t type, struct marshal *m,
			       struct wire_param *wp, unsigned int i)
{
	wp->type = type;
	if (!t->buffer) {
		if (t->size)
			return TEEC_ERROR_BAD_PARAMETERS;
		wp->mem = WIRE_MEM_NULL;
		return TEEC_SUCCESS;
	}
	wp->size = t->size;
	if (t->size <= WIRE_INLINE_MAX - m->data_len) {
		wp->mem = WIRE_MEM_INLINE;
		wp->offset = m->data_len;
		memcpy(m->data + m->data_len, t->buffer, t->size);
		m->data_len += (uint32_t)t->size;
		return TEEC_SUCCESS;
	}
	/* Too large to travel inline: a memfd for this call only. */
	m->temp[i].fd = shm_memfd(t->size);
	if (m->temp[i].fd < 0)
		return TEEC_ERROR_OUT_OF_MEMORY;
	m->temp[i].map = mmap(NULL, t->size, PROT_READ | PROT_WRITE,
			      MAP_SHARED, m->temp[i].fd, 0);
	if (m->temp[i].map == MAP_FAILED) {
		m->temp[i].map = NULL;
		return TEEC_ERROR_OUT_OF_MEMORY;
	}
	m->temp[i].len = t->size;
	memcpy(m->temp[i].map, t->buffer, t->size);
	wp->mem = WIRE_MEM_TEMP_FD;
	wp->offset = 0;
	wp->block_size = t->size;
	m->fds[m->nfds++] = m->temp[i].fd;
	return TEEC_SUCCESS;
}

/* The direction a MEMREF_WHOLE takes from its block's flags. */
static uint32_t whole_type(uint32_t flags)
{
	bool in = flags & TEEC_MEM_INPUT;
	bool out = flags & TEEC_MEM_OUTPUT;

	if (in && out)
		return TA_MEMREF_INOUT;
	if (in)
		return TA_MEMREF_INPUT;
	if (out)
		return TA_MEMREF_OUTPUT;
	return 0;
}

/* Caller holds reg_lock (the block must not be released meanwhile). */
static TEEC_Result shm_memref(const TEEC_RegisteredMemoryReference *r,
			      uint32_t teec_type, const struct lt_sess *sess,
			      struct marshal *m, struct wire_param *wp)
{
	TEEC_SharedMemory *shm = r->parent;
	const struct lt_shm *block = NULL;
	size_t offset = 0;
	size_t size = 0;
	uint32_t need = 0;

	if (!shm)
		return TEEC_ERROR_BAD_PARAMETERS;
	block = reg_shm_find(shm->imp.id);
	if (!block || shm->size > block->map_size)
		return TEEC_ERROR_BAD_PARAMETERS;
	if (teec_type == TEEC_MEMREF_WHOLE) {
		wp->type = whole_type(shm->flags);
		if (!wp->type)
			return TEEC_ERROR_BAD_PARAMETERS;
		size = shm->size;
	} else {
		wp->type = teec_type - TEEC_MEMREF_PARTIAL_INPUT + TA_MEMREF_INPUT;
		need = wp->type == TA_MEMREF_INPUT ? TEEC_MEM_INPUT :
		       wp->type == TA_MEMREF_OUTPUT ? TEEC_MEM_OUTPUT :
		       TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
		if ((shm->flags & need) != need)
			return TEEC_ERROR_BAD_PARAMETERS;
		if (r->offset > shm->size || r->size > shm->size - r->offset)
			return TEEC_ERROR_BAD_PARAMETERS;
		offset = r->offset;
		size = r->size;
	}
	/* Registered memory: copy in through the shadow, as OP-TEE does. */
	if ((shm->imp.flags & SHM_FLAG_SHADOW_BUFFER_ALLOCED) &&
	    wp->type != TA_MEMREF_OUTPUT)
		memcpy((uint8_t *)block->map + offset,
		       (const uint8_t *)shm->buffer + offset, size);
	wp->shm_id = (uint64_t)block->id;
	wp->offset = offset;
	wp->size = size;
	wp->block_size = block->map_size;
	if (sess && sess_knows_shm(sess, wp->shm_id)) {
		wp->mem = WIRE_MEM_SHM;
		return TEEC_SUCCESS;
	}
	for (unsigned int k = 0; k < m->nnew; k++) {
		if (m->new_shm[k] == wp->shm_id) { /* fd already in this message */
			wp->mem = WIRE_MEM_SHM;
			return TEEC_SUCCESS;
		}
	}
	wp->mem = WIRE_MEM_SHM_FD;
	m->fds[m->nfds++] = block->memfd;
	m->new_shm[m->nnew++] = wp->shm_id;
	return TEEC_SUCCESS;
}

TEEC_Result marshal_op(TEEC_Operation *op, const struct lt_sess *sess,
		       uint8_t *sendbuf, struct marshal *m)
{
	TEEC_Result res = TEEC_SUCCESS;

	memset(m, 0, sizeof(*m));
	m->data = sendbuf;
	for (unsigned int i = 0; i < WIRE_NUM_PARAMS; i++)
		m->temp[i].fd = -1;
	if (!op)
		return TEEC_SUCCESS;

	reg_lock();
	for (unsigned int i = 0; i < WIRE_NUM_PARAMS && !res; i++) {
		uint32_t t = TEEC_PARAM_TYPE_GET(op->paramTypes, i);
		TEEC_Parameter *p = &op->params[i];
		struct wire_param *wp = &m->op.params[i];

		switch (t) {
		case TEEC_NONE:
			break;
		case TEEC_VALUE_INPUT:
		case TEEC_VALUE_OUTPUT:
		case TEEC_VALUE_INOUT:
			wp->type = t;
			wp->a = p->value.a;
			wp->b = p->value.b;
			break;
		case TEEC_MEMREF_TEMP_INPUT:
		case TEEC_MEMREF_TEMP_OUTPUT:
		case TEEC_MEMREF_TEMP_INOUT:
			res = temp_memref(&p->tmpref, t, m, wp, i);
			break;
		case TEEC_MEMREF_WHOLE:
		case TEEC_MEMREF_PARTIAL_INPUT:
		case TEEC_MEMREF_PARTIAL_OUTPUT:
		case TEEC_MEMREF_PARTIAL_INOUT:
			res = shm_memref(&p->memref, t, sess, m, wp);
			break;
		default:
			res = TEEC_ERROR_BAD_PARAMETERS;
			break;
		}
	}
	reg_unlock();
	m->op.data_len = m->data_len;
	if (res)
		marshal_release(m);
	return res;
}

/* Bytes the host returned for param i, or NULL with *len 0. */
static const uint8_t *reply_bytes(const struct marshal *m,
				  const struct wire_msg *reply, unsigned int i,
				  size_t *len)
{
	const struct wire_param *rp = &reply->u.reply.op.params[i];

	*len = 0;
	if (m->temp[i].map) {
		*len = m->temp[i].len;
		return m->temp[i].map;
	}
	if (rp->mem != WIRE_MEM_INLINE)
		return NULL;
	*len = rp->block_size;
	return reply->data + rp->offset;
}

static void unpack_shm(TEEC_Parameter *p, uint32_t t, uint64_t reported)
{
	TEEC_SharedMemory *shm = p->memref.parent;
	const struct lt_shm *block = NULL;
	bool shadow = shm->imp.flags & SHM_FLAG_SHADOW_BUFFER_ALLOCED;
	size_t offset = 0;
	size_t limit = 0;

	if (t == TEEC_MEMREF_WHOLE) {
		if (!(shm->flags & TEEC_MEM_OUTPUT))
			return;
		limit = shm->size;
	} else {
		if (t == TEEC_MEMREF_PARTIAL_INPUT)
			return;
		offset = p->memref.offset;
		limit = p->memref.size;
	}
	if (shadow && reported <= limit) {
		reg_lock();
		block = reg_shm_find(shm->imp.id);
		if (block)
			memcpy((uint8_t *)shm->buffer + offset,
			       (const uint8_t *)block->map + offset, reported);
		reg_unlock();
	}
	p->memref.size = reported;
}

void marshal_unpack(TEEC_Operation *op, const struct marshal *m,
		    const struct wire_msg *reply)
{
	if (!op)
		return;
	for (unsigned int i = 0; i < WIRE_NUM_PARAMS; i++) {
		uint32_t t = TEEC_PARAM_TYPE_GET(op->paramTypes, i);
		const struct wire_param *rp = &reply->u.reply.op.params[i];
		TEEC_Parameter *p = &op->params[i];
		const uint8_t *bytes = NULL;
		size_t len = 0;

		/* Errors raised before the TA ran carry no parameters back. */
		if (rp->type != m->op.params[i].type)
			continue;
		switch (t) {
		case TEEC_VALUE_OUTPUT:
		case TEEC_VALUE_INOUT:
			p->value.a = rp->a;
			p->value.b = rp->b;
			break;
		case TEEC_MEMREF_TEMP_OUTPUT:
		case TEEC_MEMREF_TEMP_INOUT:
			bytes = reply_bytes(m, reply, i, &len);
			if (p->tmpref.buffer && bytes) {
				if (len > p->tmpref.size)
					len = p->tmpref.size;
				if (len > rp->size)
					len = rp->size;
				memcpy(p->tmpref.buffer, bytes, len);
			}
			p->tmpref.size = rp->size;
			break;
		case TEEC_MEMREF_WHOLE:
		case TEEC_MEMREF_PARTIAL_INPUT:
		case TEEC_MEMREF_PARTIAL_OUTPUT:
		case TEEC_MEMREF_PARTIAL_INOUT:
			unpack_shm(p, t, rp->size);
			break;
		default:
			break;
		}
	}
}

void marshal_release(struct marshal *m)
{
	for (unsigned int i = 0; i < WIRE_NUM_PARAMS; i++) {
		if (m->temp[i].map)
			munmap(m->temp[i].map, m->temp[i].len);
		if (m->temp[i].fd >= 0)
			close(m->temp[i].fd);
		m->temp[i].map = NULL;
		m->temp[i].fd = -1;
	}
}
