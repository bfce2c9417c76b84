// SPDX-License-Identifier: BSD-2-Clause
/*
 * OP-TEE's extensions to the GP TEE Internal Core API
 * (<tee_internal_api_extensions.h>), as OP-TEE's TAs see them.
 *
 * Facts from OP-TEE followed here:
 * - TEE_CacheClean/Flush/Invalidate (lib/libutee/tee_api.c, the syscall in
 *   core/arch/arm/tee/svc_cache.c): TEE_ERROR_NOT_SUPPORTED unless the TA
 *   has TA_FLAG_CACHE_MAINTENANCE; TEE_ERROR_ACCESS_DENIED for a range that
 *   touches TA private memory (the TA may maintain memref parameters and
 *   other shareable mappings only; OP-TEE enforces this since its PR 7747,
 *   "vm_buf_intersects_um_private(): fix flag check"), for a range that is
 *   not readable (TEE_MEMORY_ACCESS_READ | ANY_OWNER), and for NULL (no
 *   physical address); else TEE_SUCCESS.  An empty range touches nothing,
 *   so it only needs its address mapped.  There are no caches to maintain
 *   here: a range that passes the checks is left as it is.
 * - tee_map_zi (lib/libutee/tee_system_pta.c, core/pta/system.c): NULL
 *   for a len that does not fit in 32 bits and for flags other than 0 and
 *   TEE_MEMORY_ACCESS_ANY_OWNER (a shareable, so non-private, mapping);
 *   else whole zeroed read-write pages.
 * - tee_unmap (the same files and core/mm/vm.c): len is rounded up to
 *   whole pages; TEE_ERROR_BAD_PARAMETERS for an address that is not page
 *   aligned, an empty or wrapping range, or a range not wholly mapped by
 *   mappings of one kind (so a second unmap of a range fails); part of a
 *   mapping may be unmapped.  A failure is logged, as libutee logs it.
 * - tee_uuid_from_str (lib/libutee/tee_uuid_from_str.c): exactly 36
 *   characters before the NUL, '-' at 8, 13, 18 and 23, hexadecimal digits
 *   of either case elsewhere; else TEE_ERROR_BAD_FORMAT (NULL too), and
 *   *uuid is written on success only.
 * - tee_invoke_supp_plugin (lib/libutee/tee_system_pta.c, optee_client's
 *   tee-supplicant/src/plugin.c): TEE_ERROR_BAD_PARAMETERS for a NULL uuid
 *   or a buf and len of which one is empty and the other not; otherwise
 *   the request reaches tee-supplicant, which answers
 *   TEE_ERROR_ITEM_NOT_FOUND for a plugin it has not loaded, with an
 *   output length of 0.  The software TEE has no plugins, so that is the
 *   answer to every well-formed request.
 * - tee_user_mem_mark_heap/check_heap (lib/libutee/tee_user_mem.c of
 *   older OP-TEE, built without CFG_TEE_CORE_USER_MEM_DEBUG): mark does
 *   nothing and check returns 0.  Current OP-TEE declares them but no
 *   longer defines them.
 *
 * Differences, on purpose:
 * - a range for the cache functions must lie in one piece of memory the
 *   TA shares (a memref of the running command, shared memory mapped for
 *   the session, or one shareable tee_map_zi mapping), to the byte; OP-TEE
 *   maps memrefs in whole pages and lets a range span adjacent pieces;
 * - tee_map_zi(0, ...) returns NULL (OP-TEE's answer depends on its
 *   memory configuration);
 * - tee_unmap only unmaps what tee_map_zi mapped (OP-TEE lets a TA unmap
 *   any non-permanent region of its own, its code and heap included),
 *   and answers TEE_ERROR_BAD_PARAMETERS for a len that does not fit in
 *   32 bits (OP-TEE truncates it);
 * - tee_uuid_from_str panics (TEE_ERROR_BAD_PARAMETERS) when uuid is NULL
 *   and s is well formed, where OP-TEE's TA faults.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <tee_api_defines_extensions.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>
#include <util.h>

#include "api.h"
#include "libtee_internal.h"

/* ---- tee_map_zi / tee_unmap ---- */

/* A live range of pages mapped by tee_map_zi (after any partial unmap). */
struct zi_map {
	uintptr_t start;
	size_t size;		/* whole pages */
	bool shareable;		/* TEE_MEMORY_ACCESS_ANY_OWNER */
	struct zi_map *next;
};

static pthread_mutex_t zi_lock = PTHREAD_MUTEX_INITIALIZER;
static struct zi_map *zi_maps;

static size_t page_size(void)
{
	long sz = sysconf(_SC_PAGESIZE);

	return sz > 0 ? (size_t)sz : 4096;
}

/* The mapping holding address a, or NULL; zi_lock held. */
static struct zi_map *zi_find(uintptr_t a)
{
	for (struct zi_map *m = zi_maps; m; m = m->next) {
		if (a >= m->start && a - m->start < m->size)
			return m;
	}
	return NULL;
}

/*
 * Whether [start, end) is wholly mapped by tee_map_zi mappings whose
 * shareable flag is the same (OP-TEE's vm_get_flags()); *shareable gets
 * that flag.  zi_lock held.
 */
static bool zi_covered(uintptr_t start, uintptr_t end, bool *shareable)
{
	uintptr_t at = start;
	struct zi_map *first = zi_find(start);

	if (!first)
		return false;
	while (at < end) {
		struct zi_map *m = zi_find(at);

		if (!m || m->shareable != first->shareable)
			return false;
		at = m->start + m->size;
	}
	*shareable = first->shareable;
	return true;
}

/*
 * Takes [start, end) out of the bookkeeping, splitting a mapping that
 * holds it strictly inside.  The one allocation a split needs is made
 * first (*spare), so that nothing has changed when it fails.
 */
static void zi_forget(uintptr_t start, uintptr_t end, struct zi_map *spare)
{
	struct zi_map **link = &zi_maps;

	while (*link) {
		struct zi_map *m = *link;
		uintptr_t m_end = m->start + m->size;

		if (m_end <= start || m->start >= end) {
			link = &m->next;
			continue;
		}
		if (m->start < start && m_end > end) {
			/* m keeps [m->start, start), spare [end, m_end) */
			spare->start = end;
			spare->size = m_end - end;
			spare->shareable = m->shareable;
			spare->next = m->next;
			m->size = start - m->start;
			m->next = spare;
			spare = NULL;
			link = &m->next;
		} else if (m->start < start) {
			m->size = start - m->start;
			link = &m->next;
		} else if (m_end > end) {
			m->size = m_end - end;
			m->start = end;
			link = &m->next;
		} else {
			*link = m->next;
			free(m);
		}
	}
	free(spare);
}

TEE_API void *tee_map_zi(size_t len, uint32_t flags)
{
	struct zi_map *m = NULL;
	size_t size = 0;
	void *p = MAP_FAILED;
	void *ret = NULL;

	/* libutee passes len in a 32-bit value and only these two flags */
	if (len > UINT32_MAX || !len ||
	    (flags != 0 && flags != TEE_MEMORY_ACCESS_ANY_OWNER))
		goto out;
	if (ROUNDUP_OVERFLOW(len, page_size(), &size))
		goto out;
	m = calloc(1, sizeof(*m));
	if (!m)
		goto out;
	/* anonymous memory is zero-filled */
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		goto out;
	m->start = (uintptr_t)p;
	m->size = size;
	m->shareable = flags == TEE_MEMORY_ACCESS_ANY_OWNER;
	pthread_mutex_lock(&zi_lock);
	m->next = zi_maps;
	zi_maps = m;
	pthread_mutex_unlock(&zi_lock);
	m = NULL;
	ret = p;
out:
	free(m);
	return ret;
}

TEE_API TEE_Result tee_unmap(void *buf, size_t len)
{
	uintptr_t start = (uintptr_t)buf;
	uintptr_t end = 0;
	size_t size = 0;
	bool shareable = false;
	struct zi_map *spare = NULL;
	TEE_Result res = TEE_ERROR_BAD_PARAMETERS;

	if (len > UINT32_MAX || ROUNDUP_OVERFLOW(len, page_size(), &size) ||
	    !size || start % page_size() || ADD_OVERFLOW(start, size, &end))
		goto out;
	spare = malloc(sizeof(*spare));
	if (!spare) {
		res = TEE_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	pthread_mutex_lock(&zi_lock);
	if (zi_covered(start, end, &shareable) && !munmap(buf, size)) {
		zi_forget(start, end, spare);
		spare = NULL;
		res = TEE_SUCCESS;
	}
	pthread_mutex_unlock(&zi_lock);
out:
	free(spare);
	if (res != TEE_SUCCESS)
		EMSG("Invoke PTA_SYSTEM_UNMAP: buf %p, len %#zx", buf, len);
	return res;
}

/* ---- cache maintenance ---- */

/* Whether [p, p + len) lies inside one shareable tee_map_zi mapping. */
static bool in_shareable_zi(const void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p;
	const struct zi_map *m = NULL;
	bool ret = false;

	pthread_mutex_lock(&zi_lock);
	m = zi_find(a);
	ret = m && m->shareable && len <= m->size - (a - m->start);
	pthread_mutex_unlock(&zi_lock);
	return ret;
}

static TEE_Result cache_operation(char *buf, size_t len)
{
	const struct pytee_ta_head *head = rt_ta_head();
	const uint32_t read_any = TEE_MEMORY_ACCESS_READ |
				  TEE_MEMORY_ACCESS_ANY_OWNER;
	uintptr_t end = 0;

	if (!head || !(head->flags & TA_FLAG_CACHE_MAINTENANCE))
		return TEE_ERROR_NOT_SUPPORTED;
	if (!buf)
		return TEE_ERROR_ACCESS_DENIED;
	if (!len) {
		/* nothing is touched: the address must be mapped, no more */
		if (TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_ANY_OWNER,
						buf, 1) != TEE_SUCCESS)
			return TEE_ERROR_ACCESS_DENIED;
		return TEE_SUCCESS;
	}
	if (ADD_OVERFLOW((uintptr_t)buf, len, &end))
		return TEE_ERROR_ACCESS_DENIED;
	/* not TA private memory: a memref, session memory, a shared zi map */
	if (!rt_client_memory(buf, len, true) && !in_shareable_zi(buf, len))
		return TEE_ERROR_ACCESS_DENIED;
	if (TEE_CheckMemoryAccessRights(read_any, buf, len) != TEE_SUCCESS)
		return TEE_ERROR_ACCESS_DENIED;
	/* no cache to maintain on the host */
	return TEE_SUCCESS;
}

TEE_API TEE_Result TEE_CacheClean(char *buf, size_t len)
{
	return cache_operation(buf, len);
}

TEE_API TEE_Result TEE_CacheFlush(char *buf, size_t len)
{
	return cache_operation(buf, len);
}

TEE_API TEE_Result TEE_CacheInvalidate(char *buf, size_t len)
{
	return cache_operation(buf, len);
}

/* ---- tee_uuid_from_str ---- */

/*
 * The value of n hexadecimal digits at s; false if one is not a digit.
 * ASCII only, whatever the locale (a Python TA host sets one).
 */
static bool parse_hex(const char *s, size_t n, uint32_t *out)
{
	uint32_t v = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		uint32_t digit = 0;

		if (c >= '0' && c <= '9')
			digit = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			digit = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			digit = (uint32_t)(c - 'A' + 10);
		else
			return false;
		v = v << 4 | digit;
	}
	*out = v;
	return true;
}

TEE_API TEE_Result tee_uuid_from_str(TEE_UUID *uuid, const char *s)
{
	/* offsets of the 16 octets after the first three fields */
	static const uint8_t node_at[8] = { 19, 21, 24, 26, 28, 30, 32, 34 };
	TEE_UUID u = { 0 };
	uint32_t v = 0;

	if (!s || strnlen(s, 37) != 36 || s[8] != '-' || s[13] != '-' ||
	    s[18] != '-' || s[23] != '-')
		return TEE_ERROR_BAD_FORMAT;
	if (!parse_hex(s, 8, &u.timeLow))
		return TEE_ERROR_BAD_FORMAT;
	if (!parse_hex(s + 9, 4, &v))
		return TEE_ERROR_BAD_FORMAT;
	u.timeMid = (uint16_t)v;
	if (!parse_hex(s + 14, 4, &v))
		return TEE_ERROR_BAD_FORMAT;
	u.timeHiAndVersion = (uint16_t)v;
	for (size_t i = 0; i < 8; i++) {
		if (!parse_hex(s + node_at[i], 2, &v))
			return TEE_ERROR_BAD_FORMAT;
		u.clockSeqAndNode[i] = (uint8_t)v;
	}
	if (!uuid) {
		EMSG("tee_uuid_from_str: uuid is NULL");
		rt_panic(TEE_ERROR_BAD_PARAMETERS);
	}
	*uuid = u;
	return TEE_SUCCESS;
}

/* ---- tee_invoke_supp_plugin ---- */

TEE_API TEE_Result tee_invoke_supp_plugin(const TEE_UUID *uuid,
					  uint32_t cmd __unused,
					  uint32_t sub_cmd __unused,
					  void *buf, size_t len,
					  size_t *outlen)
{
	TEE_Result res = TEE_ERROR_ITEM_NOT_FOUND; /* no plugin is loaded */

	if (!uuid || (len && !buf) || (!len && buf))
		return TEE_ERROR_BAD_PARAMETERS;
	EMSG("Invoke tee-supplicant's plugin failed: %#" PRIx32, res);
	if (outlen)
		*outlen = 0;
	return res;
}

/* ---- heap debugging hooks ---- */

TEE_API void tee_user_mem_mark_heap(void)
{
}

TEE_API size_t tee_user_mem_check_heap(void)
{
	return 0;
}
