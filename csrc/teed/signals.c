/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The signal thread.  SIGCHLD, SIGTERM, SIGINT and SIGHUP are blocked in
 * every thread and taken here with sigwaitinfo: a SIGCHLD reaps the TA hosts
 * that ended and logs how each ended; SIGTERM and SIGINT stop the daemon as
 * WIRE_STOP does; SIGHUP is ignored.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "teed.h"

static sigset_t handled;

int signals_block(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL))
		return -1;
	sigemptyset(&handled);
	sigaddset(&handled, SIGCHLD);
	sigaddset(&handled, SIGTERM);
	sigaddset(&handled, SIGINT);
	sigaddset(&handled, SIGHUP);
	errno = pthread_sigmask(SIG_BLOCK, &handled, NULL);
	return errno ? -1 : 0;
}

void signals_child_reset(void)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Reap every host that has ended. */
static void reap(void)
{
	for (;;) {
		siginfo_t info;
		char uuid[37] = { 0 };
		pid_t pid = 0;

		memset(&info, 0, sizeof(info));
		/* Peek first: the pid stays ours until the child list forgets it. */
		if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) < 0 ||
		    info.si_pid == 0)
			break;
		pid = info.si_pid;
		instance_child_gone(pid, uuid);
		if (waitpid(pid, NULL, WNOHANG) < 0)
			break;
		if (info.si_code == CLD_EXITED)
			teed_log("host pid %d (TA %s) exited with code %d", (int)pid,
				 uuid[0] ? uuid : "?", info.si_status);
		else
			teed_log("host pid %d (TA %s) killed by signal %d (SIG%s)%s",
				 (int)pid, uuid[0] ? uuid : "?", info.si_status,
				 sigabbrev_np(info.si_status) ? sigabbrev_np(info.si_status) : "?",
				 info.si_code == CLD_DUMPED ? ", core dumped" : "");
	}
}

static void *signal_thread(void *arg)
{
	(void)arg;
	for (;;) {
		siginfo_t info;
		int sig = 0;

		memset(&info, 0, sizeof(info));
		sig = sigwaitinfo(&handled, &info);
		if (sig == SIGCHLD) {
			reap();
		} else if (sig == SIGTERM || sig == SIGINT) {
			teed_log("signal %d: stopping", sig);
			server_request_stop();
		}
	}
	return NULL;
}

int signals_start(void)
{
	pthread_t t;
	pthread_attr_t attr;
	int err = 0;

	memset(&t, 0, sizeof(t));
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	err = pthread_create(&t, &attr, signal_thread, NULL);
	pthread_attr_destroy(&attr);
	errno = err;
	return err ? -1 : 0;
}
