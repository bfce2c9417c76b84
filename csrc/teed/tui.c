/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Trusted UI (docs/tui.md): teed owns the trusted display.
 *
 * Two kinds of connection end here, each served by its connection thread:
 * - the display (`pytee tui`), at most one: teed sends it the screens, the
 *   start and end of TUI sessions and screens taken down; it sends back
 *   how each screen was left (WIRE_TUI_INPUT);
 * - a TA host's TUI channel (libtee's tui.c), one per host that uses the
 *   TUI: INIT, CLOSE and SCREEN requests, and CANCEL while a screen is up.
 *
 * There is one TUI session per TEE, held by one TA host at a time.  A
 * screen is answered by the display when one is attached, else by the
 * scripted user of PYTEE_TUI_SCRIPT (tui_script.c).  The client
 * applications never see any of it: the screens and the inputs travel on
 * these connections only.
 *
 * Locking: g_tui.lock guards g_tui and the answer fields of every
 * tui_host.  Sends to the display happen under it; the display socket is
 * non-blocking, so a display that does not read is dropped rather than
 * let block teed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <tee_client_api.h>
#include <tee_tui_api_types.h>

#include "teed.h"

/* A TA host's TUI channel. */
struct tui_host {
	int fd;
	pid_t pid;
	uint8_t uuid[16];
	char uuid_str[37];
	int wake[2];         /* pipe: the display thread's word that an answer is in */
	/* (g_tui.lock) how the screen on the display was left */
	bool answered;
	uint32_t result;
	struct wire_tui_input input;
	uint8_t values[WIRE_TUI_MAX_ENTRIES * WIRE_TUI_VALUE_MAX];
};

static struct {
	pthread_mutex_t lock;
	int display;               /* the display's socket, -1: none */
	pid_t display_pid;
	bool display_broken;       /* a send failed: being shut down */
	struct tui_host *owner;    /* holds the TUI session, NULL: nobody */
	int64_t idle_since;        /* ms: the session timeout runs from here */
	bool showing;              /* the owner has a screen up: no timeout */
	struct tui_host *waiting;  /* whose screen is on the display */
	uint32_t screen;           /* the number of that screen */
	uint32_t next_screen;
} g_tui = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.display = -1,
};

static int64_t now_ms(void)
{
	struct timespec ts = { 0 };

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void reply_result(int fd, uint32_t result)
{
	struct wire_reply r;

	memset(&r, 0, sizeof(r));
	r.result = result;
	r.origin = TEEC_ORIGIN_TEE;
	r.session = (uint32_t)g_teed.pid;
	r.seq = g_teed.tui_timeout_ms;
	if (wire_send(fd, WIRE_REPLY, &r, NULL, 0, NULL, 0))
		teed_log("TUI: reply not sent: %s", strerror(errno));
}

/* ------------------------------------------------------------ display */

static bool display_usable_locked(void)
{
	return g_tui.display >= 0 && !g_tui.display_broken;
}

/* g_tui.lock held.  A display that cannot take a message is shut down: its
 * thread then sees the end and cleans up. */
static bool display_send_locked(enum wire_type type, const void *body,
				const void *data, uint32_t data_len)
{
	if (!display_usable_locked())
		return false;
	if (wire_send(g_tui.display, type, body, data, data_len, NULL, 0) == 0)
		return true;
	teed_log("TUI: display pid %d dropped: %s", (int)g_tui.display_pid,
		 strerror(errno));
	g_tui.display_broken = true;
	shutdown(g_tui.display, SHUT_RDWR);
	return false;
}

static void display_notify_locked(enum wire_type type, const uint8_t uuid[16],
				  uint32_t screen, uint32_t reason)
{
	struct wire_tui_session body;

	memset(&body, 0, sizeof(body));
	if (uuid)
		memcpy(body.uuid, uuid, sizeof(body.uuid));
	body.screen = screen;
	body.reason = reason;
	display_send_locked(type, &body, NULL, 0);
}

/* g_tui.lock held: the session ends (whoever holds it). */
static void session_end_locked(const char *why)
{
	if (!g_tui.owner)
		return;
	teed_log("TUI: session of TA %s (pid %d) ended: %s", g_tui.owner->uuid_str,
		 (int)g_tui.owner->pid, why);
	display_notify_locked(WIRE_TUI_CLOSE, g_tui.owner->uuid, 0, 0);
	g_tui.owner = NULL;
	g_tui.showing = false;
}

/* g_tui.lock held: end a session idle for longer than the timeout. */
static void session_expire_locked(void)
{
	if (g_tui.owner && !g_tui.showing &&
	    now_ms() - g_tui.idle_since >= (int64_t)g_teed.tui_timeout_ms)
		session_end_locked("timed out");
}

/* g_tui.lock held: the display's answer to the screen up, if it is one. */
static void display_answer_locked(const struct wire_msg *msg)
{
	struct tui_host *h = g_tui.waiting;
	const struct wire_tui_input *in = &msg->u.tui_input;
	char one = 1;

	if (!h || h->answered || in->screen != g_tui.screen) {
		teed_log("TUI: display answered screen %u, not up: ignored",
			 in->screen);
		return;
	}
	h->answered = true;
	/* The user leaves a screen with a button, or walks away from it. */
	h->result = in->result == TEEC_SUCCESS ? TEEC_SUCCESS :
		    TEEC_ERROR_EXTERNAL_CANCEL;
	h->input = *in;
	memcpy(h->values, msg->data, msg->data_len); /* checked: <= 3 * 64 */
	if (write(h->wake[1], &one, 1) < 0)
		teed_log("TUI: wake-up lost: %s", strerror(errno));
}

static void serve_display(int fd, const struct peer *peer, uint8_t *buf)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct wire_msg msg;
	int flags = fcntl(fd, F_GETFL);

	memset(&msg, 0, sizeof(msg));
	pthread_mutex_lock(&g_tui.lock);
	if (g_tui.display >= 0) {
		pthread_mutex_unlock(&g_tui.lock);
		teed_log("TUI: display pid %d refused: pid %d is the display",
			 (int)peer->pid, (int)g_tui.display_pid);
		reply_result(fd, TEEC_ERROR_BUSY);
		return;
	}
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		pthread_mutex_unlock(&g_tui.lock);
		reply_result(fd, TEEC_ERROR_GENERIC);
		return;
	}
	g_tui.display = fd;
	g_tui.display_pid = peer->pid;
	g_tui.display_broken = false;
	reply_result(fd, TEEC_SUCCESS);
	teed_log("TUI: display attached (pid %d)", (int)peer->pid);
	session_expire_locked();
	if (g_tui.owner)
		display_notify_locked(WIRE_TUI_INIT, g_tui.owner->uuid, 0, 0);
	pthread_mutex_unlock(&g_tui.lock);

	for (;;) {
		int r = poll(&pfd, 1, -1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (wire_recv(fd, buf, &msg)) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (errno == EBADMSG)
				teed_log("TUI: display pid %d: malformed message",
					 (int)peer->pid);
			break;
		}
		wire_close_fds(&msg);
		if (msg.type != WIRE_TUI_INPUT) {
			teed_log("TUI: display pid %d: unexpected message %d",
				 (int)peer->pid, (int)msg.type);
			break;
		}
		pthread_mutex_lock(&g_tui.lock);
		display_answer_locked(&msg);
		pthread_mutex_unlock(&g_tui.lock);
	}

	pthread_mutex_lock(&g_tui.lock);
	g_tui.display = -1;
	g_tui.display_broken = false;
	if (g_tui.waiting && !g_tui.waiting->answered) {
		char one = 1;

		g_tui.waiting->answered = true;
		g_tui.waiting->result = TEEC_ERROR_EXTERNAL_CANCEL;
		if (write(g_tui.waiting->wake[1], &one, 1) < 0)
			teed_log("TUI: wake-up lost: %s", strerror(errno));
	}
	pthread_mutex_unlock(&g_tui.lock);
	teed_log("TUI: display detached (pid %d)", (int)peer->pid);
}

/* -------------------------------------------------------- the TA side */

static void handle_init(struct tui_host *h)
{
	uint32_t result = TEEC_SUCCESS;

	pthread_mutex_lock(&g_tui.lock);
	session_expire_locked();
	if (g_tui.owner) {
		result = TEEC_ERROR_BUSY;
		teed_log("TUI: TA %s (pid %d): busy, TA %s (pid %d) holds the session",
			 h->uuid_str, (int)h->pid, g_tui.owner->uuid_str,
			 (int)g_tui.owner->pid);
	} else if (!display_usable_locked() && !g_teed.tui_script[0]) {
		result = TEEC_ERROR_BUSY;
		teed_log("TUI: TA %s (pid %d): busy, no display and no script",
			 h->uuid_str, (int)h->pid);
	} else {
		g_tui.owner = h;
		g_tui.idle_since = now_ms();
		g_tui.showing = false;
		teed_log("TUI: session of TA %s (pid %d) started", h->uuid_str,
			 (int)h->pid);
		display_notify_locked(WIRE_TUI_INIT, h->uuid, 0, 0);
	}
	pthread_mutex_unlock(&g_tui.lock);
	reply_result(h->fd, result);
}

static void handle_close(struct tui_host *h)
{
	uint32_t result = TEEC_SUCCESS;

	pthread_mutex_lock(&g_tui.lock);
	session_expire_locked();
	if (g_tui.owner != h)
		result = TEEC_ERROR_BAD_STATE;
	else
		session_end_locked("closed by the TA");
	pthread_mutex_unlock(&g_tui.lock);
	reply_result(h->fd, result);
}

/* Whether the texts of a screen can all be shown. */
static bool screen_texts_ok(const struct wire_tui_screen *s, const uint8_t *t)
{
	uint32_t at = 0;
	bool ok = wire_tui_text_check(t, s->label_len, NULL);

	at += s->label_len;
	for (unsigned int i = 0; ok && i < WIRE_TUI_BUTTONS; i++) {
		ok = wire_tui_text_check(t + at, s->button_len[i], NULL);
		at += s->button_len[i];
	}
	for (unsigned int i = 0; ok && i < s->nentries; i++) {
		ok = wire_tui_text_check(t + at, s->entries[i].label_len, NULL);
		at += s->entries[i].label_len;
	}
	return ok;
}

/*
 * Whether an input answers the screen: a shown button that leaves it
 * (not CORRECTION), one value per entry field, each no longer than its
 * maximum and of its type, and no shorter than its minimum for VALIDATE.
 */
static bool input_ok(const struct wire_tui_screen *s, uint32_t button,
		     uint32_t nentries, const uint32_t *len, const uint8_t *values)
{
	uint32_t at = 0;

	if (button >= WIRE_TUI_BUTTONS || button == TEE_TUI_CORRECTION ||
	    !(s->buttons & (1u << button)) || nentries != s->nentries)
		return false;
	for (unsigned int i = 0; i < nentries; i++) {
		const struct wire_tui_entry *e = &s->entries[i];

		if (len[i] > e->max_len ||
		    (button == TEE_TUI_VALIDATE && len[i] < e->min_len))
			return false;
		for (uint32_t k = 0; k < len[i]; k++) {
			uint8_t c = values[at + k];

			if (e->type == TEE_TUI_NUMERICAL ? (c < '0' || c > '9') :
			    (c < 0x20 || c > 0x7d))
				return false;
		}
		at += len[i];
	}
	return true;
}

/* What came back for a screen, to be sent to the TA host. */
struct outcome {
	struct wire_tui_input input;
	uint8_t values[WIRE_TUI_MAX_ENTRIES * WIRE_TUI_VALUE_MAX];
	uint32_t values_len;
};

static void outcome_error(struct outcome *o, uint32_t result)
{
	memset(o, 0, sizeof(*o));
	o->input.result = result;
}

/* The TA host sent something while its screen is up: CANCEL, or it ended.
 * Returns true when the host is still there. */
static bool host_during_screen(struct tui_host *h, uint8_t *buf, bool *cancel)
{
	struct wire_msg msg;

	memset(&msg, 0, sizeof(msg));
	if (wire_recv(h->fd, buf, &msg)) {
		if (errno == EINTR || errno == EAGAIN)
			return true;
		return false;
	}
	wire_close_fds(&msg);
	if (msg.type == WIRE_TUI_CANCEL) {
		*cancel = true;
		return true;
	}
	teed_log("TUI: TA %s (pid %d): message %d during a screen", h->uuid_str,
		 (int)h->pid, (int)msg.type);
	return false;
}

/*
 * Wait for the display's answer to screen `number`.  false: the TA host
 * is gone (the screen is then taken down).
 */
static bool wait_display(struct tui_host *h, uint32_t number, uint8_t *buf,
			 struct outcome *o)
{
	struct pollfd pfd[2];
	bool alive = true;

	memset(pfd, 0, sizeof(pfd));
	pfd[0].fd = h->wake[0];
	pfd[0].events = POLLIN;
	pfd[1].fd = h->fd;
	pfd[1].events = POLLIN;
	for (;;) {
		bool cancel = false;
		bool done = false;
		int r = poll(pfd, 2, -1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			alive = false;
			cancel = true;
		} else if (pfd[1].revents) {
			alive = host_during_screen(h, buf, &cancel);
			cancel = cancel || !alive;
		}
		pthread_mutex_lock(&g_tui.lock);
		if (cancel && !h->answered) {
			h->answered = true;
			h->result = alive ? TEEC_ERROR_CANCEL : TEEC_ERROR_TARGET_DEAD;
			display_notify_locked(WIRE_TUI_CANCEL, h->uuid, number,
					      h->result);
		}
		if (h->answered) {
			memset(o, 0, sizeof(*o));
			o->input = h->input;
			o->input.result = h->result;
			if (h->result == TEEC_SUCCESS) {
				for (unsigned int i = 0; i < o->input.nentries; i++)
					o->values_len += o->input.value_len[i];
				memcpy(o->values, h->values, o->values_len);
			}
			done = true;
		}
		pthread_mutex_unlock(&g_tui.lock);
		if (done || !alive)
			return alive;
	}
}

/* The scripted user's answer, after its delay (during which the TA may
 * cancel).  false: the TA host is gone. */
static bool ask_script(struct tui_host *h, const struct wire_tui_screen *s,
		       const uint8_t *texts, uint8_t *buf, struct outcome *o)
{
	struct tui_answer a;
	struct pollfd pfd = { .fd = h->fd, .events = POLLIN };
	int64_t until = 0;

	memset(&a, 0, sizeof(a));
	if (tui_script_answer(g_teed.tui_script, h->uuid, s, texts, &a)) {
		outcome_error(o, TEEC_ERROR_EXTERNAL_CANCEL);
		return true;
	}
	until = now_ms() + a.delay_ms;
	for (;;) {
		int64_t left = until - now_ms();
		bool cancel = false;
		int r = 0;

		if (left <= 0)
			break;
		r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno != EINTR)
			return false;
		if (r > 0) {
			if (!host_during_screen(h, buf, &cancel))
				return false;
			if (cancel) {
				outcome_error(o, TEEC_ERROR_CANCEL);
				return true;
			}
		}
	}
	memset(o, 0, sizeof(*o));
	o->input.result = a.result;
	if (a.result != TEEC_SUCCESS)
		return true;
	o->input.button = a.button;
	/* Fields the rule gives no value for are left empty. */
	o->input.nentries = a.nentries > s->nentries ? a.nentries : s->nentries;
	for (unsigned int i = 0; i < a.nentries; i++) {
		o->input.value_len[i] = a.len[i];
		memcpy(o->values + o->values_len, a.value[i], a.len[i]);
		o->values_len += a.len[i];
	}
	if (!input_ok(s, a.button, o->input.nentries, o->input.value_len,
		      o->values)) {
		teed_log("TUI: script line %u does not answer the screen of TA %s"
			 " (button, entry count, lengths or characters)", a.line,
			 h->uuid_str);
		outcome_error(o, TEEC_ERROR_EXTERNAL_CANCEL);
	}
	return true;
}

/* Show one screen; false: the TA host is gone. */
static bool handle_screen(struct tui_host *h, const struct wire_msg *msg,
			  uint8_t *buf)
{
	struct wire_tui_screen s = msg->u.tui_screen;
	uint8_t *texts = malloc(msg->data_len ? msg->data_len : 1);
	struct outcome *o = calloc(1, sizeof(*o));
	uint32_t number = 0;
	bool alive = true;
	bool shown = false;

	if (!texts || !o) {
		if (o)
			outcome_error(o, TEEC_ERROR_OUT_OF_MEMORY);
		goto answer;
	}
	/* Our copy: buf receives the host's CANCEL while the screen is up. */
	memcpy(texts, msg->data, msg->data_len);
	if (!screen_texts_ok(&s, texts)) {
		teed_log("TUI: TA %s (pid %d): a text the screen cannot show",
			 h->uuid_str, (int)h->pid);
		outcome_error(o, TEEC_ERROR_BAD_PARAMETERS);
		goto answer;
	}
	pthread_mutex_lock(&g_tui.lock);
	session_expire_locked();
	if (g_tui.owner != h) {
		pthread_mutex_unlock(&g_tui.lock);
		outcome_error(o, TEEC_ERROR_BAD_STATE);
		goto answer;
	}
	g_tui.showing = true;
	number = ++g_tui.next_screen;
	if (display_usable_locked()) {
		memcpy(s.uuid, h->uuid, sizeof(s.uuid));
		s.screen = number;
		h->answered = false;
		g_tui.waiting = h;
		g_tui.screen = number;
		shown = display_send_locked(WIRE_TUI_SCREEN, &s, texts,
					    msg->data_len);
		if (!shown)
			g_tui.waiting = NULL;
	}
	pthread_mutex_unlock(&g_tui.lock);
	if (shown) {
		teed_log("TUI: TA %s screen %u on the display", h->uuid_str, number);
		alive = wait_display(h, number, buf, o);
		if (alive && o->input.result == TEEC_SUCCESS &&
		    !input_ok(&s, o->input.button, o->input.nentries,
			      o->input.value_len, o->values)) {
			teed_log("TUI: the display's input does not answer screen %u:"
				 " display dropped", number);
			pthread_mutex_lock(&g_tui.lock);
			if (g_tui.display >= 0 && !g_tui.display_broken) {
				g_tui.display_broken = true;
				shutdown(g_tui.display, SHUT_RDWR);
			}
			pthread_mutex_unlock(&g_tui.lock);
			outcome_error(o, TEEC_ERROR_EXTERNAL_CANCEL);
		}
	} else if (g_teed.tui_script[0]) {
		teed_log("TUI: TA %s screen %u for the script", h->uuid_str, number);
		alive = ask_script(h, &s, texts, buf, o);
	} else {
		teed_log("TUI: TA %s screen %u: the display is gone", h->uuid_str,
			 number);
		outcome_error(o, TEEC_ERROR_EXTERNAL_CANCEL);
	}

	pthread_mutex_lock(&g_tui.lock);
	if (g_tui.waiting == h)
		g_tui.waiting = NULL;
	g_tui.showing = false;
	g_tui.idle_since = now_ms();
	if (g_tui.owner == h) {
		if (!alive)
			session_end_locked("the TA host is gone");
		else if (o->input.result == TEEC_ERROR_EXTERNAL_CANCEL)
			session_end_locked("screen cancelled by the REE");
		else if (s.close_session)
			session_end_locked("closed with the screen");
	}
	pthread_mutex_unlock(&g_tui.lock);
	if (alive)
		teed_log("TUI: TA %s screen %u left: 0x%08x%s%s", h->uuid_str,
			 number, o->input.result,
			 o->input.result == TEEC_SUCCESS ? ", button " : "",
			 o->input.result == TEEC_SUCCESS ?
			 wire_tui_button_text(o->input.button) : "");
answer:
	if (alive) {
		struct wire_tui_input fail;

		memset(&fail, 0, sizeof(fail));
		fail.result = TEEC_ERROR_OUT_OF_MEMORY;
		if (o)
			o->input.screen = number;
		if (wire_send(h->fd, WIRE_TUI_INPUT, o ? &o->input : &fail,
			      o && o->values_len ? o->values : NULL,
			      o ? o->values_len : 0, NULL, 0))
			teed_log("TUI: answer to TA %s not sent: %s", h->uuid_str,
				 strerror(errno));
	}
	free(texts);
	free(o);
	return alive;
}

static void serve_host(int fd, const struct peer *peer, uint8_t *buf)
{
	struct tui_host *h = calloc(1, sizeof(*h));
	struct wire_msg msg;
	bool go = true;

	memset(&msg, 0, sizeof(msg));
	if (!h) {
		reply_result(fd, TEEC_ERROR_OUT_OF_MEMORY);
		return;
	}
	h->fd = fd;
	h->pid = peer->pid;
	h->wake[0] = h->wake[1] = -1;
	if (!instance_host_uuid(peer->pid, h->uuid)) {
		teed_log("TUI: pid %d refused: not a TA host", (int)peer->pid);
		reply_result(fd, TEEC_ERROR_ACCESS_DENIED);
		goto out;
	}
	uuid_to_str(h->uuid, h->uuid_str);
	if (pipe2(h->wake, O_CLOEXEC | O_NONBLOCK)) {
		reply_result(fd, TEEC_ERROR_OUT_OF_MEMORY);
		goto out;
	}
	reply_result(fd, TEEC_SUCCESS);
	while (go) {
		if (wire_recv(fd, buf, &msg)) {
			if (errno == EINTR)
				continue;
			if (errno == EBADMSG)
				teed_log("TUI: TA %s (pid %d): malformed message",
					 h->uuid_str, (int)h->pid);
			break;
		}
		wire_close_fds(&msg);
		switch (msg.type) {
		case WIRE_TUI_INIT:
			handle_init(h);
			break;
		case WIRE_TUI_CLOSE:
			handle_close(h);
			break;
		case WIRE_TUI_SCREEN:
			go = handle_screen(h, &msg, buf);
			break;
		case WIRE_TUI_CANCEL:
			break; /* for a screen already left */
		default:
			teed_log("TUI: TA %s (pid %d): unexpected message %d",
				 h->uuid_str, (int)h->pid, (int)msg.type);
			go = false;
			break;
		}
		/* wake[0] may hold the word of an answer already taken */
		while (read(h->wake[0], buf, 16) > 0)
			;
	}
out:
	pthread_mutex_lock(&g_tui.lock);
	if (g_tui.owner == h)
		session_end_locked("the TA host is gone");
	if (g_tui.waiting == h)
		g_tui.waiting = NULL;
	pthread_mutex_unlock(&g_tui.lock);
	if (h->wake[0] >= 0)
		close(h->wake[0]);
	if (h->wake[1] >= 0)
		close(h->wake[1]);
	free(h);
}

void tui_serve(int fd, const struct peer *peer, uint32_t kind, uint8_t *buf)
{
	if (kind == WIRE_HELLO_DISPLAY)
		serve_display(fd, peer, buf);
	else
		serve_host(fd, peer, buf);
}
