/* SPDX-License-Identifier: BSD-2-Clause */
/* Where teed's own executable is, and where a TA binary is. */
#include <errno.h>
#include <string.h>
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

/* dir/<uuid>.ta.so into out if it is a regular file we may read. */
static int try_dir(const char *dir, size_t dir_len, const char *file,
		   char *out, size_t len)
{
	char d[PATHS_MAX] = { 0 };
	struct stat st;

	memset(&st, 0, sizeof(st));
	if (dir_len == 0 || dir_len >= sizeof(d))
		return -1;
	memcpy(d, dir, dir_len);
	d[dir_len] = '\0';
	if (paths_join(out, len, d, file))
		return -1;
	if (stat(out, &st) || !S_ISREG(st.st_mode) || access(out, R_OK))
		return -1;
	return 0;
}

int lookup_ta(const uint8_t uuid[16], char *out, size_t len)
{
	char file[64] = { 0 };
	char dir[PATHS_MAX] = { 0 };
	const char *p = g_teed.ta_path;

	uuid_to_str(uuid, file);
	memcpy(file + 36, ".ta.so", sizeof(".ta.so"));
	while (*p) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);

		if (try_dir(p, n, file, out, len) == 0)
			return 0;
		p += n;
		if (*p == ':')
			p++;
	}
	if (paths_join(dir, sizeof(dir), g_teed.exe_dir, "../ta") == 0 &&
	    try_dir(dir, strlen(dir), file, out, len) == 0)
		return 0;
	errno = ENOENT;
	return -1;
}
