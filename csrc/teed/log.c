/* SPDX-License-Identifier: BSD-2-Clause */
/* One timestamped line per event in <data>/log/teed.log. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "teed.h"

void teed_log(const char *fmt, ...)
{
	char line[1024] = { 0 };
	struct timespec ts = { 0 };
	struct tm tm = { 0 };
	size_t n = 0;
	int r = 0;
	va_list ap;

	if (g_teed.log_fd < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%S", &tm);
	r = snprintf(line + n, sizeof(line) - n, ".%03ldZ teed[%d]: ",
		     ts.tv_nsec / 1000000, (int)g_teed.pid);
	if (r > 0 && (size_t)r < sizeof(line) - n)
		n += (size_t)r;
	va_start(ap, fmt);
	r = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (r > 0)
		n += (size_t)r < sizeof(line) - n ? (size_t)r : sizeof(line) - n - 1;
	if (n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	/* One write on an O_APPEND fd: lines of concurrent threads do not mix. */
	if (write(g_teed.log_fd, line, n) < 0)
		return;
}
