// SPDX-License-Identifier: BSD-2-Clause
/* Per-user folders and UUID text (paths.h). */
#include <dlfcn.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"

int paths_join(char *out, size_t len, const char *dir, const char *name)
{
	int n = snprintf(out, len, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int paths_mkdir_private(const char *dir)
{
	char tmp[PATHS_MAX];
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(tmp, dir, len + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, 0700) && errno != EEXIST)
		return -1;
	return 0;
}

/* Create dir if needed and refuse it unless it is ours and private. */
static int private_dir(const char *dir, char *out, size_t len)
{
	struct stat st;

	if (strlen(dir) >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (paths_mkdir_private(dir))
		return -1;
	if (stat(dir, &st))
		return -1;
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077)) {
		errno = EACCES;
		return -1;
	}
	strcpy(out, dir);
	return 0;
}

int paths_runtime_dir(char *out, size_t len)
{
	char dir[PATHS_MAX];
	const char *env = getenv("PYTEE_RUNTIME_DIR");
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	int n = 0;

	if (env && *env)
		n = snprintf(dir, sizeof(dir), "%s", env);
	else if (xdg && *xdg)
		n = snprintf(dir, sizeof(dir), "%s/pytee", xdg);
	else
		n = snprintf(dir, sizeof(dir), "/tmp/pytee-%u",
			     (unsigned int)geteuid());
	if (n < 0 || (size_t)n >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return private_dir(dir, out, len);
}

int paths_data_dir(char *out, size_t len)
{
	char dir[PATHS_MAX];
	const char *env = getenv("PYTEE_DATA_DIR");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int n = 0;

	if (env && *env) {
		n = snprintf(dir, sizeof(dir), "%s", env);
	} else if (xdg && *xdg) {
		n = snprintf(dir, sizeof(dir), "%s/pytee", xdg);
	} else {
		if (!home || !*home) {
			struct passwd *pw = getpwuid(geteuid());

			home = pw ? pw->pw_dir : NULL;
		}
		if (!home) {
			errno = ENOENT;
			return -1;
		}
		n = snprintf(dir, sizeof(dir), "%s/.local/share/pytee", home);
	}
	if (n < 0 || (size_t)n >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return private_dir(dir, out, len);
}

void uuid_to_str(const uint8_t uuid[16], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[uuid[i] >> 4];
		out[o++] = hex[uuid[i] & 0xf];
	}
	out[o] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int uuid_from_str(const char *s, uint8_t uuid[16])
{
	size_t byte = 0;

	if (strlen(s) != 36)
		goto bad;
	for (size_t i = 0; i < 36;) {
		int hi = 0;
		int lo = 0;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				goto bad;
			i++;
			continue;
		}
		hi = hexval(s[i]);
		lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			goto bad;
		uuid[byte++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

int paths_dir_of_symbol(const void *addr, char *out, size_t len)
{
	Dl_info info = { 0 };
	char real[PATH_MAX];
	char *dir = NULL;

	if (!dladdr(addr, &info) || !info.dli_fname) {
		errno = ENOENT;
		return -1;
	}
	if (!realpath(info.dli_fname, real))
		return -1;
	dir = dirname(real);
	if (strlen(dir) >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(out, dir);
	return 0;
}
