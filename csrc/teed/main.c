/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * teed --foreground | --daemon | --status | --stop
 *
 * Start-up is the only place where teed exits on an error: one line on
 * stderr (or, for --daemon, through the start-up pipe to the parent).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "teed.h"

struct teed g_teed = {
	.log_fd = -1,
	.lock_fd = -1,
	.listen_fd = -1,
	.stop_fd = -1,
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.spawn_cv = PTHREAD_COND_INITIALIZER,
	.next_session = 1,
};

#define STOP_WAIT_MS 5000

/* Where start-up errors go: stderr, or the --daemon parent's pipe. */
static int report_fd = -1;

static void startup_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void startup_fail(const char *fmt, ...)
{
	char msg[512] = { 0 };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (report_fd >= 0) {
		if (write(report_fd, msg, strlen(msg)) < 0)
			exit(1);
	} else {
		fprintf(stderr, "teed: %s\n", msg);
	}
	teed_log("start-up failed: %s", msg);
	exit(1);
}

/*
 * "cwd/path" for a relative path: --daemon changes to "/", and the TA host
 * runs elsewhere too.  0, or -1 when it does not fit.
 */
static int absolute(const char *path, size_t n, char *out, size_t len)
{
	char cwd[PATHS_MAX] = { 0 };
	int r = 0;

	if (n > 0 && path[0] == '/')
		r = snprintf(out, len, "%.*s", (int)n, path);
	else if (getcwd(cwd, sizeof(cwd)))
		r = snprintf(out, len, "%s/%.*s", cwd, (int)n, path);
	else
		r = -1;
	return r < 0 || (size_t)r >= len ? -1 : 0;
}

static void absolute_in_place(char *path, size_t len, const char *what)
{
	char tmp[PATHS_MAX] = { 0 };

	if (path[0] == '/')
		return;
	if (absolute(path, strlen(path), tmp, sizeof(tmp)) || strlen(tmp) >= len)
		startup_fail("%s: path too long", what);
	memcpy(path, tmp, strlen(tmp) + 1);
}

/* PYTEE_TA_PATH with each folder made absolute. */
static void config_ta_path(const char *ta_path)
{
	char dir[PATHS_MAX] = { 0 };
	size_t used = 0;

	while (ta_path && *ta_path) {
		const char *colon = strchr(ta_path, ':');
		size_t n = colon ? (size_t)(colon - ta_path) : strlen(ta_path);

		if (n > 0) {
			if (absolute(ta_path, n, dir, sizeof(dir)) ||
			    used + strlen(dir) + 2 > sizeof(g_teed.ta_path))
				startup_fail("PYTEE_TA_PATH too long");
			if (used)
				g_teed.ta_path[used++] = ':';
			memcpy(g_teed.ta_path + used, dir, strlen(dir) + 1);
			used += strlen(dir);
		}
		ta_path += n;
		if (*ta_path == ':')
			ta_path++;
	}
}

static void config_runtime(void)
{
	if (paths_runtime_dir(g_teed.runtime_dir, sizeof(g_teed.runtime_dir)))
		startup_fail("runtime folder: %s", strerror(errno));
	absolute_in_place(g_teed.runtime_dir, sizeof(g_teed.runtime_dir), "runtime folder");
	if (paths_join(g_teed.sock_path, sizeof(g_teed.sock_path), g_teed.runtime_dir,
		       "teed.sock") ||
	    paths_join(g_teed.lock_path, sizeof(g_teed.lock_path), g_teed.runtime_dir,
		       "teed.lock"))
		startup_fail("runtime folder: %s", strerror(ENAMETOOLONG));
	if (strlen(g_teed.sock_path) >= sizeof(((struct sockaddr_un *)NULL)->sun_path))
		startup_fail("socket path too long: %s", g_teed.sock_path);
}

/*
 * How Python TAs are hosted (docs/python-tas.md): the interpreter, the
 * libtee beside teed, and the folder holding the pytee package that teed
 * belongs to first on PYTHONPATH, when teed runs from one (pytee/_native).
 */
static void config_python(void)
{
	const char *python = getenv("PYTEE_PYTHON");
	const char *old = getenv("PYTHONPATH");
	char host[PATHS_MAX] = { 0 };
	char root[PATHS_MAX] = { 0 };
	char path[2 * PATHS_MAX] = { 0 };

	if (!python || !*python)
		python = "python3";
	if (strlen(python) >= sizeof(g_teed.python))
		startup_fail("PYTEE_PYTHON too long");
	memcpy(g_teed.python, python, strlen(python) + 1);
	if (paths_join(g_teed.libtee, sizeof(g_teed.libtee), g_teed.exe_dir,
		       "../lib/libtee.so"))
		startup_fail("libtee path too long");
	if (paths_join(host, sizeof(host), g_teed.exe_dir,
		       "../../../pytee/internal/host.py") ||
	    access(host, R_OK) ||
	    paths_join(root, sizeof(root), g_teed.exe_dir, "../../.."))
		return; /* not inside a pytee package: the interpreter's own */
	snprintf(path, sizeof(path), "%s%s%s", root, old && *old ? ":" : "",
		 old && *old ? old : "");
	if (setenv("PYTHONPATH", path, 1))
		startup_fail("setenv: %s", strerror(errno));
}

/* The Trusted UI: the scripted user and the session timeout (docs/tui.md). */
static void config_tui(void)
{
	const char *script = getenv("PYTEE_TUI_SCRIPT");
	const char *timeout = getenv("PYTEE_TUI_SESSION_TIMEOUT_MS");
	char *end = NULL;
	unsigned long ms = TEED_TUI_TIMEOUT_MS;

	if (script && *script &&
	    absolute(script, strlen(script), g_teed.tui_script,
		     sizeof(g_teed.tui_script)))
		startup_fail("PYTEE_TUI_SCRIPT too long");
	if (timeout && *timeout) {
		errno = 0;
		ms = strtoul(timeout, &end, 10);
		if (errno || *end || timeout[0] < '0' || timeout[0] > '9' ||
		    ms == 0 || ms > TEED_TUI_TIMEOUT_MAX_MS)
			startup_fail("PYTEE_TUI_SESSION_TIMEOUT_MS must be 1 to %u",
				     TEED_TUI_TIMEOUT_MAX_MS);
	}
	g_teed.tui_timeout_ms = (uint32_t)ms;
}

static void config_all(void)
{
	const char *tahost = getenv("PYTEE_TAHOST");
	const char *ta_path = getenv("PYTEE_TA_PATH");

	g_teed.uid = geteuid();
	g_teed.pid = getpid();
	config_runtime();
	if (paths_data_dir(g_teed.data_dir, sizeof(g_teed.data_dir)))
		startup_fail("data folder: %s", strerror(errno));
	absolute_in_place(g_teed.data_dir, sizeof(g_teed.data_dir), "data folder");
	if (paths_join(g_teed.log_dir, sizeof(g_teed.log_dir), g_teed.data_dir, "log") ||
	    paths_mkdir_private(g_teed.log_dir))
		startup_fail("log folder %s: %s", g_teed.log_dir, strerror(errno));
	if (lookup_exe_dir(g_teed.exe_dir, sizeof(g_teed.exe_dir)))
		startup_fail("cannot find my own executable: %s", strerror(errno));
	if (tahost && *tahost) {
		if (absolute(tahost, strlen(tahost), g_teed.tahost, sizeof(g_teed.tahost)))
			startup_fail("PYTEE_TAHOST too long");
	} else if (paths_join(g_teed.tahost, sizeof(g_teed.tahost), g_teed.exe_dir,
			      "tahost")) {
		startup_fail("TA host path too long");
	}
	config_ta_path(ta_path);
	config_python();
	config_tui();
	/* TA hosts calling other TAs reach this daemon through libteec: give
	 * them the folders as resolved here (the daemon runs in /). */
	if (setenv("PYTEE_RUNTIME_DIR", g_teed.runtime_dir, 1) ||
	    setenv("PYTEE_DATA_DIR", g_teed.data_dir, 1))
		startup_fail("setenv: %s", strerror(errno));
}

/* 0: the lock is ours; 1: another daemon holds it. */
static int take_lock(void)
{
	g_teed.lock_fd = open(g_teed.lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (g_teed.lock_fd < 0)
		startup_fail("%s: %s", g_teed.lock_path, strerror(errno));
	if (flock(g_teed.lock_fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno != EWOULDBLOCK)
		startup_fail("%s: %s", g_teed.lock_path, strerror(errno));
	close(g_teed.lock_fd);
	g_teed.lock_fd = -1;
	return 1;
}

static void open_log(void)
{
	char path[PATHS_MAX] = { 0 };

	if (paths_join(path, sizeof(path), g_teed.log_dir, "teed.log"))
		startup_fail("log path too long");
	g_teed.log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (g_teed.log_fd < 0)
		startup_fail("%s: %s", path, strerror(errno));
}

static void serve(void) __attribute__((noreturn));
static void serve(void)
{
	OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);
	if (signals_block())
		startup_fail("signals: %s", strerror(errno));
	if (server_listen())
		startup_fail("cannot listen on %s: %s", g_teed.sock_path, strerror(errno));
	if (signals_start())
		startup_fail("signal thread: %s", strerror(errno));
	teed_log("started, pid %d, socket %s, TA host %s", (int)g_teed.pid,
		 g_teed.sock_path, g_teed.tahost);
	if (report_fd >= 0) {
		if (write(report_fd, "ok", 2) != 2)
			teed_log("start-up report lost: %s", strerror(errno));
		close(report_fd);
		report_fd = -1;
	}
	server_run();
	server_shutdown();
}

static int run_foreground(void)
{
	config_all();
	if (take_lock()) {
		fprintf(stderr, "teed: already running for %s\n", g_teed.runtime_dir);
		return 1;
	}
	open_log();
	serve();
}

/* The daemon side of --daemon, after fork. */
static void daemon_child(void) __attribute__((noreturn));
static void daemon_child(void)
{
	int null_fd = -1;

	g_teed.pid = getpid();
	if (setsid() < 0)
		startup_fail("setsid: %s", strerror(errno));
	if (chdir("/"))
		startup_fail("chdir /: %s", strerror(errno));
	umask(077);
	open_log();
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
	    dup2(g_teed.log_fd, STDOUT_FILENO) < 0 ||
	    dup2(g_teed.log_fd, STDERR_FILENO) < 0)
		startup_fail("redirecting stdio: %s", strerror(errno));
	close(null_fd);
	serve();
}

static int run_daemon(void)
{
	char msg[512] = { 0 };
	size_t got = 0;
	ssize_t n = 0;
	int pipefd[2] = { -1, -1 };
	pid_t pid = -1;

	config_all();
	if (take_lock()) {
		printf("teed already running for %s\n", g_teed.runtime_dir);
		return 0;
	}
	if (pipe2(pipefd, O_CLOEXEC))
		startup_fail("pipe: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		startup_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		close(pipefd[0]);
		report_fd = pipefd[1];
		daemon_child();
	}
	/* The child holds the lock now (same open file description). */
	close(pipefd[1]);
	close(g_teed.lock_fd);
	while (got < sizeof(msg) - 1) {
		n = read(pipefd[0], msg + got, sizeof(msg) - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(pipefd[0]);
	msg[got] = '\0';
	if (strcmp(msg, "ok") == 0)
		return 0;
	fprintf(stderr, "teed: %s\n", got ? msg : "the daemon exited during start-up");
	return 1;
}

/* ---- --status and --stop: a minimal client ---- */

static int ctl_connect(void)
{
	struct sockaddr_un addr;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, g_teed.sock_path, strlen(g_teed.sock_path) + 1);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Send a request and receive its REPLY; 0 or -1. */
static int ctl_call(int fd, enum wire_type type, uint8_t *buf,
		    struct wire_msg *reply)
{
	struct wire_hello body; /* HELLO, STATUS and STOP share this body */

	memset(&body, 0, sizeof(body));
	body.pid = (uint32_t)getpid();
	if (wire_send(fd, type, &body, NULL, 0, NULL, 0) || wire_recv(fd, buf, reply))
		return -1;
	wire_close_fds(reply);
	return reply->type == WIRE_REPLY ? 0 : -1;
}

/* Connect and say HELLO; the fd, or -1 if no daemon answers. */
static int ctl_open(uint8_t *buf, pid_t *daemon_pid)
{
	struct wire_msg reply;
	int fd = ctl_connect();

	memset(&reply, 0, sizeof(reply));
	if (fd >= 0 && (ctl_call(fd, WIRE_HELLO, buf, &reply) ||
			reply.u.reply.result != 0)) {
		close(fd);
		fd = -1;
	}
	*daemon_pid = (pid_t)reply.u.reply.session;
	return fd;
}

static int run_status(void)
{
	struct wire_msg reply;
	uint8_t *buf = malloc(WIRE_MAX_MSG);
	pid_t pid = 0;
	int fd = -1;
	int ret = 3;

	memset(&reply, 0, sizeof(reply));
	config_runtime();
	if (!buf)
		startup_fail("out of memory");
	fd = ctl_open(buf, &pid);
	if (fd < 0 || ctl_call(fd, WIRE_STATUS, buf, &reply)) {
		printf("teed not running\n");
		goto out;
	}
	printf("teed running, pid %d, %u instances, %u sessions\n", (int)pid,
	       reply.u.reply.session, reply.u.reply.seq);
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return ret;
}

static int run_stop(void)
{
	struct wire_msg reply;
	struct pollfd pfd = { .fd = -1, .events = POLLIN };
	struct timespec start = { 0 };
	struct timespec now = { 0 };
	struct stat st;
	uint8_t *buf = malloc(WIRE_MAX_MSG);
	pid_t pid = 0;
	int ret = 0;
	long left = STOP_WAIT_MS;
	bool eof = false;

	memset(&reply, 0, sizeof(reply));
	memset(&st, 0, sizeof(st));
	config_runtime();
	if (!buf)
		startup_fail("out of memory");
	pfd.fd = ctl_open(buf, &pid);
	if (pfd.fd < 0) {
		printf("teed not running\n");
		goto out;
	}
	if (ctl_call(pfd.fd, WIRE_STOP, buf, &reply)) {
		fprintf(stderr, "teed: pid %d did not answer the stop request\n", (int)pid);
		ret = 1;
		goto out;
	}
	/* The connection ends when the daemon exits; the socket goes first. */
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (left > 0) {
		struct timespec pause = { .tv_sec = 0, .tv_nsec = 20000000L };
		char c = 0;

		if (!eof && poll(&pfd, 1, (int)left) > 0) {
			ssize_t n = recv(pfd.fd, &c, 1, MSG_DONTWAIT);

			eof = n == 0 || (n < 0 && errno != EAGAIN);
		} else if (eof) {
			nanosleep(&pause, NULL);
		}
		if (eof && stat(g_teed.sock_path, &st) != 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = STOP_WAIT_MS - ((now.tv_sec - start.tv_sec) * 1000 +
				       (now.tv_nsec - start.tv_nsec) / 1000000);
	}
	if (left <= 0) {
		fprintf(stderr, "teed: pid %d still running after %d ms\n", (int)pid,
			STOP_WAIT_MS);
		ret = 1;
		goto out;
	}
	printf("teed stopped, pid %d\n", (int)pid);
out:
	if (pfd.fd >= 0)
		close(pfd.fd);
	free(buf);
	return ret;
}

int main(int argc, char **argv)
{
	const char *mode = argc == 2 ? argv[1] : "";

	if (strcmp(mode, "--foreground") == 0)
		return run_foreground();
	if (strcmp(mode, "--daemon") == 0)
		return run_daemon();
	if (strcmp(mode, "--status") == 0)
		return run_status();
	if (strcmp(mode, "--stop") == 0)
		return run_stop();
	fprintf(stderr, "usage: teed --foreground | --daemon | --status | --stop\n");
	return 2;
}
