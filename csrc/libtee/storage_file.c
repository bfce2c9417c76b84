// SPDX-License-Identifier: BSD-2-Clause
/*
 * Files of the storage folders (storage_internal.h): read in one go;
 * overwritten in place and synced (the slots of objects and of the
 * manifest, which the caller writes only while nothing current names
 * them, so that a crash in the middle leaves the current version
 * whole); or patched in place (the counter's records).
 *
 * The manifest, the counter and recent object files are read by every
 * call and written by every change, so their descriptors are kept open
 * between calls (struct st_kept): reading again costs fstatat + pread
 * instead of openat + fstat + read + close, and a write pwrite +
 * fdatasync.  The kept descriptor is used only while the name still is
 * the same inode, which cannot be reused while it is held open; a file
 * renamed over the name or removed is opened again by name, as before.
 * A file opened by name is written only after its name is made durable
 * (fsync of the folder): it may have been made by a process killed
 * before it did so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage_internal.h"

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

/*
 * Opens dirfd/name for reading (and writing, if *rw and it may be; *rw
 * tells), a regular file (links not followed) of at most max bytes: *fd
 * and its *st.  Whatever the read-write open refuses is opened
 * read-only, for the same answer as a plain read.
 */
static TEE_Result file_open(int dirfd, const char *name, size_t max,
			    bool *rw, int *fd, struct stat *st)
{
	TEE_Result res = TEE_SUCCESS;

	*fd = *rw ? openat(dirfd, name, O_RDWR | O_CLOEXEC | O_NOFOLLOW) : -1;
	*rw = *fd >= 0;
	if (*fd < 0)
		*fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (*fd < 0)
		return errno == ENOENT ? TEE_ERROR_ITEM_NOT_FOUND :
					 st_errno_result(errno);
	if (fstat(*fd, st))
		res = st_errno_result(errno);
	else if (!S_ISREG(st->st_mode) || st->st_size < 0 ||
		 (uint64_t)st->st_size > max)
		res = TEE_ERROR_CORRUPT_OBJECT;
	if (res) {
		close(*fd);
		*fd = -1;
	}
	return res;
}

/* The first size bytes of fd (fewer if it shrank meanwhile), malloc'd. */
static TEE_Result read_at(int fd, size_t size, uint8_t **buf, size_t *len)
{
	uint8_t *data = malloc(size ? size : 1);
	size_t got = 0;
	ssize_t n = 0;

	if (!data)
		return TEE_ERROR_OUT_OF_MEMORY;
	while (got < size) {
		n = pread(fd, data + got, size - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(data);
			return st_errno_result(errno);
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	*buf = data;
	*len = got;
	return TEE_SUCCESS;
}

TEE_Result st_file_read(int dirfd, const char *name, size_t max,
			uint8_t **buf, size_t *len)
{
	struct stat st = { 0 };
	bool rw = false;
	int fd = -1;
	TEE_Result res = file_open(dirfd, name, max, &rw, &fd, &st);

	if (res)
		return res;
	res = read_at(fd, (size_t)st.st_size, buf, len);
	close(fd);
	return res;
}

static void kept_set(struct st_kept *k, int fd, bool writable,
		     const struct stat *st)
{
	st_kept_close(k);
	k->fd = fd;
	k->writable = writable;
	k->dev = st->st_dev;
	k->ino = st->st_ino;
	k->size = st->st_size;
}

void st_kept_close(struct st_kept *k)
{
	if (k->fd >= 0)
		close(k->fd);
	*k = (struct st_kept)ST_KEPT_NONE;
}

TEE_Result st_kept_read(struct st_kept *k, int dirfd, const char *name,
			size_t max, bool rw, uint8_t **buf, size_t *len)
{
	struct stat st = { 0 };
	int fd = -1;
	TEE_Result res = TEE_SUCCESS;

	if (k->fd >= 0 && !fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) &&
	    st.st_dev == k->dev && st.st_ino == k->ino) {
		/* The same regular file: its inode cannot change type. */
		if ((uint64_t)st.st_size > max)
			return TEE_ERROR_CORRUPT_OBJECT;
		res = read_at(k->fd, (size_t)st.st_size, buf, len);
		if (!res)
			k->size = st.st_size;
		return res;
	}
	/* Anything else (another file, none, an error): as st_file_read. */
	st_kept_close(k);
	res = file_open(dirfd, name, max, &rw, &fd, &st);
	if (!res)
		res = read_at(fd, (size_t)st.st_size, buf, len);
	if (!res)
		kept_set(k, fd, rw, &st);
	else if (fd >= 0)
		close(fd);
	return res;
}

/* Writes all of p at off in fd. */
static TEE_Result pwrite_all(int fd, const uint8_t *p, size_t len, off_t off)
{
	ssize_t n = 0;

	while (len) {
		n = pwrite(fd, p, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return st_errno_result(errno);
		if (n == 0)
			return TEE_ERROR_STORAGE_NOT_AVAILABLE;
		p += n;
		off += n;
		len -= (size_t)n;
	}
	return TEE_SUCCESS;
}

/* Whether k holds, writable and durable, the file dirfd/name is now. */
static bool kept_current(const struct st_kept *k, int dirfd, const char *name,
			 struct stat *st)
{
	return k->fd >= 0 && k->writable && k->durable &&
	       !fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW) &&
	       st->st_dev == k->dev && st->st_ino == k->ino;
}

/* Opens dirfd/name read-write, made if missing, and keeps it in k. */
static TEE_Result open_rw(int dirfd, const char *name, struct st_kept *k,
			  struct stat *st)
{
	int fd = openat(dirfd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
			0600);
	TEE_Result res = TEE_SUCCESS;

	st_kept_close(k);
	if (fd < 0)
		return st_errno_result(errno);
	if (fstat(fd, st))
		res = st_errno_result(errno);
	else if (!S_ISREG(st->st_mode))
		res = TEE_ERROR_STORAGE_NOT_AVAILABLE;
	if (res)
		close(fd);
	else
		kept_set(k, fd, true, st);
	return res;
}

TEE_Result st_file_overwrite(int dirfd, const char *name, const void *data,
			     size_t len, struct st_kept *k)
{
	struct stat st = { 0 };
	bool known = kept_current(k, dirfd, name, &st);
	TEE_Result res = known ? TEE_SUCCESS : open_rw(dirfd, name, k, &st);

	if (!res)
		res = pwrite_all(k->fd, data, len, 0);
	if (!res && st.st_size != (off_t)len && ftruncate(k->fd, (off_t)len))
		res = st_errno_result(errno);
	if (!res && fdatasync(k->fd))
		res = st_errno_result(errno);
	/* A name not known to be on disk is made so before anything
	 * names it. */
	if (!res && !known && fsync(dirfd))
		res = st_errno_result(errno);
	if (!res) {
		k->size = (off_t)len;
		k->durable = true;
	}
	return res;
}

TEE_Result st_file_patch(int dirfd, const char *name, off_t off,
			 const void *data, size_t len, struct st_kept *k)
{
	struct stat st = { 0 };
	int fd = k->writable ? k->fd : -1;
	int err = 0;
	TEE_Result res = TEE_SUCCESS;

	if (fd < 0) {
		fd = openat(dirfd, name,
			    O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			return st_errno_result(errno);
		if (fstat(fd, &st)) {
			err = errno;
			close(fd);
			return st_errno_result(err);
		}
		kept_set(k, fd, true, &st);
	}
	res = pwrite_all(fd, data, len, off);
	if (res)
		return res;
	if (off + (off_t)len > k->size)
		k->size = off + (off_t)len;
	if (fdatasync(fd) || (!k->durable && fsync(dirfd)))
		return st_errno_result(errno);
	k->durable = true;
	return TEE_SUCCESS;
}

void st_file_remove(int dirfd, const char *name)
{
	/* A file left behind is swept later (storage.c). */
	(void)unlinkat(dirfd, name, 0);
}
