/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What a TA binary tells its host: flags, sizes and properties.
 * Flag and property-type values are OP-TEE's, so user_ta_header_defines.h
 * files written for OP-TEE compile unchanged.  The dev kit's
 * src/user_ta_header.c defines the three pytee_ta_* objects below from the
 * TA's user_ta_header_defines.h.
 */
#ifndef USER_TA_HEADER_H
#define USER_TA_HEADER_H

#include <tee_api_types.h>
#include <util.h>

#define TA_FLAG_USER_MODE		0 /* deprecated */
#define TA_FLAG_EXEC_DDR		0 /* deprecated */
#define TA_FLAG_SINGLE_INSTANCE		BIT32(2)
#define TA_FLAG_MULTI_SESSION		BIT32(3)
#define TA_FLAG_INSTANCE_KEEP_ALIVE	BIT32(4)
#define TA_FLAG_SECURE_DATA_PATH	BIT32(5)
#define TA_FLAG_REMAP_SUPPORT		0 /* deprecated */
#define TA_FLAG_CACHE_MAINTENANCE	BIT32(7)
#define TA_FLAG_CONCURRENT		BIT32(8)
#define TA_FLAG_DEVICE_ENUM		BIT32(9)
#define TA_FLAG_DEVICE_ENUM_SUPP	BIT32(10)
#define TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT BIT32(11)
#define TA_FLAG_DEVICE_ENUM_TEE_STORAGE_PRIVATE BIT32(12)
/* A crashed instance is not restarted: not implemented by teed (ignored). */
#define TA_FLAG_INSTANCE_KEEP_CRASHED	BIT32(13)

enum user_ta_prop_type {
	USER_TA_PROP_TYPE_BOOL,		/* bool */
	USER_TA_PROP_TYPE_U32,		/* uint32_t */
	USER_TA_PROP_TYPE_UUID,		/* TEE_UUID */
	USER_TA_PROP_TYPE_IDENTITY,	/* TEE_Identity */
	USER_TA_PROP_TYPE_STRING,	/* NUL-terminated string */
	USER_TA_PROP_TYPE_BINARY_BLOCK,	/* NUL-terminated base64 string */
	USER_TA_PROP_TYPE_U64,		/* uint64_t */
	USER_TA_PROP_TYPE_INVALID,
};

struct user_ta_property {
	const char *name;
	enum user_ta_prop_type type;
	const void *value;
};

struct pytee_ta_head {
	TEE_UUID uuid;
	uint32_t flags;
	uint32_t stack_size;
	uint32_t data_size;
};

extern const struct pytee_ta_head pytee_ta_head;
extern const struct user_ta_property pytee_ta_props[];
extern const size_t pytee_ta_num_props;

#endif /* USER_TA_HEADER_H */
