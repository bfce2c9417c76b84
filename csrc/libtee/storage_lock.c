// SPDX-License-Identifier: BSD-2-Clause
/*
 * Locks of a TA's storage folder (storage_internal.h).
 *
 * The TA lock is flock() on <dir>/lock: shared while a transaction only
 * reads, exclusive while it writes or opens handles.  Every instance of
 * the TA (each a process) takes it, so their transactions serialise.
 *
 * Sharing rules between open handles (GP 5.7, as OP-TEE checks them in
 * tee_pobj_check_access) are kept with open-file-description locks on
 * <dir>/handles.  Each handle has its own description of that file and
 * marks, in a slot of bytes chosen by the object's tag, what it holds:
 *
 *   byte 0  every handle: read lock; a handle with ACCESS_WRITE_META:
 *           write lock (it is exclusive)
 *   byte 1  handles with ACCESS_READ        byte 2  with ACCESS_WRITE
 *   byte 3  handles with SHARE_READ         byte 4  without SHARE_READ
 *   byte 5  handles with SHARE_WRITE        byte 6  without SHARE_WRITE
 *
 * A new handle's flags are checked against those marks with F_OFD_GETLK
 * ("would a lock here conflict?"), which sees the marks of every other
 * description, in this process or another, and never its own.  The
 * kernel drops a handle's marks when its description is closed, also
 * when its process is killed, so no mark outlives its handle.  The slot
 * is one of 2^58, chosen by the first 8 bytes of the keyed tag: two
 * objects share one by a 1-in-2^58 chance, and then merely conflict
 * more.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/file.h>
#include <unistd.h>

#include "storage_internal.h"

#define LOCK_FILE	"lock"
#define HANDLES_FILE	"handles"

#define SLOT_BYTES	8
#define SLOT_MASK	((UINT64_C(1) << 58) - 1)

enum {
	B_ANY,
	B_READ,
	B_WRITE,
	B_SHARE_READ,
	B_NO_SHARE_READ,
	B_SHARE_WRITE,
	B_NO_SHARE_WRITE,
	B_COUNT,
};

_Static_assert(B_COUNT <= SLOT_BYTES, "a slot holds every mark");

TEE_Result st_lock(struct st_ta *ta, bool exclusive)
{
	int fd = ta->lock_fd;

	if (fd < 0) {
		fd = openat(ta->dir_fd, LOCK_FILE,
			    O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			return st_errno_result(errno);
		ta->lock_fd = fd;
	}
	while (flock(fd, exclusive ? LOCK_EX : LOCK_SH)) {
		if (errno != EINTR)
			return st_errno_result(errno);
	}
	return TEE_SUCCESS;
}

void st_unlock(struct st_ta *ta)
{
	(void)flock(ta->lock_fd, LOCK_UN);
}

TEE_Result st_share_open(struct st_ta *ta, int *fd)
{
	*fd = openat(ta->dir_fd, HANDLES_FILE,
		     O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	return *fd < 0 ? st_errno_result(errno) : TEE_SUCCESS;
}

static off_t slot(const uint8_t tag[ST_TAG_LEN])
{
	uint64_t v = 0;
	size_t i = 0;

	for (i = 0; i < 8; i++)
		v |= (uint64_t)tag[i] << (8 * i);
	return (off_t)((v & SLOT_MASK) * SLOT_BYTES);
}

/*
 * Whether another description holds a lock on byte b of the slot that
 * would conflict with one of this type: F_WRLCK finds any mark, F_RDLCK
 * only exclusive ones.  An error counts as a conflict.
 */
static bool marked(int fd, off_t base, int b, short type)
{
	struct flock fl = { 0 };

	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = base + b;
	fl.l_len = 1;
	if (fcntl(fd, F_OFD_GETLK, &fl))
		return true;
	return fl.l_type != F_UNLCK;
}

bool st_share_busy(int fd, const uint8_t tag[ST_TAG_LEN])
{
	return marked(fd, slot(tag), B_ANY, F_WRLCK);
}

/*
 * OP-TEE's rule, for every other handle o and the new flags n: conflict
 * if either has ACCESS_WRITE_META; if the SHARE_READ bits differ; if
 * either has ACCESS_READ and not both SHARE_READ; the same for write.
 * Once the share bits are known equal, the third test reduces to "n has
 * no SHARE_READ, and n or some other handle has ACCESS_READ".
 */
TEE_Result st_share_check(int fd, const uint8_t tag[ST_TAG_LEN],
			  uint32_t flags)
{
	off_t base = slot(tag);
	bool share_read = flags & TEE_DATA_FLAG_SHARE_READ;
	bool share_write = flags & TEE_DATA_FLAG_SHARE_WRITE;
	bool others = marked(fd, base, B_ANY, F_WRLCK);
	bool conflict = false;

	if (!others)
		return TEE_SUCCESS;
	conflict = (flags & TEE_DATA_FLAG_ACCESS_WRITE_META) ||
		   marked(fd, base, B_ANY, F_RDLCK) ||
		   marked(fd, base,
			  share_read ? B_NO_SHARE_READ : B_SHARE_READ,
			  F_WRLCK) ||
		   marked(fd, base,
			  share_write ? B_NO_SHARE_WRITE : B_SHARE_WRITE,
			  F_WRLCK);
	if (!conflict && !share_read)
		conflict = (flags & TEE_DATA_FLAG_ACCESS_READ) ||
			   marked(fd, base, B_READ, F_WRLCK);
	if (!conflict && !share_write)
		conflict = (flags & TEE_DATA_FLAG_ACCESS_WRITE) ||
			   marked(fd, base, B_WRITE, F_WRLCK);
	return conflict ? TEE_ERROR_ACCESS_CONFLICT : TEE_SUCCESS;
}

/* Locks bytes [first, first + len) of the slot at base with type. */
static int mark_bytes(int fd, off_t base, int first, int len, short type)
{
	struct flock fl = { 0 };

	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = base + first;
	fl.l_len = len;
	return fcntl(fd, F_OFD_SETLK, &fl);
}

/*
 * The marks of flags, byte by byte (F_UNLCK: none), are set run by run:
 * bytes next to each other with the same lock take one call.
 */
TEE_Result st_share_mark(int fd, const uint8_t tag[ST_TAG_LEN],
			 uint32_t flags)
{
	short type[B_COUNT] = { 0 };
	off_t base = slot(tag);
	int b = 0;
	int run = 0;
	int rc = 0;

	for (b = 0; b < B_COUNT; b++)
		type[b] = F_UNLCK;
	type[B_ANY] = flags & TEE_DATA_FLAG_ACCESS_WRITE_META ? F_WRLCK :
								  F_RDLCK;
	if (flags & TEE_DATA_FLAG_ACCESS_READ)
		type[B_READ] = F_RDLCK;
	if (flags & TEE_DATA_FLAG_ACCESS_WRITE)
		type[B_WRITE] = F_RDLCK;
	type[flags & TEE_DATA_FLAG_SHARE_READ ? B_SHARE_READ :
						 B_NO_SHARE_READ] = F_RDLCK;
	type[flags & TEE_DATA_FLAG_SHARE_WRITE ? B_SHARE_WRITE :
						  B_NO_SHARE_WRITE] = F_RDLCK;
	b = 0;
	while (b < B_COUNT && !rc) {
		run = 1;
		while (b + run < B_COUNT && type[b + run] == type[b])
			run++;
		if (type[b] != F_UNLCK)
			rc = mark_bytes(fd, base, b, run, type[b]);
		b += run;
	}
	if (!rc)
		return TEE_SUCCESS;
	rc = errno;
	st_share_unmark(fd, tag);
	/* Checked first under the TA lock, so only a kernel limit fails. */
	return st_errno_result(rc);
}

void st_share_unmark(int fd, const uint8_t tag[ST_TAG_LEN])
{
	struct flock fl = { 0 };

	fl.l_type = F_UNLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = slot(tag);
	fl.l_len = SLOT_BYTES;
	(void)fcntl(fd, F_OFD_SETLK, &fl);
}
