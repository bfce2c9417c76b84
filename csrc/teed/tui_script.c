/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The scripted user of the Trusted UI, for tests (docs/tui.md).
 *
 * PYTEE_TUI_SCRIPT names a file of JSON lines, read afresh for every
 * screen.  Each line is a rule, an object with the members
 *
 *   "expect"    a string or a list of strings, each of which must occur in
 *               the screen's text (label, texts of the shown buttons,
 *               entry labels); none: any screen
 *   "ta"        the UUID of the only TA the rule answers
 *   "button"    "ok", "cancel", "validate", "previous" or "next": the
 *               button pressed
 *   "entries"   a list of strings: what is typed in the entry fields, in
 *               order (missing ones are left empty)
 *   "delay_ms"  how long the user thinks first (0 to 600000)
 *   "result"    "success" (default: a button is pressed) or
 *               "external_cancel" (an REE event takes the screen away)
 *   "comment"   anything
 *
 * The first rule that matches answers.  Blank lines and lines starting
 * with '#' are skipped; a line that is not such a rule is logged and
 * skipped.  The screen's texts never go to the log.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tee_client_api.h>

#include "teed.h"

#define SCRIPT_MAX (1024 * 1024)
#define EXPECT_MAX 8
#define DELAY_MAX_MS 600000

struct rule {
	char expect[EXPECT_MAX][WIRE_TUI_TEXT_MAX];
	size_t expect_len[EXPECT_MAX];
	unsigned int nexpect;
	bool has_ta;
	uint8_t ta[16];
	bool has_button;
	uint32_t button;
	struct tui_answer answer;
};

struct json {
	const char *p;
	const char *end;
};

static void skip_ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' ||
				 *j->p == '\n'))
		j->p++;
}

static bool take(struct json *j, char c)
{
	skip_ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return true;
	}
	return false;
}

static int hex4(const char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static bool put_utf8(uint32_t c, char *out, size_t cap, size_t *len)
{
	uint8_t b[4];
	size_t n = 0;

	if (c < 0x80) {
		b[n++] = (uint8_t)c;
	} else if (c < 0x800) {
		b[n++] = (uint8_t)(0xc0 | (c >> 6));
		b[n++] = (uint8_t)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		b[n++] = (uint8_t)(0xe0 | (c >> 12));
		b[n++] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
		b[n++] = (uint8_t)(0x80 | (c & 0x3f));
	} else {
		b[n++] = (uint8_t)(0xf0 | (c >> 18));
		b[n++] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
		b[n++] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
		b[n++] = (uint8_t)(0x80 | (c & 0x3f));
	}
	if (*len + n > cap)
		return false;
	memcpy(out + *len, b, n);
	*len += n;
	return true;
}

/* A JSON string, decoded into out (cap bytes, not NUL-terminated). */
static bool parse_string(struct json *j, char *out, size_t cap, size_t *len)
{
	*len = 0;
	if (!take(j, '"'))
		return false;
	while (j->p < j->end) {
		unsigned char c = (unsigned char)*j->p++;
		uint32_t cp = 0;
		int v = 0;

		if (c == '"')
			return true;
		if (c < 0x20)
			return false;
		if (c != '\\') {
			if (*len >= cap)
				return false;
			out[(*len)++] = (char)c;
			continue;
		}
		if (j->p >= j->end)
			return false;
		c = (unsigned char)*j->p++;
		switch (c) {
		case '"': case '\\': case '/':
			cp = c;
			break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			if (j->end - j->p < 4 || (v = hex4(j->p)) < 0)
				return false;
			j->p += 4;
			cp = (uint32_t)v;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return false;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				int lo = 0;

				if (j->end - j->p < 6 || j->p[0] != '\\' ||
				    j->p[1] != 'u' || (lo = hex4(j->p + 2)) < 0 ||
				    lo < 0xdc00 || lo > 0xdfff)
					return false;
				j->p += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				     ((uint32_t)lo - 0xdc00);
			}
			break;
		default:
			return false;
		}
		if (!put_utf8(cp, out, cap, len))
			return false;
	}
	return false;
}

static bool parse_int(struct json *j, int64_t *v)
{
	int64_t x = 0;
	bool any = false;

	skip_ws(j);
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
		x = x * 10 + (*j->p++ - '0');
		any = true;
		if (x > INT32_MAX)
			return false;
	}
	*v = x;
	return any;
}

/* A list of up to max strings of up to cap bytes each (or one string
 * when single is allowed). */
static bool parse_strings(struct json *j, char (*out)[WIRE_TUI_TEXT_MAX],
			  size_t cap, size_t *lens, unsigned int max,
			  unsigned int *count, bool single)
{
	char tmp[WIRE_TUI_TEXT_MAX];
	size_t len = 0;

	*count = 0;
	skip_ws(j);
	if (single && j->p < j->end && *j->p == '"') {
		if (!parse_string(j, tmp, cap, &len))
			return false;
		memcpy(out[0], tmp, len);
		lens[0] = len;
		*count = 1;
		return true;
	}
	if (!take(j, '['))
		return false;
	if (take(j, ']'))
		return true;
	do {
		if (*count >= max || !parse_string(j, tmp, cap, &len))
			return false;
		memcpy(out[*count], tmp, len);
		lens[(*count)++] = len;
	} while (take(j, ','));
	return take(j, ']');
}

static bool button_named(const char *name, size_t len, uint32_t *button)
{
	static const char *const names[WIRE_TUI_BUTTONS] = {
		"correction", "ok", "cancel", "validate", "previous", "next",
	};

	for (uint32_t i = 1; i < WIRE_TUI_BUTTONS; i++) {
		if (strlen(names[i]) == len && strncasecmp(names[i], name, len) == 0) {
			*button = i;
			return true;
		}
	}
	return false;
}

static bool key_is(const char *key, size_t len, const char *want)
{
	return strlen(want) == len && memcmp(key, want, len) == 0;
}

/* One member of a rule. */
static bool parse_member(struct json *j, struct rule *r, const char *key,
			 size_t klen)
{
	char text[WIRE_TUI_TEXT_MAX];
	char values[WIRE_TUI_MAX_ENTRIES][WIRE_TUI_TEXT_MAX];
	size_t lens[WIRE_TUI_MAX_ENTRIES] = { 0 };
	size_t len = 0;
	int64_t v = 0;
	unsigned int n = 0;

	if (key_is(key, klen, "expect"))
		return parse_strings(j, r->expect, WIRE_TUI_TEXT_MAX, r->expect_len,
				     EXPECT_MAX, &r->nexpect, true);
	if (key_is(key, klen, "comment"))
		return parse_string(j, text, sizeof(text), &len);
	if (key_is(key, klen, "delay_ms")) {
		if (!parse_int(j, &v) || v > DELAY_MAX_MS)
			return false;
		r->answer.delay_ms = (uint32_t)v;
		return true;
	}
	if (key_is(key, klen, "entries")) {
		if (!parse_strings(j, values, WIRE_TUI_VALUE_MAX, lens,
				   WIRE_TUI_MAX_ENTRIES, &n, false))
			return false;
		r->answer.nentries = n;
		for (unsigned int i = 0; i < n; i++) {
			memcpy(r->answer.value[i], values[i], lens[i]);
			r->answer.len[i] = (uint32_t)lens[i];
		}
		return true;
	}
	/* The others are strings. */
	if (!parse_string(j, text, sizeof(text) - 1, &len))
		return false;
	text[len] = '\0';
	if (key_is(key, klen, "ta")) {
		r->has_ta = true;
		return strlen(text) == len && uuid_from_str(text, r->ta) == 0;
	}
	if (key_is(key, klen, "button")) {
		r->has_button = true;
		return button_named(text, len, &r->button);
	}
	if (key_is(key, klen, "result")) {
		if (key_is(text, len, "success"))
			r->answer.result = TEEC_SUCCESS;
		else if (key_is(text, len, "external_cancel"))
			r->answer.result = TEEC_ERROR_EXTERNAL_CANCEL;
		else
			return false;
		return true;
	}
	return false;
}

/* A rule from one line. */
static bool parse_rule(const char *line, size_t n, struct rule *r)
{
	struct json j = { .p = line, .end = line + n };
	char key[32];
	size_t klen = 0;

	memset(r, 0, sizeof(*r));
	if (!take(&j, '{'))
		return false;
	if (!take(&j, '}')) {
		do {
			if (!parse_string(&j, key, sizeof(key), &klen) ||
			    !take(&j, ':') || !parse_member(&j, r, key, klen))
				return false;
		} while (take(&j, ','));
		if (!take(&j, '}'))
			return false;
	}
	skip_ws(&j);
	if (j.p != j.end)
		return false;
	/* A button is pressed unless the REE takes the screen away. */
	return r->answer.result != TEEC_SUCCESS || r->has_button;
}

/* The screen's text rules match against: label, shown buttons, entry labels. */
static char *screen_text(const struct wire_tui_screen *s, const uint8_t *t,
			 size_t *len)
{
	size_t cap = s->label_len + 3 * WIRE_TUI_MAX_ENTRIES +
		     WIRE_TUI_BUTTONS * (WIRE_TUI_TEXT_MAX + 1) +
		     WIRE_TUI_MAX_ENTRIES * (WIRE_TUI_TEXT_MAX + 1) + 2;
	char *out = malloc(cap);
	size_t at = s->label_len;
	size_t n = 0;

	if (!out)
		return NULL;
	memcpy(out, t, s->label_len);
	n = s->label_len;
	out[n++] = '\n';
	for (unsigned int i = 0; i < WIRE_TUI_BUTTONS; i++) {
		const char *def = wire_tui_button_text(i);

		if (s->buttons & (1u << i)) {
			if (s->custom & (1u << i)) {
				memcpy(out + n, t + at, s->button_len[i]);
				n += s->button_len[i];
			} else {
				memcpy(out + n, def, strlen(def));
				n += strlen(def);
			}
			out[n++] = '\n';
		}
		at += s->button_len[i];
	}
	for (unsigned int i = 0; i < s->nentries; i++) {
		memcpy(out + n, t + at, s->entries[i].label_len);
		n += s->entries[i].label_len;
		at += s->entries[i].label_len;
		out[n++] = '\n';
	}
	*len = n;
	return out;
}

static bool rule_matches(const struct rule *r, const uint8_t uuid[16],
			 const char *text, size_t len)
{
	if (r->has_ta && memcmp(r->ta, uuid, 16) != 0)
		return false;
	for (unsigned int i = 0; i < r->nexpect; i++) {
		if (r->expect_len[i] &&
		    !memmem(text, len, r->expect[i], r->expect_len[i]))
			return false;
	}
	return true;
}

/* The whole script, NUL-terminated, or NULL (logged). */
static char *read_script(const char *path, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(&st, 0, sizeof(st));
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    st.st_size > SCRIPT_MAX) {
		teed_log("TUI: script %s: %s", path,
			 fd < 0 || errno ? strerror(errno) : "not a file of at most 1 MiB");
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		goto out;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	*len = got;
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

int tui_script_answer(const char *path, const uint8_t uuid[16],
		      const struct wire_tui_screen *screen, const uint8_t *texts,
		      struct tui_answer *out)
{
	struct rule *r = calloc(1, sizeof(*r));
	size_t len = 0;
	size_t text_len = 0;
	char *script = NULL;
	char *text = NULL;
	unsigned int line_no = 0;
	int ret = -1;

	errno = 0;
	script = read_script(path, &len);
	text = screen_text(screen, texts, &text_len);
	if (!r || !script || !text)
		goto out;
	for (size_t at = 0; at < len && ret; ) {
		const char *line = script + at;
		const char *nl = memchr(line, '\n', len - at);
		size_t n = nl ? (size_t)(nl - line) : len - at;

		at += n + 1;
		line_no++;
		while (n && (*line == ' ' || *line == '\t')) {
			line++;
			n--;
		}
		if (n == 0 || *line == '#' || (n == 1 && *line == '\r'))
			continue;
		if (!parse_rule(line, n, r)) {
			teed_log("TUI: script %s line %u: not a rule, skipped", path,
				 line_no);
			continue;
		}
		if (!rule_matches(r, uuid, text, text_len))
			continue;
		*out = r->answer;
		out->button = r->button;
		out->line = line_no;
		ret = 0;
	}
	if (ret)
		teed_log("TUI: script %s: no rule for this screen", path);
out:
	free(r);
	free(script);
	free(text);
	return ret;
}
