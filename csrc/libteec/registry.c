// SPDX-License-Identifier: BSD-2-Clause
/* libteec's private state, looked up by the handles kept in TEEC_* structs. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libteec.h"

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lt_ctx *g_ctxs;
static struct lt_sess *g_sessions;
static struct lt_shm *g_shms;
static int g_next_shm_id = 1;

struct inflight {
	TEEC_Operation *op;
	uint32_t session;
	uint32_t seq;
	int ctx_fd;
	struct inflight *next;
};
static struct inflight *g_inflight;

void reg_lock(void)
{
	pthread_mutex_lock(&g_lock);
}

void reg_unlock(void)
{
	pthread_mutex_unlock(&g_lock);
}

struct lt_ctx *reg_ctx_find(int fd)
{
	for (struct lt_ctx *c = g_ctxs; c; c = c->next)
		if (c->fd == fd)
			return c;
	return NULL;
}

struct lt_sess *reg_sess_find(uint32_t id)
{
	for (struct lt_sess *s = g_sessions; s; s = s->next)
		if (s->id == id)
			return s;
	return NULL;
}

struct lt_shm *reg_shm_find(int id)
{
	for (struct lt_shm *s = g_shms; s; s = s->next)
		if (s->id == id)
			return s;
	return NULL;
}

void reg_ctx_add(struct lt_ctx *ctx)
{
	ctx->next = g_ctxs;
	g_ctxs = ctx;
}

struct lt_ctx *reg_ctx_remove(int fd)
{
	for (struct lt_ctx **p = &g_ctxs; *p; p = &(*p)->next) {
		struct lt_ctx *c = *p;

		if (c->fd == fd) {
			*p = c->next;
			return c;
		}
	}
	return NULL;
}

void reg_sess_add(struct lt_sess *sess)
{
	sess->next = g_sessions;
	g_sessions = sess;
}

struct lt_sess *reg_sess_remove(uint32_t id)
{
	for (struct lt_sess **p = &g_sessions; *p; p = &(*p)->next) {
		struct lt_sess *s = *p;

		if (s->id == id) {
			*p = s->next;
			return s;
		}
	}
	return NULL;
}

struct lt_sess *reg_sess_remove_ctx(int ctx_fd)
{
	struct lt_sess *removed = NULL;
	struct lt_sess **p = &g_sessions;

	while (*p) {
		struct lt_sess *s = *p;

		if (s->ctx_fd == ctx_fd) {
			*p = s->next;
			s->next = removed;
			removed = s;
		} else {
			p = &s->next;
		}
	}
	return removed;
}

void reg_shm_add(struct lt_shm *shm)
{
	shm->next = g_shms;
	g_shms = shm;
}

struct lt_shm *reg_shm_remove(int id)
{
	for (struct lt_shm **p = &g_shms; *p; p = &(*p)->next) {
		struct lt_shm *s = *p;

		if (s->id == id) {
			*p = s->next;
			return s;
		}
	}
	return NULL;
}

int reg_next_shm_id(void)
{
	int id = g_next_shm_id++;

	if (g_next_shm_id <= 0) /* wrapped: ids stay positive */
		g_next_shm_id = 1;
	return id;
}

bool sess_knows_shm(const struct lt_sess *sess, uint64_t id)
{
	for (size_t i = 0; i < sess->nknown; i++)
		if (sess->known_shm[i] == id)
			return true;
	return false;
}

int sess_add_known(struct lt_sess *sess, uint64_t id)
{
	if (sess_knows_shm(sess, id))
		return 0;
	if (sess->nknown == sess->capknown) {
		size_t cap = sess->capknown ? sess->capknown * 2 : 8;
		uint64_t *n = realloc(sess->known_shm, cap * sizeof(*n));

		if (!n)
			return -1;
		sess->known_shm = n;
		sess->capknown = cap;
	}
	sess->known_shm[sess->nknown++] = id;
	return 0;
}

void reg_forget_shm(uint64_t id)
{
	for (struct lt_sess *s = g_sessions; s; s = s->next) {
		struct wire_shm_forget body = { .shm_id = id };

		for (size_t i = 0; i < s->nknown; i++) {
			if (s->known_shm[i] != id)
				continue;
			s->known_shm[i] = s->known_shm[--s->nknown];
			/* One datagram, no answer: safe beside an invoke. */
			if (!s->dead)
				wire_send(s->chan, WIRE_SHM_FORGET, &body, NULL,
					  0, NULL, 0);
			break;
		}
	}
}

void sess_free(struct lt_sess *sess)
{
	if (!sess)
		return;
	if (sess->chan >= 0)
		close(sess->chan);
	pthread_mutex_destroy(&sess->io);
	free(sess->sendbuf);
	free(sess->recvbuf);
	free(sess->known_shm);
	free(sess);
}

void ctx_free(struct lt_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->fd >= 0)
		close(ctx->fd);
	pthread_mutex_destroy(&ctx->io);
	free(ctx->sendbuf);
	free(ctx->recvbuf);
	free(ctx);
}

int reg_op_begin(TEEC_Operation *op, uint32_t session, uint32_t seq, int ctx_fd)
{
	struct inflight *f = NULL;

	if (!op)
		return 0;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	f->op = op;
	f->session = session;
	f->seq = seq;
	f->ctx_fd = ctx_fd;
	reg_lock();
	f->next = g_inflight;
	g_inflight = f;
	reg_unlock();
	return 0;
}

void reg_op_end(TEEC_Operation *op)
{
	if (!op)
		return;
	reg_lock();
	for (struct inflight **p = &g_inflight; *p; p = &(*p)->next) {
		struct inflight *f = *p;

		if (f->op == op) {
			*p = f->next;
			free(f);
			break;
		}
	}
	reg_unlock();
}

bool reg_op_find(const TEEC_Operation *op, uint32_t *session, uint32_t *seq,
		 int *ctx_fd)
{
	for (struct inflight *f = g_inflight; f; f = f->next) {
		if (f->op == op) {
			*session = f->session;
			*seq = f->seq;
			*ctx_fd = f->ctx_fd;
			return true;
		}
	}
	return false;
}

int shm_memfd(size_t size)
{
	int fd = memfd_create("pytee-shm", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)size) ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) {
		close(fd);
		return -1;
	}
	return fd;
}
