/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the trusted-storage files of libtee export to each other
 * (docs/storage.md has the threat model and the on-disk format):
 *
 *   storage_codec.c     little-endian encoding of what is sealed
 *   storage_seal.c      sealed blobs: AES-256-GCM under a per-file key
 *   storage_file.c      whole-file reads, durable writes in place
 *   storage_keys.c      the root key and the keys derived per TA
 *   storage_manifest.c  the per-TA manifest and its counter (rollback)
 *   storage_lock.c      the TA-wide lock and the per-handle sharing locks
 *   storage.c           the TA's storage folder, transactions, objects
 *   storage_pobj.c      the persistent part of object handles
 *   storage_api.c       GP persistent-object functions
 *   storage_stream.c    GP data-stream functions
 *   storage_enum.c      GP persistent-object enumerators
 *
 * Only the thread running the TA calls into storage, so nothing here has
 * a mutex; several processes (instances of one TA) share a storage
 * folder and are kept apart by file locks.
 */
#ifndef LIBTEE_STORAGE_INTERNAL_H
#define LIBTEE_STORAGE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <tee_internal_api.h>

#define ST_KEY_LEN	32U
#define ST_TAG_LEN	16U	/* keyed hash of (space, object id) */
#define ST_HASH_LEN	32U	/* SHA-256 of an object file */
/* "<32 hex tag>-<16 hex slot>" and a NUL, with room to spare */
#define ST_NAME_LEN	64U
/* The single manifest file of older versions, read until replaced. */
#define ST_LEGACY_MANIFEST	"manifest"

/* Storage spaces: OP-TEE's REE FS (TEE_STORAGE_PRIVATE too) and RPMB. */
#define ST_SPACE_REE	1U
#define ST_SPACE_RPMB	2U

/* ---- storage_codec.c ---- */

struct st_wbuf {
	uint8_t *buf;
	size_t len;
	size_t cap;
	bool failed;		/* out of memory or size overflow */
};

void st_put_u32(struct st_wbuf *w, uint32_t v);
void st_put_u64(struct st_wbuf *w, uint64_t v);
void st_put_bytes(struct st_wbuf *w, const void *p, size_t n);
/* Wipes and frees the buffer (it may hold plaintext). */
void st_wbuf_free(struct st_wbuf *w);

struct st_rbuf {
	const uint8_t *buf;
	size_t len;
	size_t off;
	bool bad;		/* read past the end */
};

uint32_t st_get_u32(struct st_rbuf *r);
uint64_t st_get_u64(struct st_rbuf *r);
/* n bytes from r, or NULL (and r->bad) when fewer are left. */
const uint8_t *st_get_bytes(struct st_rbuf *r, size_t n);

/* ---- storage_seal.c ---- */

/*
 * A sealed blob is magic[4] | version u32 | salt[32] | nonce[12] |
 * ciphertext | GCM tag[16]; the key is HKDF(key, salt, magic), the first
 * 52 bytes are the associated data.  st_unseal answers
 * TEE_ERROR_CORRUPT_OBJECT for anything that does not authenticate.
 */
#define ST_SEAL_OVERHEAD	(4U + 4U + 32U + 12U + 16U)

TEE_Result st_seal(const uint8_t key[ST_KEY_LEN], const char magic[4],
		   const uint8_t *pt, size_t pt_len, uint8_t **out,
		   size_t *out_len);
/* *pt is malloc'd; free it with st_free_secret. */
TEE_Result st_unseal(const uint8_t key[ST_KEY_LEN], const char magic[4],
		     const uint8_t *in, size_t in_len, uint8_t **pt,
		     size_t *pt_len);
void st_free_secret(void *p, size_t len);
TEE_Result st_sha256(const uint8_t *data, size_t len,
		     uint8_t out[ST_HASH_LEN]);
/* HKDF-SHA256 (RFC 5869) of ST_KEY_LEN bytes; salt is never NULL. */
TEE_Result st_hkdf(const uint8_t *ikm, size_t ikm_len, const uint8_t *salt,
		   size_t salt_len, const uint8_t *info, size_t info_len,
		   uint8_t out[ST_KEY_LEN]);

/*
 * HMAC-SHA256 on a context made once (OpenSSL's EVP_MAC_CTX): st_mac_new
 * makes one, keyed when key is not NULL; st_mac computes the MAC of the
 * concatenated chunks under key, or under the context's own key when key
 * is NULL (so a key used many times is set up once).
 */
struct evp_mac_ctx_st;
struct st_chunk {
	const void *p;
	size_t len;
};

struct evp_mac_ctx_st *st_mac_new(const uint8_t *key, size_t key_len);
void st_mac_free(struct evp_mac_ctx_st *ctx);
TEE_Result st_mac(struct evp_mac_ctx_st *ctx, const uint8_t *key,
		  size_t key_len, const struct st_chunk *in, size_t n,
		  uint8_t out[ST_HASH_LEN]);

/* ---- storage_file.c ---- */

/* ENOSPC and EDQUOT: STORAGE_NO_SPACE; ENOMEM: OUT_OF_MEMORY; others:
 * STORAGE_NOT_AVAILABLE. */
TEE_Result st_errno_result(int err);
/*
 * The whole of dirfd/name (a regular file, links not followed) into a
 * malloc'd *buf.  TEE_ERROR_ITEM_NOT_FOUND when it does not exist,
 * TEE_ERROR_CORRUPT_OBJECT when it is longer than max.
 */
TEE_Result st_file_read(int dirfd, const char *name, size_t max,
			uint8_t **buf, size_t *len);

/*
 * A file kept open between calls (the manifest, the counter), known by
 * its device and inode.  It stands for its name only while the name is
 * still that inode: held open, the inode cannot be freed, so its number
 * cannot pass to another file meanwhile.
 */
struct st_kept {
	int fd;			/* -1: none */
	bool writable;		/* fd was opened read-write */
	dev_t dev;
	ino_t ino;
	off_t size;		/* at the last read or write through it */
	bool durable;		/* its name is known to be on disk */
};
#define ST_KEPT_NONE { .fd = -1 }

/*
 * st_file_read, through k's descriptor (fstatat + pread) while dirfd/name
 * is the file k holds; otherwise by name as st_file_read, and k then
 * holds the file read, opened read-write when rw and the file lets it
 * (for st_file_patch).
 */
TEE_Result st_kept_read(struct st_kept *k, int dirfd, const char *name,
			size_t max, bool rw, uint8_t **buf, size_t *len);
void st_kept_close(struct st_kept *k);
/*
 * Makes dirfd/name hold exactly data, durably, written in place (pwrite,
 * ftruncate, fdatasync): a crash leaves any mix of old and new bytes, so
 * the caller writes only a file that nothing current names.  Through k's
 * descriptor while it is writable, durable and still the file of the
 * name; otherwise the file is opened by name (made if missing) and, as
 * its name may not be on disk yet, the folder is synced too.  k then
 * holds the file, durable.  The caller holds the TA lock exclusively.
 */
TEE_Result st_file_overwrite(int dirfd, const char *name, const void *data,
			     size_t len, struct st_kept *k);
/*
 * Writes data at off in dirfd/name and syncs it (fdatasync): a write of
 * a few bytes in place, far cheaper than a new file.  Through k's file
 * if it is writable: the caller read it with st_kept_read under the lock
 * it still holds.  Otherwise dirfd/name is opened (made if missing) and
 * kept in k.  The folder is synced too the first time a file opened by
 * name is written: its name may not be on disk yet.
 */
TEE_Result st_file_patch(int dirfd, const char *name, off_t off,
			 const void *data, size_t len, struct st_kept *k);
/* Removes dirfd/name; a missing file is no error. */
void st_file_remove(int dirfd, const char *name);

/* ---- storage_keys.c ---- */

struct st_keys {
	uint8_t name[ST_KEY_LEN];	/* object ids to file names */
	uint8_t object[ST_KEY_LEN];	/* object files */
	uint8_t manifest[ST_KEY_LEN];	/* the manifest */
	uint8_t counter[ST_KEY_LEN];	/* the rollback counter */
	struct evp_mac_ctx_st *name_mac;	/* st_mac keyed with name */
	struct evp_mac_ctx_st *counter_mac;	/* and with counter */
};

/*
 * The keys of the TA with this UUID (16 octets), derived from the root
 * key in storage_fd/root.key, which is made (32 random bytes, 0600) if
 * it does not exist yet.  They cannot change while the process runs, so
 * storage.c derives them once; st_keys_forget wipes them.
 */
TEE_Result st_keys_derive(int storage_fd, const uint8_t uuid[16],
			  struct st_keys *keys);
void st_keys_forget(struct st_keys *keys);
TEE_Result st_tag(const struct st_keys *keys, uint32_t space,
		  const uint8_t *id, size_t id_len, uint8_t tag[ST_TAG_LEN]);

/* ---- storage.c: the running TA's storage ---- */

struct st_ta {
	uint8_t uuid[16];
	char uuid_text[37];
	struct st_keys keys;
	int dir_fd;		/* <data>/storage/<uuid> */
	int rpmb_fd;		/* <data>/rpmb: the counter, kept apart */
	int lock_fd;		/* <dir>/lock: flock, the TA-wide lock */
	bool swept;		/* leftovers removed once per process */
};

/* ---- storage_manifest.c ---- */

struct st_entry {
	uint32_t space;
	uint32_t id_len;
	uint8_t id[TEE_OBJECT_ID_MAX_LEN];
	uint8_t tag[ST_TAG_LEN];
	/* The object file is "<tag>-<gen>": slot 1 or 2 (storage.c), or a
	 * generation > 2 in a folder of an older version. */
	uint64_t gen;
	uint8_t hash[ST_HASH_LEN];	/* SHA-256 of that file */
};

struct st_manifest {
	uint64_t counter;	/* bumped by every commit */
	size_t count;
	size_t cap;
	struct st_entry *entries;
	bool legacy;		/* read from ST_LEGACY_MANIFEST */
};

/*
 * Reads and checks the manifest against the counter: of the two slots
 * "manifest.0" and "manifest.1", the one with the larger counter among
 * those that authenticate (counter v lives in slot v % 2); the legacy
 * file when neither does.  *lagging is set when the counter is one
 * behind (a commit died between the two writes); st_counter_repair then
 * brings it level.  A missing, forged or older manifest gives
 * TEE_ERROR_CORRUPT_OBJECT.
 */
TEE_Result st_manifest_load(struct st_ta *ta, struct st_manifest *m,
			    bool *lagging);
TEE_Result st_counter_repair(struct st_ta *ta, const struct st_manifest *m);
/*
 * Bumps the counter, writes the manifest into the slot of the new value
 * (the commit point), then the counter file; then removes the legacy
 * manifest if m came from it.
 */
TEE_Result st_manifest_commit(struct st_ta *ta, struct st_manifest *m);
struct st_entry *st_manifest_find(struct st_manifest *m,
				  const uint8_t tag[ST_TAG_LEN]);
/* A new zeroed entry at the end; NULL when out of memory. */
struct st_entry *st_manifest_add(struct st_manifest *m);
void st_manifest_remove(struct st_manifest *m, struct st_entry *e);
void st_manifest_free(struct st_manifest *m);
/* "<tag hex>-<gen hex>" */
void st_object_name(const uint8_t tag[ST_TAG_LEN], uint64_t gen,
		    char name[ST_NAME_LEN]);

/* ---- storage_lock.c ---- */

TEE_Result st_lock(struct st_ta *ta, bool exclusive);
void st_unlock(struct st_ta *ta);

/*
 * Sharing rules between handles, in every process of the TA: each
 * handle holds its own open file description of <dir>/handles and
 * marks its flags there with byte-range (OFD) locks in a slot chosen by
 * the object's tag; the kernel drops them when the handle is closed or
 * its process dies.  Checks and marks happen under the exclusive TA
 * lock.  A check through fd ignores the marks fd itself holds.
 */
TEE_Result st_share_open(struct st_ta *ta, int *fd);
/* OP-TEE's rule between flags and those of every other open handle. */
TEE_Result st_share_check(int fd, const uint8_t tag[ST_TAG_LEN],
			  uint32_t flags);
/* Whether another handle has the object open. */
bool st_share_busy(int fd, const uint8_t tag[ST_TAG_LEN]);
TEE_Result st_share_mark(int fd, const uint8_t tag[ST_TAG_LEN],
			 uint32_t flags);
void st_share_unmark(int fd, const uint8_t tag[ST_TAG_LEN]);

/* ---- storage.c: transactions and objects ---- */

/*
 * A transaction holds the TA lock (shared or exclusive) and the checked
 * manifest.  A writing transaction changes one object: its next version
 * is written into the slot the manifest does not name, then st_commit
 * writes the manifest that names it (the commit point) and removes the
 * files no longer needed (a dropped object's slots, a file of the old
 * layout).  st_end releases all, removing the slot of an object that was
 * new if the commit did not happen.
 */
#define ST_STALE_MAX	3U	/* two slots and an old-layout file */

struct st_txn {
	struct st_ta *ta;
	struct st_manifest m;
	bool locked;
	char fresh[ST_NAME_LEN];	/* a new object's, not committed */
	char stale[ST_STALE_MAX][ST_NAME_LEN];	/* to remove once committed */
	size_t stale_count;
};

/*
 * A version of an object as the manifest names it, by its file's hash:
 * every sealed file has its own random salt, so no two versions share
 * one, while slot numbers come back.  set is false for none.
 */
struct st_version {
	bool set;
	uint8_t hash[ST_HASH_LEN];
};

/* A decoded object file. */
struct st_obj {
	uint32_t space;
	uint32_t id_len;
	uint8_t id[TEE_OBJECT_ID_MAX_LEN];
	uint32_t type;
	uint32_t object_size;
	uint32_t max_object_size;
	uint32_t usage;
	uint8_t *attrs;		/* obj_attrs_encode's form */
	size_t attrs_len;
	uint8_t *data;		/* the data stream */
	size_t data_len;
	size_t data_cap;
};

/* res when it is TEE_SUCCESS or one of ok[n], else a panic with it. */
TEE_Result st_allowed(TEE_Result res, const TEE_Result *ok, size_t n);
/* The storage space of a GP storage id, or 0 when there is none. */
uint32_t st_space_of(uint32_t storage_id);
TEE_Result st_begin(struct st_txn *t, bool exclusive);
TEE_Result st_commit(struct st_txn *t);
void st_end(struct st_txn *t);
TEE_Result st_ta_get(struct st_ta **ta);
/*
 * Reads the file of e and checks it against e (hash, space, id):
 * TEE_ERROR_CORRUPT_OBJECT when it is missing or does not match.
 */
TEE_Result st_obj_load(struct st_txn *t, const struct st_entry *e,
		       struct st_obj *o);
/* Writes o as the next version of e, into the slot e does not name
 * (e->gen and e->hash change). */
TEE_Result st_obj_store(struct st_txn *t, struct st_entry *e,
			const struct st_obj *o);
/* Drops e from the manifest; its files go once committed. */
void st_obj_drop(struct st_txn *t, struct st_entry *e);
/* Resizes o's data to len bytes, zero-filling what it adds. */
TEE_Result st_obj_resize(struct st_obj *o, size_t len);
void st_obj_free(struct st_obj *o);

/* ---- storage_pobj.c: the persistent part of an object handle ---- */

struct pobj {
	uint32_t space;
	uint32_t flags;		/* TEE_DATA_FLAG_* given at open or create */
	uint32_t id_len;
	uint8_t id[TEE_OBJECT_ID_MAX_LEN];
	uint8_t tag[ST_TAG_LEN];
	int share_fd;		/* this handle's sharing marks */
	bool cached;		/* obj is the version gen, hash */
	uint64_t gen;
	uint8_t hash[ST_HASH_LEN];
	struct st_obj obj;
};

/* NULL when out of memory. */
struct pobj *st_pobj_new(uint32_t space, const void *id, size_t id_len,
			 uint32_t flags);
void st_pobj_free(struct pobj *p);
/* Sets p->tag from p's space and id, with the running TA's keys. */
TEE_Result st_pobj_tag(struct pobj *p);
/* Records that p->obj is the version e names. */
void st_pobj_cache(struct pobj *p, const struct st_entry *e);
/* Records in v the version e names. */
void st_version_of(struct st_version *v, const struct st_entry *e);
/*
 * Brings h's copy of its object to the version the manifest of t names
 * (*entry).  On TEE_ERROR_CORRUPT_OBJECT, *bad is the version found
 * corrupt (unset when the object is no longer in the manifest at all).
 */
TEE_Result st_pobj_sync(struct st_txn *t, TEE_ObjectHandle h,
			struct st_entry **entry, struct st_version *bad);
/* Deletes the object of tag if the manifest still names version bad. */
void st_drop_corrupt(const uint8_t tag[ST_TAG_LEN],
		     const struct st_version *bad);
/* After TEE_ERROR_CORRUPT_OBJECT on h: delete, close unless told not to. */
void st_corrupt(TEE_ObjectHandle h, const struct st_version *bad);
/* obj_checked, and a panic (BAD_STATE) for a transient object. */
struct __TEE_ObjectHandle *st_persistent(TEE_ObjectHandle h);

#endif /* LIBTEE_STORAGE_INTERNAL_H */
