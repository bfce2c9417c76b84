// SPDX-License-Identifier: BSD-2-Clause
/* Reaching teed: connect, start it when nobody answers, say hello. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libteec.h"
#include "paths.h"

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

/* Run `teed --daemon`, which returns once the daemon listens. */
static int start_teed(void)
{
	char path[PATHS_MAX];
	char *argv[] = { path, "--daemon", NULL };
	pid_t pid = -1;
	int status = 0;
	int rc = 0;

	if (teed_path(path, sizeof(path)))
		return -1;
	rc = posix_spawn(&pid, path, NULL, NULL, argv, environ);
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
	wire_close_fds(&msg);
out:
	free(buf);
	return rc;
}

int teed_connect(void)
{
	char dir[PATHS_MAX];
	char sock[PATHS_MAX];
	char lock[PATHS_MAX];
	int fd = -1;
	int lockfd = -1;

	if (paths_runtime_dir(dir, sizeof(dir)) ||
	    paths_join(sock, sizeof(sock), dir, "teed.sock") ||
	    paths_join(lock, sizeof(lock), dir, "start.lock"))
		return -1;
	fd = connect_socket(sock);
	if (fd < 0) {
		/* Nobody answers: start a daemon, one client at a time. */
		lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (lockfd < 0)
			return -1;
		while (flock(lockfd, LOCK_EX) && errno == EINTR)
			;
		fd = connect_socket(sock);
		if (fd < 0 && start_teed() == 0)
			fd = connect_socket(sock);
		close(lockfd);
		if (fd < 0)
			return -1;
	}
	if (hello(fd)) {
		close(fd);
		return -1;
	}
	return fd;
}
