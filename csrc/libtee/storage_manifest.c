// SPDX-License-Identifier: BSD-2-Clause
/*
 * The manifest of a TA's storage and its rollback counter
 * (storage_internal.h, docs/storage.md).
 *
 * The manifest, <data>/storage/<uuid>/manifest, is a sealed blob (magic
 * "PTSM", key "manifest") of
 *
 *   counter u64 | count u32 | count x entry
 *   entry: space u32 | id_len u32 | id[id_len] | tag[16] | gen u64 |
 *          sha256[32] of the object file "<tag hex>-<gen hex>"
 *
 * so it names the exact version of every object: an object file swapped
 * with another or replaced by an older copy of itself no longer matches
 * its hash.  The counter is bumped by every commit and also kept apart,
 * in <data>/rpmb/<uuid>.ctr (modelling OP-TEE's RPMB), as
 *
 *   "PTSC" | version u32 (1) | counter u64 | HMAC-SHA256(key "counter",
 *   the 16 bytes before | TA UUID)
 *
 * in two records a page apart, written alternately in place (value v in
 * record v % 2), so a manifest older than the counter, i.e. the whole
 * storage folder rolled back, is refused too.  A commit writes the
 * manifest first and the counter second; a kill between the two leaves
 * the manifest one ahead, which is accepted and repaired.  The reverse
 * order would accept a manifest one behind, i.e. a rollback by one.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "storage_internal.h"

#define MANIFEST_FILE	"manifest"
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

static void counter_name(const struct st_ta *ta, char name[ST_NAME_LEN])
{
	snprintf(name, ST_NAME_LEN, "%s.ctr", ta->uuid_text);
}

static TEE_Result counter_mac(const struct st_ta *ta,
			      const uint8_t body[COUNTER_BODY],
			      uint8_t mac[32])
{
	uint8_t msg[COUNTER_BODY + 16] = { 0 };
	unsigned int len = 0;

	memcpy(msg, body, COUNTER_BODY);
	memcpy(msg + COUNTER_BODY, ta->uuid, 16);
	if (!HMAC(EVP_sha256(), ta->keys.counter, ST_KEY_LEN, msg,
		  sizeof(msg), mac, &len) || len != 32)
		return TEE_ERROR_OUT_OF_MEMORY;
	return TEE_SUCCESS;
}

/* One record: SUCCESS with *value, or CORRUPT when it does not check. */
static TEE_Result counter_record(const struct st_ta *ta, const uint8_t *rec,
				 uint64_t *value)
{
	struct st_rbuf r = { .buf = rec + 4, .len = COUNTER_BODY - 4 };
	uint8_t mac[32] = { 0 };
	TEE_Result res = TEE_ERROR_CORRUPT_OBJECT;

	if (memcmp(rec, COUNTER_MAGIC, 4))
		return res;
	res = counter_mac(ta, rec, mac);
	if (res)
		return res;
	if (CRYPTO_memcmp(mac, rec + COUNTER_BODY, sizeof(mac)) ||
	    st_get_u32(&r) != COUNTER_VERSION)
		return TEE_ERROR_CORRUPT_OBJECT;
	*value = st_get_u64(&r);
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
	res = st_file_read(ta->rpmb_fd, name, COUNTER_FILE_MAX, &buf, &len);
	if (res == TEE_ERROR_ITEM_NOT_FOUND || (!res && !len)) {
		res = TEE_SUCCESS;
		goto out;
	}
	if (res)
		goto out;
	for (i = 0; i < 2; i++) {
		if (len < offs[i] + COUNTER_LEN)
			break;
		res = counter_record(ta, buf + offs[i], &v);
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
			    sizeof(rec));
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

TEE_Result st_manifest_load(struct st_ta *ta, struct st_manifest *m,
			    bool *lagging)
{
	uint8_t *sealed = NULL;
	size_t sealed_len = 0;
	uint8_t *pt = NULL;
	size_t pt_len = 0;
	uint64_t counter = 0;
	TEE_Result res = TEE_SUCCESS;

	*m = (struct st_manifest){ 0 };
	*lagging = false;
	res = counter_read(ta, &counter);
	if (res)
		goto out;
	res = st_file_read(ta->dir_fd, MANIFEST_FILE, MANIFEST_MAX, &sealed,
			   &sealed_len);
	if (res == TEE_ERROR_ITEM_NOT_FOUND) {
		/* Never written, or deleted after a commit (counter > 0). */
		res = counter ? TEE_ERROR_CORRUPT_OBJECT : TEE_SUCCESS;
		goto out;
	}
	if (res)
		goto out;
	res = st_unseal(ta->keys.manifest, MANIFEST_MAGIC, sealed, sealed_len,
			&pt, &pt_len);
	if (res)
		goto out;
	res = decode(pt, pt_len, m);
	if (res)
		goto out;
	if (m->counter == counter + 1)
		*lagging = true;
	else if (m->counter != counter)
		res = TEE_ERROR_CORRUPT_OBJECT;
out:
	if (res)
		st_manifest_free(m);
	st_free_secret(pt, pt_len);
	free(sealed);
	return res;
}

TEE_Result st_counter_repair(struct st_ta *ta, const struct st_manifest *m)
{
	return counter_write(ta, m->counter);
}

TEE_Result st_manifest_commit(struct st_ta *ta, struct st_manifest *m)
{
	struct st_wbuf w = { 0 };
	uint8_t *sealed = NULL;
	size_t sealed_len = 0;
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
	res = st_file_put(ta->dir_fd, MANIFEST_FILE, sealed, sealed_len);
	if (res)
		goto out;
	m->counter++;
	/*
	 * Committed.  If the counter cannot follow, say so: the caller's
	 * change then counts as failed, and either state may be found
	 * later, which is what a failed write promises.
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
	size_t i = 0;

	for (i = 0; i < ST_TAG_LEN; i++)
		snprintf(name + 2 * i, 3, "%02x", tag[i]);
	snprintf(name + 2 * ST_TAG_LEN, ST_NAME_LEN - 2 * ST_TAG_LEN,
		 "-%016llx", (unsigned long long)gen);
}
