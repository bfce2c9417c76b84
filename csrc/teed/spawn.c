/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Starting a TA host: fork + execv of the tahost with its control socket
 * and the read end of its cancel pipe, then the host's HOST_HELLO.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <tee_client_api.h>

#include "teed.h"

static int64_t now_ms(void)
{
	struct timespec ts = { 0 };

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In the child: close every fd except keep[0..n) (async-signal-safe). */
static void close_other_fds(int *keep, unsigned int n)
{
	unsigned int from = 3;
	unsigned int i = 0;
	unsigned int j = 0;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			int t = keep[j];

			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	for (i = 0; i <= n; i++) {
		unsigned int to = i < n ? (unsigned int)keep[i] : ~0u;

		if (i < n && (unsigned int)keep[i] < from)
			continue;
		if (to > from && close_range(from, to - 1, 0) < 0) {
			unsigned int fd = from;

			for (; fd < to && fd < 65536; fd++)
				close((int)fd);
		}
		if (i < n)
			from = (unsigned int)keep[i] + 1;
	}
}

/*
 * The TA host's command line: `tahost <ta.so> <ctl> <cancel> <log>`, or for
 * a Python TA `<python> -m pytee.internal.host <libtee.so> <ta.py> <ctl>
 * <cancel> <log>`.
 */
#define HOST_ARGV_MAX 9
static void host_argv(char *argv[HOST_ARGV_MAX], const char *ta_file,
		      char *ctrl_s, char *cancel_s, char *log_path)
{
	unsigned int i = 0;

	if (lookup_is_python(ta_file)) {
		argv[i++] = g_teed.python;
		argv[i++] = (char *)"-m";
		argv[i++] = (char *)"pytee.internal.host";
		argv[i++] = g_teed.libtee;
	} else {
		argv[i++] = g_teed.tahost;
	}
	argv[i++] = (char *)ta_file;
	argv[i++] = ctrl_s;
	argv[i++] = cancel_s;
	argv[i++] = log_path;
	argv[i] = NULL;
}

static void child_exec(char *const argv[], int ctrl_fd, int cancel_fd, int err_fd)
{
	int keep[3] = { ctrl_fd, cancel_fd, err_fd };
	int e = 0;

	signals_child_reset();
	if (fcntl(ctrl_fd, F_SETFD, 0) < 0 || fcntl(cancel_fd, F_SETFD, 0) < 0)
		goto fail;
	close_other_fds(keep, 3);
	execvp(argv[0], argv); /* PYTEE_PYTHON may be a bare name */
fail:
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

void instance_free(struct instance *inst)
{
	if (!inst)
		return;
	if (inst->ctrl_fd >= 0)
		close(inst->ctrl_fd);
	if (inst->cancel_fd >= 0)
		close(inst->cancel_fd);
	pthread_mutex_destroy(&inst->ctl);
	free(inst);
}

/* Wait up to the deadline for the HOST_HELLO; 0 or -1 (result set). */
static int wait_hello(struct instance *inst, uint8_t *buf, uint32_t *result,
		      uint32_t *origin)
{
	struct wire_msg msg;
	static const uint8_t no_uuid[16] = { 0 }; /* a host that could not load its TA */
	struct pollfd pfd = { .fd = inst->ctrl_fd, .events = POLLIN };
	int64_t deadline = now_ms() + TEED_HELLO_TIMEOUT_MS;
	int ret = -1;
	int r = 0;

	memset(&msg, 0, sizeof(msg));
	*result = TEEC_ERROR_TARGET_DEAD;
	*origin = TEEC_ORIGIN_TEE;
	do {
		int64_t left = deadline - now_ms();

		r = poll(&pfd, 1, left > 0 ? (int)left : 0);
	} while (r < 0 && errno == EINTR);
	if (r == 0) {
		teed_log("TA %s host pid %d: no HOST_HELLO within %d ms, killed",
			 inst->uuid_str, (int)inst->pid, TEED_HELLO_TIMEOUT_MS);
		instance_kill_child(inst->pid);
		goto out;
	}
	if (r < 0 || wire_recv(inst->ctrl_fd, buf, &msg)) {
		teed_log("TA %s host pid %d: gone before HOST_HELLO (%s)",
			 inst->uuid_str, (int)inst->pid, strerror(errno));
		instance_kill_child(inst->pid);
		goto out;
	}
	wire_close_fds(&msg);
	if (msg.type != WIRE_HOST_HELLO) {
		teed_log("TA %s host pid %d: message %d instead of HOST_HELLO, killed",
			 inst->uuid_str, (int)inst->pid, (int)msg.type);
		instance_kill_child(inst->pid);
		goto out;
	}
	if (msg.u.host_hello.result == TEEC_ERROR_BAD_FORMAT &&
	    !memcmp(msg.u.host_hello.uuid, no_uuid, 16)) {
		/* The host exits by itself; its TA log says why. */
		teed_log("TA %s host pid %d: the TA file cannot be loaded",
			 inst->uuid_str, (int)inst->pid);
		*result = TEEC_ERROR_BAD_FORMAT;
		goto out;
	}
	if (memcmp(msg.u.host_hello.uuid, inst->uuid, 16) != 0) {
		char got[37] = { 0 };

		uuid_to_str(msg.u.host_hello.uuid, got);
		teed_log("the TA file found for %s holds TA %s: refused, host pid %d killed",
			 inst->uuid_str, got, (int)inst->pid);
		instance_kill_child(inst->pid);
		*result = TEEC_ERROR_ITEM_NOT_FOUND;
		goto out;
	}
	inst->flags = msg.u.host_hello.flags;
	if (msg.u.host_hello.result != TEEC_SUCCESS) {
		/* The host exits by itself. */
		teed_log("TA %s host pid %d: TA_CreateEntryPoint returned 0x%08x",
			 inst->uuid_str, (int)inst->pid, msg.u.host_hello.result);
		*result = msg.u.host_hello.result;
		*origin = TEEC_ORIGIN_TRUSTED_APP;
		goto out;
	}
	*result = TEEC_SUCCESS;
	ret = 0;
out:
	return ret;
}

struct instance *instance_spawn(const uint8_t uuid[16], const char *ta_file,
				uint32_t *result, uint32_t *origin)
{
	struct instance *inst = NULL;
	struct child *child = NULL;
	uint8_t *buf = NULL;
	int ctrl[2] = { -1, -1 };
	int cancel[2] = { -1, -1 };
	int errp[2] = { -1, -1 };
	char ctrl_s[16] = { 0 };
	char cancel_s[16] = { 0 };
	char log_file[64] = { 0 };
	char log_path[PATHS_MAX] = { 0 };
	char *argv[HOST_ARGV_MAX] = { NULL };
	int exec_errno = 0;
	ssize_t n = 0;
	pid_t pid = -1;
	bool ok = false;

	*result = TEEC_ERROR_OUT_OF_MEMORY;
	*origin = TEEC_ORIGIN_TEE;
	inst = calloc(1, sizeof(*inst));
	if (!inst)
		goto out;
	inst->ctrl_fd = -1;
	inst->cancel_fd = -1;
	pthread_mutex_init(&inst->ctl, NULL);
	child = calloc(1, sizeof(*child));
	buf = malloc(WIRE_MAX_MSG);
	if (!child || !buf)
		goto out;
	memcpy(inst->uuid, uuid, 16);
	uuid_to_str(uuid, inst->uuid_str);
	memcpy(child->uuid_str, inst->uuid_str, sizeof(child->uuid_str));

	*result = TEEC_ERROR_GENERIC;
	snprintf(log_file, sizeof(log_file), "%s.log", inst->uuid_str);
	if (paths_join(log_path, sizeof(log_path), g_teed.log_dir, log_file)) {
		teed_log("TA %s: log path too long", inst->uuid_str);
		goto out;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ctrl) ||
	    pipe2(cancel, O_CLOEXEC) || pipe2(errp, O_CLOEXEC) ||
	    fcntl(cancel[1], F_SETFL, O_NONBLOCK) < 0) {
		teed_log("TA %s: cannot create the host channels: %s",
			 inst->uuid_str, strerror(errno));
		if (errno == ENOMEM || errno == EMFILE || errno == ENFILE)
			*result = TEEC_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	snprintf(ctrl_s, sizeof(ctrl_s), "%d", ctrl[1]);
	snprintf(cancel_s, sizeof(cancel_s), "%d", cancel[0]);
	host_argv(argv, ta_file, ctrl_s, cancel_s, log_path);

	/* Under the lock so that the signal thread knows the child. */
	pthread_mutex_lock(&g_teed.lock);
	pid = fork();
	if (pid == 0)
		child_exec(argv, ctrl[1], cancel[0], errp[1]);
	if (pid > 0) {
		child->pid = pid;
		child->next = g_teed.children;
		g_teed.children = child;
		child = NULL;
	}
	pthread_mutex_unlock(&g_teed.lock);
	if (pid < 0) {
		teed_log("TA %s: fork: %s", inst->uuid_str, strerror(errno));
		if (errno == ENOMEM || errno == EAGAIN)
			*result = TEEC_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	inst->pid = pid;
	close(ctrl[1]);
	ctrl[1] = -1;
	close(cancel[0]);
	cancel[0] = -1;
	close(errp[1]);
	errp[1] = -1;
	inst->ctrl_fd = ctrl[0];
	ctrl[0] = -1;
	inst->cancel_fd = cancel[1];
	cancel[1] = -1;

	do {
		n = read(errp[0], &exec_errno, sizeof(exec_errno));
	} while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(exec_errno)) {
		teed_log("TA %s: cannot run the TA host %s: %s", inst->uuid_str,
			 argv[0], strerror(exec_errno));
		goto out;
	}
	if (wait_hello(inst, buf, result, origin))
		goto out;
	teed_log("TA %s: instance started, host pid %d, flags 0x%x",
		 inst->uuid_str, (int)inst->pid, inst->flags);
	ok = true;
out:
	if (ctrl[0] >= 0)
		close(ctrl[0]);
	if (ctrl[1] >= 0)
		close(ctrl[1]);
	if (cancel[0] >= 0)
		close(cancel[0]);
	if (cancel[1] >= 0)
		close(cancel[1]);
	if (errp[0] >= 0)
		close(errp[0]);
	if (errp[1] >= 0)
		close(errp[1]);
	free(child);
	free(buf);
	if (!ok) {
		instance_free(inst);
		inst = NULL;
	}
	return inst;
}
