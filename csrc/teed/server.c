/* SPDX-License-Identifier: BSD-2-Clause */
/* The listening socket, the accept loop and the orderly stop. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "teed.h"

int server_listen(void)
{
	struct sockaddr_un addr;
	mode_t old_mask = 0;
	int fd = -1;
	int ret = -1;

	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	if (strlen(g_teed.sock_path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		goto out;
	}
	memcpy(addr.sun_path, g_teed.sock_path, strlen(g_teed.sock_path) + 1);
	g_teed.stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (g_teed.stop_fd < 0)
		goto out;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto out;
	/* We hold teed.lock: a socket file left here is stale. */
	if (unlink(g_teed.sock_path) && errno != ENOENT)
		goto out;
	old_mask = umask(0177);
	ret = bind(fd, (struct sockaddr *)&addr, sizeof(addr));
	umask(old_mask);
	if (ret)
		goto out;
	ret = -1;
	if (chmod(g_teed.sock_path, 0600) || listen(fd, 64))
		goto out;
	g_teed.listen_fd = fd;
	fd = -1;
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

void server_request_stop(void)
{
	uint64_t one = 1;

	if (write(g_teed.stop_fd, &one, sizeof(one)) < 0)
		return; /* already pending (EAGAIN) */
}

static void accept_one(void)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fd = accept4(g_teed.listen_fd, NULL, NULL, SOCK_CLOEXEC);

	memset(&cred, 0, sizeof(cred));
	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			struct timespec pause = { .tv_sec = 0, .tv_nsec = 100000000L };

			teed_log("accept: %s", strerror(errno));
			nanosleep(&pause, NULL);
		}
		goto out;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) || len != sizeof(cred)) {
		teed_log("connection refused: no peer credentials: %s", strerror(errno));
		goto out;
	}
	if (cred.uid != g_teed.uid) {
		teed_log("connection from pid %d uid %u refused: not uid %u",
			 (int)cred.pid, (unsigned int)cred.uid, (unsigned int)g_teed.uid);
		goto out;
	}
	if (conn_start(fd, &cred)) {
		teed_log("connection from pid %d dropped: %s", (int)cred.pid,
			 strerror(errno));
		goto out;
	}
	fd = -1; /* the connection thread owns it */
out:
	if (fd >= 0)
		close(fd);
}

void server_run(void)
{
	struct pollfd pfd[2];

	memset(pfd, 0, sizeof(pfd));
	pfd[0].fd = g_teed.stop_fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = g_teed.listen_fd;
	pfd[1].events = POLLIN;
	for (;;) {
		int r = poll(pfd, 2, -1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			teed_log("poll: %s", strerror(errno));
			return;
		}
		if (pfd[0].revents)
			return;
		if (pfd[1].revents & POLLIN)
			accept_one();
	}
}

void server_shutdown(void)
{
	teed_log("stopping");
	instance_destroy_all();
	unlink(g_teed.sock_path);
	close(g_teed.listen_fd);
	/* A new daemon may start as soon as the socket is gone. */
	close(g_teed.lock_fd);
	teed_log("stopped");
	exit(0);
}
