// SPDX-License-Identifier: BSD-2-Clause
/*
 * The running TA's trusted storage (storage_internal.h, docs/storage.md):
 * its folders and keys, transactions over its manifest, and object files.
 *
 * Folders, made 0700 on first use:
 *   <data>/storage/root.key        the root key (storage_keys.c)
 *   <data>/storage/<uuid>/         manifest slots, lock, handles, objects
 *   <data>/rpmb/<uuid>.ctr         the rollback counter, kept apart
 *
 * An object file "<tag hex>-<gen hex>" is a sealed blob (magic "PTSO",
 * key "object") of
 *
 *   space u32 | id_len u32 | id | objectType u32 | objectSize u32 |
 *   maxObjectSize u32 | objectUsage u32 | attrs_len u32 | attrs |
 *   data_len u32 | data
 *
 * Each object has two such files, slots 1 and 2, made once.  A change
 * writes the next version in place into the slot the manifest does not
 * name (fdatasync), then the manifest naming it (in place into its own
 * spare slot, fdatasync: the commit point), then the counter; so a kill
 * -9 anywhere leaves the old or the new object, and a steady change
 * makes no file.  In a folder of an older version an object's file has
 * a generation > 2 instead; its next version goes to slot 1 and the old
 * file is removed once committed.  Files no manifest needs (left by a
 * process killed mid-change, or by older versions) are swept by the
 * first writing transaction of each process.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include <tee_api_defines_extensions.h>

#include "libtee_internal.h"
#include "paths.h"
#include "storage_internal.h"

#define OBJECT_MAGIC	"PTSO"
#define TMP_SUFFIX	".tmp"	/* left by older versions */
#define SLOT_A		1U	/* an object's two files: "<tag>-<slot>" */
#define SLOT_B		2U
/* The data stream and, generously, the id, header and attributes. */
#define OBJECT_FILE_MAX	((size_t)TEE_DATA_MAX_POSITION + (16U << 20))

static struct st_ta g_ta = { .dir_fd = -1, .rpmb_fd = -1, .lock_fd = -1 };
static bool g_ta_ready;

/*
 * Object files kept open (struct st_kept), a few, by name: both slots of
 * the objects used last.  A TA opens and writes the same objects over
 * and over; each open reads the object's file again (to check it
 * against the manifest), each change writes its other slot.  Through a
 * kept descriptor that costs fstatat + pread, or fstatat + pwrite +
 * fdatasync, instead of an openat, an fstat and a close more.  A file
 * that is removed leaves its entry.
 */
#define KEPT_OBJECTS	8
#define KEPT_FREE	{ .file = ST_KEPT_NONE }

struct kept_object {
	char name[ST_NAME_LEN];		/* "" for a free entry */
	struct st_kept file;
};

static struct kept_object kept_objects[KEPT_OBJECTS] = {
	KEPT_FREE, KEPT_FREE, KEPT_FREE, KEPT_FREE,
	KEPT_FREE, KEPT_FREE, KEPT_FREE, KEPT_FREE,
};
static size_t kept_next;	/* the entry to give up next, round robin */

_Static_assert(KEPT_OBJECTS == 8, "one initialiser per entry");

/*
 * The entry for object file name: its own, else a free one, else the
 * next in turn.  Its file is whatever it held: st_kept_read and
 * st_file_overwrite check or replace it.
 */
static struct st_kept *kept_object(const char *name)
{
	struct kept_object *k = NULL;
	size_t i = 0;

	for (i = 0; i < KEPT_OBJECTS && !k; i++) {
		if (!strcmp(kept_objects[i].name, name))
			k = &kept_objects[i];
	}
	for (i = 0; i < KEPT_OBJECTS && !k; i++) {
		if (!kept_objects[i].name[0])
			k = &kept_objects[i];
	}
	if (!k) {
		k = &kept_objects[kept_next];
		kept_next = (kept_next + 1) % KEPT_OBJECTS;
	}
	snprintf(k->name, sizeof(k->name), "%s", name);
	return &k->file;
}

/* Removes object file name (or another file), and its entry if any. */
static void remove_file(struct st_ta *ta, const char *name)
{
	size_t i = 0;

	for (i = 0; i < KEPT_OBJECTS; i++) {
		if (!strcmp(kept_objects[i].name, name)) {
			st_kept_close(&kept_objects[i].file);
			kept_objects[i].name[0] = '\0';
		}
	}
	st_file_remove(ta->dir_fd, name);
}

TEE_Result st_allowed(TEE_Result res, const TEE_Result *ok, size_t n)
{
	size_t i = 0;

	if (res == TEE_SUCCESS)
		return res;
	for (i = 0; i < n; i++) {
		if (res == ok[i])
			return res;
	}
	TEE_Panic(res);
}

uint32_t st_space_of(uint32_t storage_id)
{
	switch (storage_id) {
	case TEE_STORAGE_PRIVATE:
	case TEE_STORAGE_PRIVATE_REE:
		return ST_SPACE_REE;
	case TEE_STORAGE_PRIVATE_RPMB:
		return ST_SPACE_RPMB;
	default:
		return 0;
	}
}

/*
 * Opens parent/name, a folder, made (0700) if missing; a folder just made
 * is made durable in its parent at once.
 */
static TEE_Result sub_dir(int parent, const char *name, int *fd)
{
	if (!mkdirat(parent, name, 0700)) {
		if (fsync(parent))
			return st_errno_result(errno);
	} else if (errno != EEXIST) {
		return st_errno_result(errno);
	}
	*fd = openat(parent, name,
		     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return *fd < 0 ? st_errno_result(errno) : TEE_SUCCESS;
}

static TEE_Result ta_init(struct st_ta *ta)
{
	char data[PATHS_MAX] = { 0 };
	int data_fd = -1;
	int storage_fd = -1;
	TEE_Result res = TEE_ERROR_STORAGE_NOT_AVAILABLE;

	uuid_to_octets(&rt_ta_head()->uuid, ta->uuid);
	uuid_to_str(ta->uuid, ta->uuid_text);
	if (paths_data_dir(data, sizeof(data)))
		goto out;
	data_fd = open(data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (data_fd < 0)
		goto out;
	res = sub_dir(data_fd, "storage", &storage_fd);
	if (!res)
		res = sub_dir(storage_fd, ta->uuid_text, &ta->dir_fd);
	if (!res)
		res = sub_dir(data_fd, "rpmb", &ta->rpmb_fd);
	if (!res)
		res = st_keys_derive(storage_fd, ta->uuid, &ta->keys);
out:
	if (data_fd >= 0)
		close(data_fd);
	if (storage_fd >= 0)
		close(storage_fd);
	if (res) {
		if (ta->dir_fd >= 0)
			close(ta->dir_fd);
		if (ta->rpmb_fd >= 0)
			close(ta->rpmb_fd);
		ta->dir_fd = -1;
		ta->rpmb_fd = -1;
		st_keys_forget(&ta->keys);
	}
	return res;
}

TEE_Result st_ta_get(struct st_ta **ta)
{
	TEE_Result res = TEE_SUCCESS;

	if (!g_ta_ready) {
		res = ta_init(&g_ta);
		if (res)
			return res;
		g_ta_ready = true;
	}
	*ta = &g_ta;
	return TEE_SUCCESS;
}

/* "<32 hex>-<16 hex>" into tag and gen; false for any other name. */
static bool parse_object_name(const char *name, uint8_t tag[ST_TAG_LEN],
			      uint64_t *gen)
{
	char want[ST_NAME_LEN] = { 0 };
	unsigned int byte = 0;
	unsigned long long g = 0;
	size_t i = 0;

	if (strlen(name) != 2 * ST_TAG_LEN + 17 || name[2 * ST_TAG_LEN] != '-')
		return false;
	for (i = 0; i < ST_TAG_LEN; i++) {
		if (sscanf(name + 2 * i, "%2x", &byte) != 1)
			return false;
		tag[i] = (uint8_t)byte;
	}
	if (sscanf(name + 2 * ST_TAG_LEN + 1, "%16llx", &g) != 1)
		return false;
	*gen = g;
	/* Only the exact canonical spelling (lowercase, zero-padded). */
	st_object_name(tag, *gen, want);
	return !strcmp(want, name);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s);
	size_t m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/*
 * Under the exclusive lock, with the manifest checked: remove object
 * files it does not need (neither a slot of an object it has nor the
 * file it names), the legacy manifest once a slot holds the manifest,
 * and temporary files of older versions, all left by processes killed
 * in the middle of a change.
 */
static void sweep(struct st_txn *t)
{
	uint8_t tag[ST_TAG_LEN] = { 0 };
	const struct st_entry *e = NULL;
	struct dirent *d = NULL;
	uint64_t gen = 0;
	DIR *dir = NULL;
	int fd = dup(t->ta->dir_fd);

	if (fd < 0)
		return;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return;
	}
	while ((d = readdir(dir))) {
		if (parse_object_name(d->d_name, tag, &gen)) {
			e = st_manifest_find(&t->m, tag);
			if (!e || (gen != e->gen && gen != SLOT_A &&
				   gen != SLOT_B))
				remove_file(t->ta, d->d_name);
		} else if (ends_with(d->d_name, TMP_SUFFIX) ||
			   (!t->m.legacy &&
			    !strcmp(d->d_name, ST_LEGACY_MANIFEST))) {
			remove_file(t->ta, d->d_name);
		}
	}
	closedir(dir);
	t->ta->swept = true;
}

TEE_Result st_begin(struct st_txn *t, bool exclusive)
{
	bool lagging = false;
	TEE_Result res = TEE_SUCCESS;

	*t = (struct st_txn){ 0 };
	res = st_ta_get(&t->ta);
	if (res)
		return res;
	res = st_lock(t->ta, exclusive);
	if (res)
		return res;
	t->locked = true;
	res = st_manifest_load(t->ta, &t->m, &lagging);
	if (!res && lagging && !exclusive) {
		/* Only a writer may bring the counter level: relock. */
		st_manifest_free(&t->m);
		st_unlock(t->ta);
		t->locked = false;
		exclusive = true;
		res = st_lock(t->ta, true);
		if (res)
			return res;
		t->locked = true;
		res = st_manifest_load(t->ta, &t->m, &lagging);
	}
	if (!res && lagging)
		res = st_counter_repair(t->ta, &t->m);
	if (!res && exclusive && !t->ta->swept)
		sweep(t);
	if (res)
		st_end(t);
	return res;
}

TEE_Result st_commit(struct st_txn *t)
{
	uint64_t before = t->m.counter;
	TEE_Result res = st_manifest_commit(t->ta, &t->m);
	size_t i = 0;

	if (t->m.counter != before)
		t->fresh[0] = '\0';	/* the manifest names it now */
	for (i = 0; !res && i < t->stale_count; i++)
		remove_file(t->ta, t->stale[i]);
	if (!res)
		t->stale_count = 0;
	return res;
}

void st_end(struct st_txn *t)
{
	if (t->fresh[0])
		remove_file(t->ta, t->fresh);
	st_manifest_free(&t->m);
	if (t->locked)
		st_unlock(t->ta);
	t->locked = false;
}

static TEE_Result decode(const uint8_t *buf, size_t len, struct st_obj *o)
{
	struct st_rbuf r = { .buf = buf, .len = len };
	const uint8_t *p = NULL;

	o->space = st_get_u32(&r);
	o->id_len = st_get_u32(&r);
	if (o->id_len > TEE_OBJECT_ID_MAX_LEN)
		return TEE_ERROR_CORRUPT_OBJECT;
	p = st_get_bytes(&r, o->id_len);
	if (p && o->id_len)
		memcpy(o->id, p, o->id_len);
	o->type = st_get_u32(&r);
	o->object_size = st_get_u32(&r);
	o->max_object_size = st_get_u32(&r);
	o->usage = st_get_u32(&r);
	o->attrs_len = st_get_u32(&r);
	p = st_get_bytes(&r, o->attrs_len);
	if (!p)
		return TEE_ERROR_CORRUPT_OBJECT;
	o->attrs = malloc(o->attrs_len ? o->attrs_len : 1);
	if (!o->attrs)
		return TEE_ERROR_OUT_OF_MEMORY;
	if (o->attrs_len)
		memcpy(o->attrs, p, o->attrs_len);
	o->data_len = st_get_u32(&r);
	p = st_get_bytes(&r, o->data_len);
	if (!p || r.off != len)
		return TEE_ERROR_CORRUPT_OBJECT;
	o->data_cap = o->data_len;
	o->data = malloc(o->data_len ? o->data_len : 1);
	if (!o->data)
		return TEE_ERROR_OUT_OF_MEMORY;
	if (o->data_len)
		memcpy(o->data, p, o->data_len);
	return TEE_SUCCESS;
}

/*
 * Notes file "<tag>-<gen>" for removal once committed.  A transaction
 * changes one object, or replaces one by another (rename), so there are
 * never more than ST_STALE_MAX.
 */
static void add_stale(struct st_txn *t, const uint8_t tag[ST_TAG_LEN],
		      uint64_t gen)
{
	if (t->stale_count < ST_STALE_MAX)
		st_object_name(tag, gen, t->stale[t->stale_count++]);
}

TEE_Result st_obj_load(struct st_txn *t, const struct st_entry *e,
		       struct st_obj *o)
{
	char name[ST_NAME_LEN] = { 0 };
	uint8_t hash[ST_HASH_LEN] = { 0 };
	struct st_kept *kept = NULL;
	uint8_t *sealed = NULL;
	size_t sealed_len = 0;
	uint8_t *pt = NULL;
	size_t pt_len = 0;
	TEE_Result res = TEE_SUCCESS;

	*o = (struct st_obj){ 0 };
	st_object_name(e->tag, e->gen, name);
	kept = kept_object(name);
	res = st_kept_read(kept, t->ta->dir_fd, name, OBJECT_FILE_MAX, true,
			   &sealed, &sealed_len);
	if (res == TEE_ERROR_ITEM_NOT_FOUND)
		res = TEE_ERROR_CORRUPT_OBJECT;	/* named but gone */
	if (res)
		goto out;
	/* Named by a committed manifest, so its name is on disk. */
	kept->durable = true;
	res = st_sha256(sealed, sealed_len, hash);
	if (res)
		goto out;
	res = TEE_ERROR_CORRUPT_OBJECT;
	if (CRYPTO_memcmp(hash, e->hash, ST_HASH_LEN))
		goto out;
	res = st_unseal(t->ta->keys.object, OBJECT_MAGIC, sealed, sealed_len,
			&pt, &pt_len);
	if (res)
		goto out;
	res = decode(pt, pt_len, o);
	if (res)
		goto out;
	if (o->space != e->space || o->id_len != e->id_len ||
	    memcmp(o->id, e->id, e->id_len))
		res = TEE_ERROR_CORRUPT_OBJECT;
out:
	if (res)
		st_obj_free(o);
	st_free_secret(pt, pt_len);
	free(sealed);
	return res;
}

TEE_Result st_obj_store(struct st_txn *t, struct st_entry *e,
			const struct st_obj *o)
{
	char name[ST_NAME_LEN] = { 0 };
	struct st_wbuf w = { 0 };
	uint8_t *sealed = NULL;
	size_t sealed_len = 0;
	uint64_t slot = e->gen == SLOT_A ? SLOT_B : SLOT_A;
	TEE_Result res = TEE_ERROR_STORAGE_NO_SPACE;

	if (o->data_len > TEE_DATA_MAX_POSITION || o->attrs_len > UINT32_MAX)
		goto out;
	st_put_u32(&w, o->space);
	st_put_u32(&w, o->id_len);
	st_put_bytes(&w, o->id, o->id_len);
	st_put_u32(&w, o->type);
	st_put_u32(&w, o->object_size);
	st_put_u32(&w, o->max_object_size);
	st_put_u32(&w, o->usage);
	st_put_u32(&w, (uint32_t)o->attrs_len);
	st_put_bytes(&w, o->attrs, o->attrs_len);
	st_put_u32(&w, (uint32_t)o->data_len);
	st_put_bytes(&w, o->data, o->data_len);
	if (w.failed)
		goto out;
	res = st_seal(t->ta->keys.object, OBJECT_MAGIC, w.buf, w.len, &sealed,
		      &sealed_len);
	if (res)
		goto out;
	res = st_sha256(sealed, sealed_len, e->hash);
	if (res)
		goto out;
	st_object_name(e->tag, slot, name);
	if (!e->gen)	/* a new object: nothing else names its slot */
		memcpy(t->fresh, name, sizeof(name));
	else if (e->gen != SLOT_A && e->gen != SLOT_B)
		add_stale(t, e->tag, e->gen);	/* of an older layout */
	e->gen = slot;
	res = st_file_overwrite(t->ta->dir_fd, name, sealed, sealed_len,
				kept_object(name));
out:
	free(sealed);
	st_wbuf_free(&w);
	return res;
}

void st_obj_drop(struct st_txn *t, struct st_entry *e)
{
	add_stale(t, e->tag, SLOT_A);
	add_stale(t, e->tag, SLOT_B);
	if (e->gen != SLOT_A && e->gen != SLOT_B)
		add_stale(t, e->tag, e->gen);
	st_manifest_remove(&t->m, e);
}

TEE_Result st_obj_resize(struct st_obj *o, size_t len)
{
	uint8_t *grown = NULL;
	size_t cap = 0;

	if (len == o->data_len)
		return TEE_SUCCESS;
	if (len > o->data_cap) {
		/* Room to grow, so that many small appends copy little. */
		cap = 2 * o->data_cap;
		if (cap < len || cap > TEE_DATA_MAX_POSITION)
			cap = len;
		grown = malloc(cap);
		if (!grown)
			return TEE_ERROR_STORAGE_NO_SPACE;
		if (o->data_len)
			memcpy(grown, o->data, o->data_len);
		OPENSSL_clear_free(o->data, o->data_cap);
		o->data = grown;
		o->data_cap = cap;
	}
	if (len > o->data_len)
		memset(o->data + o->data_len, 0, len - o->data_len);
	else
		OPENSSL_cleanse(o->data + len, o->data_len - len);
	o->data_len = len;
	return TEE_SUCCESS;
}

void st_obj_free(struct st_obj *o)
{
	OPENSSL_clear_free(o->attrs, o->attrs_len);
	OPENSSL_clear_free(o->data, o->data_cap);
	*o = (struct st_obj){ 0 };
}
