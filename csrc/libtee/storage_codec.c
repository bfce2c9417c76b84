// SPDX-License-Identifier: BSD-2-Clause
/*
 * Little-endian encoding of the manifest and of object files before they
 * are sealed (storage_internal.h).  A writer that runs out of memory and
 * a reader that runs past the end only set a flag, so that encoders and
 * decoders check once at the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "storage_internal.h"

#define WBUF_MIN_CAP	256U

static uint8_t *wbuf_room(struct st_wbuf *w, size_t n)
{
	size_t need = 0;
	size_t cap = 0;
	uint8_t *grown = NULL;

	if (w->failed)
		return NULL;
	if (__builtin_add_overflow(w->len, n, &need))
		goto fail;
	if (need > w->cap) {
		cap = w->cap ? w->cap : WBUF_MIN_CAP;
		while (cap < need) {
			if (__builtin_mul_overflow(cap, 2, &cap))
				goto fail;
		}
		/*
		 * Not realloc: the old block may hold plaintext, which must
		 * be wiped rather than left in freed memory.
		 */
		grown = malloc(cap);
		if (!grown)
			goto fail;
		if (w->len)
			memcpy(grown, w->buf, w->len);
		OPENSSL_clear_free(w->buf, w->cap);
		w->buf = grown;
		w->cap = cap;
	}
	w->len = need;
	return w->buf + need - n;
fail:
	w->failed = true;
	return NULL;
}

void st_put_u32(struct st_wbuf *w, uint32_t v)
{
	uint8_t *p = wbuf_room(w, 4);
	size_t i = 0;

	if (!p)
		return;
	for (i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void st_put_u64(struct st_wbuf *w, uint64_t v)
{
	uint8_t *p = wbuf_room(w, 8);
	size_t i = 0;

	if (!p)
		return;
	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void st_put_bytes(struct st_wbuf *w, const void *src, size_t n)
{
	uint8_t *p = wbuf_room(w, n);

	if (p && n)
		memcpy(p, src, n);
}

void st_wbuf_free(struct st_wbuf *w)
{
	OPENSSL_clear_free(w->buf, w->cap);
	w->buf = NULL;
	w->len = 0;
	w->cap = 0;
}

const uint8_t *st_get_bytes(struct st_rbuf *r, size_t n)
{
	const uint8_t *p = NULL;

	if (r->bad || n > r->len - r->off) {
		r->bad = true;
		return NULL;
	}
	p = r->buf + r->off;
	r->off += n;
	return p;
}

uint32_t st_get_u32(struct st_rbuf *r)
{
	const uint8_t *p = st_get_bytes(r, 4);
	uint32_t v = 0;
	size_t i = 0;

	if (!p)
		return 0;
	for (i = 0; i < 4; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

uint64_t st_get_u64(struct st_rbuf *r)
{
	const uint8_t *p = st_get_bytes(r, 8);
	uint64_t v = 0;
	size_t i = 0;

	if (!p)
		return 0;
	for (i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}
