/* SPDX-License-Identifier: BSD-2-Clause */
/* Where teed's own executable is, and where a TA (C or Python) is. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "teed.h"

int lookup_exe_dir(char *out, size_t len)
{
	char exe[PATHS_MAX] = { 0 };
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash = NULL;

	if (n <= 0 || (size_t)n >= sizeof(exe) - 1) {
		errno = n < 0 ? errno : ENAMETOOLONG;
		return -1;
	}
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash) {
		errno = EINVAL;
		return -1;
	}
	slash[slash == exe ? 1 : 0] = '\0'; /* keep "/" for a file in / */
	if (strlen(exe) + 1 > len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(out, exe, strlen(exe) + 1);
	return 0;
}

/* d/file into out if it is a regular file we may read. */
static int try_file(const char *d, const char *file, char *out, size_t len)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	if (paths_join(out, len, d, file))
		return -1;
	if (stat(out, &st) || !S_ISREG(st.st_mode) || access(out, R_OK))
		return -1;
	return 0;
}

static const char *next_line(const char *line)
{
	const char *nl = strchr(line, '\n');

	return nl ? nl + 1 : NULL;
}

/* Whether the line at p is `TA_UUID = "<uuid>"` (or with single quotes). */
static bool line_declares(const char *p, const char *uuid)
{
	if (strncmp(p, "TA_UUID", 7))
		return false;
	p += 7;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '=')
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	return (*p == '"' || *p == '\'') && !strncasecmp(p + 1, uuid, 36) &&
	       p[37] == *p;
}

/*
 * Whether the Python file at path declares TA `uuid` (lower case) with a
 * line `TA_UUID = "<uuid>"` (either quote, spaces around `=` optional,
 * the UUID in any case) within its first PY_SCAN_MAX bytes.
 */
#define PY_SCAN_MAX 65536
static bool py_declares(const char *path, const char *uuid)
{
	char *text = NULL; /* connections look TAs up in parallel */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t got = 0;
	const char *line = NULL;
	bool found = false;

	if (fd < 0)
		return false;
	text = malloc(PY_SCAN_MAX + 1);
	if (!text) {
		close(fd);
		return false;
	}
	while (got < PY_SCAN_MAX) {
		ssize_t n = read(fd, text + got, PY_SCAN_MAX - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	text[got] = '\0';
	for (line = text; line && !found; line = next_line(line))
		found = line_declares(line, uuid);
	free(text);
	return found;
}

/* A *.py file of d declaring uuid (the first by name if several) into out. */
static int try_python(const char *d, const char *uuid, char *out, size_t len)
{
	char best[256] = { 0 };
	char path[PATHS_MAX] = { 0 };
	DIR *dir = opendir(d);
	struct dirent *e = NULL;

	if (!dir)
		return -1;
	while ((e = readdir(dir))) {
		size_t n = strlen(e->d_name);

		if (n < 4 || n >= sizeof(best) || strcmp(e->d_name + n - 3, ".py") ||
		    (best[0] && strcmp(e->d_name, best) >= 0))
			continue;
		if (try_file(d, e->d_name, path, sizeof(path)) == 0 &&
		    py_declares(path, uuid))
			memcpy(best, e->d_name, n + 1);
	}
	closedir(dir);
	if (!best[0])
		return -1;
	return try_file(d, best, out, len);
}

/* The TA `uuid` in folder dir[0..dir_len): the C binary, else a Python TA. */
static int try_dir(const char *dir, size_t dir_len, const char *uuid,
		   char *out, size_t len)
{
	char d[PATHS_MAX] = { 0 };
	char file[64] = { 0 };

	if (dir_len == 0 || dir_len >= sizeof(d))
		return -1;
	memcpy(d, dir, dir_len);
	d[dir_len] = '\0';
	snprintf(file, sizeof(file), "%s.ta.so", uuid);
	if (try_file(d, file, out, len) == 0)
		return 0;
	return try_python(d, uuid, out, len);
}

int lookup_ta(const uint8_t uuid[16], char *out, size_t len)
{
	char uuid_s[37] = { 0 };
	char dir[PATHS_MAX] = { 0 };
	const char *p = g_teed.ta_path;

	uuid_to_str(uuid, uuid_s);
	while (*p) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);

		if (try_dir(p, n, uuid_s, out, len) == 0)
			return 0;
		p += n;
		if (*p == ':')
			p++;
	}
	if (paths_join(dir, sizeof(dir), g_teed.exe_dir, "../ta") == 0 &&
	    try_dir(dir, strlen(dir), uuid_s, out, len) == 0)
		return 0;
	errno = ENOENT;
	return -1;
}

bool lookup_is_python(const char *ta_file)
{
	size_t n = strlen(ta_file);

	return n > 3 && !strcmp(ta_file + n - 3, ".py");
}
