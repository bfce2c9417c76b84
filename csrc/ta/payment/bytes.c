// SPDX-License-Identifier: BSD-2-Clause
/*
 * Bytes: big-endian integers, a bounded reader and writer for the fixed
 * layouts of docs/payment.md, and BCD dates.
 */
#include <string.h>

#include "payment_internal.h"

uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, (uint32_t)(v >> 32));
	put_be32(p + 4, (uint32_t)v);
}

void rd_init(struct reader *r, const void *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->pos = 0;
	r->bad = false;
}

const uint8_t *rd_take(struct reader *r, size_t n)
{
	const uint8_t *at = NULL;

	if (r->bad || n > r->len - r->pos) {
		r->bad = true;
		return NULL;
	}
	at = r->p + r->pos;
	r->pos += n;
	return at;
}

uint8_t rd_u8(struct reader *r)
{
	const uint8_t *at = rd_take(r, 1);

	return at ? *at : 0;
}

uint16_t rd_u16(struct reader *r)
{
	const uint8_t *at = rd_take(r, 2);

	return at ? get_be16(at) : 0;
}

uint32_t rd_u32(struct reader *r)
{
	const uint8_t *at = rd_take(r, 4);

	return at ? get_be32(at) : 0;
}

uint64_t rd_u64(struct reader *r)
{
	const uint8_t *at = rd_take(r, 8);

	return at ? get_be64(at) : 0;
}

bool rd_done(const struct reader *r)
{
	return !r->bad && r->pos == r->len;
}

void wr_init(struct writer *w, void *p, size_t cap)
{
	w->p = p;
	w->cap = cap;
	w->len = 0;
	w->bad = false;
}

void wr_bytes(struct writer *w, const void *src, size_t n)
{
	if (w->bad || n > w->cap - w->len) {
		w->bad = true;
		return;
	}
	if (n)
		memcpy(w->p + w->len, src, n);
	w->len += n;
}

void wr_tag(struct writer *w, const char *tag)
{
	wr_bytes(w, tag, strlen(tag) + 1);
}

void wr_u8(struct writer *w, uint8_t v)
{
	wr_bytes(w, &v, 1);
}

void wr_u16(struct writer *w, uint16_t v)
{
	uint8_t b[2] = { 0 };

	put_be16(b, v);
	wr_bytes(w, b, sizeof(b));
}

void wr_u32(struct writer *w, uint32_t v)
{
	uint8_t b[4] = { 0 };

	put_be32(b, v);
	wr_bytes(w, b, sizeof(b));
}

void wr_u64(struct writer *w, uint64_t v)
{
	uint8_t b[8] = { 0 };

	put_be64(b, v);
	wr_bytes(w, b, sizeof(b));
}

/* The value of a BCD byte, or -1 when a nibble is above 9. */
static int bcd(uint8_t b)
{
	if ((b >> 4) > 9 || (b & 0xf) > 9)
		return -1;
	return (b >> 4) * 10 + (b & 0xf);
}

bool bcd_date_valid(const uint8_t date[PAYMENT_DATE_LEN])
{
	int month = bcd(date[1]);
	int day = bcd(date[2]);

	return bcd(date[0]) >= 0 && month >= 1 && month <= 12 && day >= 1 &&
	       day <= 31;
}
