// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 7.2 (Time Functions); TEE_Wait is in
 * cancel.c.
 *
 * - System time is CLOCK_MONOTONIC, the clock rt_wait() times TEE_Wait
 *   with, so a TEE_Wait(t) that returns TEE_SUCCESS has let at least t ms
 *   of system time pass.  Its origin is the host's boot.
 * - REE time is CLOCK_REALTIME: seconds since 1970-01-01 00:00 UTC.
 * - TA persistent time is kept per TA in <data folder>/time/<TA UUID> as
 *   an offset in milliseconds from REE time, so it survives instances,
 *   daemon restarts and reboots and follows the REE clock
 *   (gpd.tee.TAPersistentTime.protectionLevel is 100).  The file is
 *   TIME_FILE_SIZE bytes: TIME_MAGIC, the TA UUID (16 octets), the offset
 *   (int64, big-endian) and the SHA-256 of those 32 bytes.  A file that
 *   fails these checks, or an offset that puts the time before 1970 (the
 *   REE clock went back past it), gives TEE_ERROR_TIME_NEEDS_RESET until
 *   the TA sets the time again.  The hash catches corruption and a file
 *   copied from another TA, not a forger who can write the data folder
 *   (who has the REE's powers anyway).  Writes are atomic: temporary
 *   file, fsync, rename, folder fsync.
 *
 * Facts from OP-TEE (lib/libutee/tee_api.c, core/tee/tee_time.c)
 * followed here:
 * - TEE_GetTAPersistentTime returns TEE_ERROR_TIME_NOT_SET before the TA
 *   first sets the time, fills *time with zeros on that error and on
 *   TEE_ERROR_TIME_NEEDS_RESET, and on TEE_ERROR_OVERFLOW (seconds past
 *   UINT32_MAX) still returns the time, seconds truncated to 32 bits;
 * - TEE_SetTAPersistentTime returns TEE_SUCCESS, TEE_ERROR_OUT_OF_MEMORY
 *   or TEE_ERROR_STORAGE_NO_SPACE and panics on any other failure; millis
 *   of 1000 or more carry into the seconds;
 * - every other failure of these functions panics.
 * Difference: OP-TEE keeps the offsets in secure RAM, so its TA persistent
 * time is "not set" again after a reboot; here it persists.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <tee_internal_api.h>
#include <util.h>

#include "api.h"
#include "libtee_internal.h"
#include "paths.h"

#define TIME_DIR		"time"
#define TIME_MAGIC		"PYTEETM1"
#define TIME_MAGIC_LEN		8U
#define TIME_BODY_LEN		32U	/* magic, UUID, offset */
#define TIME_HASH_LEN		32U	/* SHA-256 */
#define TIME_FILE_SIZE		(TIME_BODY_LEN + TIME_HASH_LEN)
#define MS_PER_S		1000U

_Static_assert(sizeof(TIME_MAGIC) - 1 == TIME_MAGIC_LEN, "magic length");
_Static_assert(TIME_MAGIC_LEN + 16 + 8 == TIME_BODY_LEN, "file layout");

static void __attribute__((noreturn)) time_panic(const char *func,
						 const char *what, int err)
{
	trace_printf(func, 0, TRACE_ERROR, true, "%s: %s", what,
		     strerror(err));
	rt_panic(TEE_ERROR_GENERIC);
}

static int64_t clock_ms(clockid_t clock, const char *func)
{
	struct timespec ts = { 0 };

	if (clock_gettime(clock, &ts))
		time_panic(func, "clock_gettime", errno);
	return (int64_t)ts.tv_sec * MS_PER_S + ts.tv_nsec / 1000000;
}

/* ms >= 0; seconds are truncated to 32 bits. */
static void set_time(TEE_Time *time, uint64_t ms)
{
	time->seconds = (uint32_t)(ms / MS_PER_S);
	time->millis = (uint32_t)(ms % MS_PER_S);
}

TEE_API void TEE_GetSystemTime(TEE_Time *time)
{
	if (!time)
		rt_panic(TEE_ERROR_BAD_PARAMETERS);
	set_time(time, (uint64_t)clock_ms(CLOCK_MONOTONIC, __func__));
}

TEE_API void TEE_GetREETime(TEE_Time *time)
{
	if (!time)
		rt_panic(TEE_ERROR_BAD_PARAMETERS);
	set_time(time, (uint64_t)clock_ms(CLOCK_REALTIME, __func__));
}

/* ------------------------------------------------ TA persistent time */

/* The running TA's UUID as 16 octets. */
static void ta_uuid(uint8_t uuid[16])
{
	uuid_to_octets(&rt_ta_head()->uuid, uuid);
}

/* <data folder>/time, and the TA's file in it; the folder made if asked. */
static void time_paths(char dir[PATHS_MAX], char file[PATHS_MAX], bool make,
		       const char *func)
{
	char data[PATHS_MAX] = { 0 };
	char name[37] = { 0 };
	uint8_t uuid[16] = { 0 };

	ta_uuid(uuid);
	uuid_to_str(uuid, name);
	if (paths_data_dir(data, sizeof(data)) ||
	    paths_join(dir, PATHS_MAX, data, TIME_DIR) ||
	    paths_join(file, PATHS_MAX, dir, name))
		time_panic(func, "data folder", errno);
	if (make && paths_mkdir_private(dir))
		time_panic(func, dir, errno);
}

static void hash_body(const uint8_t body[TIME_BODY_LEN],
		      uint8_t hash[TIME_HASH_LEN], const char *func)
{
	const EVP_MD *md = fetch_md("SHA256");
	unsigned int len = 0;

	if (!md || !EVP_Digest(body, TIME_BODY_LEN, hash, &len, md, NULL) ||
	    len != TIME_HASH_LEN)
		time_panic(func, "SHA-256", EIO);
}

static void encode(uint8_t file[TIME_FILE_SIZE], int64_t offset,
		   const char *func)
{
	uint64_t u = (uint64_t)offset;

	memcpy(file, TIME_MAGIC, TIME_MAGIC_LEN);
	ta_uuid(file + TIME_MAGIC_LEN);
	for (size_t i = 0; i < 8; i++)
		file[TIME_MAGIC_LEN + 16 + i] = (uint8_t)(u >> (56 - 8 * i));
	hash_body(file, file + TIME_BODY_LEN, func);
}

/* Whether file is what encode() writes for this TA; *offset if so. */
static bool decode(const uint8_t file[TIME_FILE_SIZE], int64_t *offset,
		   const char *func)
{
	uint8_t expect[TIME_HASH_LEN] = { 0 };
	uint8_t uuid[16] = { 0 };
	uint64_t u = 0;

	ta_uuid(uuid);
	hash_body(file, expect, func);
	if (memcmp(file, TIME_MAGIC, TIME_MAGIC_LEN) ||
	    memcmp(file + TIME_MAGIC_LEN, uuid, sizeof(uuid)) ||
	    CRYPTO_memcmp(file + TIME_BODY_LEN, expect, TIME_HASH_LEN))
		return false;
	for (size_t i = 0; i < 8; i++)
		u = u << 8 | file[TIME_MAGIC_LEN + 16 + i];
	*offset = (int64_t)u;
	return true;
}

/* Up to len bytes of fd, fewer only at end of file; -1 on error. */
static ssize_t read_full(int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;
	ssize_t n = 0;

	while (got < len) {
		n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (!n)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static bool write_full(int fd, const uint8_t *buf, size_t len)
{
	size_t done = 0;
	ssize_t n = 0;

	while (done < len) {
		n = write(fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (!n)
			errno = EIO;	/* no progress, no errno from write */
		if (n <= 0)
			return false;
		done += (size_t)n;
	}
	return true;
}

/* The stored offset: TEE_SUCCESS, TIME_NOT_SET or TIME_NEEDS_RESET. */
static TEE_Result load_offset(int64_t *offset, const char *func)
{
	char dir[PATHS_MAX] = { 0 };
	char path[PATHS_MAX] = { 0 };
	uint8_t file[TIME_FILE_SIZE + 1] = { 0 }; /* + 1: sees a longer file */
	TEE_Result res = TEE_ERROR_TIME_NEEDS_RESET;
	ssize_t n = 0;
	int fd = -1;

	time_paths(dir, path, false, func);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT) {
		res = TEE_ERROR_TIME_NOT_SET;
		goto out;
	}
	if (fd < 0)
		time_panic(func, path, errno);
	n = read_full(fd, file, sizeof(file));
	if (n < 0)
		time_panic(func, path, errno);
	if (n == TIME_FILE_SIZE && decode(file, offset, func))
		res = TEE_SUCCESS;
out:
	if (fd >= 0)
		close(fd);
	return res;
}

TEE_API TEE_Result TEE_GetTAPersistentTime(TEE_Time *time)
{
	int64_t offset = 0;
	int64_t ms = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!time)
		rt_panic(TEE_ERROR_BAD_PARAMETERS);
	res = load_offset(&offset, __func__);
	if (res)
		goto out;
	if (ADD_OVERFLOW(clock_ms(CLOCK_REALTIME, __func__), offset, &ms) ||
	    ms < 0) {
		res = TEE_ERROR_TIME_NEEDS_RESET;
		goto out;
	}
	if ((uint64_t)ms / MS_PER_S > UINT32_MAX)
		res = TEE_ERROR_OVERFLOW;
	set_time(time, (uint64_t)ms);
out:
	if (res != TEE_SUCCESS && res != TEE_ERROR_OVERFLOW)
		set_time(time, 0);
	return res;
}

/* A failed write's errno as GP's result, or a panic for the others. */
static TEE_Result write_error(int err, const char *what, const char *func)
{
	if (err == ENOSPC || err == EDQUOT)
		return TEE_ERROR_STORAGE_NO_SPACE;
	if (err == ENOMEM)
		return TEE_ERROR_OUT_OF_MEMORY;
	time_panic(func, what, err);
}

TEE_API TEE_Result TEE_SetTAPersistentTime(const TEE_Time *time)
{
	char dir[PATHS_MAX] = { 0 };
	char path[PATHS_MAX] = { 0 };
	char tmp[PATHS_MAX] = { 0 };
	uint8_t file[TIME_FILE_SIZE] = { 0 };
	TEE_Result res = TEE_SUCCESS;
	int64_t target = 0;
	bool tmp_made = false;
	int fd = -1;
	int dfd = -1;

	if (!time)
		rt_panic(TEE_ERROR_BAD_PARAMETERS);
	/* at most about 2^42: no overflow in the offset */
	target = (int64_t)time->seconds * MS_PER_S + time->millis;
	encode(file, target - clock_ms(CLOCK_REALTIME, __func__), __func__);
	time_paths(dir, path, true, __func__);
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		time_panic(__func__, path, ENAMETOOLONG);
	fd = mkostemp(tmp, O_CLOEXEC);		/* mode 0600 */
	if (fd < 0) {
		res = write_error(errno, tmp, __func__);
		goto out;
	}
	tmp_made = true;
	if (!write_full(fd, file, sizeof(file)) || fsync(fd) ||
	    rename(tmp, path)) {
		res = write_error(errno, path, __func__);
		goto out;
	}
	tmp_made = false;
	/* best effort: the new file is in place whether or not this works */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		(void)fsync(dfd);
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (tmp_made)
		unlink(tmp);
	return res;
}
