// SPDX-License-Identifier: BSD-2-Clause
/* Reaching teed: connect, start it when nobody answers, say hello. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libteec.h"
#include "paths.h"

/* How long a client waits for a killed teed to be gone (see connect_or_start). */
#define START_RETRY_MS 2000

extern char **environ;

static int connect_socket(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = -1;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/*
 * teed lives at <lib>/../libexec/teed; the dev kit's optee_client-style
 * export (<prefix>/devkit/teec/lib) holds a copy of this library, from
 * which the daemon is three levels up.
 */
static int teed_path(char *out, size_t len)
{
	static const char *const candidates[] = { "../libexec/teed",
						  "../../../libexec/teed" };
	const char *env = getenv("PYTEE_TEED");
	char dir[PATHS_MAX];

	if (env && *env) {
		if (strlen(env) >= len) {
			errno = ENAMETOOLONG;
			return -1;
		}
		strcpy(out, env);
		return 0;
	}
	if (paths_dir_of_symbol((const void *)teed_connect, dir, sizeof(dir)))
		return -1;
	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		if (paths_join(out, len, dir, candidates[i]))
			return -1;
		if (access(out, X_OK) == 0)
			return 0;
	}
	/* Report the usual place in the error message. */
	return paths_join(out, len, dir, candidates[0]);
}

/*
 * Run `teed --daemon`, which returns once the daemon listens.  quiet sends
 * its stdout, where it says "already running", to /dev/null.
 */
static int start_teed(bool quiet)
{
	char path[PATHS_MAX];
	char *argv[] = { path, "--daemon", NULL };
	posix_spawn_file_actions_t actions;
	pid_t pid = -1;
	int status = 0;
	int rc = 0;

	if (teed_path(path, sizeof(path)))
		return -1;
	rc = posix_spawn_file_actions_init(&actions);
	if (rc == 0 && quiet)
		rc = posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO,
						      "/dev/null", O_WRONLY, 0);
	if (rc == 0)
		rc = posix_spawn(&pid, path, &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	if (rc) {
		fprintf(stderr, "pytee libteec: cannot run %s: %s\n", path,
			strerror(rc));
		errno = rc;
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "pytee libteec: %s --daemon failed\n", path);
		errno = ECONNREFUSED;
		return -1;
	}
	return 0;
}

/* 0: teed answered; -1 with errno ECONNREFUSED when it refused us, else
 * errno of the transport (a daemon being killed hangs up unanswered). */
static int hello(int fd)
{
	struct wire_hello body = { .pid = (uint32_t)getpid() };
	uint8_t *buf = malloc(WIRE_MAX_MSG);
	struct wire_msg msg;
	int rc = -1;

	if (!buf)
		return -1;
	if (wire_send(fd, WIRE_HELLO, &body, NULL, 0, NULL, 0))
		goto out;
	if (wire_recv(fd, buf, &msg))
		goto out;
	if (msg.type == WIRE_REPLY && msg.u.reply.result == TEEC_SUCCESS)
		rc = 0;
	else
		errno = ECONNREFUSED;
	wire_close_fds(&msg);
out:
	free(buf);
	return rc;
}

/* What came of one try to reach teed. */
enum reach {
	REACH_OK,      /* connected, and teed answered the hello */
	REACH_NOBODY,  /* connect failed: nobody listens (errno says why) */
	REACH_HUNG_UP, /* accepted, then hung up unanswered: a dying teed */
	REACH_FAILED,  /* teed refused us, or no memory */
};

/* Connect and say hello: the fd, or -1 and *how says why not. */
static int connect_hello(const char *sock, enum reach *how)
{
	int fd = connect_socket(sock);

	*how = REACH_NOBODY;
	if (fd < 0)
		return -1;
	*how = REACH_OK;
	if (hello(fd) == 0)
		return fd;
	*how = (errno == ECONNRESET || errno == EPIPE || errno == ENOTCONN) ?
		       REACH_HUNG_UP : REACH_FAILED;
	close(fd);
	return -1;
}

static int64_t now_ms(void)
{
	struct timespec ts = { 0 };

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * With the start lock held: connect, starting teed when nobody listens.
 * A teed killed a moment ago is not gone at once: its socket may still
 * accept and hang up, and its lock may still be held, so that the new
 * `teed --daemon` finds it "already running" and nobody listens.  Both
 * pass: try again until START_RETRY_MS have gone by.
 */
static int connect_or_start(const char *sock)
{
	const struct timespec pause = { .tv_sec = 0, .tv_nsec = 10 * 1000000L };
	int64_t deadline = now_ms() + START_RETRY_MS;
	enum reach how = REACH_FAILED;
	bool again = false;
	bool quiet = false;
	int fd = -1;

	for (;;) {
		fd = connect_hello(sock, &how);
		if (how == REACH_NOBODY) {
			if (start_teed(quiet))
				return -1;
			/* Only the first start speaks: the next ones, while a
			 * dying teed holds its lock, all say "already running". */
			quiet = true;
			fd = connect_hello(sock, &how);
		}
		/* Nobody listens after a start that went well: a dying teed
		 * still held its lock.  Another error will not pass. */
		again = how == REACH_HUNG_UP ||
			(how == REACH_NOBODY && (errno == ECONNREFUSED || errno == ENOENT));
		if (!again || now_ms() >= deadline)
			return fd;
		nanosleep(&pause, NULL);
	}
}

int teed_connect(void)
{
	char dir[PATHS_MAX];
	char sock[PATHS_MAX];
	char lock[PATHS_MAX];
	enum reach how = REACH_FAILED;
	int fd = -1;
	int lockfd = -1;

	if (paths_runtime_dir(dir, sizeof(dir)) ||
	    paths_join(sock, sizeof(sock), dir, "teed.sock") ||
	    paths_join(lock, sizeof(lock), dir, "start.lock"))
		return -1;
	fd = connect_hello(sock, &how);
	if (how == REACH_OK || how == REACH_FAILED)
		return fd;
	/* Nobody answers, or a dying teed hung up: start a daemon, one client
	 * at a time. */
	lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lockfd < 0)
		return -1;
	while (flock(lockfd, LOCK_EX) && errno == EINTR)
		;
	fd = connect_or_start(sock);
	close(lockfd);
	return fd;
}
