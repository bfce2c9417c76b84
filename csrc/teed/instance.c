/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TA instances, kept the way OP-TEE keeps them: a TA without
 * SINGLE_INSTANCE gets a host per session; a single-instance TA has at most
 * one live host, shared by its sessions when MULTI_SESSION, otherwise BUSY;
 * an instance is destroyed with its last session unless it is keep-alive.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <tee_client_api.h>

#include "teed.h"

/* A UUID whose first instance is being started: others wait for it. */
struct spawn_gate {
	struct spawn_gate *next;
	uint8_t uuid[16];
};

/* The body of HOST_DESTROY (no session). */
static const struct wire_session_ref destroy_body = { .session = 0, .seq = 0 };

static bool keep_alive(const struct instance *inst)
{
	/* Only a single-instance TA can be found again, so only it may stay. */
	return (inst->flags & TA_FLAG_INSTANCE_KEEP_ALIVE) &&
	       (inst->flags & TA_FLAG_SINGLE_INSTANCE);
}

/* g_teed.lock held */
static void put_locked(struct instance *inst)
{
	if (--inst->refs == 0)
		instance_free(inst);
}

/* g_teed.lock held: take inst out of the list, dropping the list's ref. */
static void unlist_locked(struct instance *inst)
{
	struct instance **pp = &g_teed.instances;

	if (!inst->listed)
		return;
	while (*pp && *pp != inst)
		pp = &(*pp)->next;
	if (*pp)
		*pp = inst->next;
	inst->next = NULL;
	inst->listed = false;
	put_locked(inst);
}

static bool hung_up(const struct instance *inst)
{
	struct pollfd pfd = { .fd = inst->ctrl_fd, .events = POLLRDHUP };

	return poll(&pfd, 1, 0) > 0 &&
	       (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL));
}

/*
 * g_teed.lock held.  A live single-instance instance of uuid, dropping dead
 * ones on the way; *multi tells whether a live instance shows that the TA
 * is not single-instance.
 */
static struct instance *find_locked(const uint8_t uuid[16], bool *multi)
{
	struct instance *inst = g_teed.instances;
	struct instance *next = NULL;

	*multi = false;
	for (; inst; inst = next) {
		next = inst->next;
		if (memcmp(inst->uuid, uuid, 16) != 0 || inst->dead)
			continue;
		if (!(inst->flags & TA_FLAG_SINGLE_INSTANCE)) {
			*multi = true;
			continue;
		}
		if (hung_up(inst)) {
			teed_log("TA %s: instance pid %d is dead, dropped",
				 inst->uuid_str, (int)inst->pid);
			inst->dead = true;
			unlist_locked(inst);
			continue;
		}
		return inst;
	}
	return NULL;
}

static struct spawn_gate *gate_find_locked(const uint8_t uuid[16])
{
	struct spawn_gate *gate = g_teed.gates;

	while (gate && memcmp(gate->uuid, uuid, 16) != 0)
		gate = gate->next;
	return gate;
}

static void gate_remove_locked(struct spawn_gate *gate)
{
	struct spawn_gate **pp = &g_teed.gates;

	while (*pp && *pp != gate)
		pp = &(*pp)->next;
	if (*pp)
		*pp = gate->next;
	pthread_cond_broadcast(&g_teed.spawn_cv);
}

struct instance *instance_acquire(const uint8_t uuid[16], uint32_t *result,
				  uint32_t *origin)
{
	char ta_file[PATHS_MAX] = { 0 };
	struct spawn_gate gate = { .next = NULL };
	struct instance *inst = NULL;
	struct instance *found = NULL;
	bool gated = false;
	bool multi = false;

	*result = TEEC_ERROR_GENERIC;
	*origin = TEEC_ORIGIN_TEE;
	memcpy(gate.uuid, uuid, 16);
	pthread_mutex_lock(&g_teed.lock);
	for (;;) {
		if (g_teed.stopping) {
			*result = TEEC_ERROR_COMMUNICATION;
			*origin = TEEC_ORIGIN_COMMS;
			goto out_unlock;
		}
		found = find_locked(uuid, &multi);
		if (found) {
			if (!(found->flags & TA_FLAG_MULTI_SESSION) && found->sessions > 0) {
				*result = TEEC_ERROR_BUSY;
				goto out_unlock;
			}
			found->sessions++;
			found->refs++;
			inst = found;
			*result = TEEC_SUCCESS;
			goto out_unlock;
		}
		if (multi)
			break;
		if (!gate_find_locked(uuid)) {
			gate.next = g_teed.gates;
			g_teed.gates = &gate;
			gated = true;
			break;
		}
		pthread_cond_wait(&g_teed.spawn_cv, &g_teed.lock);
	}
	pthread_mutex_unlock(&g_teed.lock);

	if (lookup_ta(uuid, ta_file, sizeof(ta_file)) == 0) {
		inst = instance_spawn(uuid, ta_file, result, origin);
	} else {
		*result = TEEC_ERROR_ITEM_NOT_FOUND;
		*origin = TEEC_ORIGIN_TEE;
	}

	pthread_mutex_lock(&g_teed.lock);
	if (gated)
		gate_remove_locked(&gate);
	if (inst && g_teed.stopping) {
		instance_kill_child_locked(inst->pid);
		instance_free(inst);
		inst = NULL;
		*result = TEEC_ERROR_COMMUNICATION;
		*origin = TEEC_ORIGIN_COMMS;
	}
	if (inst) {
		inst->refs = 2; /* the list and the caller */
		inst->sessions = 1;
		inst->listed = true;
		inst->next = g_teed.instances;
		g_teed.instances = inst;
	}
out_unlock:
	pthread_mutex_unlock(&g_teed.lock);
	return inst;
}

bool instance_host_uuid(pid_t pid, uint8_t uuid[16])
{
	bool found = false;

	pthread_mutex_lock(&g_teed.lock);
	for (struct instance *i = g_teed.instances; i && !found; i = i->next) {
		if (i->pid == pid && !i->dead) {
			memcpy(uuid, i->uuid, 16);
			found = true;
		}
	}
	pthread_mutex_unlock(&g_teed.lock);
	return found;
}

bool instance_is_dead(struct instance *inst)
{
	bool dead = false;

	pthread_mutex_lock(&g_teed.lock);
	dead = inst->dead;
	pthread_mutex_unlock(&g_teed.lock);
	return dead;
}

void instance_mark_dead(struct instance *inst)
{
	pthread_mutex_lock(&g_teed.lock);
	inst->dead = true;
	unlist_locked(inst);
	pthread_mutex_unlock(&g_teed.lock);
}

/*
 * Wait for the answer to a request sent on fd; true if the host hung up
 * with the request still unread.  A Unix socket closed with data queued
 * leaves ECONNRESET pending on its peer, while a host that read the request
 * and then died leaves a plain end of file, which wire_recv cannot tell
 * apart: so look at the pending error first.
 */
static bool hung_up_unread(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	socklen_t len = sizeof(int);
	int err = 0;
	int n = 0;

	do {
		n = poll(&pfd, 1, -1);
	} while (n < 0 && errno == EINTR);
	if (n != 1 || !(pfd.revents & POLLERR))
		return false;
	return getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
	       err == ECONNRESET;
}

int instance_request(struct instance *inst, enum wire_type type,
		     const void *body, const void *data, uint32_t data_len,
		     const int *fds, unsigned int nfds,
		     uint8_t *buf, struct wire_msg *reply)
{
	int ret = INSTANCE_NOT_TAKEN;

	memset(reply, 0, sizeof(*reply));
	if (instance_is_dead(inst))
		return INSTANCE_NOT_TAKEN;
	pthread_mutex_lock(&inst->ctl);
	if (wire_send(inst->ctrl_fd, type, body, data, data_len, fds, nfds)) {
		teed_log("TA %s pid %d: control send failed: %s", inst->uuid_str,
			 (int)inst->pid, strerror(errno));
		goto out;
	}
	if (hung_up_unread(inst->ctrl_fd)) {
		teed_log("TA %s pid %d: gone before it read request %d",
			 inst->uuid_str, (int)inst->pid, (int)type);
		goto out;
	}
	ret = -1;
	if (wire_recv(inst->ctrl_fd, buf, reply)) {
		if (errno == EBADMSG) {
			teed_log("TA %s pid %d: malformed control reply, killed",
				 inst->uuid_str, (int)inst->pid);
			instance_kill_child(inst->pid);
		} else {
			teed_log("TA %s pid %d: control channel lost: %s",
				 inst->uuid_str, (int)inst->pid, strerror(errno));
		}
		goto out;
	}
	wire_close_fds(reply);
	if (reply->type != WIRE_REPLY) {
		teed_log("TA %s pid %d: message %d instead of a reply, killed",
			 inst->uuid_str, (int)inst->pid, (int)reply->type);
		instance_kill_child(inst->pid);
		goto out;
	}
	ret = 0;
out:
	pthread_mutex_unlock(&inst->ctl);
	if (ret)
		instance_mark_dead(inst);
	return ret;
}

void instance_release(struct instance *inst, uint8_t *buf)
{
	struct wire_msg reply;
	bool destroy = false;

	memset(&reply, 0, sizeof(reply));
	pthread_mutex_lock(&g_teed.lock);
	if (inst->sessions > 0)
		inst->sessions--;
	if (inst->sessions == 0 && !inst->dead && !keep_alive(inst)) {
		destroy = true;
		unlist_locked(inst); /* nobody finds it again; we still hold a ref */
	}
	pthread_mutex_unlock(&g_teed.lock);
	if (destroy) {
		if (instance_request(inst, WIRE_HOST_DESTROY, &destroy_body, NULL, 0, NULL, 0,
				     buf, &reply) == 0)
			teed_log("TA %s: instance pid %d destroyed", inst->uuid_str,
				 (int)inst->pid);
	}
	pthread_mutex_lock(&g_teed.lock);
	put_locked(inst);
	pthread_mutex_unlock(&g_teed.lock);
}

void instance_cancel(struct instance *inst, uint32_t session, uint32_t seq)
{
	uint32_t rec[2] = { session, seq };
	ssize_t n = 0;

	if (instance_is_dead(inst))
		return;
	n = write(inst->cancel_fd, rec, sizeof(rec));
	if (n != (ssize_t)sizeof(rec))
		teed_log("TA %s pid %d: cancel of session %u dropped (%s)",
			 inst->uuid_str, (int)inst->pid, session,
			 n < 0 ? strerror(errno) : "short write");
}

uint32_t instance_next_session_id(void)
{
	uint32_t id = 0;

	pthread_mutex_lock(&g_teed.lock);
	if (g_teed.next_session == 0)
		g_teed.next_session = 1;
	id = g_teed.next_session++;
	pthread_mutex_unlock(&g_teed.lock);
	return id;
}

void instance_count(unsigned int *instances, unsigned int *sessions)
{
	const struct instance *inst = NULL;
	unsigned int n = 0;

	pthread_mutex_lock(&g_teed.lock);
	for (inst = g_teed.instances; inst; inst = inst->next)
		if (!inst->dead)
			n++;
	*instances = n;
	*sessions = g_teed.nsessions;
	pthread_mutex_unlock(&g_teed.lock);
}

void instance_sessions_add(int delta)
{
	pthread_mutex_lock(&g_teed.lock);
	g_teed.nsessions = (unsigned int)((int)g_teed.nsessions + delta);
	pthread_mutex_unlock(&g_teed.lock);
}

void instance_child_gone(pid_t pid, char uuid_out[37])
{
	struct child **pp = NULL;
	struct child *child = NULL;
	struct instance *inst = NULL;

	uuid_out[0] = '\0';
	pthread_mutex_lock(&g_teed.lock);
	for (pp = &g_teed.children; *pp; pp = &(*pp)->next) {
		if ((*pp)->pid == pid) {
			child = *pp;
			*pp = child->next;
			break;
		}
	}
	if (child) {
		memcpy(uuid_out, child->uuid_str, 37);
		free(child);
	}
	for (inst = g_teed.instances; inst; inst = inst->next) {
		if (inst->pid == pid) {
			inst->dead = true;
			unlist_locked(inst);
			break;
		}
	}
	pthread_mutex_unlock(&g_teed.lock);
}

/* g_teed.lock held */
void instance_kill_child_locked(pid_t pid)
{
	const struct child *child = g_teed.children;

	while (child && child->pid != pid)
		child = child->next;
	if (child)
		kill(pid, SIGKILL);
}

void instance_kill_child(pid_t pid)
{
	pthread_mutex_lock(&g_teed.lock);
	instance_kill_child_locked(pid);
	pthread_mutex_unlock(&g_teed.lock);
}

static int64_t now_ms(void)
{
	struct timespec ts = { 0 };

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Send HOST_DESTROY under inst->ctl (taken before the deadline); true if sent. */
static bool destroy_send(struct instance *inst, const struct timespec *deadline)
{
	if (instance_is_dead(inst) || pthread_mutex_timedlock(&inst->ctl, deadline) != 0)
		return false;
	if (wire_send(inst->ctrl_fd, WIRE_HOST_DESTROY, &destroy_body, NULL, 0, NULL, 0)) {
		pthread_mutex_unlock(&inst->ctl);
		return false;
	}
	return true;
}

/* Wait for the REPLY to HOST_DESTROY until deadline_ms; releases inst->ctl. */
static bool destroy_wait(struct instance *inst, int64_t deadline_ms, uint8_t *buf)
{
	struct wire_msg msg;
	struct pollfd pfd = { .fd = inst->ctrl_fd, .events = POLLIN };
	int64_t left = deadline_ms - now_ms();
	bool ok = false;

	memset(&msg, 0, sizeof(msg));
	if (buf && poll(&pfd, 1, left > 0 ? (int)left : 0) == 1 &&
	    wire_recv(inst->ctrl_fd, buf, &msg) == 0) {
		wire_close_fds(&msg);
		ok = msg.type == WIRE_REPLY;
	}
	pthread_mutex_unlock(&inst->ctl);
	return ok;
}

void instance_destroy_all(void)
{
	struct instance **all = NULL;
	struct instance *inst = NULL;
	bool *done = NULL;
	struct timespec deadline = { 0 };
	int64_t deadline_ms = now_ms() + TEED_STOP_TIMEOUT_MS;
	uint8_t *buf = malloc(WIRE_MAX_MSG);
	size_t n = 0;
	size_t i = 0;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += TEED_STOP_TIMEOUT_MS / 1000;
	deadline.tv_nsec += (long)(TEED_STOP_TIMEOUT_MS % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}

	/* Take every listed instance out of the list, keeping the list's ref. */
	pthread_mutex_lock(&g_teed.lock);
	g_teed.stopping = true;
	for (inst = g_teed.instances; inst; inst = inst->next)
		n++;
	all = calloc(n ? n : 1, sizeof(*all));
	done = calloc(n ? n : 1, sizeof(*done));
	if (!all || !done) {
		/* No memory to do it politely. */
		for (inst = g_teed.instances; inst; inst = inst->next)
			instance_kill_child_locked(inst->pid);
		n = 0;
	}
	while (g_teed.instances) {
		inst = g_teed.instances;
		if (n)
			all[i++] = inst;
		g_teed.instances = inst->next;
		inst->next = NULL;
		inst->listed = false;
		if (!n)
			put_locked(inst);
	}
	pthread_mutex_unlock(&g_teed.lock);

	for (i = 0; i < n; i++)
		done[i] = destroy_send(all[i], &deadline);
	for (i = 0; i < n; i++) {
		if (done[i])
			done[i] = destroy_wait(all[i], deadline_ms, buf);
		if (done[i])
			teed_log("TA %s: instance pid %d destroyed", all[i]->uuid_str,
				 (int)all[i]->pid);
	}
	pthread_mutex_lock(&g_teed.lock);
	for (i = 0; i < n; i++) {
		inst = all[i];
		if (!done[i] && !inst->dead)
			teed_log("TA %s: instance pid %d killed at stop",
				 inst->uuid_str, (int)inst->pid);
		if (!done[i])
			instance_kill_child_locked(inst->pid);
		inst->dead = true;
		put_locked(inst);
	}
	pthread_mutex_unlock(&g_teed.lock);
	free(done);
	free(all);
	free(buf);
}
