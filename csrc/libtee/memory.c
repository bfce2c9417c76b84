// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 4.11 (Memory Management Functions).
 *
 * The TA heap.  On OP-TEE, TEE_Malloc and the TA's malloc share a static
 * heap of TA_DATA_SIZE bytes; here each TEE_Malloc block comes from the
 * host's malloc behind a 16-byte header, and the runtime's limit
 * (mem_set_heap_limit, TA_DATA_SIZE) caps the sum of header plus payload
 * (rounded up to 16 bytes) of every live block, so a TA that runs out of
 * heap on OP-TEE runs out here at about the same point.  The TA's own
 * malloc/calloc/realloc/free are not counted.
 *
 * Facts from OP-TEE (lib/libutee/tee_api.c, v1.3.1 API) followed here:
 * - hints: TEE_MALLOC_FILL_ZERO zero-fills; TEE_MALLOC_NO_FILL alone panics
 *   (with code 0); TEE_MALLOC_NO_SHARE and NO_SHARE|NO_FILL allocate from
 *   the no-share heap; OP-TEE's older TEE_USER_MEM_HINT_NO_FILL_ZERO
 *   (0x80000000) does not fill; any other hint logs "Invalid hint" and
 *   returns NULL;
 * - a zero-sized request returns a fixed non-NULL pointer that must not be
 *   dereferenced (OP-TEE's TEE_NULL_SIZED_VA is (void *)1, the no-share one
 *   (void *)2); TEE_Free ignores it, TEE_Realloc of it allocates afresh
 *   zero-filled, TEE_Realloc(p, 0) frees p and returns it;
 * - TEE_MemCompare compares in constant time (consttime_memcmp);
 * - TEE_CheckMemoryAccessRights returns TEE_SUCCESS for a zero size.
 *
 * Differences, on purpose or for now:
 * - NO_SHARE blocks share the TA_DATA_SIZE heap: struct pytee_ta_head has
 *   no TA_NO_SHARE_DATA_SIZE, whose default 0 makes OP-TEE return NULL for
 *   every non-empty NO_SHARE request;
 * - TEE_Realloc zero-fills the bytes it adds (OP-TEE leaves them as the
 *   allocator finds them; GP leaves them undefined);
 * - freeing a pointer that is not a live TEE_Malloc block panics with
 *   TEE_ERROR_GENERIC when its header is recognisably wrong (OP-TEE's
 *   allocator asserts, which also panics);
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tee_api_defines_extensions.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>
#include <util.h>

#include "api.h"
#include "libtee_internal.h"

#define MEM_ALIGN	16U
#define MEM_MAGIC	UINT64_C(0x7079746565686561)	/* "pyteehea" */
#define MEM_DEAD	UINT64_C(0x6465616462656566)	/* "deadbeef" */

/* Returned for zero-sized requests, as OP-TEE's TEE_NULL_SIZED_VA. */
#define MEM_EMPTY	((void *)1)

struct block_hdr {
	uint64_t magic;
	uint64_t size;		/* bytes the TA asked for */
};

_Static_assert(sizeof(struct block_hdr) == MEM_ALIGN,
	       "the header keeps the payload 16-byte aligned");
_Static_assert(_Alignof(max_align_t) <= MEM_ALIGN,
	       "host malloc alignment fits the header");

static pthread_mutex_t mem_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t heap_limit = SIZE_MAX;	/* no limit until the runtime sets one */
static size_t heap_used;

void mem_set_heap_limit(size_t bytes)
{
	pthread_mutex_lock(&mem_lock);
	heap_limit = bytes;
	pthread_mutex_unlock(&mem_lock);
}

/* Heap bytes a block of size bytes takes; false if that overflows. */
static bool block_cost(size_t size, size_t *cost)
{
	size_t rounded = 0;

	if (ROUNDUP_OVERFLOW(size, (size_t)MEM_ALIGN, &rounded))
		return false;
	return !ADD_OVERFLOW(rounded, sizeof(struct block_hdr), cost);
}

/* block_cost() of the size of a live block, which it accepted then. */
static size_t live_cost(const struct block_hdr *hdr)
{
	return ROUNDUP((size_t)hdr->size, (size_t)MEM_ALIGN) +
	       sizeof(struct block_hdr);
}

/*
 * Replaces a charge of release bytes by one of take bytes if the heap
 * stays within its limit; returns whether it did.
 */
static bool heap_recharge(size_t release, size_t take)
{
	bool ok = false;
	size_t used = 0;

	pthread_mutex_lock(&mem_lock);
	used = heap_used - release;
	if (take <= heap_limit && used <= heap_limit - take) {
		heap_used = used + take;
		ok = true;
	}
	pthread_mutex_unlock(&mem_lock);
	return ok;
}

/* Replaces a charge of release bytes by one of take bytes, limit or not. */
static void heap_swap(size_t release, size_t take)
{
	pthread_mutex_lock(&mem_lock);
	heap_used = heap_used - release + take;
	pthread_mutex_unlock(&mem_lock);
}

/* The header of a live block, or a panic for anything else. */
static struct block_hdr *block_of(void *buffer, const char *func)
{
	struct block_hdr *hdr = (struct block_hdr *)buffer - 1;

	if ((uintptr_t)buffer % MEM_ALIGN != 0 || hdr->magic != MEM_MAGIC) {
		trace_printf(NULL, 0, TRACE_ERROR, true,
			     "%s: %p is not a live TEE_Malloc block", func,
			     buffer);
		rt_panic(TEE_ERROR_GENERIC);
	}
	return hdr;
}

static void *block_alloc(size_t size, bool zero)
{
	struct block_hdr *hdr = NULL;
	size_t cost = 0;
	void *ret = NULL;

	if (!size) {
		ret = MEM_EMPTY;
		goto out;
	}
	if (!block_cost(size, &cost) || !heap_recharge(0, cost))
		goto out;
	hdr = zero ? calloc(1, cost) : malloc(cost);
	if (!hdr) {
		heap_swap(cost, 0);
		goto out;
	}
	hdr->magic = MEM_MAGIC;
	hdr->size = size;
	ret = hdr + 1;
out:
	return ret;
}

TEE_API void *TEE_Malloc(size_t size, uint32_t hint)
{
	void *ret = NULL;

	switch (hint) {
	case TEE_MALLOC_FILL_ZERO:
	case TEE_MALLOC_NO_SHARE:
		ret = block_alloc(size, true);
		break;
	case TEE_MALLOC_NO_FILL | TEE_MALLOC_NO_SHARE:
	case TEE_USER_MEM_HINT_NO_FILL_ZERO:
		ret = block_alloc(size, false);
		break;
	case TEE_MALLOC_NO_FILL:
		/* GP: NO_FILL only together with NO_SHARE; OP-TEE panics */
		EMSG("TEE_MALLOC_NO_FILL without TEE_MALLOC_NO_SHARE");
		rt_panic(0);
	default:
		EMSG("Invalid hint %#" PRIx32, hint);
		break;
	}
	return ret;
}

TEE_API void *TEE_Realloc(void *buffer, size_t newSize)
{
	struct block_hdr *hdr = NULL;
	struct block_hdr *moved = NULL;
	size_t old_size = 0;
	size_t old_cost = 0;
	size_t new_cost = 0;
	void *ret = NULL;

	if (!newSize) {
		TEE_Free(buffer);
		ret = MEM_EMPTY;
		goto out;
	}
	if (!buffer || buffer == MEM_EMPTY) {
		ret = block_alloc(newSize, true);
		goto out;
	}
	hdr = block_of(buffer, __func__);
	old_size = (size_t)hdr->size;
	old_cost = live_cost(hdr);
	if (!block_cost(newSize, &new_cost) ||
	    !heap_recharge(old_cost, new_cost))
		goto out;
	moved = realloc(hdr, new_cost);
	if (!moved) {
		/* the old block is untouched: restore its charge */
		heap_swap(new_cost, old_cost);
		goto out;
	}
	if (newSize > old_size)
		memset((uint8_t *)(moved + 1) + old_size, 0, newSize - old_size);
	moved->size = newSize;
	ret = moved + 1;
out:
	return ret;
}

TEE_API void TEE_Free(void *buffer)
{
	struct block_hdr *hdr = NULL;

	if (!buffer || buffer == MEM_EMPTY)
		return;
	hdr = block_of(buffer, __func__);
	heap_swap(live_cost(hdr), 0);
	hdr->magic = MEM_DEAD;
	free(hdr);
}

TEE_API void *TEE_MemMove(void *dest, const void *src, size_t size)
{
	if (size)
		memmove(dest, src, size);
	return dest;
}

/*
 * Compares in time that depends on size only.  Returns -1, 0 or 1 as the
 * first differing byte of buffer1 is below, equal to (no difference) or
 * above that of buffer2, as unsigned bytes.
 */
TEE_API int32_t TEE_MemCompare(const void *buffer1, const void *buffer2,
			       size_t size)
{
	const uint8_t *a = buffer1;
	const uint8_t *b = buffer2;
	uint32_t first = 0;	/* difference at the lowest index, two's complement */
	size_t i = size;

	while (i-- > 0) {
		uint32_t diff = (uint32_t)a[i] - (uint32_t)b[i];
		/* all ones when diff != 0, else zero */
		uint32_t mask = (uint32_t)0 - ((diff | ((uint32_t)0 - diff)) >> 31);

		first = (first & ~mask) | (diff & mask);
	}
	/* first is in -255..255 as a 32-bit two's complement value */
	return (int32_t)((first != 0) - 2 * (int32_t)(first >> 31));
}

TEE_API void TEE_MemFill(void *buffer, uint32_t x, size_t size)
{
	if (size)
		memset(buffer, (int)(uint8_t)x, size);
}

/*
 * Whether every byte of [start, end) lies in mappings of this process that
 * allow the access asked for, read from /proc/self/maps (sorted by
 * address, so the range must be covered by adjacent entries).
 */
static bool mapped_with(uintptr_t start, uintptr_t end, bool read, bool write)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	char line[512];
	uintptr_t covered = start;

	if (!maps)
		return false;
	while (covered < end && fgets(line, sizeof(line), maps)) {
		uintptr_t lo = 0;
		uintptr_t hi = 0;
		char perms[5] = { 0 };

		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %4s", &lo, &hi,
			   perms) != 3 || hi <= covered)
			continue;
		if (lo > covered || (read && perms[0] != 'r') ||
		    (write && perms[1] != 'w'))
			break;
		covered = hi;
	}
	fclose(maps);
	return covered >= end;
}

/*
 * GP 4.11.1, with OP-TEE's extension flags:
 * - size 0: TEE_SUCCESS (OP-TEE);
 * - NULL, a range that wraps, or both SECURE and NONSECURE: denied;
 * - without TEE_MEMORY_ACCESS_ANY_OWNER (or with SECURE) the range must
 *   not touch memory shared with the client: the memrefs of the running
 *   command and the shared memory blocks mapped for its session;
 * - with NONSECURE it must lie inside such memory;
 * - READ and WRITE must be allowed by the process's mappings.
 * Other flag bits are ignored, as OP-TEE ignores them.
 */
TEE_API TEE_Result TEE_CheckMemoryAccessRights(uint32_t accessFlags,
					       void *buffer, size_t size)
{
	const uint32_t both = TEE_MEMORY_ACCESS_NONSECURE |
			      TEE_MEMORY_ACCESS_SECURE;
	bool shared = false;
	uintptr_t end = 0;
	TEE_Result res = TEE_ERROR_ACCESS_DENIED;

	if (!size)
		return TEE_SUCCESS;
	if ((accessFlags & both) == both || !buffer ||
	    ADD_OVERFLOW((uintptr_t)buffer, size, &end))
		goto out;
	shared = rt_client_memory(buffer, size, false);
	if ((!(accessFlags & TEE_MEMORY_ACCESS_ANY_OWNER) ||
	     (accessFlags & TEE_MEMORY_ACCESS_SECURE)) && shared)
		goto out;
	if ((accessFlags & TEE_MEMORY_ACCESS_NONSECURE) &&
	    !rt_client_memory(buffer, size, true))
		goto out;
	if (mapped_with((uintptr_t)buffer, end,
			accessFlags & TEE_MEMORY_ACCESS_READ,
			accessFlags & TEE_MEMORY_ACCESS_WRITE))
		res = TEE_SUCCESS;
out:
	return res;
}

TEE_API void TEE_SetInstanceData(const void *instanceData)
{
	rt_set_instance_data(instanceData);
}

TEE_API const void *TEE_GetInstanceData(void)
{
	return rt_get_instance_data();
}
