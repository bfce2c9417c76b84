/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One thread per client connection (one TEEC_Context).  Everything the
 * client sends is untrusted: wire_recv checks the shape of each message,
 * this file checks that it makes sense (HELLO first, sessions of this
 * connection only, a valid op) before anything reaches a TA host.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tee_client_api.h>

#include "teed.h"

struct session {
	struct session *next;
	uint32_t id;
	struct instance *inst; /* holds a session slot and a reference */
};

struct conn {
	int fd;
	struct peer peer;
	struct session *sessions;
	uint8_t *in;  /* WIRE_MAX_MSG: the client's messages */
	uint8_t *out; /* WIRE_MAX_MSG: the hosts' replies */
};

static int reply(struct conn *c, uint32_t result, uint32_t origin,
		 uint32_t session, uint32_t seq, const struct wire_op *op,
		 const void *data, uint32_t data_len, const int *fds,
		 unsigned int nfds)
{
	struct wire_reply r;
	int ret = 0;

	memset(&r, 0, sizeof(r));
	r.result = result;
	r.origin = origin;
	r.session = session;
	r.seq = seq;
	if (op)
		r.op = *op;
	r.op.data_len = data_len;
	ret = wire_send(c->fd, WIRE_REPLY, &r, data_len ? data : NULL, data_len,
			fds, nfds);
	if (ret)
		teed_log("client pid %d: reply not sent: %s", (int)c->peer.pid,
			 strerror(errno));
	return ret;
}

static int reply_error(struct conn *c, uint32_t result, uint32_t origin)
{
	return reply(c, result, origin, 0, 0, NULL, NULL, 0, NULL, 0);
}

static struct session *session_take(struct conn *c, uint32_t id)
{
	struct session **pp = &c->sessions;
	struct session *s = NULL;

	while (*pp && (*pp)->id != id)
		pp = &(*pp)->next;
	if (*pp) {
		s = *pp;
		*pp = s->next;
		s->next = NULL;
	}
	return s;
}

static const struct session *session_find(const struct conn *c, uint32_t id)
{
	const struct session *s = c->sessions;

	while (s && s->id != id)
		s = s->next;
	return s;
}

/* HOST_CLOSE (if the host lives), then the last-session logic; frees s. */
static void session_close(struct conn *c, struct session *s)
{
	struct wire_session_ref ref;
	struct wire_msg r;

	memset(&ref, 0, sizeof(ref));
	memset(&r, 0, sizeof(r));
	ref.session = s->id;
	if (!instance_is_dead(s->inst) &&
	    instance_request(s->inst, WIRE_HOST_CLOSE, &ref, NULL, 0, NULL, 0,
			     c->out, &r) == 0 &&
	    r.u.reply.result != TEEC_SUCCESS)
		teed_log("session %u: host answered close with 0x%08x", s->id,
			 r.u.reply.result);
	teed_log("session %u closed (TA %s, client pid %d)", s->id,
		 s->inst->uuid_str, (int)c->peer.pid);
	instance_sessions_add(-1);
	instance_release(s->inst, c->out);
	free(s);
}

/*
 * An instance of uuid that answered HOST_OPEN ho (reply in hr), or NULL
 * with *result and *origin set.  A host killed a moment ago may not be
 * known dead yet and still be handed out; if it never read the request,
 * the TA's open did not run there: try once more, on a fresh instance.  A
 * host that died after reading it died in the TA's open entry point: that
 * is TARGET_DEAD, with no second try.
 */
static struct instance *open_on_instance(struct conn *c, const char *uuid_s,
					 const struct wire_msg *msg,
					 const struct wire_host_open *ho,
					 const int *fds, struct wire_msg *hr,
					 uint32_t *result, uint32_t *origin)
{
	struct instance *inst = NULL;
	int rc = INSTANCE_NOT_TAKEN;

	for (int tries = 0; tries < 2 && rc == INSTANCE_NOT_TAKEN; tries++) {
		inst = instance_acquire(msg->u.open.uuid, result, origin);
		if (!inst) {
			teed_log("client pid %d: open TA %s: 0x%08x origin %u",
				 (int)c->peer.pid, uuid_s, *result, *origin);
			return NULL;
		}
		rc = instance_request(inst, WIRE_HOST_OPEN, ho, msg->data,
				      msg->data_len, fds, msg->nfds + 1, c->out, hr);
		if (rc == 0)
			return inst;
		if (rc == INSTANCE_NOT_TAKEN && tries == 0)
			teed_log("TA %s: instance pid %d died before it read the open "
				 "request, trying a new one", uuid_s, (int)inst->pid);
		instance_release(inst, c->out);
	}
	*result = TEEC_ERROR_TARGET_DEAD;
	*origin = TEEC_ORIGIN_TEE;
	return NULL;
}

static void handle_open(struct conn *c, const struct wire_msg *msg)
{
	const struct wire_open_session *req = &msg->u.open;
	struct instance *inst = NULL;
	struct session *s = NULL;
	struct wire_host_open ho;
	struct wire_msg hr;
	const struct wire_reply *r = NULL;
	int fds[WIRE_MAX_FDS] = { -1, -1, -1, -1, -1 };
	int chan[2] = { -1, -1 };
	char uuid_s[37] = { 0 };
	uint8_t client_uuid[16] = { 0 };
	uint32_t login = req->login;
	uint32_t result = TEEC_ERROR_GENERIC;
	uint32_t origin = TEEC_ORIGIN_TEE;
	uint32_t id = 0;
	unsigned int i = 0;
	bool replied = false;

	memset(&ho, 0, sizeof(ho));
	memset(&hr, 0, sizeof(hr));
	uuid_to_str(req->uuid, uuid_s);
	if (msg->nfds > WIRE_MAX_FDS - 1 || req->op.data_len != msg->data_len ||
	    !wire_op_valid(&req->op, msg->data_len, msg->nfds, 0)) {
		teed_log("client pid %d: open TA %s: invalid operation", (int)c->peer.pid,
			 uuid_s);
		result = TEEC_ERROR_BAD_PARAMETERS;
		origin = TEEC_ORIGIN_COMMS;
		goto out;
	}
	/* A TA host is a TA calling another: GP's TRUSTED_APP login, whatever
	 * it asked for, and the caller's UUID as identity. */
	if (instance_host_uuid(c->peer.pid, client_uuid)) {
		login = TEED_LOGIN_TRUSTED_APP;
	} else {
		result = identity_client_uuid(&c->peer, req->login, req->gid,
					      client_uuid, &origin);
		if (result != TEEC_SUCCESS)
			goto out;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		result = TEEC_ERROR_OUT_OF_MEMORY;
		origin = TEEC_ORIGIN_TEE;
		goto out;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, chan)) {
		teed_log("client pid %d: open TA %s: socketpair: %s", (int)c->peer.pid,
			 uuid_s, strerror(errno));
		result = TEEC_ERROR_OUT_OF_MEMORY;
		origin = TEEC_ORIGIN_TEE;
		goto out;
	}
	id = instance_next_session_id();
	ho.session = id;
	ho.login = login;
	memcpy(ho.client_uuid, client_uuid, sizeof(client_uuid));
	ho.op = req->op;
	fds[0] = chan[1];
	for (i = 0; i < msg->nfds; i++)
		fds[i + 1] = msg->fds[i];
	inst = open_on_instance(c, uuid_s, msg, &ho, fds, &hr, &result, &origin);
	if (!inst)
		goto out;
	close(chan[1]);
	chan[1] = -1;
	r = &hr.u.reply;
	result = r->result;
	origin = r->origin;
	if (result != TEEC_SUCCESS) {
		teed_log("client pid %d: open TA %s: 0x%08x origin %u", (int)c->peer.pid,
			 uuid_s, result, origin);
		/* Destroy first (as OP-TEE does) into the other buffer, then answer. */
		instance_release(inst, c->in);
		inst = NULL;
		reply(c, result, origin, 0, 0, &r->op, hr.data, hr.data_len, NULL, 0);
		replied = true;
		goto out;
	}
	s->id = id;
	s->inst = inst;
	s->next = c->sessions;
	c->sessions = s;
	inst = NULL;
	instance_sessions_add(1);
	teed_log("session %u opened (TA %s pid %d, client pid %d, login 0x%x)", id,
		 uuid_s, (int)s->inst->pid, (int)c->peer.pid, login);
	s = NULL;
	reply(c, result, origin, id, 0, &r->op, hr.data, hr.data_len, &chan[0], 1);
	replied = true;
out:
	if (inst)
		instance_release(inst, c->out);
	if (!replied)
		reply_error(c, result, origin);
	if (chan[0] >= 0)
		close(chan[0]);
	if (chan[1] >= 0)
		close(chan[1]);
	free(s);
}

static void handle_close(struct conn *c, const struct wire_msg *msg)
{
	struct session *s = session_take(c, msg->u.ref.session);

	if (!s) {
		reply_error(c, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_COMMS);
		return;
	}
	session_close(c, s);
	reply_error(c, TEEC_SUCCESS, TEEC_ORIGIN_TEE);
}

static void handle_cancel(struct conn *c, const struct wire_msg *msg)
{
	const struct session *s = session_find(c, msg->u.ref.session);

	if (s)
		instance_cancel(s->inst, s->id, msg->u.ref.seq);
}

static void handle_status(struct conn *c)
{
	unsigned int instances = 0;
	unsigned int sessions = 0;

	instance_count(&instances, &sessions);
	reply(c, TEEC_SUCCESS, TEEC_ORIGIN_TEE, instances, sessions, NULL, NULL, 0,
	      NULL, 0);
}

/* false: drop the connection */
static bool handle(struct conn *c, const struct wire_msg *msg)
{
	switch (msg->type) {
	case WIRE_OPEN_SESSION:
		handle_open(c, msg);
		return true;
	case WIRE_CLOSE_SESSION:
		handle_close(c, msg);
		return true;
	case WIRE_CANCEL:
		handle_cancel(c, msg);
		return true;
	case WIRE_STATUS:
		handle_status(c);
		return true;
	case WIRE_STOP:
		teed_log("stop requested by client pid %d", (int)c->peer.pid);
		reply_error(c, TEEC_SUCCESS, TEEC_ORIGIN_TEE);
		server_request_stop();
		return true;
	default:
		teed_log("client pid %d: unexpected message type %d, dropped",
			 (int)c->peer.pid, (int)msg->type);
		return false;
	}
}

static void *conn_thread(void *arg)
{
	struct conn *c = arg;
	struct wire_msg msg;
	unsigned int n = 0;
	bool go = true;

	memset(&msg, 0, sizeof(msg));
	if (wire_recv(c->fd, c->in, &msg)) {
		if (errno != ECONNRESET)
			teed_log("client pid %d: bad first message (%s), dropped",
				 (int)c->peer.pid, strerror(errno));
		goto out;
	}
	wire_close_fds(&msg);
	if (msg.type != WIRE_HELLO) {
		teed_log("client pid %d: first message %d is not HELLO, dropped",
			 (int)c->peer.pid, (int)msg.type);
		goto out;
	}
	if (msg.u.hello.kind == WIRE_HELLO_DISPLAY ||
	    msg.u.hello.kind == WIRE_HELLO_TUI) {
		/* The trusted display or a TA host's TUI channel: tui.c's. */
		tui_serve(c->fd, &c->peer, msg.u.hello.kind, c->in);
		goto out;
	}
	if (msg.u.hello.kind != WIRE_HELLO_CLIENT) {
		teed_log("client pid %d: HELLO of unknown kind %u, dropped",
			 (int)c->peer.pid, msg.u.hello.kind);
		goto out;
	}
	if (reply(c, TEEC_SUCCESS, TEEC_ORIGIN_TEE, (uint32_t)g_teed.pid, 0, NULL,
		  NULL, 0, NULL, 0))
		goto out;
	while (go) {
		memset(&msg, 0, sizeof(msg));
		if (wire_recv(c->fd, c->in, &msg)) {
			if (errno == EBADMSG)
				teed_log("client pid %d: malformed message, dropped",
					 (int)c->peer.pid);
			else if (errno != ECONNRESET)
				teed_log("client pid %d: receive: %s, dropped",
					 (int)c->peer.pid, strerror(errno));
			break;
		}
		go = handle(c, &msg);
		wire_close_fds(&msg);
	}
out:
	for (n = 0; c->sessions; n++)
		session_close(c, session_take(c, c->sessions->id));
	if (n)
		teed_log("client pid %d gone: %u session%s closed", (int)c->peer.pid,
			 n, n == 1 ? "" : "s");
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c);
	return NULL;
}

int conn_start(int fd, const struct ucred *cred)
{
	struct conn *c = calloc(1, sizeof(*c));
	pthread_attr_t attr;
	pthread_t t;
	int err = ENOMEM;

	memset(&t, 0, sizeof(t));
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (!c)
		goto out;
	c->fd = fd;
	c->peer.uid = cred->uid;
	c->peer.gid = cred->gid;
	c->peer.pid = cred->pid;
	c->in = malloc(WIRE_MAX_MSG);
	c->out = malloc(WIRE_MAX_MSG);
	if (!c->in || !c->out)
		goto out;
	err = pthread_create(&t, &attr, conn_thread, c);
	if (err == 0)
		c = NULL;
out:
	pthread_attr_destroy(&attr);
	if (c) {
		free(c->in);
		free(c->out);
		free(c);
	}
	errno = err;
	return err ? -1 : 0;
}
