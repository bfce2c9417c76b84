// SPDX-License-Identifier: BSD-2-Clause
/*
 * Compiled by the pytee host dev kit into every TA, with the TA's own
 * user_ta_header_defines.h (found through the TA's include path).  It turns
 * the TA_* macros of that header into the objects <user_ta_header.h>
 * declares, which the TA host reads with dlsym:
 *
 *   pytee_ta_head       UUID, flags, stack and data size
 *   pytee_ta_props[]    the gpd.ta.* properties, then the TA's own
 *                       TA_CURRENT_TA_EXT_PROPERTIES
 *   pytee_ta_num_props  number of entries in pytee_ta_props
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <user_ta_header.h>
#include <user_ta_header_defines.h>

#ifndef TA_UUID
#error "user_ta_header_defines.h must define TA_UUID"
#endif
#ifndef TA_FLAGS
#error "user_ta_header_defines.h must define TA_FLAGS"
#endif
#ifndef TA_STACK_SIZE
#error "user_ta_header_defines.h must define TA_STACK_SIZE"
#endif
#ifndef TA_DATA_SIZE
#error "user_ta_header_defines.h must define TA_DATA_SIZE"
#endif
#if TA_DATA_SIZE < 1024
#error "TA_DATA_SIZE must be at least 1024 bytes"
#endif

#ifndef TA_VERSION
#define TA_VERSION "Undefined version"
#endif
#ifndef TA_DESCRIPTION
#define TA_DESCRIPTION "Undefined description"
#endif

#define PYTEE_EXPORT __attribute__((visibility("default")))

PYTEE_EXPORT const struct pytee_ta_head pytee_ta_head = {
	.uuid = TA_UUID,
	.flags = TA_FLAGS,
	.stack_size = TA_STACK_SIZE,
	.data_size = TA_DATA_SIZE,
};

static const bool ta_single_instance =
	(TA_FLAGS & TA_FLAG_SINGLE_INSTANCE) != 0;
static const bool ta_multi_session = (TA_FLAGS & TA_FLAG_MULTI_SESSION) != 0;
static const bool ta_keep_alive =
	(TA_FLAGS & TA_FLAG_INSTANCE_KEEP_ALIVE) != 0;
static const bool ta_keep_crashed =
	(TA_FLAGS & TA_FLAG_INSTANCE_KEEP_CRASHED) != 0;
static const bool ta_keep_handle_on_corrupt =
	(TA_FLAGS & TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT) != 0;
static const uint32_t ta_data_size = TA_DATA_SIZE;
static const uint32_t ta_stack_size = TA_STACK_SIZE;
static const uint32_t ta_endian = 0; /* as in OP-TEE: always 0 */

PYTEE_EXPORT const struct user_ta_property pytee_ta_props[] = {
	{ "gpd.ta.appID", USER_TA_PROP_TYPE_UUID, &pytee_ta_head.uuid },
	{ "gpd.ta.singleInstance", USER_TA_PROP_TYPE_BOOL,
	  &ta_single_instance },
	{ "gpd.ta.multiSession", USER_TA_PROP_TYPE_BOOL, &ta_multi_session },
	{ "gpd.ta.instanceKeepAlive", USER_TA_PROP_TYPE_BOOL, &ta_keep_alive },
	{ "gpd.ta.instanceKeepCrashed", USER_TA_PROP_TYPE_BOOL,
	  &ta_keep_crashed },
	{ "gpd.ta.dataSize", USER_TA_PROP_TYPE_U32, &ta_data_size },
	{ "gpd.ta.stackSize", USER_TA_PROP_TYPE_U32, &ta_stack_size },
	{ "gpd.ta.version", USER_TA_PROP_TYPE_STRING, TA_VERSION },
	{ "gpd.ta.description", USER_TA_PROP_TYPE_STRING, TA_DESCRIPTION },
	{ "gpd.ta.endian", USER_TA_PROP_TYPE_U32, &ta_endian },
	{ "gpd.ta.doesNotCloseHandleOnCorruptObject", USER_TA_PROP_TYPE_BOOL,
	  &ta_keep_handle_on_corrupt },
#ifdef TA_CURRENT_TA_EXT_PROPERTIES
	TA_CURRENT_TA_EXT_PROPERTIES
#endif
};

PYTEE_EXPORT const size_t pytee_ta_num_props =
	sizeof(pytee_ta_props) / sizeof(pytee_ta_props[0]);
