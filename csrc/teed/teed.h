/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * teed, the software TEE core: what its files export to each other.
 *
 *   main.c      command line, start-up, --daemon, --status, --stop
 *   log.c       timestamped lines in <data>/log/teed.log
 *   signals.c   the signal thread: reaps TA hosts, turns SIGTERM into a stop
 *   server.c    listening socket, accept loop, shutdown
 *   conn.c      one thread per client connection: the client protocol
 *   identity.c  client identity (login method -> client UUID)
 *   lookup.c    where teed itself and a TA binary are
 *   spawn.c     starting a TA host and reading its HOST_HELLO
 *   instance.c  TA instances: reuse, control requests, destroy
 *   tui.c       the Trusted UI: the display, the TA hosts' TUI channels,
 *               the one TUI session (docs/tui.md)
 *   tui_script.c the scripted user of PYTEE_TUI_SCRIPT, for tests
 *
 * Locking: g_teed.lock guards the instance list, the child list, the
 * session count and every field marked (g) below.  An instance's ctl mutex
 * serialises requests on its control socket; it is never taken while
 * g_teed.lock is held.
 */
#ifndef TEED_H
#define TEED_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <user_ta_header.h> /* TA_FLAG_* */

#include "paths.h"
#include "wire.h"

#define TEED_HELLO_TIMEOUT_MS 10000
#define TEED_LOGIN_TRUSTED_APP 0xF0000000u /* GP's TEE_LOGIN_TRUSTED_APP */
#define TEED_STOP_TIMEOUT_MS 2000
/* The TUI session ends after this long without a screen shown (GP TUI
 * session timeout); PYTEE_TUI_SESSION_TIMEOUT_MS changes it. */
#define TEED_TUI_TIMEOUT_MS 30000
#define TEED_TUI_TIMEOUT_MAX_MS 86400000u

struct instance {
	struct instance *next;  /* (g) in g_teed.instances while listed */
	uint8_t uuid[16];
	char uuid_str[37];
	uint32_t flags;         /* TA_FLAGS from HOST_HELLO */
	pid_t pid;
	int ctrl_fd;            /* control socket, teed end */
	int cancel_fd;          /* cancel pipe, write end, non-blocking */
	pthread_mutex_t ctl;    /* one request at a time on ctrl_fd */
	unsigned int refs;      /* (g) the list, each session, each user */
	unsigned int sessions;  /* (g) open sessions and opens in progress */
	bool listed;            /* (g) */
	bool dead;              /* (g) control socket broken or host gone */
};

/* A TA host process, from fork until it is reaped. */
struct child {
	struct child *next;
	pid_t pid;
	char uuid_str[37];
};

struct teed {
	/* set at start-up, read-only afterwards */
	char runtime_dir[PATHS_MAX];
	char data_dir[PATHS_MAX];
	char log_dir[PATHS_MAX];
	char sock_path[PATHS_MAX];
	char lock_path[PATHS_MAX];
	char exe_dir[PATHS_MAX];
	char tahost[PATHS_MAX];
	char python[PATHS_MAX];  /* runs Python TA hosts: PYTEE_PYTHON or python3 */
	char libtee[PATHS_MAX];  /* the libtee.so beside teed, for Python TAs */
	char ta_path[PATHS_MAX]; /* PYTEE_TA_PATH, may be empty */
	char tui_script[PATHS_MAX]; /* PYTEE_TUI_SCRIPT made absolute, may be empty */
	uint32_t tui_timeout_ms;  /* TUI session timeout */
	uid_t uid;
	pid_t pid;
	int log_fd;
	int lock_fd;
	int listen_fd;
	int stop_fd;             /* eventfd: written to ask the main loop to stop */

	pthread_mutex_t lock;
	pthread_cond_t spawn_cv; /* signalled when a spawn gate opens */
	struct instance *instances;   /* (g) */
	struct child *children;       /* (g) */
	struct spawn_gate *gates;     /* (g) UUIDs whose first instance is starting */
	unsigned int nsessions;       /* (g) */
	uint32_t next_session;        /* (g) */
	bool stopping;                /* (g) */
};

extern struct teed g_teed;

/* log.c */
void teed_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* signals.c: block the signals the signal thread handles (call before any
 * thread exists), start it, and undo the mask in a forked child. */
int signals_block(void);
int signals_start(void);
void signals_child_reset(void);

/* server.c */
int server_listen(void);          /* bind + listen; -1 with errno */
void server_run(void);            /* accept loop; returns when stopping */
void server_request_stop(void);   /* async-signal-safe */
void server_shutdown(void) __attribute__((noreturn));

/* conn.c: serve one accepted, authenticated connection in its own thread. */
int conn_start(int fd, const struct ucred *cred);

/* identity.c */
struct peer {
	uid_t uid;
	gid_t gid;
	pid_t pid;
};
/* The client UUID and TEE login for `login`; TEEC_SUCCESS or an error with
 * *origin set. */
uint32_t identity_client_uuid(const struct peer *peer, uint32_t login,
			      uint32_t gid, uint8_t out[16], uint32_t *origin);

/* lookup.c */
int lookup_exe_dir(char *out, size_t len);
/* 0 and the path of <uuid>.ta.so or of a Python TA declaring uuid (see
 * docs/python-tas.md), or -1 (ENOENT) */
int lookup_ta(const uint8_t uuid[16], char *out, size_t len);
/* Whether lookup_ta found a Python TA. */
bool lookup_is_python(const char *ta_file);

/* spawn.c */
/* Start a host for `uuid` and wait for its HOST_HELLO: an unlisted
 * instance with no reference, or NULL with *result and *origin set. */
struct instance *instance_spawn(const uint8_t uuid[16], const char *ta_file,
				uint32_t *result, uint32_t *origin);
void instance_free(struct instance *inst);

/* instance.c */
/*
 * An instance for a new session of `uuid` (a live one, or a new host for
 * the TA binary lookup_ta finds), with one session slot reserved and a
 * reference for the caller.  On failure returns NULL with *result and
 * *origin set.
 */
struct instance *instance_acquire(const uint8_t uuid[16], uint32_t *result,
				  uint32_t *origin);
/* Give back a session slot (closed session or failed open) and the
 * caller's reference; destroys the instance when it was the last slot and
 * the TA is not keep-alive.  buf is a WIRE_MAX_MSG receive buffer. */
void instance_release(struct instance *inst, uint8_t *buf);
/*
 * Send one request on the control socket and receive its REPLY into msg
 * (fds closed).  0; when the instance is dead (it is then marked so),
 * INSTANCE_NOT_TAKEN if its host never read the request, else -1.
 */
#define INSTANCE_NOT_TAKEN (-2)
int instance_request(struct instance *inst, enum wire_type type,
		     const void *body, const void *data, uint32_t data_len,
		     const int *fds, unsigned int nfds,
		     uint8_t *buf, struct wire_msg *reply);
bool instance_is_dead(struct instance *inst);
/* Whether pid is one of our live TA hosts (a TA calling another TA through
 * the Internal Client API); its TA's UUID in uuid if so. */
bool instance_host_uuid(pid_t pid, uint8_t uuid[16]);
void instance_mark_dead(struct instance *inst);
void instance_cancel(struct instance *inst, uint32_t session, uint32_t seq);
uint32_t instance_next_session_id(void);
void instance_count(unsigned int *instances, unsigned int *sessions);
void instance_sessions_add(int delta);
/* signals.c calls this when host `pid` is gone, before it is reaped. */
void instance_child_gone(pid_t pid, char uuid_out[37]);
/* Kill a host that has not been reaped yet; safe against pid reuse. */
void instance_kill_child(pid_t pid);
void instance_kill_child_locked(pid_t pid);
/* Destroy every instance (STOP), SIGKILL after TEED_STOP_TIMEOUT_MS. */
void instance_destroy_all(void);

/* tui.c */
/*
 * Serve, in the calling connection thread, a connection whose HELLO was
 * of kind WIRE_HELLO_DISPLAY or WIRE_HELLO_TUI: answer the HELLO, then
 * the display's inputs or the TA host's TUI requests, until it hangs up or
 * misbehaves.  The caller closes fd afterwards.  buf is a WIRE_MAX_MSG
 * receive buffer.
 */
void tui_serve(int fd, const struct peer *peer, uint32_t kind, uint8_t *buf);

/* tui_script.c */
/* What the scripted user does with a screen. */
struct tui_answer {
	uint32_t result;        /* TEE_SUCCESS or TEE_ERROR_EXTERNAL_CANCEL */
	uint32_t button;        /* TEE_TUIButtonType, on success */
	uint32_t nentries;
	uint32_t len[WIRE_TUI_MAX_ENTRIES];
	char value[WIRE_TUI_MAX_ENTRIES][WIRE_TUI_VALUE_MAX];
	uint32_t delay_ms;      /* think this long before answering */
	unsigned int line;      /* the rule's line in the script */
};
/*
 * The answer of the first rule of the script at path that matches the
 * screen (texts: its data area) shown for TA uuid: 0 and *out, or -1 when
 * the script cannot be read or no rule matches (logged).  Malformed lines
 * are logged and skipped.
 */
int tui_script_answer(const char *path, const uint8_t uuid[16],
		      const struct wire_tui_screen *screen, const uint8_t *texts,
		      struct tui_answer *out);

#endif /* TEED_H */
