// SPDX-License-Identifier: BSD-2-Clause
/*
 * The manifest of a TA's storage and its rollback counter
 * (storage_internal.h, docs/storage.md).
 *
 * The manifest is a sealed blob (magic "PTSM", key "manifest") of
 *
 *   counter u64 | count u32 | count x entry
 *   entry: space u32 | id_len u32 | id[id_len] | tag[16] | gen u64 |
 *          sha256[32] of the object file "<tag hex>-<gen hex>"
 *
 * so it names the exact version of every object: an object file swapped
 * with another or replaced by an older copy of itself no longer matches
 * its hash.  The manifest with counter v is written in place into
 * <data>/storage/<uuid>/manifest.<v % 2>, so the other slot keeps v - 1
 * while it is written; a slot torn by a crash fails to authenticate and
 * the other one is read.  The counter is bumped by every commit and
 * also kept apart, in <data>/rpmb/<uuid>.ctr (modelling OP-TEE's RPMB),
 * as
 *
 *   "PTSC" | version u32 (1) | counter u64 | HMAC-SHA256(key "counter",
 *   the 16 bytes before | TA UUID)
 *
 * in two records a page apart, written alternately in place (value v in
 * record v % 2), so a manifest older than the counter, i.e. the whole
 * storage folder rolled back or an old slot put back, is refused too.
 * A commit writes the manifest first and the counter second; a kill
 * between the two leaves the manifest one ahead, which is accepted and
 * repaired.  The reverse order would accept a manifest one behind, i.e.
 * a rollback by one.
 *
 * Older versions kept the manifest in one file, ST_LEGACY_MANIFEST,
 * replaced by rename.  It is read when no slot holds a manifest, checked
 * the same way, and removed by the first commit into a slot.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "storage_internal.h"

#define MANIFEST_MAGIC	"PTSM"
/* Far more than any TA needs: about 500 000 objects. */
#define MANIFEST_MAX	(64U << 20)
#define ENTRY_MIN_LEN	(4U + 4U + ST_TAG_LEN + 8U + ST_HASH_LEN)

#define COUNTER_MAGIC	"PTSC"
#define COUNTER_VERSION	1U
#define COUNTER_BODY	16U
#define COUNTER_LEN	(COUNTER_BODY + 32U)
/* Two records, a page apart so that writing one never tears the other. */
#define COUNTER_SLOT	4096U
#define COUNTER_FILE_MAX	(COUNTER_SLOT + COUNTER_LEN)

static const char *const slot_names[2] = { "manifest.0", "manifest.1" };

/*
 * What this process last found in its TA's storage, or wrote there: the
 * manifest slots and the counter file, kept open (storage_file.c); the
 * counter records that checked; for each slot, the manifest that last
 * authenticated there, with its exact bytes.  Bytes read again that are
 * identical to these check and decrypt to the same, so the MAC, the key
 * derivation and the decryption are skipped for them; any other bytes
 * are checked in full.  Files are still read by every call: what another
 * instance or the attacker changed is seen as before.  One TA per
 * process, as in storage.c.
 */
struct known_record {
	bool good;
	uint8_t bytes[COUNTER_LEN];
	uint64_t value;
};

struct known_slot {
	struct st_kept file;
	uint8_t *sealed;		/* as read or written; NULL: none */
	size_t len;
	struct st_manifest decoded;	/* what it holds */
};

static struct {
	struct known_slot slot[2];
	struct st_kept counter_file;
	struct known_record rec[2];	/* by record */
} known = {
	.slot = { { .file = ST_KEPT_NONE }, { .file = ST_KEPT_NONE } },
	.counter_file = ST_KEPT_NONE,
};

static void counter_name(const struct st_ta *ta, char name[ST_NAME_LEN])
{
	snprintf(name, ST_NAME_LEN, "%s.ctr", ta->uuid_text);
}

static TEE_Result counter_mac(const struct st_ta *ta,
			      const uint8_t body[COUNTER_BODY],
			      uint8_t mac[32])
{
	struct st_chunk in[2] = { { body, COUNTER_BODY }, { ta->uuid, 16 } };

	return st_mac(ta->keys.counter_mac, NULL, 0, in, 2, mac);
}

/*
 * The record in slot (0 or 1): SUCCESS with *value, or CORRUPT when it
 * does not check.
 */
static TEE_Result counter_record(const struct st_ta *ta, size_t slot,
				 const uint8_t *rec, uint64_t *value)
{
	struct known_record *k = &known.rec[slot];
	struct st_rbuf r = { .buf = rec + 4, .len = COUNTER_BODY - 4 };
	uint8_t mac[32] = { 0 };
	TEE_Result res = TEE_ERROR_CORRUPT_OBJECT;

	if (k->good && !memcmp(rec, k->bytes, COUNTER_LEN)) {
		*value = k->value;
		return TEE_SUCCESS;
	}
	if (memcmp(rec, COUNTER_MAGIC, 4))
		return res;
	res = counter_mac(ta, rec, mac);
	if (res)
		return res;
	if (CRYPTO_memcmp(mac, rec + COUNTER_BODY, sizeof(mac)) ||
	    st_get_u32(&r) != COUNTER_VERSION)
		return TEE_ERROR_CORRUPT_OBJECT;
	*value = st_get_u64(&r);
	k->good = true;
	memcpy(k->bytes, rec, COUNTER_LEN);
	k->value = *value;
	return TEE_SUCCESS;
}

/*
 * The counter: the larger of the records that check.  No file, or an
 * empty one (made, then killed before its first record), is 0; a file
 * with no good record is corrupt.
 */
static TEE_Result counter_read(const struct st_ta *ta, uint64_t *value)
{
	static const size_t offs[2] = { 0, COUNTER_SLOT };
	char name[ST_NAME_LEN] = { 0 };
	uint8_t *buf = NULL;
	size_t len = 0;
	uint64_t v = 0;
	bool found = false;
	size_t i = 0;
	TEE_Result res = TEE_SUCCESS;

	*value = 0;
	counter_name(ta, name);
	res = st_kept_read(&known.counter_file, ta->rpmb_fd, name,
			   COUNTER_FILE_MAX, true, &buf, &len);
	if (res == TEE_ERROR_ITEM_NOT_FOUND || (!res && !len)) {
		res = TEE_SUCCESS;
		goto out;
	}
	if (res)
		goto out;
	for (i = 0; i < 2; i++) {
		if (len < offs[i] + COUNTER_LEN)
			break;
		res = counter_record(ta, i, buf + offs[i], &v);
		if (res == TEE_ERROR_OUT_OF_MEMORY)
			goto out;
		if (!res && (!found || v > *value))
			*value = v;
		found |= !res;
	}
	res = found ? TEE_SUCCESS : TEE_ERROR_CORRUPT_OBJECT;
out:
	free(buf);
	return res;
}

/*
 * Value v goes to record v % 2, written in place and synced: the other
 * record keeps v - 1, so a write torn by a crash still leaves the
 * previous value, and the manifest one ahead of it (accepted, repaired).
 */
static TEE_Result counter_write(const struct st_ta *ta, uint64_t value)
{
	char name[ST_NAME_LEN] = { 0 };
	uint8_t rec[COUNTER_LEN] = { 0 };
	struct st_wbuf w = { 0 };
	TEE_Result res = TEE_ERROR_OUT_OF_MEMORY;

	st_put_bytes(&w, COUNTER_MAGIC, 4);
	st_put_u32(&w, COUNTER_VERSION);
	st_put_u64(&w, value);
	if (w.failed)
		goto out;
	memcpy(rec, w.buf, COUNTER_BODY);
	res = counter_mac(ta, rec, rec + COUNTER_BODY);
	if (res)
		goto out;
	counter_name(ta, name);
	res = st_file_patch(ta->rpmb_fd, name,
			    (off_t)((value & 1) * COUNTER_SLOT), rec,
			    sizeof(rec), &known.counter_file);
	if (!res) {
		known.rec[value & 1].good = true;
		memcpy(known.rec[value & 1].bytes, rec, sizeof(rec));
		known.rec[value & 1].value = value;
	}
out:
	st_wbuf_free(&w);
	return res;
}

static TEE_Result decode(const uint8_t *buf, size_t len,
			 struct st_manifest *m)
{
	struct st_rbuf r = { .buf = buf, .len = len };
	struct st_entry *e = NULL;
	const uint8_t *p = NULL;
	uint32_t count = 0;
	uint32_t i = 0;

	m->counter = st_get_u64(&r);
	count = st_get_u32(&r);
	if (r.bad || count > (len - r.off) / ENTRY_MIN_LEN)
		return TEE_ERROR_CORRUPT_OBJECT;
	for (i = 0; i < count; i++) {
		e = st_manifest_add(m);
		if (!e)
			return TEE_ERROR_OUT_OF_MEMORY;
		e->space = st_get_u32(&r);
		e->id_len = st_get_u32(&r);
		if (e->id_len > TEE_OBJECT_ID_MAX_LEN ||
		    (e->space != ST_SPACE_REE && e->space != ST_SPACE_RPMB))
			return TEE_ERROR_CORRUPT_OBJECT;
		p = st_get_bytes(&r, e->id_len);
		if (p && e->id_len)
			memcpy(e->id, p, e->id_len);
		p = st_get_bytes(&r, ST_TAG_LEN);
		if (p)
			memcpy(e->tag, p, ST_TAG_LEN);
		e->gen = st_get_u64(&r);
		p = st_get_bytes(&r, ST_HASH_LEN);
		if (p)
			memcpy(e->hash, p, ST_HASH_LEN);
		if (r.bad)
			return TEE_ERROR_CORRUPT_OBJECT;
	}
	return r.off == len ? TEE_SUCCESS : TEE_ERROR_CORRUPT_OBJECT;
}

/* A copy of src into the empty dst: false when out of memory. */
static bool manifest_copy(struct st_manifest *dst,
			  const struct st_manifest *src)
{
	*dst = (struct st_manifest){ .counter = src->counter };
	if (!src->count)
		return true;
	dst->entries = reallocarray(NULL, src->count, sizeof(*src->entries));
	if (!dst->entries)
		return false;
	memcpy(dst->entries, src->entries,
	       src->count * sizeof(*src->entries));
	dst->count = src->count;
	dst->cap = src->count;
	return true;
}

/* Remembers that slot s holds sealed and m (both now owned here). */
static void remember(struct known_slot *s, uint8_t *sealed, size_t len,
		     struct st_manifest *m)
{
	free(s->sealed);
	st_manifest_free(&s->decoded);
	s->sealed = sealed;
	s->len = len;
	s->decoded = *m;
	*m = (struct st_manifest){ 0 };
}

/* The manifest sealed in buf: TEE_ERROR_CORRUPT_OBJECT if it is none. */
static TEE_Result unseal_manifest(const struct st_ta *ta, const uint8_t *buf,
				  size_t len, struct st_manifest *m)
{
	uint8_t *pt = NULL;
	size_t pt_len = 0;
	TEE_Result res = st_unseal(ta->keys.manifest, MANIFEST_MAGIC, buf, len,
				   &pt, &pt_len);

	if (!res)
		res = decode(pt, pt_len, m);
	if (res)
		st_manifest_free(m);
	st_free_secret(pt, pt_len);
	return res;
}

/*
 * The manifest slot i holds, as *found; NULL when the slot is missing,
 * is not a manifest (torn by a crash, or forged) or holds a counter of
 * the other parity (moved there by someone else).  Only a failure to
 * read it is an error.
 */
static TEE_Result slot_read(const struct st_ta *ta, size_t i,
			    const struct st_manifest **found)
{
	struct known_slot *s = &known.slot[i];
	struct st_manifest m = { 0 };
	uint8_t *buf = NULL;
	size_t len = 0;
	TEE_Result res = st_kept_read(&s->file, ta->dir_fd, slot_names[i],
				      MANIFEST_MAX, true, &buf, &len);

	*found = NULL;
	if (res == TEE_ERROR_ITEM_NOT_FOUND || res == TEE_ERROR_CORRUPT_OBJECT)
		return TEE_SUCCESS;
	if (res)
		return res;
	if (!s->sealed || len != s->len || memcmp(buf, s->sealed, len)) {
		res = unseal_manifest(ta, buf, len, &m);
		if (res == TEE_ERROR_OUT_OF_MEMORY)
			goto out;
		if (res || m.counter % 2 != i) {
			res = TEE_SUCCESS;
			goto out;
		}
		remember(s, buf, len, &m);
		buf = NULL;
	}
	*found = &s->decoded;
out:
	st_manifest_free(&m);
	free(buf);
	return res;
}
/*
 * The manifest of the legacy file into m; *found is false when there is
 * no such file.  A legacy file that does not authenticate is corrupt.
 */
static TEE_Result legacy_read(const struct st_ta *ta, struct st_manifest *m,
			      bool *found)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	TEE_Result res = st_file_read(ta->dir_fd, ST_LEGACY_MANIFEST,
				      MANIFEST_MAX, &buf, &len);

	*found = res != TEE_ERROR_ITEM_NOT_FOUND;
	if (!*found)
		return TEE_SUCCESS;
	if (!res)
		res = unseal_manifest(ta, buf, len, m);
	if (!res)
		m->legacy = true;
	free(buf);
	return res;
}

/* Into m, the manifest of the slots, else of the legacy file (*found). */
static TEE_Result manifest_read(const struct st_ta *ta, struct st_manifest *m,
				bool *found)
{
	const struct st_manifest *slot[2] = { NULL, NULL };
	const struct st_manifest *best = NULL;
	TEE_Result res = slot_read(ta, 0, &slot[0]);

	if (!res)
		res = slot_read(ta, 1, &slot[1]);
	if (res)
		return res;
	/* Counters of different parity: never equal. */
	best = slot[0];
	if (slot[1] && (!best || slot[1]->counter > best->counter))
		best = slot[1];
	if (!best)
		return legacy_read(ta, m, found);
	*found = true;
	return manifest_copy(m, best) ? TEE_SUCCESS : TEE_ERROR_OUT_OF_MEMORY;
}

TEE_Result st_manifest_load(struct st_ta *ta, struct st_manifest *m,
			    bool *lagging)
{
	uint64_t counter = 0;
	bool found = false;
	TEE_Result res = TEE_SUCCESS;

	*m = (struct st_manifest){ 0 };
	*lagging = false;
	res = counter_read(ta, &counter);
	if (!res)
		res = manifest_read(ta, m, &found);
	if (res)
		goto out;
	if (!found) {
		/* Never written, or deleted after a commit (counter > 0). */
		res = counter ? TEE_ERROR_CORRUPT_OBJECT : TEE_SUCCESS;
		goto out;
	}
	if (m->counter == counter + 1)
		*lagging = true;
	else if (m->counter != counter)
		res = TEE_ERROR_CORRUPT_OBJECT;
	else if (!m->legacy)	/* committed, so its name is on disk */
		known.slot[m->counter % 2].file.durable = true;
out:
	if (res)
		st_manifest_free(m);
	return res;
}

TEE_Result st_counter_repair(struct st_ta *ta, const struct st_manifest *m)
{
	/* Its writer may have died before making its name durable. */
	if (fsync(ta->dir_fd))
		return st_errno_result(errno);
	if (!m->legacy)
		known.slot[m->counter % 2].file.durable = true;
	return counter_write(ta, m->counter);
}

TEE_Result st_manifest_commit(struct st_ta *ta, struct st_manifest *m)
{
	struct known_slot *s = &known.slot[(m->counter + 1) % 2];
	struct st_manifest copy = { 0 };
	struct st_wbuf w = { 0 };
	uint8_t *sealed = NULL;
	size_t sealed_len = 0;
	bool legacy = m->legacy;
	size_t i = 0;
	TEE_Result res = TEE_ERROR_OUT_OF_MEMORY;

	st_put_u64(&w, m->counter + 1);
	st_put_u32(&w, (uint32_t)m->count);
	for (i = 0; i < m->count; i++) {
		st_put_u32(&w, m->entries[i].space);
		st_put_u32(&w, m->entries[i].id_len);
		st_put_bytes(&w, m->entries[i].id, m->entries[i].id_len);
		st_put_bytes(&w, m->entries[i].tag, ST_TAG_LEN);
		st_put_u64(&w, m->entries[i].gen);
		st_put_bytes(&w, m->entries[i].hash, ST_HASH_LEN);
	}
	if (w.failed || w.len > MANIFEST_MAX - ST_SEAL_OVERHEAD)
		goto out;
	res = st_seal(ta->keys.manifest, MANIFEST_MAGIC, w.buf, w.len, &sealed,
		      &sealed_len);
	if (res)
		goto out;
	/* The other slot holds the current manifest, untouched. */
	res = st_file_overwrite(ta->dir_fd, slot_names[(m->counter + 1) % 2],
				sealed, sealed_len, &s->file);
	if (res)
		goto out;
	m->counter++;
	m->legacy = false;
	if (manifest_copy(&copy, m)) {
		remember(s, sealed, sealed_len, &copy);
		sealed = NULL;
	}
	/* Committed: a slot holds the manifest, the legacy file is done. */
	if (legacy)
		st_file_remove(ta->dir_fd, ST_LEGACY_MANIFEST);
	/*
	 * If the counter cannot follow, say so: the caller's change then
	 * counts as failed, and either state may be found later, which is
	 * what a failed write promises.
	 */
	res = counter_write(ta, m->counter);
out:
	free(sealed);
	st_wbuf_free(&w);
	return res;
}

struct st_entry *st_manifest_find(struct st_manifest *m,
				  const uint8_t tag[ST_TAG_LEN])
{
	size_t i = 0;

	for (i = 0; i < m->count; i++) {
		if (!memcmp(m->entries[i].tag, tag, ST_TAG_LEN))
			return m->entries + i;
	}
	return NULL;
}

struct st_entry *st_manifest_add(struct st_manifest *m)
{
	struct st_entry *grown = NULL;
	size_t cap = 0;

	if (m->count == m->cap) {
		cap = m->cap ? m->cap * 2 : 8;
		grown = reallocarray(m->entries, cap, sizeof(*grown));
		if (!grown)
			return NULL;
		m->entries = grown;
		m->cap = cap;
	}
	m->entries[m->count] = (struct st_entry){ 0 };
	return m->entries + m->count++;
}

void st_manifest_remove(struct st_manifest *m, struct st_entry *e)
{
	size_t i = (size_t)(e - m->entries);

	memmove(e, e + 1, (m->count - i - 1) * sizeof(*e));
	m->count--;
}

void st_manifest_free(struct st_manifest *m)
{
	free(m->entries);
	*m = (struct st_manifest){ 0 };
}

void st_object_name(const uint8_t tag[ST_TAG_LEN], uint64_t gen,
		    char name[ST_NAME_LEN])
{
	static const char hex[] = "0123456789abcdef";
	char *p = name;
	size_t i = 0;

	/* Every call names a file: no printf for 25 hex digits. */
	for (i = 0; i < ST_TAG_LEN; i++) {
		*p++ = hex[tag[i] >> 4];
		*p++ = hex[tag[i] & 15];
	}
	*p++ = '-';
	for (i = 0; i < 16; i++)
		*p++ = hex[(gen >> (60 - 4 * i)) & 15];
	*p = '\0';
}
