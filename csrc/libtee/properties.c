// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 4.4 (Property Access Functions).
 *
 * Three property sets, named by the pseudo-handles TEE_PROPSET_*, and
 * enumerators over them.  Each set lists its properties in a fixed order,
 * which is the order of enumeration:
 *
 * - TEE_PROPSET_CURRENT_TA: the TA's table (rt_ta_props(): the gpd.ta.*
 *   properties the dev kit makes, then TA_CURRENT_TA_EXT_PROPERTIES), and
 *   gpd.ta.appID from the TA header if the table lacks it;
 * - TEE_PROPSET_CURRENT_CLIENT: gpd.client.identity (only while an entry
 *   point of a session runs), gpd.client.endian (0);
 * - TEE_PROPSET_TEE_IMPLEMENTATION: the names, types and order OP-TEE
 *   exposes (libutee's own list first: maxBigIntSize, internalCore.version;
 *   then core/tee/tee_svc.c's), with values that describe pytee.  OP-TEE's
 *   gpd.tee.sockets.* are left out: pytee has no sockets API.
 *
 * The string form
 * (TEE_GetPropertyAsString) of a boolean is "true" or "false", of an
 * integer its decimal digits, of a UUID the lowercase 8-4-4-4-12 text, of
 * an identity "<login in decimal>:<uuid>" (OP-TEE's "%u:%pUl"), of a
 * binary block its base64 text with padding.  The other getters accept
 * only a property of their own type, as OP-TEE's do (GP also allows
 * parsing a string property; a TA relying on that would not be portable),
 * except that a U32 property is a valid U64 and a U64 one a valid U32
 * when it fits.  Anything else is TEE_ERROR_BAD_FORMAT.
 *
 * Misuse panics with TEE_ERROR_BAD_PARAMETERS, as GP requires: a handle
 * that is neither a pseudo-handle nor a live enumerator, a NULL name with
 * a pseudo-handle, a NULL output, a NULL buffer with a non-zero length.
 * A TA property table entry with no name, no value, an unknown type or
 * (BINARY_BLOCK) text that is not base64 panics with TEE_ERROR_BAD_FORMAT:
 * the TA was built wrong (OP-TEE's libutee panics on the TEE_ERROR_GENERIC
 * it gets then).
 *
 * gpd.tee.deviceID is a random (version 4) UUID kept in <data dir>/device-id
 * as its text and a newline, made once, mode 0600, by writing a temporary
 * file and renaming it into place without replacing a file another
 * instance may have put there first.  A device-id file that cannot be
 * read or made panics the TA with TEE_ERROR_BAD_STATE, as a failing
 * device ID does on OP-TEE.
 *
 * Enumerators are TEE_Malloc blocks (so they count against the TA heap,
 * as on OP-TEE) kept on a list that validates handles.  Only the thread
 * running the TA calls these functions, so the list has no lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include <tee_internal_api.h>
#include <user_ta_header.h>
#include <util.h>

#include "api.h"
#include "libtee_internal.h"
#include "paths.h"

/*
 * pytee's version (pytee.__version__) for
 * gpd.tee.trustedos.implementation.version; the build may pass
 * -DPYTEE_VERSION='"x.y.z"' to keep the two in step.
 */
#ifndef PYTEE_VERSION
#define PYTEE_VERSION		"0.1.0"
#endif

/* Largest TEE_BigInt in bits: OP-TEE's default CFG_TA_BIGNUM_MAX_BITS. */
#define PROP_BIGINT_MAX_BITS	2048U

#define DEVICE_ID_FILE		"device-id"
#define UUID_TEXT_LEN		36U
/* "4294967295:" and a UUID, or a 64-bit decimal, with room to spare */
#define SMALL_FORM_LEN		64U

enum set_id {
	SET_TA,
	SET_CLIENT,
	SET_TEE,
};

/* One property with its value; str is the text of STRING and BINARY_BLOCK. */
struct prop {
	const char *name;
	enum user_ta_prop_type type;
	union {
		bool b;
		uint32_t u32;
		uint64_t u64;
		TEE_UUID uuid;
		TEE_Identity id;
		const char *str;
	} v;
};

struct prop_enum {
	bool started;
	enum set_id set;
	size_t index;
	struct prop_enum *next;
};

/* A property of TEE_PROPSET_TEE_IMPLEMENTATION. */
struct tee_prop {
	const char *name;
	enum user_ta_prop_type type;
	uint32_t u32;		/* BOOL and U32 */
	const char *str;	/* STRING */
};

static const struct tee_prop tee_props[] = {
	{ "gpd.tee.arith.maxBigIntSize", USER_TA_PROP_TYPE_U32,
	  PROP_BIGINT_MAX_BITS, NULL },
	{ "gpd.tee.internalCore.version", USER_TA_PROP_TYPE_U32,
	  TEE_CORE_API_VERSION, NULL },
	{ "gpd.tee.apiversion", USER_TA_PROP_TYPE_STRING, 0, "1.3.1" },
	{ "gpd.tee.description", USER_TA_PROP_TYPE_STRING, 0,
	  "pytee software TEE" },
	/* value from device_id() */
	{ "gpd.tee.deviceID", USER_TA_PROP_TYPE_UUID, 0, NULL },
	/* 100: the clock is the REE's (the host's) */
	{ "gpd.tee.systemTime.protectionLevel", USER_TA_PROP_TYPE_U32, 100,
	  NULL },
	{ "gpd.tee.TAPersistentTime.protectionLevel", USER_TA_PROP_TYPE_U32,
	  100, NULL },
	{ "gpd.tee.cryptography.ecc", USER_TA_PROP_TYPE_BOOL, 1, NULL },
	/* 0: storage lives in the REE's file system, as OP-TEE's REE FS */
	{ "gpd.tee.trustedStorage.antiRollback.protectionLevel",
	  USER_TA_PROP_TYPE_U32, 0, NULL },
	{ "gpd.tee.trustedos.implementation.version", USER_TA_PROP_TYPE_STRING,
	  0, PYTEE_VERSION },
	{ "gpd.tee.trustedos.implementation.binaryversion",
	  USER_TA_PROP_TYPE_U32, 0, NULL },
	{ "gpd.tee.trustedos.manufacturer", USER_TA_PROP_TYPE_STRING, 0,
	  "pytee" },
	/* there is no firmware: OP-TEE's "undefined" defaults */
	{ "gpd.tee.firmware.implementation.version", USER_TA_PROP_TYPE_STRING,
	  0, "FW_IMPL_UNDEF" },
	{ "gpd.tee.firmware.implementation.binaryversion",
	  USER_TA_PROP_TYPE_U32, 0, NULL },
	{ "gpd.tee.firmware.manufacturer", USER_TA_PROP_TYPE_STRING, 0,
	  "FW_MAN_UNDEF" },
};

static const char *const client_names[] = {
	"gpd.client.identity",
	"gpd.client.endian",
};

static const char app_id_name[] = "gpd.ta.appID";

static struct prop_enum *enums;

static bool device_id_known;
static TEE_UUID device_id_value;

static void __noreturn panic_with(TEE_Result code, const char *func,
				  const char *what)
{
	trace_printf(NULL, 0, TRACE_ERROR, true, "%s: %s", func, what);
	rt_panic(code);
}

/* GP: the TA misused the API. */
static void __noreturn misuse(const char *func, const char *what)
{
	panic_with(TEE_ERROR_BAD_PARAMETERS, func, what);
}

/* The TA's property table is broken (a build error of the TA). */
static void __noreturn bad_table(const char *func, const char *what)
{
	panic_with(TEE_ERROR_BAD_FORMAT, func, what);
}

/* ------------------------------------------------------------ UUIDs */

static void uuid_text(const TEE_UUID *u, char out[UUID_TEXT_LEN + 1])
{
	uint8_t o[16] = { 0 };

	uuid_to_octets(u, o);
	uuid_to_str(o, out);
}

/* Parses exactly len characters of canonical UUID text. */
static bool uuid_parse(const char *s, size_t len, TEE_UUID *u)
{
	char text[UUID_TEXT_LEN + 1] = { 0 };
	uint8_t o[16] = { 0 };

	if (len != UUID_TEXT_LEN)
		return false;
	memcpy(text, s, len);
	if (uuid_from_str(text, o))
		return false;
	uuid_from_octets(o, u);
	return true;
}

/* -------------------------------------------------------- device ID */

/* 1: *u read; 0: no file; -1: unreadable or not a UUID. */
static int device_id_read(const char *path, TEE_UUID *u)
{
	char text[UUID_TEXT_LEN + 2] = { 0 };
	size_t len = 0;
	ssize_t n = 0;
	int fd = -1;
	int ret = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		ret = errno == ENOENT ? 0 : -1;
		goto out;
	}
	while (len < sizeof(text)) {
		n = read(fd, text + len, sizeof(text) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (n < 0)
		goto out;
	if (len == UUID_TEXT_LEN + 1 && text[UUID_TEXT_LEN] == '\n')
		len--;
	if (uuid_parse(text, len, u))
		ret = 1;
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

static bool write_all(int fd, const char *buf, size_t len)
{
	ssize_t n = 0;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/*
 * Puts a new random UUID at path unless a file is already there; returns
 * false on failure.  Whoever wins a race, the caller reads path again.
 */
static bool device_id_create(const char *dir, const char *path)
{
	char tmp[PATHS_MAX] = { 0 };
	char text[UUID_TEXT_LEN + 2] = { 0 };
	uint8_t o[16] = { 0 };
	size_t got = 0;
	ssize_t n = 0;
	bool ok = false;
	bool tmp_made = false;
	int fd = -1;
	int dfd = -1;

	if (paths_join(tmp, sizeof(tmp), dir, ".device-id.XXXXXX"))
		goto out;
	while (got < sizeof(o)) {
		n = getrandom(o + got, sizeof(o) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		got += (size_t)n;
	}
	o[6] = (uint8_t)((o[6] & 0x0f) | 0x40);	/* version 4: random */
	o[8] = (uint8_t)((o[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	uuid_to_str(o, text);
	text[UUID_TEXT_LEN] = '\n';

	fd = mkostemp(tmp, O_CLOEXEC);		/* mode 0600 */
	if (fd < 0)
		goto out;
	tmp_made = true;
	if (!write_all(fd, text, UUID_TEXT_LEN + 1) || fsync(fd))
		goto out;
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE)) {
		if (errno == EEXIST) {
			ok = true;	/* another instance made it first */
			goto out;
		}
		/* file systems without RENAME_NOREPLACE */
		if ((errno != EINVAL && errno != ENOSYS) || rename(tmp, path))
			goto out;
	}
	tmp_made = false;		/* renamed: nothing to remove */
	ok = true;
	/* best effort: the name is in place whether or not this succeeds */
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
	return ok;
}

static void device_id(TEE_UUID *u)
{
	char dir[PATHS_MAX] = { 0 };
	char path[PATHS_MAX] = { 0 };
	int found = -1;

	if (device_id_known)
		goto out;
	if (paths_data_dir(dir, sizeof(dir)) ||
	    paths_join(path, sizeof(path), dir, DEVICE_ID_FILE))
		goto fail;
	found = device_id_read(path, &device_id_value);
	if (found == 0) {
		if (!device_id_create(dir, path))
			goto fail;
		found = device_id_read(path, &device_id_value);
	}
	if (found != 1)
		goto fail;
	device_id_known = true;
out:
	*u = device_id_value;
	return;
fail:
	panic_with(TEE_ERROR_BAD_STATE, "gpd.tee.deviceID",
		   "cannot read or make device-id in the data folder");
}

/* ------------------------------------------------------------ sets */

static bool pseudo_set(TEE_PropSetHandle h, enum set_id *set)
{
	bool ok = true;

	if (h == TEE_PROPSET_CURRENT_TA)
		*set = SET_TA;
	else if (h == TEE_PROPSET_CURRENT_CLIENT)
		*set = SET_CLIENT;
	else if (h == TEE_PROPSET_TEE_IMPLEMENTATION)
		*set = SET_TEE;
	else
		ok = false;
	return ok;
}

static const struct user_ta_property *ta_table(size_t *count)
{
	const struct user_ta_property *props = NULL;

	*count = 0;
	props = rt_ta_props(count);
	if (!props)
		*count = 0;
	return props;
}

/* Whether the TA table already has gpd.ta.appID. */
static bool ta_table_has_app_id(const struct user_ta_property *props,
				size_t count)
{
	size_t i = 0;

	for (i = 0; i < count; i++)
		if (props[i].name && !strcmp(props[i].name, app_id_name))
			return true;
	return false;
}

/* Name of property index of set, NULL past the end. */
static const char *entry_name(enum set_id set, size_t index)
{
	const struct user_ta_property *props = NULL;
	size_t count = 0;
	size_t first = 0;
	const char *name = NULL;

	switch (set) {
	case SET_TA:
		props = ta_table(&count);
		if (index < count) {
			name = props[index].name;
			if (!name)
				bad_table(__func__, "TA property without a name");
		} else if (index == count &&
			   !ta_table_has_app_id(props, count)) {
			name = app_id_name;
		}
		break;
	case SET_CLIENT:
		first = rt_client_identity() ? 0 : 1;
		if (index < ARRAY_SIZE(client_names) - first)
			name = client_names[first + index];
		break;
	case SET_TEE:
		if (index < ARRAY_SIZE(tee_props))
			name = tee_props[index].name;
		break;
	}
	return name;
}

static void ta_value(const struct user_ta_property *tp, struct prop *p)
{
	if (!tp->value)
		bad_table(__func__, "TA property without a value");
	p->type = tp->type;
	switch (tp->type) {
	case USER_TA_PROP_TYPE_BOOL:
		p->v.b = *(const bool *)tp->value;
		break;
	case USER_TA_PROP_TYPE_U32:
		p->v.u32 = *(const uint32_t *)tp->value;
		break;
	case USER_TA_PROP_TYPE_UUID:
		p->v.uuid = *(const TEE_UUID *)tp->value;
		break;
	case USER_TA_PROP_TYPE_IDENTITY:
		p->v.id = *(const TEE_Identity *)tp->value;
		break;
	case USER_TA_PROP_TYPE_STRING:
	case USER_TA_PROP_TYPE_BINARY_BLOCK:
		p->v.str = tp->value;
		break;
	case USER_TA_PROP_TYPE_U64:
		p->v.u64 = *(const uint64_t *)tp->value;
		break;
	default:
		bad_table(__func__, "TA property of unknown type");
	}
}

/* The property at index of set, which entry_name() says exists. */
static void entry_value(enum set_id set, size_t index, struct prop *p)
{
	const struct user_ta_property *props = NULL;
	const struct tee_prop *tp = NULL;
	const TEE_Identity *id = NULL;
	size_t count = 0;

	p->name = entry_name(set, index);
	switch (set) {
	case SET_TA:
		props = ta_table(&count);
		if (index < count) {
			ta_value(&props[index], p);
		} else {
			p->type = USER_TA_PROP_TYPE_UUID;
			p->v.uuid = rt_ta_head()->uuid;
		}
		break;
	case SET_CLIENT:
		id = rt_client_identity();
		if (id && index == 0) {
			p->type = USER_TA_PROP_TYPE_IDENTITY;
			p->v.id = *id;
		} else {
			p->type = USER_TA_PROP_TYPE_U32;	/* endian */
			p->v.u32 = 0;
		}
		break;
	case SET_TEE:
		tp = &tee_props[index];
		p->type = tp->type;
		if (tp->type == USER_TA_PROP_TYPE_UUID)
			device_id(&p->v.uuid);
		else if (tp->type == USER_TA_PROP_TYPE_STRING)
			p->v.str = tp->str;
		else if (tp->type == USER_TA_PROP_TYPE_BOOL)
			p->v.b = tp->u32 != 0;
		else
			p->v.u32 = tp->u32;
		break;
	}
}

/* ----------------------------------------------------- enumerators */

static struct prop_enum *enum_of(TEE_PropSetHandle h)
{
	struct prop_enum *e = enums;

	while (e && (TEE_PropSetHandle)e != h)
		e = e->next;
	return e;
}

static struct prop_enum *enum_or_panic(TEE_PropSetHandle h, const char *func)
{
	struct prop_enum *e = enum_of(h);

	if (!e)
		misuse(func, "not a property enumerator handle");
	return e;
}

/*
 * Finds the property that propsetOrEnumerator and name designate.
 * Returns TEE_ERROR_ITEM_NOT_FOUND when there is none; panics on misuse.
 */
static TEE_Result find_prop(TEE_PropSetHandle h, const char *name,
			    struct prop *p, const char *func)
{
	struct prop_enum *e = NULL;
	enum set_id set = SET_TA;
	const char *entry = NULL;
	size_t i = 0;
	TEE_Result res = TEE_ERROR_ITEM_NOT_FOUND;

	if (pseudo_set(h, &set)) {
		if (!name)
			misuse(func, "NULL property name");
		while ((entry = entry_name(set, i)) != NULL &&
		       strcmp(entry, name))
			i++;
	} else {
		e = enum_or_panic(h, func);
		set = e->set;
		i = e->index;
		if (e->started)
			entry = entry_name(set, i);
	}
	if (entry) {
		entry_value(set, i, p);
		res = TEE_SUCCESS;
	}
	return res;
}

/* --------------------------------------------------------- base64 */

static int b64_digit(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Characters of s before its padding, or false if s is not padded right. */
static bool b64_data_len(const char *s, size_t len, size_t *data)
{
	size_t n = len;

	while (n > 0 && len - n < 2 && s[n - 1] == '=')
		n--;
	if (n < len && len % 4 != 0)
		return false;	/* padding, when present, completes a quantum */
	if (n % 4 == 1)
		return false;	/* a lone character carries no whole byte */
	*data = n;
	return true;
}

/*
 * Decodes standard base64 (RFC 4648, section 4: padding optional, no
 * white space, unused bits zero).  Stores up to cap bytes at out and the
 * full decoded length at *outlen; false if s is not such base64.
 */
static bool b64_decode(const char *s, uint8_t *out, size_t cap,
		       size_t *outlen)
{
	size_t data = 0;
	size_t n = 0;
	size_t i = 0;
	uint32_t acc = 0;
	unsigned int bits = 0;
	int d = 0;

	if (!b64_data_len(s, strlen(s), &data))
		return false;
	for (i = 0; i < data; i++) {
		d = b64_digit(s[i]);
		if (d < 0)
			return false;
		acc = ((acc << 6) | (uint32_t)d) & 0xfff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n < cap)
				out[n] = (uint8_t)(acc >> bits);
			n++;
		}
	}
	if (acc & ((1U << bits) - 1))
		return false;
	*outlen = n;
	return true;
}

/* --------------------------------------------------------- parsing */

static TEE_Result want_u64(const struct prop *p, uint64_t *out)
{
	TEE_Result res = TEE_SUCCESS;

	if (p->type == USER_TA_PROP_TYPE_U32)
		*out = p->v.u32;
	else if (p->type == USER_TA_PROP_TYPE_U64)
		*out = p->v.u64;
	else
		res = TEE_ERROR_BAD_FORMAT;
	return res;
}

/* A BINARY_BLOCK's text must be base64: the TA was built wrong if not. */
static void check_binary(const struct prop *p, const char *func)
{
	size_t n = 0;

	if (p->type == USER_TA_PROP_TYPE_BINARY_BLOCK &&
	    !b64_decode(p->v.str, NULL, 0, &n))
		bad_table(func, "binary block property is not base64");
}

/* --------------------------------------------------------- getters */

static void check_outbuf(const void *buf, const size_t *len, const char *func)
{
	if (!len || (!buf && *len))
		misuse(func, "bad output buffer");
}

/*
 * The string form of p: text[0..len) followed by pad '=' characters;
 * small holds the text of the fixed-size types.
 */
static void string_form(const struct prop *p, char small[SMALL_FORM_LEN],
			const char **text, size_t *len, size_t *pad)
{
	char uuid[UUID_TEXT_LEN + 1] = { 0 };
	size_t data = 0;
	int n = 0;

	*text = small;
	*pad = 0;
	switch (p->type) {
	case USER_TA_PROP_TYPE_BOOL:
		n = snprintf(small, SMALL_FORM_LEN, "%s",
			     p->v.b ? "true" : "false");
		break;
	case USER_TA_PROP_TYPE_U32:
		n = snprintf(small, SMALL_FORM_LEN, "%" PRIu32, p->v.u32);
		break;
	case USER_TA_PROP_TYPE_U64:
		n = snprintf(small, SMALL_FORM_LEN, "%" PRIu64, p->v.u64);
		break;
	case USER_TA_PROP_TYPE_UUID:
		uuid_text(&p->v.uuid, uuid);
		n = snprintf(small, SMALL_FORM_LEN, "%s", uuid);
		break;
	case USER_TA_PROP_TYPE_IDENTITY:
		uuid_text(&p->v.id.uuid, uuid);
		n = snprintf(small, SMALL_FORM_LEN, "%" PRIu32 ":%s",
			     p->v.id.login, uuid);
		break;
	case USER_TA_PROP_TYPE_BINARY_BLOCK:
		/* checked by check_binary(): valid, so canonical but padding */
		*text = p->v.str;
		b64_data_len(p->v.str, strlen(p->v.str), &data);
		*len = data;
		*pad = ROUNDUP(data, (size_t)4) - data;
		return;
	default:	/* USER_TA_PROP_TYPE_STRING */
		*text = p->v.str;
		*len = strlen(p->v.str);
		return;
	}
	*len = n > 0 ? (size_t)n : 0;
}

TEE_API TEE_Result TEE_GetPropertyAsString(TEE_PropSetHandle propsetOrEnumerator,
					   const char *name, char *valueBuffer,
					   size_t *valueBufferLen)
{
	struct prop p = { 0 };
	char small[SMALL_FORM_LEN] = { 0 };
	const char *text = NULL;
	size_t len = 0;
	size_t pad = 0;
	size_t need = 0;
	TEE_Result res = TEE_SUCCESS;

	check_outbuf(valueBuffer, valueBufferLen, __func__);
	res = find_prop(propsetOrEnumerator, name, &p, __func__);
	if (res != TEE_SUCCESS)
		goto out;
	check_binary(&p, __func__);
	string_form(&p, small, &text, &len, &pad);
	need = len + pad + 1;	/* cannot overflow: all of it is in memory */
	if (*valueBufferLen < need) {
		res = TEE_ERROR_SHORT_BUFFER;
	} else {
		memcpy(valueBuffer, text, len);
		memset(valueBuffer + len, '=', pad);
		valueBuffer[len + pad] = '\0';
	}
	*valueBufferLen = need;
out:
	return res;
}

TEE_API TEE_Result TEE_GetPropertyAsBool(TEE_PropSetHandle propsetOrEnumerator,
					 const char *name, bool *value)
{
	struct prop p = { 0 };
	TEE_Result res = TEE_SUCCESS;

	if (!value)
		misuse(__func__, "NULL value");
	res = find_prop(propsetOrEnumerator, name, &p, __func__);
	if (res != TEE_SUCCESS)
		goto out;
	if (p.type == USER_TA_PROP_TYPE_BOOL)
		*value = p.v.b;
	else
		res = TEE_ERROR_BAD_FORMAT;
out:
	return res;
}

TEE_API TEE_Result TEE_GetPropertyAsU32(TEE_PropSetHandle propsetOrEnumerator,
					const char *name, uint32_t *value)
{
	struct prop p = { 0 };
	uint64_t v = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!value)
		misuse(__func__, "NULL value");
	res = find_prop(propsetOrEnumerator, name, &p, __func__);
	if (res != TEE_SUCCESS)
		goto out;
	res = want_u64(&p, &v);
	if (res != TEE_SUCCESS)
		goto out;
	if (v > UINT32_MAX)
		res = TEE_ERROR_BAD_FORMAT;
	else
		*value = (uint32_t)v;
out:
	return res;
}

TEE_API TEE_Result TEE_GetPropertyAsU64(TEE_PropSetHandle propsetOrEnumerator,
					const char *name, uint64_t *value)
{
	struct prop p = { 0 };
	uint64_t v = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!value)
		misuse(__func__, "NULL value");
	res = find_prop(propsetOrEnumerator, name, &p, __func__);
	if (res != TEE_SUCCESS)
		goto out;
	res = want_u64(&p, &v);
	if (res == TEE_SUCCESS)
		*value = v;
out:
	return res;
}

TEE_API TEE_Result
TEE_GetPropertyAsBinaryBlock(TEE_PropSetHandle propsetOrEnumerator,
			     const char *name, void *valueBuffer,
			     size_t *valueBufferLen)
{
	struct prop p = { 0 };
	size_t need = 0;
	TEE_Result res = TEE_SUCCESS;

	check_outbuf(valueBuffer, valueBufferLen, __func__);
	res = find_prop(propsetOrEnumerator, name, &p, __func__);
	if (res != TEE_SUCCESS)
		goto out;
	check_binary(&p, __func__);
	if (p.type != USER_TA_PROP_TYPE_BINARY_BLOCK ||
	    !b64_decode(p.v.str, NULL, 0, &need)) {
		res = TEE_ERROR_BAD_FORMAT;
		goto out;
	}
	if (*valueBufferLen < need)
		res = TEE_ERROR_SHORT_BUFFER;
	else
		b64_decode(p.v.str, valueBuffer, need, &need);
	*valueBufferLen = need;
out:
	return res;
}

TEE_API TEE_Result TEE_GetPropertyAsUUID(TEE_PropSetHandle propsetOrEnumerator,
					 const char *name, TEE_UUID *value)
{
	struct prop p = { 0 };
	TEE_Result res = TEE_SUCCESS;

	if (!value)
		misuse(__func__, "NULL value");
	res = find_prop(propsetOrEnumerator, name, &p, __func__);
	if (res != TEE_SUCCESS)
		goto out;
	if (p.type == USER_TA_PROP_TYPE_UUID)
		*value = p.v.uuid;
	else
		res = TEE_ERROR_BAD_FORMAT;
out:
	return res;
}

TEE_API TEE_Result
TEE_GetPropertyAsIdentity(TEE_PropSetHandle propsetOrEnumerator,
			  const char *name, TEE_Identity *value)
{
	struct prop p = { 0 };
	TEE_Result res = TEE_SUCCESS;

	if (!value)
		misuse(__func__, "NULL value");
	res = find_prop(propsetOrEnumerator, name, &p, __func__);
	if (res != TEE_SUCCESS)
		goto out;
	if (p.type == USER_TA_PROP_TYPE_IDENTITY)
		*value = p.v.id;
	else
		res = TEE_ERROR_BAD_FORMAT;
out:
	return res;
}

/* ------------------------------------------------- enumerator API */

TEE_API TEE_Result TEE_AllocatePropertyEnumerator(TEE_PropSetHandle *enumerator)
{
	struct prop_enum *e = NULL;
	TEE_Result res = TEE_SUCCESS;

	if (!enumerator)
		misuse(__func__, "NULL enumerator");
	e = TEE_Malloc(sizeof(*e), TEE_MALLOC_FILL_ZERO);
	if (!e) {
		*enumerator = TEE_HANDLE_NULL;
		res = TEE_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	e->started = false;
	e->next = enums;
	enums = e;
	*enumerator = (TEE_PropSetHandle)e;
out:
	return res;
}

/* TEE_HANDLE_NULL is ignored, as OP-TEE's TEE_Free(NULL) ignores it. */
TEE_API void TEE_FreePropertyEnumerator(TEE_PropSetHandle enumerator)
{
	struct prop_enum **link = &enums;
	struct prop_enum *e = NULL;

	if (enumerator == TEE_HANDLE_NULL)
		return;
	e = enum_or_panic(enumerator, __func__);
	while (*link != e)
		link = &(*link)->next;
	*link = e->next;
	TEE_Free(e);
}

TEE_API void TEE_StartPropertyEnumerator(TEE_PropSetHandle enumerator,
					 TEE_PropSetHandle propSet)
{
	struct prop_enum *e = enum_or_panic(enumerator, __func__);
	enum set_id set = SET_TA;

	if (!pseudo_set(propSet, &set))
		misuse(__func__, "not a property set pseudo-handle");
	e->set = set;
	e->index = 0;
	e->started = true;
}

TEE_API void TEE_ResetPropertyEnumerator(TEE_PropSetHandle enumerator)
{
	struct prop_enum *e = enum_or_panic(enumerator, __func__);

	e->started = false;
	e->index = 0;
}

TEE_API TEE_Result TEE_GetPropertyName(TEE_PropSetHandle enumerator,
				       void *nameBuffer, size_t *nameBufferLen)
{
	struct prop_enum *e = enum_or_panic(enumerator, __func__);
	const char *name = NULL;
	size_t need = 0;
	TEE_Result res = TEE_SUCCESS;

	check_outbuf(nameBuffer, nameBufferLen, __func__);
	if (e->started)
		name = entry_name(e->set, e->index);
	if (!name) {
		res = TEE_ERROR_ITEM_NOT_FOUND;
		goto out;
	}
	need = strlen(name) + 1;
	if (*nameBufferLen < need)
		res = TEE_ERROR_SHORT_BUFFER;
	else
		memcpy(nameBuffer, name, need);
	*nameBufferLen = need;
out:
	return res;
}

TEE_API TEE_Result TEE_GetNextProperty(TEE_PropSetHandle enumerator)
{
	struct prop_enum *e = enum_or_panic(enumerator, __func__);
	TEE_Result res = TEE_SUCCESS;

	if (!e->started || !entry_name(e->set, e->index)) {
		res = TEE_ERROR_ITEM_NOT_FOUND;
		goto out;
	}
	e->index++;
	if (!entry_name(e->set, e->index))
		res = TEE_ERROR_ITEM_NOT_FOUND;
out:
	return res;
}
