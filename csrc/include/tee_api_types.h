/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GlobalPlatform TEE Internal Core API v1.3.1: types, written for pytee.
 *
 * Layouts are those of OP-TEE's current libutee (v1.3.1, size_t lengths),
 * so TA code that builds with OP-TEE's dev kit builds here unchanged.
 * Handles are pointers to incomplete structures that only libtee knows.
 * The Trusted UI types are in <tee_tui_api_types.h>.
 */
#ifndef TEE_API_TYPES_H
#define TEE_API_TYPES_H

#include <compiler.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tee_api_defines.h>

/* ------------------------------------------------------------------ */
/* Common                                                              */
/* ------------------------------------------------------------------ */

typedef uint32_t TEE_Result;
typedef uint32_t TEE_ErrorOrigin;

/* RFC 4122 UUID, fields in host byte order */
typedef struct {
	uint32_t timeLow;
	uint16_t timeMid;
	uint16_t timeHiAndVersion;
	uint8_t clockSeqAndNode[8];
} TEE_UUID;

/* Who is calling: login is a TEE_LOGIN_* value, uuid the client's or nil */
typedef struct {
	uint32_t login;
	TEE_UUID uuid;
} TEE_Identity;

/*
 * One of the TEE_NUM_PARAMS parameters of an entry point or of an
 * Internal Client API call; its TEE_PARAM_TYPE_* nibble in paramTypes
 * says which member is meaningful.
 */
typedef union {
	struct {
		void *buffer;
		size_t size;
	} memref;
	struct {
		uint32_t a;
		uint32_t b;
	} value;
} TEE_Param;

/* Opaque handles */
typedef struct __TEE_TASessionHandle *TEE_TASessionHandle;
typedef struct __TEE_PropSetHandle *TEE_PropSetHandle;
typedef struct __TEE_ObjectHandle *TEE_ObjectHandle;
typedef struct __TEE_ObjectEnumHandle *TEE_ObjectEnumHandle;
typedef struct __TEE_OperationHandle *TEE_OperationHandle;

/* ------------------------------------------------------------------ */
/* Storage                                                             */
/* ------------------------------------------------------------------ */

typedef uint32_t TEE_ObjectType;	/* a TEE_TYPE_* value */
typedef uint32_t TEE_Whence;		/* a TEE_DATA_SEEK_* value */

typedef struct {
	uint32_t objectType;
	uint32_t objectSize;		/* key size in bits, 0 if none yet */
	uint32_t maxObjectSize;
	uint32_t objectUsage;		/* TEE_USAGE_* bits */
	size_t dataSize;		/* data stream length */
	size_t dataPosition;		/* data stream position */
	uint32_t handleFlags;		/* TEE_HANDLE_FLAG_* and TEE_DATA_FLAG_* */
} TEE_ObjectInfo;

/*
 * An object or operation attribute.  Bit TEE_ATTR_FLAG_VALUE of
 * attributeID tells whether content.value or content.ref is used.
 */
typedef struct {
	uint32_t attributeID;
	union {
		struct {
			void *buffer;
			size_t length;
		} ref;
		struct {
			uint32_t a, b;
		} value;
	} content;
} TEE_Attribute;

/* ------------------------------------------------------------------ */
/* Cryptographic operations                                            */
/* ------------------------------------------------------------------ */

typedef uint32_t TEE_OperationMode;	/* a TEE_MODE_* value */

typedef struct {
	uint32_t algorithm;
	uint32_t operationClass;
	uint32_t mode;
	uint32_t digestLength;
	uint32_t maxKeySize;
	uint32_t keySize;
	uint32_t requiredKeyUsage;
	uint32_t handleState;
} TEE_OperationInfo;

typedef struct {
	uint32_t keySize;
	uint32_t requiredKeyUsage;
} TEE_OperationInfoKey;

/* Followed in memory by numberOfKeys TEE_OperationInfoKey entries */
typedef struct {
	uint32_t algorithm;
	uint32_t operationClass;
	uint32_t mode;
	uint32_t digestLength;
	uint32_t maxKeySize;
	uint32_t handleState;
	uint32_t operationState;
	uint32_t numberOfKeys;
	TEE_OperationInfoKey keyInformation[];
} TEE_OperationInfoMultiple;

/* ------------------------------------------------------------------ */
/* Time                                                                */
/* ------------------------------------------------------------------ */

typedef struct {
	uint32_t seconds;
	uint32_t millis;
} TEE_Time;

/* ------------------------------------------------------------------ */
/* Arithmetic: arrays of uint32_t sized with the *SizeInU32 helpers     */
/* ------------------------------------------------------------------ */

typedef uint32_t TEE_BigInt;
typedef uint32_t TEE_BigIntFMM;
typedef uint32_t TEE_BigIntFMMContext;

/* ------------------------------------------------------------------ */
/* Secure Element API (declared by OP-TEE, not provided by pytee)      */
/* ------------------------------------------------------------------ */

typedef struct __TEE_SEServiceHandle *TEE_SEServiceHandle;
typedef struct __TEE_SEReaderHandle *TEE_SEReaderHandle;
typedef struct __TEE_SESessionHandle *TEE_SESessionHandle;
typedef struct __TEE_SEChannelHandle *TEE_SEChannelHandle;

typedef struct {
	bool sePresent;
	bool teeOnly;
	bool selectResponseEnable;
} TEE_SEReaderProperties;

typedef struct {
	uint8_t *buffer;
	size_t bufferLen;
} TEE_SEAID;

#define TEE_SE_READER_NAME_MAX	20

/* ------------------------------------------------------------------ */
/* Other names OP-TEE's header provides                                */
/* ------------------------------------------------------------------ */

typedef void *TEE_Session;

#define TEE_MEM_INPUT		0x00000001
#define TEE_MEM_OUTPUT		0x00000002

#define TEE_MEMREF_0_USED	0x00000001
#define TEE_MEMREF_1_USED	0x00000002
#define TEE_MEMREF_2_USED	0x00000004
#define TEE_MEMREF_3_USED	0x00000008

#endif /* TEE_API_TYPES_H */
