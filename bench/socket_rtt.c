// SPDX-License-Identifier: BSD-2-Clause
/*
 * The machine's limit for one invoke: a 64-byte round trip between two
 * processes over an AF_UNIX SOCK_SEQPACKET socket pair (what libteec and
 * the TA host use), one datagram each way.
 *
 *   socket_rtt [-n iterations] [-w warm-up] [-c cpu] [-p peer-cpu] [-s spin-us]
 *
 * -c pins both processes to that CPU; -p then moves the echoing peer to
 * another one.  -s makes both ends poll (recv with MSG_DONTWAIT, then
 * sched_yield so that a peer on the same CPU can run) for up to that many
 * microseconds before they block in recv: what a transport that spins
 * briefly before sleeping would cost.  Prints one JSON line (stats.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stats.h"

#define MSG_SIZE 64

static uint64_t spin_ns;

/* recv, polling without blocking for up to spin_ns first. */
static ssize_t recv_msg(int sock, uint8_t *buf, size_t len)
{
	ssize_t n = -1;

	if (spin_ns) {
		uint64_t until = now_ns() + spin_ns;

		do {
			n = recv(sock, buf, len, MSG_DONTWAIT);
			if (n >= 0 || (errno != EAGAIN && errno != EINTR))
				return n;
			sched_yield();
		} while (now_ns() < until);
	}
	do {
		n = recv(sock, buf, len, 0);
	} while (n < 0 && errno == EINTR);
	return n;
}

static int echo(int sock)
{
	uint8_t buf[MSG_SIZE];

	for (;;) {
		ssize_t n = recv_msg(sock, buf, sizeof(buf));

		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (send(sock, buf, (size_t)n, MSG_NOSIGNAL) != n)
			return 1;
	}
}

static int round_trip(int sock, uint8_t *buf)
{
	ssize_t n = 0;

	if (send(sock, buf, MSG_SIZE, MSG_NOSIGNAL) != MSG_SIZE)
		return -1;
	n = recv_msg(sock, buf, MSG_SIZE);
	return n == MSG_SIZE ? 0 : -1;
}

static bool parse_count(const char *s, long *out)
{
	char *end = NULL;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0)
		return false;
	*out = v;
	return true;
}

int main(int argc, char **argv)
{
	long iterations = 20000;
	long warmup = 2000;
	long cpu = -1;
	long peer_cpu = -1;
	long spin_us = 0;
	int sv[2] = { -1, -1 };
	uint8_t buf[MSG_SIZE];
	uint64_t *samples = NULL;
	pid_t pid = -1;
	int status = 0;
	int opt = 0;
	int rc = 1;

	while ((opt = getopt(argc, argv, "n:w:c:p:s:")) != -1) {
		long *target = opt == 'n' ? &iterations :
			       opt == 'w' ? &warmup :
			       opt == 'c' ? &cpu :
			       opt == 'p' ? &peer_cpu :
			       opt == 's' ? &spin_us : NULL;

		if (!target || !parse_count(optarg, target)) {
			fprintf(stderr,
				"usage: socket_rtt [-n N] [-w N] [-c cpu] [-p peer-cpu] [-s spin-us]\n");
			return 2;
		}
	}
	spin_ns = (uint64_t)spin_us * 1000u;
	if (iterations < 1) {
		fprintf(stderr, "socket_rtt: -n must be at least 1\n");
		return 2;
	}
	if (cpu >= 0 && pin_to_cpu((int)cpu)) {
		perror("socket_rtt: sched_setaffinity");
		return 1;
	}
	samples = calloc((size_t)iterations, sizeof(*samples));
	if (!samples) {
		perror("socket_rtt: calloc");
		return 1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)) {
		perror("socket_rtt: socketpair");
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		perror("socket_rtt: fork");
		goto out;
	}
	if (pid == 0) {
		close(sv[0]);
		if (peer_cpu >= 0 && pin_to_cpu((int)peer_cpu)) {
			perror("socket_rtt: sched_setaffinity (peer)");
			_exit(1);
		}
		_exit(echo(sv[1]));
	}
	close(sv[1]);
	sv[1] = -1;
	memset(buf, 0x5a, sizeof(buf));
	for (long i = 0; i < warmup; i++) {
		if (round_trip(sv[0], buf))
			goto fail;
	}
	for (long i = 0; i < iterations; i++) {
		uint64_t t0 = now_ns();

		if (round_trip(sv[0], buf))
			goto fail;
		samples[i] = now_ns() - t0;
	}
	print_stats(samples, (size_t)iterations, "\n");
	rc = 0;
	goto reap;
fail:
	perror("socket_rtt: round trip");
reap:
	close(sv[0]);
	sv[0] = -1;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		rc = 1;
out:
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	free(samples);
	return rc;
}
