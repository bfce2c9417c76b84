// SPDX-License-Identifier: BSD-2-Clause
/*
 * Files of the storage folders (storage_internal.h): read in one go;
 * replaced atomically and durably (temporary file, fsync, rename, fsync
 * of the folder), so that a crash or a kill -9 at any point leaves
 * either the old or the new file under the name, never a mix; created
 * under a new name; or patched in place (the counter's records).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage_internal.h"

#define TMP_SUFFIX	".tmp"

TEE_Result st_errno_result(int err)
{
	switch (err) {
	case ENOSPC:
	case EDQUOT:
		return TEE_ERROR_STORAGE_NO_SPACE;
	case ENOMEM:
		return TEE_ERROR_OUT_OF_MEMORY;
	default:
		return TEE_ERROR_STORAGE_NOT_AVAILABLE;
	}
}

TEE_Result st_file_read(int dirfd, const char *name, size_t max,
			uint8_t **buf, size_t *len)
{
	struct stat st = { 0 };
	uint8_t *data = NULL;
	size_t size = 0;
	size_t got = 0;
	ssize_t n = 0;
	int fd = -1;
	TEE_Result res = TEE_SUCCESS;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		res = errno == ENOENT ? TEE_ERROR_ITEM_NOT_FOUND :
					st_errno_result(errno);
		goto out;
	}
	if (fstat(fd, &st)) {
		res = st_errno_result(errno);
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < 0 ||
	    (uint64_t)st.st_size > max) {
		res = TEE_ERROR_CORRUPT_OBJECT;
		goto out;
	}
	size = (size_t)st.st_size;
	data = malloc(size ? size : 1);
	if (!data) {
		res = TEE_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	while (got < size) {
		n = read(fd, data + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			res = st_errno_result(errno);
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	*buf = data;
	*len = got;	/* shorter only if the file shrank meanwhile */
	data = NULL;
out:
	if (fd >= 0)
		close(fd);
	free(data);
	return res;
}

static TEE_Result write_all(int fd, const uint8_t *p, size_t len)
{
	ssize_t n = 0;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return st_errno_result(errno);
		if (n == 0)
			return TEE_ERROR_STORAGE_NOT_AVAILABLE;
		p += n;
		len -= (size_t)n;
	}
	return TEE_SUCCESS;
}

TEE_Result st_file_put(int dirfd, const char *name, const void *data,
		       size_t len)
{
	char tmp[ST_NAME_LEN + sizeof(TMP_SUFFIX)] = { 0 };
	bool tmp_made = false;
	int fd = -1;
	int n = 0;
	TEE_Result res = TEE_ERROR_STORAGE_NOT_AVAILABLE;

	n = snprintf(tmp, sizeof(tmp), "%s" TMP_SUFFIX, name);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		goto out;
	fd = openat(dirfd, tmp,
		    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		    0600);
	if (fd < 0) {
		res = st_errno_result(errno);
		goto out;
	}
	tmp_made = true;
	res = write_all(fd, data, len);
	if (res)
		goto out;
	if (fsync(fd)) {
		res = st_errno_result(errno);
		goto out;
	}
	n = close(fd);
	fd = -1;
	if (n) {
		res = st_errno_result(errno);
		goto out;
	}
	if (renameat(dirfd, tmp, dirfd, name)) {
		res = st_errno_result(errno);
		goto out;
	}
	tmp_made = false;
	/* The new name is durable only once the folder is. */
	if (fsync(dirfd))
		res = st_errno_result(errno);
out:
	if (fd >= 0)
		close(fd);
	if (tmp_made)
		unlinkat(dirfd, tmp, 0);
	return res;
}

TEE_Result st_file_create(int dirfd, const char *name, const void *data,
			  size_t len)
{
	int fd = -1;
	TEE_Result res = TEE_SUCCESS;

	fd = openat(dirfd, name,
		    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		    0600);
	if (fd < 0)
		return st_errno_result(errno);
	res = write_all(fd, data, len);
	if (!res && fsync(fd))
		res = st_errno_result(errno);
	if (close(fd) && !res)
		res = st_errno_result(errno);
	return res;
}

TEE_Result st_file_patch(int dirfd, const char *name, off_t off,
			 const void *data, size_t len)
{
	struct stat st = { 0 };
	const uint8_t *p = data;
	ssize_t n = 0;
	int fd = -1;
	TEE_Result res = TEE_SUCCESS;

	fd = openat(dirfd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
		    0600);
	if (fd < 0)
		return st_errno_result(errno);
	if (fstat(fd, &st)) {
		res = st_errno_result(errno);
		goto out;
	}
	while (len) {
		n = pwrite(fd, p, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			res = n ? st_errno_result(errno) :
				  TEE_ERROR_STORAGE_NOT_AVAILABLE;
			goto out;
		}
		p += n;
		off += n;
		len -= (size_t)n;
	}
	if (st.st_size) {
		if (fdatasync(fd))
			res = st_errno_result(errno);
	} else if (fsync(fd) || fsync(dirfd)) {
		/* A file just made needs its name made durable too, once. */
		res = st_errno_result(errno);
	}
out:
	close(fd);
	return res;
}

void st_file_remove(int dirfd, const char *name)
{
	/* A file left behind is swept later (storage.c). */
	(void)unlinkat(dirfd, name, 0);
}
