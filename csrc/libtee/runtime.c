// SPDX-License-Identifier: BSD-2-Clause
/*
 * The TA host: one process per TA instance (docs/architecture.md).
 *
 * The main thread loads the TA, answers teed on the control socket (open,
 * close, destroy) and clients on their session channels (invoke, forget),
 * one message at a time, so entry points never run concurrently, as GP
 * requires.  A second thread reads cancellation requests from teed's pipe
 * so that a running command sees them.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libtee_host.h>

#include "api.h"
#include "libtee_internal.h"
#include "paths.h"
#include "wire.h"

#define EXIT_PANIC 3

struct mapping {
	uint64_t id;
	void *addr;
	size_t len;
	struct mapping *next;
};

struct rt_session {
	uint32_t id;
	int chan;                 /* -1 once the client hung up */
	void *ctx;                /* the TA's session context */
	TEE_Identity identity;
	bool cancel_masked;
	uint32_t running_seq;     /* invoke being run, 0 outside one */
	uint32_t cancel_seq;      /* last invoke the client cancelled */
	struct mapping *maps;     /* shared memory blocks mapped for it */
	struct rt_session *next;
};

static struct libtee_ta_ops g_ta; /* the TA being served */
static int g_ctl = -1;
static int g_cancel = -1;
static int g_log = -1;
static struct rt_session *g_sessions;
static struct rt_session *g_current;
static const struct call *g_call; /* parameters of the running entry point */
static const void *g_instance_data;
/* Guards the cancellation fields of every session. */
static pthread_mutex_t g_cancel_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cancel_cond;
static uint8_t *g_buf;    /* receive buffer */
static uint8_t *g_out;    /* reply data area */

/* ---------------------------------------------------------------- log */

void rt_log_line(const char *line, size_t len)
{
	if (g_log < 0)
		return;
	while (len) {
		ssize_t n = write(g_log, line, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		line += n;
		len -= (size_t)n;
	}
}

static void rt_logf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void rt_logf(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n = snprintf(line, sizeof(line), "[tahost %d] ", (int)getpid());
	int m = 0;

	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	rt_log_line(line, (size_t)n);
}

/* A fatal signal in TA code: say so in the TA log, then die of it. */
static void on_fatal_signal(int sig)
{
	char line[96];
	int n = snprintf(line, sizeof(line),
			 "[tahost %d] TA crashed: signal %d (%s)\n",
			 (int)getpid(), sig, sigabbrev_np(sig));

	if (n > 0)
		rt_log_line(line, (size_t)n);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signal_handlers(void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT,
				     SIGTRAP, SIGSYS };
	static uint8_t altstack[64 * 1024];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa = { 0 };

	sigaltstack(&ss, NULL);
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* ---------------------------------------------------- rt_* for the API */

const struct pytee_ta_head *rt_ta_head(void)
{
	return g_ta.head;
}

const struct user_ta_property *rt_ta_props(size_t *count)
{
	*count = g_ta.nprops;
	return g_ta.props;
}

const TEE_Identity *rt_client_identity(void)
{
	return g_current ? &g_current->identity : NULL;
}

bool rt_cancel_flag(void)
{
	bool flag = false;

	pthread_mutex_lock(&g_cancel_lock);
	flag = g_current && g_current->running_seq &&
	       g_current->cancel_seq == g_current->running_seq;
	pthread_mutex_unlock(&g_cancel_lock);
	return flag;
}

bool rt_cancel_masked(void)
{
	return g_current ? g_current->cancel_masked : true;
}

void rt_cancel_set_masked(bool masked)
{
	if (g_current)
		g_current->cancel_masked = masked;
}

static void sleep_ms(uint32_t ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

bool rt_wait(uint32_t timeout_ms)
{
	struct timespec deadline = { 0 };
	bool cancelled = false;

	if (rt_cancel_masked()) {
		if (timeout_ms == TEE_TIMEOUT_INFINITE)
			for (;;)
				pause();
		sleep_ms(timeout_ms);
		return false;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&g_cancel_lock);
	for (;;) {
		int rc = 0;

		cancelled = g_current->running_seq &&
			    g_current->cancel_seq == g_current->running_seq;
		if (cancelled)
			break;
		if (timeout_ms == TEE_TIMEOUT_INFINITE)
			rc = pthread_cond_wait(&g_cancel_cond, &g_cancel_lock);
		else
			rc = pthread_cond_timedwait(&g_cancel_cond,
						    &g_cancel_lock, &deadline);
		if (rc == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&g_cancel_lock);
	return cancelled;
}

void rt_panic(TEE_Result code)
{
	rt_logf("TA panicked with code 0x%08x", (unsigned int)code);
	_exit(EXIT_PANIC);
}

void rt_set_instance_data(const void *data)
{
	g_instance_data = data;
}

const void *rt_get_instance_data(void)
{
	return g_instance_data;
}

/* ------------------------------------------------------- cancellation */

static void *cancel_thread(void *arg)
{
	(void)arg;
	for (;;) {
		uint32_t rec[2] = { 0, 0 };
		ssize_t n = read(g_cancel, rec, sizeof(rec));

		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(rec))
			return NULL; /* teed is gone; the control socket says so too */
		pthread_mutex_lock(&g_cancel_lock);
		for (struct rt_session *s = g_sessions; s; s = s->next) {
			if (s->id == rec[0] && rec[1] > s->cancel_seq)
				s->cancel_seq = rec[1];
		}
		pthread_cond_broadcast(&g_cancel_cond);
		pthread_mutex_unlock(&g_cancel_lock);
	}
}

/* --------------------------------------------------------- parameters */

/* What a call's parameters point at, so the reply can be built from them. */
struct call {
	TEE_Param params[TEE_NUM_PARAMS];
	uint32_t types;
	void *buf[TEE_NUM_PARAMS];   /* our own copy of each memref pointer */
	size_t orig[TEE_NUM_PARAMS];
	bool owned[TEE_NUM_PARAMS];  /* heap copy of inline bytes */
	void *temp_map[TEE_NUM_PARAMS];
	size_t temp_len[TEE_NUM_PARAMS];
};

static struct mapping *find_mapping(struct rt_session *s, uint64_t id)
{
	for (struct mapping *m = s->maps; m; m = m->next)
		if (m->id == id)
			return m;
	return NULL;
}

static void unmap_all(struct rt_session *s)
{
	while (s->maps) {
		struct mapping *m = s->maps;

		s->maps = m->next;
		munmap(m->addr, m->len);
		free(m);
	}
}

static void forget_mapping(struct rt_session *s, uint64_t id)
{
	for (struct mapping **p = &s->maps; *p; p = &(*p)->next) {
		struct mapping *m = *p;

		if (m->id == id) {
			*p = m->next;
			munmap(m->addr, m->len);
			free(m);
			return;
		}
	}
}

/*
 * Map a client's block.  It must really be as large as the client says
 * and sealed against shrinking: touching a page past the end of a memfd
 * raises SIGBUS, which would kill every session of this instance.
 */
static void *map_fd(int fd, size_t len)
{
	struct stat st;
	int seals = fcntl(fd, F_GET_SEALS);
	void *addr = NULL;

	if (len == 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size < len || seals < 0 || !(seals & F_SEAL_SHRINK))
		return NULL;
	addr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	return addr == MAP_FAILED ? NULL : addr;
}

static void call_release(struct call *c)
{
	for (unsigned int i = 0; i < TEE_NUM_PARAMS; i++) {
		if (c->owned[i])
			free(c->buf[i]);
		if (c->temp_map[i])
			munmap(c->temp_map[i], c->temp_len[i]);
	}
	memset(c, 0, sizeof(*c));
}

/*
 * Build the TA's parameters from a checked wire op.  fds[] are the
 * message's fds for the params, in order; each is consumed.
 */
static TEE_Result call_prepare(struct rt_session *s, const struct wire_op *op,
			       const uint8_t *data, int *fds, struct call *c)
{
	unsigned int next_fd = 0;
	TEE_Result res = TEE_SUCCESS;

	memset(c, 0, sizeof(*c));
	for (unsigned int i = 0; i < TEE_NUM_PARAMS; i++) {
		const struct wire_param *wp = &op->params[i];
		struct mapping *m = NULL;
		void *buf = NULL;

		c->types |= wp->type << (i * 4);
		switch (wp->mem) {
		case WIRE_MEM_NONE:
			c->params[i].value.a = wp->a;
			c->params[i].value.b = wp->b;
			continue;
		case WIRE_MEM_NULL:
			break;
		case WIRE_MEM_INLINE:
			/* Own copy: the receive buffer is reused by the next message. */
			buf = malloc(wp->size ? wp->size : 1);
			if (!buf) {
				res = TEE_ERROR_OUT_OF_MEMORY;
				break;
			}
			memcpy(buf, data + wp->offset, wp->size);
			c->owned[i] = true;
			break;
		case WIRE_MEM_SHM_FD:
			m = find_mapping(s, wp->shm_id);
			if (!m) {
				m = calloc(1, sizeof(*m));
				if (m)
					m->addr = map_fd(fds[next_fd], wp->block_size);
				if (!m || !m->addr) {
					free(m);
					res = TEE_ERROR_OUT_OF_MEMORY;
					break;
				}
				m->id = wp->shm_id;
				m->len = wp->block_size;
				m->next = s->maps;
				s->maps = m;
			}
			close(fds[next_fd]);
			fds[next_fd++] = -1;
			/* fall through: now a known block */
			/* FALLTHRU */
		case WIRE_MEM_SHM:
			m = find_mapping(s, wp->shm_id);
			if (!m || wp->offset > m->len ||
			    wp->size > m->len - wp->offset) {
				res = TEE_ERROR_BAD_PARAMETERS;
				break;
			}
			buf = (uint8_t *)m->addr + wp->offset;
			break;
		case WIRE_MEM_TEMP_FD:
			c->temp_map[i] = map_fd(fds[next_fd], wp->block_size);
			close(fds[next_fd]);
			fds[next_fd++] = -1;
			if (!c->temp_map[i]) {
				res = TEE_ERROR_OUT_OF_MEMORY;
				break;
			}
			c->temp_len[i] = wp->block_size;
			buf = (uint8_t *)c->temp_map[i] + wp->offset;
			break;
		default:
			res = TEE_ERROR_BAD_PARAMETERS;
			break;
		}
		if (res)
			break;
		c->buf[i] = buf;
		c->orig[i] = wp->size;
		c->params[i].memref.buffer = buf;
		c->params[i].memref.size = wp->size;
	}
	if (res)
		call_release(c);
	return res;
}

static bool range_hits(uintptr_t a, size_t alen, uintptr_t b, size_t blen,
		       bool whole)
{
	if (whole)
		return a >= b && a - b <= blen && alen <= blen - (a - b);
	return a < b + blen && b < a + alen;
}

bool rt_client_memory(const void *p, size_t len, bool whole)
{
	uintptr_t a = (uintptr_t)p;

	for (unsigned int i = 0; g_call && i < TEE_NUM_PARAMS; i++) {
		if (g_call->buf[i] && g_call->orig[i] &&
		    range_hits(a, len, (uintptr_t)g_call->buf[i],
			       g_call->orig[i], whole))
			return true;
	}
	for (const struct mapping *m = g_current ? g_current->maps : NULL; m;
	     m = m->next) {
		if (range_hits(a, len, (uintptr_t)m->addr, m->len, whole))
			return true;
	}
	return false;
}

/* The reply op: values and reported sizes, inline bytes into g_out. */
static uint32_t call_reply(const struct wire_op *in, const struct call *c,
			   struct wire_op *out)
{
	uint32_t len = 0;

	memset(out, 0, sizeof(*out));
	for (unsigned int i = 0; i < TEE_NUM_PARAMS; i++) {
		const struct wire_param *wp = &in->params[i];
		struct wire_param *rp = &out->params[i];

		rp->type = wp->type;
		rp->mem = wp->mem;
		if (wp->mem == WIRE_MEM_NONE) {
			rp->a = c->params[i].value.a;
			rp->b = c->params[i].value.b;
			continue;
		}
		rp->size = c->params[i].memref.size;
		if (wp->mem == WIRE_MEM_SHM_FD || wp->mem == WIRE_MEM_TEMP_FD)
			rp->mem = WIRE_MEM_SHM;
		if (wp->mem == WIRE_MEM_INLINE && wp->type != TEE_PARAM_TYPE_MEMREF_INPUT) {
			size_t n = rp->size < c->orig[i] ? rp->size : c->orig[i];

			memcpy(g_out + len, c->buf[i], n);
			rp->offset = len;
			rp->block_size = n;
			len += (uint32_t)n;
		}
	}
	out->data_len = len;
	return len;
}

/* ----------------------------------------------------------- messages */

static void reply(int sock, TEE_Result res, uint32_t origin,
		  const struct wire_op *op)
{
	struct wire_reply body = { .result = res, .origin = origin };

	if (op)
		body.op = *op;
	if (wire_send(sock, WIRE_REPLY, &body, op ? g_out : NULL,
		      op ? op->data_len : 0, NULL, 0) && sock == g_ctl) {
		rt_logf("lost teed (%s)", strerror(errno));
		_exit(0);
	}
}

static struct rt_session *find_session(uint32_t id)
{
	for (struct rt_session *s = g_sessions; s; s = s->next)
		if (s->id == id)
			return s;
	return NULL;
}

static void free_session(struct rt_session *s)
{
	pthread_mutex_lock(&g_cancel_lock);
	for (struct rt_session **p = &g_sessions; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	pthread_mutex_unlock(&g_cancel_lock);
	unmap_all(s);
	if (s->chan >= 0)
		close(s->chan);
	free(s);
}

static void handle_open(struct wire_msg *msg)
{
	const struct wire_host_open *req = &msg->u.host_open;
	struct rt_session *s = calloc(1, sizeof(*s));
	struct wire_op out = { 0 };
	struct call c;
	TEE_Result res = TEE_SUCCESS;

	if (!s || find_session(req->session)) {
		wire_close_fds(msg);
		free(s);
		reply(g_ctl, TEE_ERROR_OUT_OF_MEMORY, TEE_ORIGIN_TEE, NULL);
		return;
	}
	s->id = req->session;
	s->chan = msg->fds[0];
	msg->fds[0] = -1;
	s->identity.login = req->login;
	uuid_from_octets(req->client_uuid, &s->identity.uuid);
	s->cancel_masked = true;
	res = call_prepare(s, &req->op, msg->data, msg->fds + 1, &c);
	wire_close_fds(msg);
	if (res) {
		free(s);
		reply(g_ctl, res, TEE_ORIGIN_TEE, NULL);
		return;
	}
	pthread_mutex_lock(&g_cancel_lock);
	s->next = g_sessions;
	g_sessions = s;
	pthread_mutex_unlock(&g_cancel_lock);

	g_current = s;
	g_call = &c;
	res = g_ta.open(c.types, c.params, &s->ctx);
	g_call = NULL;
	g_current = NULL;
	call_reply(&req->op, &c, &out);
	call_release(&c);
	reply(g_ctl, res, TEE_ORIGIN_TRUSTED_APP, &out);
	if (res != TEE_SUCCESS)
		free_session(s);
}

static void handle_close(uint32_t id)
{
	struct rt_session *s = find_session(id);

	if (s) {
		g_current = s;
		g_ta.close(s->ctx);
		g_current = NULL;
		free_session(s);
	}
	reply(g_ctl, TEE_SUCCESS, TEE_ORIGIN_TEE, NULL);
}

static void handle_invoke(struct rt_session *s, struct wire_msg *msg)
{
	const struct wire_invoke *req = &msg->u.invoke;
	struct wire_op out = { 0 };
	struct call c;
	TEE_Result res = call_prepare(s, &req->op, msg->data, msg->fds, &c);

	wire_close_fds(msg);
	if (res) {
		reply(s->chan, res, TEE_ORIGIN_TEE, NULL);
		return;
	}
	pthread_mutex_lock(&g_cancel_lock);
	s->running_seq = req->seq;
	pthread_mutex_unlock(&g_cancel_lock);

	g_current = s;
	g_call = &c;
	res = g_ta.invoke(s->ctx, req->command, c.types, c.params);
	g_call = NULL;
	g_current = NULL;

	pthread_mutex_lock(&g_cancel_lock);
	s->running_seq = 0;
	pthread_mutex_unlock(&g_cancel_lock);
	call_reply(&req->op, &c, &out);
	call_release(&c);
	reply(s->chan, res, TEE_ORIGIN_TRUSTED_APP, &out);
}

/* Close every session and the instance: teed is gone or asked for it. */
static void shutdown_instance(bool answer)
{
	while (g_sessions) {
		struct rt_session *s = g_sessions;

		g_current = s;
		g_ta.close(s->ctx);
		g_current = NULL;
		free_session(s);
	}
	g_ta.destroy();
	if (answer)
		reply(g_ctl, TEE_SUCCESS, TEE_ORIGIN_TEE, NULL);
	exit(0);
}

static void on_control_message(void)
{
	struct wire_msg msg;

	if (wire_recv(g_ctl, g_buf, &msg)) {
		if (errno == EBADMSG) {
			rt_logf("malformed message from teed");
			return;
		}
		shutdown_instance(false);
	}
	switch (msg.type) {
	case WIRE_HOST_OPEN:
		handle_open(&msg);
		break;
	case WIRE_HOST_CLOSE:
		handle_close(msg.u.ref.session);
		break;
	case WIRE_HOST_DESTROY:
		shutdown_instance(true);
		break;
	default:
		wire_close_fds(&msg);
		rt_logf("unexpected message %d from teed", (int)msg.type);
		break;
	}
}

static void on_session_message(struct rt_session *s)
{
	struct wire_msg msg;

	if (wire_recv(s->chan, g_buf, &msg)) {
		if (errno == EBADMSG)
			rt_logf("session %u: malformed message, hanging up",
				(unsigned int)s->id);
		/* The client is gone; teed will close the session. */
		close(s->chan);
		s->chan = -1;
		return;
	}
	switch (msg.type) {
	case WIRE_INVOKE:
		handle_invoke(s, &msg);
		break;
	case WIRE_SHM_FORGET:
		forget_mapping(s, msg.u.forget.shm_id);
		break;
	default:
		wire_close_fds(&msg);
		rt_logf("session %u: unexpected message %d", (unsigned int)s->id,
			(int)msg.type);
		break;
	}
}

static void serve(void)
{
	struct pollfd *pfds = NULL;
	struct rt_session **owner = NULL;
	size_t cap = 0;
	bool spin = false; /* a client was just served: it may call again soon */

	for (;;) {
		size_t n = 1;
		size_t want = 1;
		int ready = 0;

		for (struct rt_session *s = g_sessions; s; s = s->next)
			want++;
		if (want > cap) {
			free(pfds);
			free(owner);
			cap = want * 2;
			pfds = calloc(cap, sizeof(*pfds));
			owner = calloc(cap, sizeof(*owner));
			if (!pfds || !owner) {
				rt_logf("out of memory");
				_exit(1);
			}
		}
		pfds[0].fd = g_ctl;
		pfds[0].events = POLLIN;
		for (struct rt_session *s = g_sessions; s; s = s->next) {
			if (s->chan < 0)
				continue;
			pfds[n].fd = s->chan;
			pfds[n].events = POLLIN;
			owner[n++] = s;
		}
		if (spin)
			ready = wire_poll_spin(pfds, n, WIRE_SPIN_US);
		if (ready == 0)
			ready = poll(pfds, n, -1);
		spin = false;
		if (ready < 0) {
			if (errno == EINTR)
				continue;
			rt_logf("poll: %s", strerror(errno));
			_exit(1);
		}
		if (pfds[0].revents) {
			on_control_message();
			continue; /* the session list may have changed */
		}
		for (size_t i = 1; i < n; i++) {
			if (pfds[i].revents) {
				on_session_message(owner[i]);
				spin = true;
				break; /* idem */
			}
		}
	}
}

/* ------------------------------------------------------------ loading */

static int load_ta(const char *path)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	const size_t *nprops = NULL;

	if (!h) {
		rt_logf("cannot load %s: %s", path, dlerror());
		return -1;
	}
	g_ta.head = dlsym(h, "pytee_ta_head");
	g_ta.props = dlsym(h, "pytee_ta_props");
	nprops = dlsym(h, "pytee_ta_num_props");
	*(void **)&g_ta.create = dlsym(h, "TA_CreateEntryPoint");
	*(void **)&g_ta.destroy = dlsym(h, "TA_DestroyEntryPoint");
	*(void **)&g_ta.open = dlsym(h, "TA_OpenSessionEntryPoint");
	*(void **)&g_ta.close = dlsym(h, "TA_CloseSessionEntryPoint");
	*(void **)&g_ta.invoke = dlsym(h, "TA_InvokeCommandEntryPoint");
	if (!g_ta.head || !g_ta.props || !nprops || !g_ta.create ||
	    !g_ta.destroy || !g_ta.open || !g_ta.close || !g_ta.invoke) {
		rt_logf("%s is not a TA built with the pytee dev kit", path);
		return -1;
	}
	g_ta.nprops = *nprops;
	return 0;
}

static int parse_fd(const char *s)
{
	char *end = NULL;
	long v = strtol(s, &end, 10);

	return (*s && !*end && v >= 0 && v < 65536) ? (int)v : -1;
}

/* Take the channels teed gave; 0, or -1 after saying why on stderr. */
static int host_setup(int ctl_fd, int cancel_fd, const char *log_path)
{
	pthread_condattr_t attr;

	g_ctl = ctl_fd;
	g_cancel = cancel_fd;
	g_log = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	g_buf = malloc(WIRE_MAX_MSG);
	g_out = malloc(WIRE_INLINE_MAX);
	if (g_ctl < 0 || g_cancel < 0 || !g_buf || !g_out) {
		fprintf(stderr, "tahost: bad arguments or out of memory\n");
		return -1;
	}
	install_signal_handlers();
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&g_cancel_cond, &attr);
	return 0;
}

static int host_refuse(void)
{
	struct wire_host_hello hello = { .result = TEE_ERROR_BAD_FORMAT };

	wire_send(g_ctl, WIRE_HOST_HELLO, &hello, NULL, 0, NULL, 0);
	return 1;
}

/* g_ta is loaded: create the instance, say hello, serve until the end. */
static int host_serve(void)
{
	struct wire_host_hello hello = { 0 };
	pthread_t tid;

	uuid_to_octets(&g_ta.head->uuid, hello.uuid);
	hello.flags = g_ta.head->flags;
	mem_set_heap_limit(g_ta.head->data_size);
	if (pthread_create(&tid, NULL, cancel_thread, NULL)) {
		rt_logf("cannot start the cancellation thread");
		return 1;
	}
	pthread_detach(tid);

	hello.result = g_ta.create();
	if (wire_send(g_ctl, WIRE_HOST_HELLO, &hello, NULL, 0, NULL, 0) ||
	    hello.result != TEE_SUCCESS)
		return 0;
	serve();
	return 0;
}

int TEE_API libtee_host_main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: tahost <ta.so> <control-fd> <cancel-fd> <log>\n");
		return 2;
	}
	if (host_setup(parse_fd(argv[2]), parse_fd(argv[3]), argv[4]))
		return 2;
	if (load_ta(argv[1]))
		return host_refuse();
	return host_serve();
}

int TEE_API libtee_host_run(const struct libtee_ta_ops *ops, int ctl_fd,
			    int cancel_fd, const char *log_path)
{
	if (host_setup(ctl_fd, cancel_fd, log_path))
		return 2;
	/* Named like every TA host, for ps and for the leak checks of tests. */
	prctl(PR_SET_NAME, "tahost", 0, 0, 0);
	if (!ops)
		return host_refuse();
	if (!ops->head || (ops->nprops && !ops->props) || !ops->create ||
	    !ops->destroy || !ops->open || !ops->close || !ops->invoke) {
		rt_logf("libtee_host_run: incomplete TA table");
		return host_refuse();
	}
	g_ta = *ops;
	return host_serve();
}
