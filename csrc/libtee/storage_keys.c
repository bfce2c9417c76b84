// SPDX-License-Identifier: BSD-2-Clause
/*
 * Keys of trusted storage (storage_internal.h).
 *
 * The root key is 32 random bytes in <data>/storage/root.key, mode 0600,
 * made once per installation: written to a temporary file, fsync'd, and
 * linked to its name, which fails rather than replaces when another TA
 * host made it first (the loser then reads the winner's key).
 *
 * Each TA gets four keys, HKDF-SHA256(ikm = root key, salt = "pytee
 * storage v1", info = TA UUID (16 octets) | purpose), one per purpose:
 * "name" (object ids to file names), "object" (object files), "manifest"
 * and "counter".  A TA cannot derive another TA's keys: it never holds
 * the root key (libtee does, in the same process, which is the limit of
 * a software TEE; see docs/storage.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "storage_internal.h"

#define ROOT_KEY_FILE	"root.key"
#define ROOT_KEY_TMP	".root.key.%ld"

static const char key_salt[] = "pytee storage v1";

/* SUCCESS, ITEM_NOT_FOUND (no file), CORRUPT (not 32 bytes), or I/O. */
static TEE_Result root_key_read(int storage_fd, uint8_t key[ST_KEY_LEN])
{
	uint8_t *buf = NULL;
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	res = st_file_read(storage_fd, ROOT_KEY_FILE, ST_KEY_LEN, &buf, &len);
	if (res)
		goto out;
	if (len != ST_KEY_LEN) {
		res = TEE_ERROR_CORRUPT_OBJECT;
		goto out;
	}
	memcpy(key, buf, ST_KEY_LEN);
out:
	st_free_secret(buf, len);
	return res;
}

static TEE_Result root_key_make(int storage_fd)
{
	uint8_t key[ST_KEY_LEN] = { 0 };
	char tmp[64] = { 0 };
	bool tmp_made = false;
	ssize_t n = 0;
	int fd = -1;
	TEE_Result res = TEE_ERROR_GENERIC;

	snprintf(tmp, sizeof(tmp), ROOT_KEY_TMP, (long)getpid());
	if (RAND_bytes(key, sizeof(key)) != 1)
		goto out;
	fd = openat(storage_fd, tmp,
		    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		    0600);
	if (fd < 0) {
		res = st_errno_result(errno);
		goto out;
	}
	tmp_made = true;
	n = write(fd, key, sizeof(key));
	if (n < 0 || fsync(fd)) {
		res = st_errno_result(errno);
		goto out;
	}
	if (n != (ssize_t)sizeof(key)) {
		res = TEE_ERROR_STORAGE_NO_SPACE;	/* a short write */
		goto out;
	}
	if (linkat(storage_fd, tmp, storage_fd, ROOT_KEY_FILE, 0) &&
	    errno != EEXIST) {
		res = st_errno_result(errno);
		goto out;
	}
	res = fsync(storage_fd) ? st_errno_result(errno) : TEE_SUCCESS;
out:
	OPENSSL_cleanse(key, sizeof(key));
	if (fd >= 0)
		close(fd);
	if (tmp_made)
		unlinkat(storage_fd, tmp, 0);
	return res;
}

static TEE_Result derive(const uint8_t root[ST_KEY_LEN],
			 const uint8_t uuid[16], const char *purpose,
			 uint8_t out[ST_KEY_LEN])
{
	uint8_t info[16 + 16] = { 0 };
	size_t len = strlen(purpose);

	memcpy(info, uuid, 16);
	memcpy(info + 16, purpose, len);
	return st_hkdf(root, ST_KEY_LEN, (const uint8_t *)key_salt,
		       sizeof(key_salt) - 1, info, 16 + len, out);
}

TEE_Result st_keys_derive(int storage_fd, const uint8_t uuid[16],
			  struct st_keys *keys)
{
	uint8_t root[ST_KEY_LEN] = { 0 };
	TEE_Result res = TEE_SUCCESS;

	res = root_key_read(storage_fd, root);
	if (res == TEE_ERROR_ITEM_NOT_FOUND) {
		res = root_key_make(storage_fd);
		if (!res)
			res = root_key_read(storage_fd, root);
	}
	if (res)
		goto out;
	res = derive(root, uuid, "name", keys->name);
	if (!res)
		res = derive(root, uuid, "object", keys->object);
	if (!res)
		res = derive(root, uuid, "manifest", keys->manifest);
	if (!res)
		res = derive(root, uuid, "counter", keys->counter);
	if (!res) {
		/* keyed once: each tag and counter record is one MAC */
		keys->name_mac = st_mac_new(keys->name, ST_KEY_LEN);
		keys->counter_mac = st_mac_new(keys->counter, ST_KEY_LEN);
		if (!keys->name_mac || !keys->counter_mac)
			res = TEE_ERROR_OUT_OF_MEMORY;
	}
	if (res)
		st_keys_forget(keys);
out:
	OPENSSL_cleanse(root, sizeof(root));
	return res;
}

void st_keys_forget(struct st_keys *keys)
{
	st_mac_free(keys->name_mac);
	st_mac_free(keys->counter_mac);
	OPENSSL_cleanse(keys, sizeof(*keys));
}

TEE_Result st_tag(const struct st_keys *keys, uint32_t space,
		  const uint8_t *id, size_t id_len, uint8_t tag[ST_TAG_LEN])
{
	uint8_t le[4] = { 0 };
	uint8_t mac[ST_HASH_LEN] = { 0 };
	struct st_chunk in[2] = { { le, sizeof(le) }, { id, id_len } };
	size_t i = 0;
	TEE_Result res = TEE_SUCCESS;

	for (i = 0; i < 4; i++)
		le[i] = (uint8_t)(space >> (8 * i));
	res = st_mac(keys->name_mac, NULL, 0, in, 2, mac);
	if (!res)
		memcpy(tag, mac, ST_TAG_LEN);
	return res;
}
