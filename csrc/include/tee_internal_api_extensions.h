/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * OP-TEE's extensions to the GP TEE Internal Core API, written for pytee
 * with OP-TEE's names and signatures.  On pytee:
 *  - tee_user_mem_*: heap bookkeeping helpers;
 *  - TEE_Cache*: need TA_FLAG_CACHE_MAINTENANCE, else
 *    TEE_ERROR_NOT_SUPPORTED (no cache to maintain on the host);
 *  - tee_map_zi / tee_unmap: zero-filled anonymous mappings;
 *  - tee_uuid_from_str: parse "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
 *  - tee_invoke_supp_plugin: tee-supplicant plugins, an OP-TEE service.
 * OP-TEE's version also includes <stdio.h>; this one does not, so a TA
 * that calls printf() must include <stdio.h> itself.
 */
#ifndef TEE_INTERNAL_API_EXTENSIONS_H
#define TEE_INTERNAL_API_EXTENSIONS_H

#include <stddef.h>
#include <stdint.h>
#include <tee_api_defines_extensions.h>
#include <tee_api_types.h>
#include <trace.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Heap checks: mark the current heap state, then count what leaked since. */
void tee_user_mem_mark_heap(void);
size_t tee_user_mem_check_heap(void);

/* Extra TEE_Malloc() hint: do not zero the new block. */
#define TEE_USER_MEM_HINT_NO_FILL_ZERO	0x80000000

/*
 * Data cache maintenance on [buf, buf + len):
 * Clean writes dirty lines back, Flush writes back then invalidates,
 * Invalidate drops lines without writing them back.
 */
TEE_Result TEE_CacheClean(char *buf, size_t len);
TEE_Result TEE_CacheFlush(char *buf, size_t len);
TEE_Result TEE_CacheInvalidate(char *buf, size_t len);

/*
 * Maps len bytes of zeroed memory; flags is 0, or
 * TEE_MEMORY_ACCESS_ANY_OWNER to allow sharing it with other TAs.
 * Returns NULL on failure.
 */
void *tee_map_zi(size_t len, uint32_t flags);

/* Unmaps exactly a buffer (and length) that tee_map_zi() returned. */
TEE_Result tee_unmap(void *buf, size_t len);

/* Parses the canonical 8-4-4-4-12 hexadecimal text form of a UUID. */
TEE_Result tee_uuid_from_str(TEE_UUID *uuid, const char *s);

/*
 * Sends cmd/sub_cmd and len bytes of buf to the normal-world plugin
 * identified by uuid; the plugin may write back into buf, and *outlen
 * (if outlen is not NULL) receives the length it wrote.
 */
TEE_Result tee_invoke_supp_plugin(const TEE_UUID *uuid, uint32_t cmd,
				  uint32_t sub_cmd, void *buf, size_t len,
				  size_t *outlen);

#ifdef __cplusplus
}
#endif

#endif /* TEE_INTERNAL_API_EXTENSIONS_H */
