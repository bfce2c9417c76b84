/*
 * cffi cdef fragment for the GlobalPlatform TEE Internal Core API v1.3.1
 * as libtee.so exports it to TAs, for Python TAs.
 *
 * Not a C header: setup.py feeds it to cffi to generate pytee/_tee_ffi.py
 * (ABI mode, out of line).  Types and prototypes are written as in
 * csrc/include (tee_api_types.h, tee_internal_api.h, tee_tui_api_types.h,
 * tee_tui_api.h, trace.h, user_ta_header.h, libtee_host.h), member by member, because in ABI mode
 * cffi computes the layout from this text alone.  tests/test_internal_raw.py
 * compiles the real headers and checks every size, offset, type, prototype
 * and constant below against them, and checks that the functions are
 * exactly the TEE_* functions libtee.so exports.
 *
 * Differences from the headers, each forced by cffi or by libtee:
 *   - constants are plain integer #defines generated from the headers by
 *     gen_tee_internal_consts.py (the section at the end);
 *   - TEE_PROPSET_* are pointers in C and integers here: pass them as
 *     ffi.cast("TEE_PropSetHandle", lib.TEE_PROPSET_CURRENT_TA);
 *   - the function-like macros (TEE_PARAM_TYPES, TEE_PARAM_TYPE_GET,
 *     TEE_BigIntSizeInU32, ...) are left out;
 *   - the parameter array length is written as the literal 4;
 *   - functions the headers declare but libtee.so does not define are left
 *     out, since calling one would fail: TEE_BigIntFMMConvertToBigInt
 *     (defined nowhere, as in OP-TEE), and OP-TEE's extensions
 *     TEE_Cache*, tee_map_zi, tee_unmap, tee_uuid_from_str,
 *     tee_user_mem_*, tee_invoke_supp_plugin;
 *   - the Trusted UI's arrays of TEE_TUI_NUMBER_BUTTON_TYPES are written
 *     with the literal 6.
 */

/* ---- tee_api_types.h ---- */

typedef uint32_t TEE_Result;
typedef uint32_t TEE_ErrorOrigin;

typedef struct {
	uint32_t timeLow;
	uint16_t timeMid;
	uint16_t timeHiAndVersion;
	uint8_t clockSeqAndNode[8];
} TEE_UUID;

typedef struct {
	uint32_t login;
	TEE_UUID uuid;
} TEE_Identity;

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

typedef struct __TEE_TASessionHandle *TEE_TASessionHandle;
typedef struct __TEE_PropSetHandle *TEE_PropSetHandle;
typedef struct __TEE_ObjectHandle *TEE_ObjectHandle;
typedef struct __TEE_ObjectEnumHandle *TEE_ObjectEnumHandle;
typedef struct __TEE_OperationHandle *TEE_OperationHandle;

typedef uint32_t TEE_ObjectType;
typedef uint32_t TEE_Whence;

typedef struct {
	uint32_t objectType;
	uint32_t objectSize;
	uint32_t maxObjectSize;
	uint32_t objectUsage;
	size_t dataSize;
	size_t dataPosition;
	uint32_t handleFlags;
} TEE_ObjectInfo;

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

typedef uint32_t TEE_OperationMode;

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

typedef struct {
	uint32_t seconds;
	uint32_t millis;
} TEE_Time;

typedef uint32_t TEE_BigInt;
typedef uint32_t TEE_BigIntFMM;
typedef uint32_t TEE_BigIntFMMContext;

/* ---- tee_tui_api_types.h: the Trusted UI (docs/tui.md) ---- */

typedef enum {
	TEE_TUI_HIDDEN_MODE = 0,
	TEE_TUI_CLEAR_MODE = 1,
	TEE_TUI_TEMPORARY_CLEAR_MODE = 2
} TEE_TUIEntryFieldMode;

typedef enum {
	TEE_TUI_NUMERICAL = 0,
	TEE_TUI_ALPHANUMERICAL = 1
} TEE_TUIEntryFieldType;

typedef enum {
	TEE_TUI_PORTRAIT = 0,
	TEE_TUI_LANDSCAPE = 1
} TEE_TUIScreenOrientation;

typedef enum {
	TEE_TUI_CORRECTION = 0,
	TEE_TUI_OK = 1,
	TEE_TUI_CANCEL = 2,
	TEE_TUI_VALIDATE = 3,
	TEE_TUI_PREVIOUS = 4,
	TEE_TUI_NEXT = 5
} TEE_TUIButtonType;

typedef enum {
	TEE_TUI_NO_SOURCE = 0,
	TEE_TUI_REF_SOURCE = 1,
	TEE_TUI_OBJECT_SOURCE = 2
} TEE_TUIImageSource;

typedef struct {
	TEE_TUIImageSource source;
	union {
		struct {
			void *image;
			size_t imageLength;
		} ref;
		struct {
			uint32_t storageID;
			void *objectID;
			size_t objectIDLen;
		} object;
	};
	uint32_t width;
	uint32_t height;
} TEE_TUIImage;

typedef struct {
	char *text;
	uint32_t textXOffset;
	uint32_t textYOffset;
	uint8_t textColor[3];
	TEE_TUIImage image;
	uint32_t imageXOffset;
	uint32_t imageYOffset;
} TEE_TUIScreenLabel;

typedef struct {
	char *text;
	TEE_TUIImage image;
} TEE_TUIButton;

typedef struct {
	TEE_TUIScreenOrientation screenOrientation;
	TEE_TUIScreenLabel label;
	TEE_TUIButton *buttons[6];
	bool requestedButtons[6];
} TEE_TUIScreenConfiguration;

typedef struct {
	char *buttonText;
	uint32_t buttonWidth;
	uint32_t buttonHeight;
	bool buttonTextCustom;
	bool buttonImageCustom;
} TEE_TUIScreenButtonInfo;

typedef struct {
	uint32_t grayscaleBitsDepth;
	uint32_t redBitsDepth;
	uint32_t greenBitsDepth;
	uint32_t blueBitsDepth;
	uint32_t widthInch;
	uint32_t heightInch;
	uint32_t maxEntryFields;
	uint32_t entryFieldLabelWidth;
	uint32_t entryFieldLabelHeight;
	uint32_t maxEntryFieldLength;
	uint8_t labelColor[3];
	uint32_t labelWidth;
	uint32_t labelHeight;
	TEE_TUIScreenButtonInfo buttonInfo[6];
} TEE_TUIScreenInfo;

typedef struct {
	char *label;
	TEE_TUIEntryFieldMode mode;
	TEE_TUIEntryFieldType type;
	uint32_t minExpectedLength;
	uint32_t maxExpectedLength;
	char *buffer;
	size_t bufferLength;
} TEE_TUIEntryField;

/* ---- user_ta_header.h ---- */

enum user_ta_prop_type {
	USER_TA_PROP_TYPE_BOOL = 0,
	USER_TA_PROP_TYPE_U32 = 1,
	USER_TA_PROP_TYPE_UUID = 2,
	USER_TA_PROP_TYPE_IDENTITY = 3,
	USER_TA_PROP_TYPE_STRING = 4,
	USER_TA_PROP_TYPE_BINARY_BLOCK = 5,
	USER_TA_PROP_TYPE_U64 = 6,
	USER_TA_PROP_TYPE_INVALID = 7
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

/* ---- libtee_host.h: hosting a TA that is not a shared object ---- */

struct libtee_ta_ops {
	const struct pytee_ta_head *head;
	const struct user_ta_property *props;
	size_t nprops;
	TEE_Result (*create)(void);
	void (*destroy)(void);
	TEE_Result (*open)(uint32_t param_types, TEE_Param params[4], void **sess_ctx);
	void (*close)(void *sess_ctx);
	TEE_Result (*invoke)(void *sess_ctx, uint32_t cmd, uint32_t param_types, TEE_Param params[4]);
};

int libtee_host_run(const struct libtee_ta_ops *ops, int ctl_fd, int cancel_fd, const char *log_path);

/* ---- tee_internal_api_extensions.h (OP-TEE's extensions) ---- */

void tee_user_mem_mark_heap(void);
size_t tee_user_mem_check_heap(void);
TEE_Result TEE_CacheClean(char *buf, size_t len);
TEE_Result TEE_CacheFlush(char *buf, size_t len);
TEE_Result TEE_CacheInvalidate(char *buf, size_t len);
void *tee_map_zi(size_t len, uint32_t flags);
TEE_Result tee_unmap(void *buf, size_t len);
TEE_Result tee_uuid_from_str(TEE_UUID *uuid, const char *s);
TEE_Result tee_invoke_supp_plugin(const TEE_UUID *uuid, uint32_t cmd, uint32_t sub_cmd, void *buf, size_t len, size_t *outlen);

/* ---- trace.h ---- */

void trace_printf(const char *func, int line, int level, bool level_ok, const char *fmt, ...);
void trace_ext_puts(const char *str);
int trace_get_level(void);
void trace_set_level(int level);
void dhex_dump(const char *function, int line, int level, const void *buf, int len);

/* ---- tee_internal_api.h: properties ---- */

TEE_Result TEE_GetPropertyAsString(TEE_PropSetHandle propsetOrEnumerator, const char *name, char *valueBuffer, size_t *valueBufferLen);
TEE_Result TEE_GetPropertyAsBool(TEE_PropSetHandle propsetOrEnumerator, const char *name, bool *value);
TEE_Result TEE_GetPropertyAsU32(TEE_PropSetHandle propsetOrEnumerator, const char *name, uint32_t *value);
TEE_Result TEE_GetPropertyAsU64(TEE_PropSetHandle propsetOrEnumerator, const char *name, uint64_t *value);
TEE_Result TEE_GetPropertyAsBinaryBlock(TEE_PropSetHandle propsetOrEnumerator, const char *name, void *valueBuffer, size_t *valueBufferLen);
TEE_Result TEE_GetPropertyAsUUID(TEE_PropSetHandle propsetOrEnumerator, const char *name, TEE_UUID *value);
TEE_Result TEE_GetPropertyAsIdentity(TEE_PropSetHandle propsetOrEnumerator, const char *name, TEE_Identity *value);
TEE_Result TEE_AllocatePropertyEnumerator(TEE_PropSetHandle *enumerator);
void TEE_FreePropertyEnumerator(TEE_PropSetHandle enumerator);
void TEE_StartPropertyEnumerator(TEE_PropSetHandle enumerator, TEE_PropSetHandle propSet);
void TEE_ResetPropertyEnumerator(TEE_PropSetHandle enumerator);
TEE_Result TEE_GetPropertyName(TEE_PropSetHandle enumerator, void *nameBuffer, size_t *nameBufferLen);
TEE_Result TEE_GetNextProperty(TEE_PropSetHandle enumerator);

/* ---- panic, Internal Client API, cancellation ---- */

void TEE_Panic(TEE_Result panicCode);
TEE_Result TEE_OpenTASession(const TEE_UUID *destination, uint32_t cancellationRequestTimeout, uint32_t paramTypes, TEE_Param params[4], TEE_TASessionHandle *session, uint32_t *returnOrigin);
void TEE_CloseTASession(TEE_TASessionHandle session);
TEE_Result TEE_InvokeTACommand(TEE_TASessionHandle session, uint32_t cancellationRequestTimeout, uint32_t commandID, uint32_t paramTypes, TEE_Param params[4], uint32_t *returnOrigin);
bool TEE_GetCancellationFlag(void);
bool TEE_UnmaskCancellation(void);
bool TEE_MaskCancellation(void);

/* ---- memory management ---- */

TEE_Result TEE_CheckMemoryAccessRights(uint32_t accessFlags, void *buffer, size_t size);
void TEE_SetInstanceData(const void *instanceData);
const void *TEE_GetInstanceData(void);
void *TEE_Malloc(size_t size, uint32_t hint);
void *TEE_Realloc(void *buffer, size_t newSize);
void TEE_Free(void *buffer);
void *TEE_MemMove(void *dest, const void *src, size_t size);
int32_t TEE_MemCompare(const void *buffer1, const void *buffer2, size_t size);
void TEE_MemFill(void *buff, uint32_t x, size_t size);

/* ---- trusted storage: objects ---- */

void TEE_GetObjectInfo(TEE_ObjectHandle object, TEE_ObjectInfo *objectInfo);
TEE_Result TEE_GetObjectInfo1(TEE_ObjectHandle object, TEE_ObjectInfo *objectInfo);
void TEE_RestrictObjectUsage(TEE_ObjectHandle object, uint32_t objectUsage);
TEE_Result TEE_RestrictObjectUsage1(TEE_ObjectHandle object, uint32_t objectUsage);
TEE_Result TEE_GetObjectBufferAttribute(TEE_ObjectHandle object, uint32_t attributeID, void *buffer, size_t *size);
TEE_Result TEE_GetObjectValueAttribute(TEE_ObjectHandle object, uint32_t attributeID, uint32_t *a, uint32_t *b);
void TEE_CloseObject(TEE_ObjectHandle object);
TEE_Result TEE_AllocateTransientObject(TEE_ObjectType objectType, uint32_t maxObjectSize, TEE_ObjectHandle *object);
void TEE_FreeTransientObject(TEE_ObjectHandle object);
void TEE_ResetTransientObject(TEE_ObjectHandle object);
TEE_Result TEE_PopulateTransientObject(TEE_ObjectHandle object, const TEE_Attribute *attrs, uint32_t attrCount);
void TEE_InitRefAttribute(TEE_Attribute *attr, uint32_t attributeID, const void *buffer, size_t length);
void TEE_InitValueAttribute(TEE_Attribute *attr, uint32_t attributeID, uint32_t a, uint32_t b);
void TEE_CopyObjectAttributes(TEE_ObjectHandle destObject, TEE_ObjectHandle srcObject);
TEE_Result TEE_CopyObjectAttributes1(TEE_ObjectHandle destObject, TEE_ObjectHandle srcObject);
TEE_Result TEE_GenerateKey(TEE_ObjectHandle object, uint32_t keySize, const TEE_Attribute *params, uint32_t paramCount);

/* ---- trusted storage: persistent objects, enumeration, data streams ---- */

TEE_Result TEE_OpenPersistentObject(uint32_t storageID, const void *objectID, size_t objectIDLen, uint32_t flags, TEE_ObjectHandle *object);
TEE_Result TEE_CreatePersistentObject(uint32_t storageID, const void *objectID, size_t objectIDLen, uint32_t flags, TEE_ObjectHandle attributes, const void *initialData, size_t initialDataLen, TEE_ObjectHandle *object);
void TEE_CloseAndDeletePersistentObject(TEE_ObjectHandle object);
TEE_Result TEE_CloseAndDeletePersistentObject1(TEE_ObjectHandle object);
TEE_Result TEE_RenamePersistentObject(TEE_ObjectHandle object, const void *newObjectID, size_t newObjectIDLen);
TEE_Result TEE_AllocatePersistentObjectEnumerator(TEE_ObjectEnumHandle *objectEnumerator);
void TEE_FreePersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator);
void TEE_ResetPersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator);
TEE_Result TEE_StartPersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator, uint32_t storageID);
TEE_Result TEE_GetNextPersistentObject(TEE_ObjectEnumHandle objectEnumerator, TEE_ObjectInfo *objectInfo, void *objectID, size_t *objectIDLen);
TEE_Result TEE_ReadObjectData(TEE_ObjectHandle object, void *buffer, size_t size, size_t *count);
TEE_Result TEE_WriteObjectData(TEE_ObjectHandle object, const void *buffer, size_t size);
TEE_Result TEE_TruncateObjectData(TEE_ObjectHandle object, size_t size);
TEE_Result TEE_SeekObjectData(TEE_ObjectHandle object, intmax_t offset, TEE_Whence whence);

/* ---- cryptographic operations ---- */

TEE_Result TEE_AllocateOperation(TEE_OperationHandle *operation, uint32_t algorithm, uint32_t mode, uint32_t maxKeySize);
void TEE_FreeOperation(TEE_OperationHandle operation);
void TEE_GetOperationInfo(TEE_OperationHandle operation, TEE_OperationInfo *operationInfo);
TEE_Result TEE_GetOperationInfoMultiple(TEE_OperationHandle operation, TEE_OperationInfoMultiple *operationInfoMultiple, size_t *operationSize);
void TEE_ResetOperation(TEE_OperationHandle operation);
TEE_Result TEE_SetOperationKey(TEE_OperationHandle operation, TEE_ObjectHandle key);
TEE_Result TEE_SetOperationKey2(TEE_OperationHandle operation, TEE_ObjectHandle key1, TEE_ObjectHandle key2);
void TEE_CopyOperation(TEE_OperationHandle dstOperation, TEE_OperationHandle srcOperation);
TEE_Result TEE_IsAlgorithmSupported(uint32_t algId, uint32_t element);

void TEE_DigestUpdate(TEE_OperationHandle operation, const void *chunk, size_t chunkSize);
TEE_Result TEE_DigestDoFinal(TEE_OperationHandle operation, const void *chunk, size_t chunkLen, void *hash, size_t *hashLen);
TEE_Result TEE_DigestExtract(TEE_OperationHandle operation, void *hash, size_t *hashLen);

void TEE_CipherInit(TEE_OperationHandle operation, const void *IV, size_t IVLen);
TEE_Result TEE_CipherUpdate(TEE_OperationHandle operation, const void *srcData, size_t srcLen, void *destData, size_t *destLen);
TEE_Result TEE_CipherDoFinal(TEE_OperationHandle operation, const void *srcData, size_t srcLen, void *destData, size_t *destLen);

void TEE_MACInit(TEE_OperationHandle operation, const void *IV, size_t IVLen);
void TEE_MACUpdate(TEE_OperationHandle operation, const void *chunk, size_t chunkSize);
TEE_Result TEE_MACComputeFinal(TEE_OperationHandle operation, const void *message, size_t messageLen, void *mac, size_t *macLen);
TEE_Result TEE_MACCompareFinal(TEE_OperationHandle operation, const void *message, size_t messageLen, const void *mac, size_t macLen);

TEE_Result TEE_AEInit(TEE_OperationHandle operation, const void *nonce, size_t nonceLen, uint32_t tagLen, size_t AADLen, size_t payloadLen);
void TEE_AEUpdateAAD(TEE_OperationHandle operation, const void *AADdata, size_t AADdataLen);
TEE_Result TEE_AEUpdate(TEE_OperationHandle operation, const void *srcData, size_t srcLen, void *destData, size_t *destLen);
TEE_Result TEE_AEEncryptFinal(TEE_OperationHandle operation, const void *srcData, size_t srcLen, void *destData, size_t *destLen, void *tag, size_t *tagLen);
TEE_Result TEE_AEDecryptFinal(TEE_OperationHandle operation, const void *srcData, size_t srcLen, void *destData, size_t *destLen, void *tag, size_t tagLen);

TEE_Result TEE_AsymmetricEncrypt(TEE_OperationHandle operation, const TEE_Attribute *params, uint32_t paramCount, const void *srcData, size_t srcLen, void *destData, size_t *destLen);
TEE_Result TEE_AsymmetricDecrypt(TEE_OperationHandle operation, const TEE_Attribute *params, uint32_t paramCount, const void *srcData, size_t srcLen, void *destData, size_t *destLen);
TEE_Result TEE_AsymmetricSignDigest(TEE_OperationHandle operation, const TEE_Attribute *params, uint32_t paramCount, const void *digest, size_t digestLen, void *signature, size_t *signatureLen);
TEE_Result TEE_AsymmetricVerifyDigest(TEE_OperationHandle operation, const TEE_Attribute *params, uint32_t paramCount, const void *digest, size_t digestLen, const void *signature, size_t signatureLen);

void TEE_DeriveKey(TEE_OperationHandle operation, const TEE_Attribute *params, uint32_t paramCount, TEE_ObjectHandle derivedKey);
void TEE_GenerateRandom(void *randomBuffer, size_t randomBufferLen);

/* ---- time ---- */

void TEE_GetSystemTime(TEE_Time *time);
TEE_Result TEE_Wait(uint32_t timeout);
TEE_Result TEE_GetTAPersistentTime(TEE_Time *time);
TEE_Result TEE_SetTAPersistentTime(const TEE_Time *time);
void TEE_GetREETime(TEE_Time *time);

/* ---- arithmetic ---- */

size_t TEE_BigIntFMMSizeInU32(size_t modulusSizeInBits);
size_t TEE_BigIntFMMContextSizeInU32(size_t modulusSizeInBits);
void TEE_BigIntInit(TEE_BigInt *bigInt, size_t len);
void TEE_BigIntInitFMMContext(TEE_BigIntFMMContext *context, size_t len, const TEE_BigInt *modulus);
TEE_Result TEE_BigIntInitFMMContext1(TEE_BigIntFMMContext *context, size_t len, const TEE_BigInt *modulus);
void TEE_BigIntInitFMM(TEE_BigIntFMM *bigIntFMM, size_t len);
TEE_Result TEE_BigIntConvertFromOctetString(TEE_BigInt *dest, const uint8_t *buffer, size_t bufferLen, int32_t sign);
TEE_Result TEE_BigIntConvertToOctetString(uint8_t *buffer, size_t *bufferLen, const TEE_BigInt *bigInt);
void TEE_BigIntConvertFromS32(TEE_BigInt *dest, int32_t shortVal);
TEE_Result TEE_BigIntConvertToS32(int32_t *dest, const TEE_BigInt *src);
int32_t TEE_BigIntCmp(const TEE_BigInt *op1, const TEE_BigInt *op2);
int32_t TEE_BigIntCmpS32(const TEE_BigInt *op, int32_t shortVal);
void TEE_BigIntShiftRight(TEE_BigInt *dest, const TEE_BigInt *op, size_t bits);
bool TEE_BigIntGetBit(const TEE_BigInt *src, uint32_t bitIndex);
uint32_t TEE_BigIntGetBitCount(const TEE_BigInt *src);
TEE_Result TEE_BigIntSetBit(TEE_BigInt *op, uint32_t bitIndex, bool value);
TEE_Result TEE_BigIntAssign(TEE_BigInt *dest, const TEE_BigInt *src);
TEE_Result TEE_BigIntAbs(TEE_BigInt *dest, const TEE_BigInt *src);
void TEE_BigIntAdd(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2);
void TEE_BigIntSub(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2);
void TEE_BigIntNeg(TEE_BigInt *dest, const TEE_BigInt *op);
void TEE_BigIntMul(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2);
void TEE_BigIntSquare(TEE_BigInt *dest, const TEE_BigInt *op);
void TEE_BigIntDiv(TEE_BigInt *dest_q, TEE_BigInt *dest_r, const TEE_BigInt *op1, const TEE_BigInt *op2);
void TEE_BigIntMod(TEE_BigInt *dest, const TEE_BigInt *op, const TEE_BigInt *n);
void TEE_BigIntAddMod(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2, const TEE_BigInt *n);
void TEE_BigIntSubMod(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2, const TEE_BigInt *n);
void TEE_BigIntMulMod(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2, const TEE_BigInt *n);
void TEE_BigIntSquareMod(TEE_BigInt *dest, const TEE_BigInt *op, const TEE_BigInt *n);
void TEE_BigIntInvMod(TEE_BigInt *dest, const TEE_BigInt *op, const TEE_BigInt *n);
TEE_Result TEE_BigIntExpMod(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2, const TEE_BigInt *n, const TEE_BigIntFMMContext *context);
bool TEE_BigIntRelativePrime(const TEE_BigInt *op1, const TEE_BigInt *op2);
void TEE_BigIntComputeExtendedGcd(TEE_BigInt *gcd, TEE_BigInt *u, TEE_BigInt *v, const TEE_BigInt *op1, const TEE_BigInt *op2);
int32_t TEE_BigIntIsProbablePrime(const TEE_BigInt *op, uint32_t confidenceLevel);
void TEE_BigIntConvertToFMM(TEE_BigIntFMM *dest, const TEE_BigInt *src, const TEE_BigInt *n, const TEE_BigIntFMMContext *context);
void TEE_BigIntConvertFromFMM(TEE_BigInt *dest, const TEE_BigIntFMM *src, const TEE_BigInt *n, const TEE_BigIntFMMContext *context);
void TEE_BigIntComputeFMM(TEE_BigIntFMM *dest, const TEE_BigIntFMM *op1, const TEE_BigIntFMM *op2, const TEE_BigInt *n, const TEE_BigIntFMMContext *context);

/* ---- tee_tui_api.h ---- */

TEE_Result TEE_TUICheckTextFormat(const char *text, uint32_t *width, uint32_t *height, uint32_t *lastIndex);
TEE_Result TEE_TUIGetScreenInfo(TEE_TUIScreenOrientation screenOrientation, uint32_t nbEntryFields, TEE_TUIScreenInfo *screenInfo);
TEE_Result TEE_TUIInitSession(void);
TEE_Result TEE_TUICloseSession(void);
TEE_Result TEE_TUIDisplayScreen(const TEE_TUIScreenConfiguration *screenConfiguration, bool closeTUISession, TEE_TUIEntryField *entryFields, uint32_t entryFieldCount, TEE_TUIButtonType *selectedButton);

/* ---- generated by gen_tee_internal_consts.py: do not edit ---- */

/* tee_api_defines.h */
#define TEE_CORE_API_MAJOR_VERSION                          1
#define TEE_CORE_API_MINOR_VERSION                          3
#define TEE_CORE_API_MAINTENANCE_VERSION                    1
#define TEE_CORE_API_VERSION                                0x01030100
#define TEE_HANDLE_NULL                                     0
#define TEE_TIMEOUT_INFINITE                                0xFFFFFFFF
#define TEE_NUM_PARAMS                                      4
#define TEE_SUCCESS                                         0x00000000
#define TEE_ERROR_CORRUPT_OBJECT                            0xF0100001
#define TEE_ERROR_CORRUPT_OBJECT_2                          0xF0100002
#define TEE_ERROR_STORAGE_NOT_AVAILABLE                     0xF0100003
#define TEE_ERROR_STORAGE_NOT_AVAILABLE_2                   0xF0100004
#define TEE_ERROR_UNSUPPORTED_VERSION                       0xF0100005
#define TEE_ERROR_CIPHERTEXT_INVALID                        0xF0100006
#define TEE_ERROR_GENERIC                                   0xFFFF0000
#define TEE_ERROR_ACCESS_DENIED                             0xFFFF0001
#define TEE_ERROR_CANCEL                                    0xFFFF0002
#define TEE_ERROR_ACCESS_CONFLICT                           0xFFFF0003
#define TEE_ERROR_EXCESS_DATA                               0xFFFF0004
#define TEE_ERROR_BAD_FORMAT                                0xFFFF0005
#define TEE_ERROR_BAD_PARAMETERS                            0xFFFF0006
#define TEE_ERROR_BAD_STATE                                 0xFFFF0007
#define TEE_ERROR_ITEM_NOT_FOUND                            0xFFFF0008
#define TEE_ERROR_NOT_IMPLEMENTED                           0xFFFF0009
#define TEE_ERROR_NOT_SUPPORTED                             0xFFFF000A
#define TEE_ERROR_NO_DATA                                   0xFFFF000B
#define TEE_ERROR_OUT_OF_MEMORY                             0xFFFF000C
#define TEE_ERROR_BUSY                                      0xFFFF000D
#define TEE_ERROR_COMMUNICATION                             0xFFFF000E
#define TEE_ERROR_SECURITY                                  0xFFFF000F
#define TEE_ERROR_SHORT_BUFFER                              0xFFFF0010
#define TEE_ERROR_EXTERNAL_CANCEL                           0xFFFF0011
#define TEE_ERROR_TIMEOUT                                   0xFFFF3001
#define TEE_ERROR_OVERFLOW                                  0xFFFF300F
#define TEE_ERROR_TARGET_DEAD                               0xFFFF3024
#define TEE_ERROR_STORAGE_NO_SPACE                          0xFFFF3041
#define TEE_ERROR_MAC_INVALID                               0xFFFF3071
#define TEE_ERROR_SIGNATURE_INVALID                         0xFFFF3072
#define TEE_ERROR_TIME_NOT_SET                              0xFFFF5000
#define TEE_ERROR_TIME_NEEDS_RESET                          0xFFFF5001
#define TEE_ORIGIN_API                                      0x00000001
#define TEE_ORIGIN_COMMS                                    0x00000002
#define TEE_ORIGIN_TEE                                      0x00000003
#define TEE_ORIGIN_TRUSTED_APP                              0x00000004
#define TEE_PARAM_TYPE_NONE                                 0
#define TEE_PARAM_TYPE_VALUE_INPUT                          1
#define TEE_PARAM_TYPE_VALUE_OUTPUT                         2
#define TEE_PARAM_TYPE_VALUE_INOUT                          3
#define TEE_PARAM_TYPE_MEMREF_INPUT                         5
#define TEE_PARAM_TYPE_MEMREF_OUTPUT                        6
#define TEE_PARAM_TYPE_MEMREF_INOUT                         7
#define TEE_LOGIN_PUBLIC                                    0x00000000
#define TEE_LOGIN_USER                                      0x00000001
#define TEE_LOGIN_GROUP                                     0x00000002
#define TEE_LOGIN_APPLICATION                               0x00000004
#define TEE_LOGIN_APPLICATION_USER                          0x00000005
#define TEE_LOGIN_APPLICATION_GROUP                         0x00000006
#define TEE_LOGIN_TRUSTED_APP                               0xF0000000
#define TEE_PROPSET_TEE_IMPLEMENTATION                      0xFFFFFFFD
#define TEE_PROPSET_CURRENT_CLIENT                          0xFFFFFFFE
#define TEE_PROPSET_CURRENT_TA                              0xFFFFFFFF
#define TEE_MEMORY_ACCESS_READ                              0x00000001
#define TEE_MEMORY_ACCESS_WRITE                             0x00000002
#define TEE_MEMORY_ACCESS_ANY_OWNER                         0x00000004
#define TEE_MALLOC_FILL_ZERO                                0x00000000
#define TEE_MALLOC_NO_FILL                                  0x00000001
#define TEE_MALLOC_NO_SHARE                                 0x00000002
#define TEE_DATA_SEEK_SET                                   0x00000000
#define TEE_DATA_SEEK_CUR                                   0x00000001
#define TEE_DATA_SEEK_END                                   0x00000002
#define TEE_WHENCE_ILLEGAL_VALUE                            0x7FFFFFFF
#define TEE_STORAGE_PRIVATE                                 0x00000001
#define TEE_DATA_FLAG_ACCESS_READ                           0x00000001
#define TEE_DATA_FLAG_ACCESS_WRITE                          0x00000002
#define TEE_DATA_FLAG_ACCESS_WRITE_META                     0x00000004
#define TEE_DATA_FLAG_SHARE_READ                            0x00000010
#define TEE_DATA_FLAG_SHARE_WRITE                           0x00000020
#define TEE_DATA_FLAG_OVERWRITE                             0x00000400
#define TEE_DATA_MAX_POSITION                               0xFFFFFFFF
#define TEE_OBJECT_ID_MAX_LEN                               64
#define TEE_USAGE_EXTRACTABLE                               0x00000001
#define TEE_USAGE_ENCRYPT                                   0x00000002
#define TEE_USAGE_DECRYPT                                   0x00000004
#define TEE_USAGE_MAC                                       0x00000008
#define TEE_USAGE_SIGN                                      0x00000010
#define TEE_USAGE_VERIFY                                    0x00000020
#define TEE_USAGE_DERIVE                                    0x00000040
#define TEE_HANDLE_FLAG_PERSISTENT                          0x00010000
#define TEE_HANDLE_FLAG_INITIALIZED                         0x00020000
#define TEE_HANDLE_FLAG_KEY_SET                             0x00040000
#define TEE_HANDLE_FLAG_EXPECT_TWO_KEYS                     0x00080000
#define TEE_HANDLE_FLAG_EXTRACTING                          0x00100000
#define TEE_OPERATION_CIPHER                                1
#define TEE_OPERATION_MAC                                   3
#define TEE_OPERATION_AE                                    4
#define TEE_OPERATION_DIGEST                                5
#define TEE_OPERATION_ASYMMETRIC_CIPHER                     6
#define TEE_OPERATION_ASYMMETRIC_SIGNATURE                  7
#define TEE_OPERATION_KEY_DERIVATION                        8
#define TEE_OPERATION_STATE_INITIAL                         0x00000000
#define TEE_OPERATION_STATE_ACTIVE                          0x00000001
#define TEE_OPERATION_STATE_EXTRACTING                      0x00000002
#define TEE_MODE_ENCRYPT                                    0x00000000
#define TEE_MODE_DECRYPT                                    0x00000001
#define TEE_MODE_SIGN                                       0x00000002
#define TEE_MODE_VERIFY                                     0x00000003
#define TEE_MODE_MAC                                        0x00000004
#define TEE_MODE_DIGEST                                     0x00000005
#define TEE_MODE_DERIVE                                     0x00000006
#define TEE_MODE_ILLEGAL_VALUE                              0x7FFFFFFF
#define TEE_ALG_AES_ECB_NOPAD                               0x10000010
#define TEE_ALG_AES_CBC_NOPAD                               0x10000110
#define TEE_ALG_AES_CTR                                     0x10000210
#define TEE_ALG_AES_CTS                                     0x10000310
#define TEE_ALG_AES_XTS                                     0x10000410
#define TEE_ALG_AES_CBC_MAC_NOPAD                           0x30000110
#define TEE_ALG_AES_CBC_MAC_PKCS5                           0x30000510
#define TEE_ALG_AES_CMAC                                    0x30000610
#define TEE_ALG_AES_CCM                                     0x40000710
#define TEE_ALG_AES_GCM                                     0x40000810
#define TEE_ALG_DES_ECB_NOPAD                               0x10000011
#define TEE_ALG_DES_CBC_NOPAD                               0x10000111
#define TEE_ALG_DES_CBC_MAC_NOPAD                           0x30000111
#define TEE_ALG_DES_CBC_MAC_PKCS5                           0x30000511
#define TEE_ALG_DES3_ECB_NOPAD                              0x10000013
#define TEE_ALG_DES3_CBC_NOPAD                              0x10000113
#define TEE_ALG_DES3_CBC_MAC_NOPAD                          0x30000113
#define TEE_ALG_DES3_CBC_MAC_PKCS5                          0x30000513
#define TEE_ALG_SM4_ECB_NOPAD                               0x10000014
#define TEE_ALG_SM4_CBC_NOPAD                               0x10000114
#define TEE_ALG_SM4_CTR                                     0x10000214
#define TEE_ALG_SM4_ECB_PKCS5                               0x10000015
#define TEE_ALG_SM4_CBC_PKCS5                               0x10000115
#define TEE_ALG_RSASSA_PKCS1_V1_5_MD5                       0x70001830
#define TEE_ALG_RSASSA_PKCS1_V1_5_SHA1                      0x70002830
#define TEE_ALG_RSASSA_PKCS1_V1_5_SHA224                    0x70003830
#define TEE_ALG_RSASSA_PKCS1_V1_5_SHA256                    0x70004830
#define TEE_ALG_RSASSA_PKCS1_V1_5_SHA384                    0x70005830
#define TEE_ALG_RSASSA_PKCS1_V1_5_SHA512                    0x70006830
#define TEE_ALG_RSASSA_PKCS1_V1_5_MD5SHA1                   0x7000F830
#define TEE_ALG_RSASSA_PKCS1_V1_5_SHA3_224                  0x70008830
#define TEE_ALG_RSASSA_PKCS1_V1_5_SHA3_256                  0x70009830
#define TEE_ALG_RSASSA_PKCS1_V1_5_SHA3_384                  0x7000A830
#define TEE_ALG_RSASSA_PKCS1_V1_5_SHA3_512                  0x7000B830
#define TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA1                  0x70212930
#define TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA224                0x70313930
#define TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256                0x70414930
#define TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA384                0x70515930
#define TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA512                0x70616930
#define TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA3_224              0x70818930
#define TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA3_256              0x70919930
#define TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA3_384              0x70A1A930
#define TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA3_512              0x70B1B930
#define TEE_ALG_RSAES_PKCS1_V1_5                            0x60000130
#define TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA1                  0x60210230
#define TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA224                0x60310230
#define TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256                0x60410230
#define TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA384                0x60510230
#define TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA512                0x60610230
#define TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA3_224              0x60810230
#define TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA3_256              0x60910230
#define TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA3_384              0x60A10230
#define TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA3_512              0x60B10230
#define TEE_ALG_RSA_NOPAD                                   0x60000030
#define TEE_ALG_DSA_SHA1                                    0x70002131
#define TEE_ALG_DSA_SHA224                                  0x70003131
#define TEE_ALG_DSA_SHA256                                  0x70004131
#define TEE_ALG_DSA_SHA3_224                                0x70008131
#define TEE_ALG_DSA_SHA3_256                                0x70009131
#define TEE_ALG_DSA_SHA3_384                                0x7000A131
#define TEE_ALG_DSA_SHA3_512                                0x7000B131
#define TEE_ALG_DH_DERIVE_SHARED_SECRET                     0x80000032
#define TEE_ALG_ECDSA_SHA1                                  0x70001042
#define TEE_ALG_ECDSA_SHA224                                0x70002042
#define TEE_ALG_ECDSA_SHA256                                0x70003042
#define TEE_ALG_ECDSA_SHA384                                0x70004042
#define TEE_ALG_ECDSA_SHA512                                0x70005042
#define TEE_ALG_ECDSA_SHA3_224                              0x70006042
#define TEE_ALG_ECDSA_SHA3_256                              0x70007042
#define TEE_ALG_ECDSA_SHA3_384                              0x70008042
#define TEE_ALG_ECDSA_SHA3_512                              0x70009042
#define TEE_ALG_ECDH_DERIVE_SHARED_SECRET                   0x80000042
#define TEE_ALG_ECDSA_P192                                  0x70001042
#define TEE_ALG_ECDSA_P224                                  0x70002042
#define TEE_ALG_ECDSA_P256                                  0x70003042
#define TEE_ALG_ECDSA_P384                                  0x70004042
#define TEE_ALG_ECDSA_P521                                  0x70005042
#define TEE_ALG_ECDH_P192                                   0x80000042
#define TEE_ALG_ECDH_P224                                   0x80000042
#define TEE_ALG_ECDH_P256                                   0x80000042
#define TEE_ALG_ECDH_P384                                   0x80000042
#define TEE_ALG_ECDH_P521                                   0x80000042
#define __OPTEE_ALG_ECDSA_P192                              0x70001041
#define __OPTEE_ALG_ECDSA_P224                              0x70002041
#define __OPTEE_ALG_ECDSA_P256                              0x70003041
#define __OPTEE_ALG_ECDSA_P384                              0x70004041
#define __OPTEE_ALG_ECDSA_P521                              0x70005041
#define __OPTEE_ALG_ECDH_P192                               0x80001042
#define __OPTEE_ALG_ECDH_P224                               0x80002042
#define __OPTEE_ALG_ECDH_P256                               0x80003042
#define __OPTEE_ALG_ECDH_P384                               0x80004042
#define __OPTEE_ALG_ECDH_P521                               0x80005042
#define TEE_ALG_ED25519                                     0x70006043
#define TEE_ALG_ED448                                       0x70006044
#define TEE_ALG_X25519                                      0x80000044
#define TEE_ALG_X448                                        0x80000045
#define TEE_ALG_SM2_DSA_SM3                                 0x70006045
#define TEE_ALG_SM2_KEP                                     0x60000045
#define TEE_ALG_SM2_PKE                                     0x80000046
#define TEE_ALG_HKDF                                        0x80000047
#define TEE_ALG_MD5                                         0x50000001
#define TEE_ALG_SHA1                                        0x50000002
#define TEE_ALG_SHA224                                      0x50000003
#define TEE_ALG_SHA256                                      0x50000004
#define TEE_ALG_SHA384                                      0x50000005
#define TEE_ALG_SHA512                                      0x50000006
#define TEE_ALG_SM3                                         0x50000007
#define TEE_ALG_SHA3_224                                    0x50000008
#define TEE_ALG_SHA3_256                                    0x50000009
#define TEE_ALG_SHA3_384                                    0x5000000A
#define TEE_ALG_SHA3_512                                    0x5000000B
#define TEE_ALG_MD5SHA1                                     0x5000000F
#define TEE_ALG_SHAKE128                                    0x50000101
#define TEE_ALG_SHAKE256                                    0x50000102
#define TEE_ALG_HMAC_MD5                                    0x30000001
#define TEE_ALG_HMAC_SHA1                                   0x30000002
#define TEE_ALG_HMAC_SHA224                                 0x30000003
#define TEE_ALG_HMAC_SHA256                                 0x30000004
#define TEE_ALG_HMAC_SHA384                                 0x30000005
#define TEE_ALG_HMAC_SHA512                                 0x30000006
#define TEE_ALG_HMAC_SM3                                    0x30000007
#define TEE_ALG_HMAC_SHA3_224                               0x30000008
#define TEE_ALG_HMAC_SHA3_256                               0x30000009
#define TEE_ALG_HMAC_SHA3_384                               0x3000000A
#define TEE_ALG_HMAC_SHA3_512                               0x3000000B
#define TEE_ALG_ILLEGAL_VALUE                               0xEFFFFFFF
#define TEE_TYPE_GENERIC_SECRET                             0xA0000000
#define TEE_TYPE_AES                                        0xA0000010
#define TEE_TYPE_DES                                        0xA0000011
#define TEE_TYPE_DES3                                       0xA0000013
#define TEE_TYPE_SM4                                        0xA0000014
#define TEE_TYPE_HMAC_MD5                                   0xA0000001
#define TEE_TYPE_HMAC_SHA1                                  0xA0000002
#define TEE_TYPE_HMAC_SHA224                                0xA0000003
#define TEE_TYPE_HMAC_SHA256                                0xA0000004
#define TEE_TYPE_HMAC_SHA384                                0xA0000005
#define TEE_TYPE_HMAC_SHA512                                0xA0000006
#define TEE_TYPE_HMAC_SM3                                   0xA0000007
#define TEE_TYPE_HMAC_SHA3_224                              0xA0000008
#define TEE_TYPE_HMAC_SHA3_256                              0xA0000009
#define TEE_TYPE_HMAC_SHA3_384                              0xA000000A
#define TEE_TYPE_HMAC_SHA3_512                              0xA000000B
#define TEE_TYPE_RSA_PUBLIC_KEY                             0xA0000030
#define TEE_TYPE_RSA_KEYPAIR                                0xA1000030
#define TEE_TYPE_DSA_PUBLIC_KEY                             0xA0000031
#define TEE_TYPE_DSA_KEYPAIR                                0xA1000031
#define TEE_TYPE_DH_KEYPAIR                                 0xA1000032
#define TEE_TYPE_ECDSA_PUBLIC_KEY                           0xA0000041
#define TEE_TYPE_ECDSA_KEYPAIR                              0xA1000041
#define TEE_TYPE_ECDH_PUBLIC_KEY                            0xA0000042
#define TEE_TYPE_ECDH_KEYPAIR                               0xA1000042
#define TEE_TYPE_ED25519_PUBLIC_KEY                         0xA0000043
#define TEE_TYPE_ED25519_KEYPAIR                            0xA1000043
#define TEE_TYPE_X25519_PUBLIC_KEY                          0xA0000044
#define TEE_TYPE_X25519_KEYPAIR                             0xA1000044
#define TEE_TYPE_SM2_DSA_PUBLIC_KEY                         0xA0000045
#define TEE_TYPE_SM2_DSA_KEYPAIR                            0xA1000045
#define TEE_TYPE_SM2_KEP_PUBLIC_KEY                         0xA0000046
#define TEE_TYPE_SM2_KEP_KEYPAIR                            0xA1000046
#define TEE_TYPE_SM2_PKE_PUBLIC_KEY                         0xA0000047
#define TEE_TYPE_SM2_PKE_KEYPAIR                            0xA1000047
#define TEE_TYPE_ED448_PUBLIC_KEY                           0xA0000048
#define TEE_TYPE_ED448_KEYPAIR                              0xA1000048
#define TEE_TYPE_X448_PUBLIC_KEY                            0xA0000049
#define TEE_TYPE_X448_KEYPAIR                               0xA1000049
#define TEE_TYPE_HKDF                                       0xA000004A
#define TEE_TYPE_CORRUPTED_OBJECT                           0xA00000BE
#define TEE_TYPE_DATA                                       0xA00000BF
#define TEE_TYPE_ILLEGAL_VALUE                              0xEFFFFFFF
#define TEE_ATTR_FLAG_PUBLIC                                0x10000000
#define TEE_ATTR_FLAG_VALUE                                 0x20000000
#define TEE_ATTR_BIT_PROTECTED                              0x10000000
#define TEE_ATTR_BIT_VALUE                                  0x20000000
#define TEE_ATTR_SECRET_VALUE                               0xC0000000
#define TEE_ATTR_RSA_MODULUS                                0xD0000130
#define TEE_ATTR_RSA_PUBLIC_EXPONENT                        0xD0000230
#define TEE_ATTR_RSA_PRIVATE_EXPONENT                       0xC0000330
#define TEE_ATTR_RSA_PRIME1                                 0xC0000430
#define TEE_ATTR_RSA_PRIME2                                 0xC0000530
#define TEE_ATTR_RSA_EXPONENT1                              0xC0000630
#define TEE_ATTR_RSA_EXPONENT2                              0xC0000730
#define TEE_ATTR_RSA_COEFFICIENT                            0xC0000830
#define TEE_ATTR_RSA_OAEP_LABEL                             0xD0000930
#define TEE_ATTR_RSA_OAEP_MGF_HASH                          0xD0000931
#define TEE_ATTR_RSA_PSS_SALT_LENGTH                        0xF0000A30
#define TEE_ATTR_DSA_PRIME                                  0xD0001031
#define TEE_ATTR_DSA_SUBPRIME                               0xD0001131
#define TEE_ATTR_DSA_BASE                                   0xD0001231
#define TEE_ATTR_DSA_PUBLIC_VALUE                           0xD0000131
#define TEE_ATTR_DSA_PRIVATE_VALUE                          0xC0000231
#define TEE_ATTR_DH_PRIME                                   0xD0001032
#define TEE_ATTR_DH_SUBPRIME                                0xD0001132
#define TEE_ATTR_DH_BASE                                    0xD0001232
#define TEE_ATTR_DH_X_BITS                                  0xF0001332
#define TEE_ATTR_DH_PUBLIC_VALUE                            0xD0000132
#define TEE_ATTR_DH_PRIVATE_VALUE                           0xC0000232
#define TEE_ATTR_ECC_PUBLIC_VALUE_X                         0xD0000141
#define TEE_ATTR_ECC_PUBLIC_VALUE_Y                         0xD0000241
#define TEE_ATTR_ECC_PRIVATE_VALUE                          0xC0000341
#define TEE_ATTR_ECC_CURVE                                  0xF0000441
#define TEE_ATTR_ECC_EPHEMERAL_PUBLIC_VALUE_X               0xD0000146
#define TEE_ATTR_ECC_EPHEMERAL_PUBLIC_VALUE_Y               0xD0000246
#define TEE_ATTR_SM2_ID_INITIATOR                           0xD0000446
#define TEE_ATTR_SM2_ID_RESPONDER                           0xD0000546
#define TEE_ATTR_SM2_KEP_USER                               0xF0000646
#define TEE_ATTR_SM2_KEP_CONFIRMATION_IN                    0xD0000746
#define TEE_ATTR_SM2_KEP_CONFIRMATION_OUT                   0xD0000846
#define __OPTEE_SM2_KEP_ATTR_ECC_EPHEMERAL_PUBLIC_VALUE_X   0xD0000946
#define __OPTEE_SM2_KEP_ATTR_ECC_EPHEMERAL_PUBLIC_VALUE_Y   0xD0000A46
#define TEE_ATTR_EDDSA_PREHASH                              0xF0000004
#define TEE_ATTR_EDDSA_CTX                                  0xD0000643
#define TEE_ATTR_ED25519_PUBLIC_VALUE                       0xD0000743
#define TEE_ATTR_ED25519_PRIVATE_VALUE                      0xC0000843
#define TEE_ATTR_X25519_PUBLIC_VALUE                        0xD0000944
#define TEE_ATTR_X25519_PRIVATE_VALUE                       0xC0000A44
#define TEE_ATTR_X448_PUBLIC_VALUE                          0xD0000A45
#define TEE_ATTR_X448_PRIVATE_VALUE                         0xC0000A46
#define TEE_ATTR_HKDF_SALT                                  0xD0000946
#define TEE_ATTR_HKDF_INFO                                  0xD0000A46
#define TEE_ATTR_HKDF_HASH_ALGORITHM                        0xF0000B46
#define TEE_ATTR_KDF_KEY_SIZE                               0xF0000C46
#define TEE_CRYPTO_ELEMENT_NONE                             0x00000000
#define TEE_ECC_CURVE_NIST_P192                             0x00000001
#define TEE_ECC_CURVE_NIST_P224                             0x00000002
#define TEE_ECC_CURVE_NIST_P256                             0x00000003
#define TEE_ECC_CURVE_NIST_P384                             0x00000004
#define TEE_ECC_CURVE_NIST_P521                             0x00000005
#define TEE_ECC_CURVE_25519                                 0x00000300
#define TEE_ECC_CURVE_SM2                                   0x00000400
#define TEE_PANIC_ID_TA_CLOSESESSIONENTRYPOINT              0x00000101
#define TEE_PANIC_ID_TA_CREATEENTRYPOINT                    0x00000102
#define TEE_PANIC_ID_TA_DESTROYENTRYPOINT                   0x00000103
#define TEE_PANIC_ID_TA_INVOKECOMMANDENTRYPOINT             0x00000104
#define TEE_PANIC_ID_TA_OPENSESSIONENTRYPOINT               0x00000105
#define TEE_PANIC_ID_TEE_ALLOCATEPROPERTYENUMERATOR         0x00000201
#define TEE_PANIC_ID_TEE_FREEPROPERTYENUMERATOR             0x00000202
#define TEE_PANIC_ID_TEE_GETNEXTPROPERTY                    0x00000203
#define TEE_PANIC_ID_TEE_GETPROPERTYASBINARYBLOCK           0x00000204
#define TEE_PANIC_ID_TEE_GETPROPERTYASBOOL                  0x00000205
#define TEE_PANIC_ID_TEE_GETPROPERTYASIDENTITY              0x00000206
#define TEE_PANIC_ID_TEE_GETPROPERTYASSTRING                0x00000207
#define TEE_PANIC_ID_TEE_GETPROPERTYASU32                   0x00000208
#define TEE_PANIC_ID_TEE_GETPROPERTYASUUID                  0x00000209
#define TEE_PANIC_ID_TEE_GETPROPERTYNAME                    0x0000020A
#define TEE_PANIC_ID_TEE_RESETPROPERTYENUMERATOR            0x0000020B
#define TEE_PANIC_ID_TEE_STARTPROPERTYENUMERATOR            0x0000020C
#define TEE_PANIC_ID_TEE_PANIC                              0x00000301
#define TEE_PANIC_ID_TEE_CLOSETASESSION                     0x00000401
#define TEE_PANIC_ID_TEE_INVOKETACOMMAND                    0x00000402
#define TEE_PANIC_ID_TEE_OPENTASESSION                      0x00000403
#define TEE_PANIC_ID_TEE_GETCANCELLATIONFLAG                0x00000501
#define TEE_PANIC_ID_TEE_MASKCANCELLATION                   0x00000502
#define TEE_PANIC_ID_TEE_UNMASKCANCELLATION                 0x00000503
#define TEE_PANIC_ID_TEE_CHECKMEMORYACCESSRIGHTS            0x00000601
#define TEE_PANIC_ID_TEE_FREE                               0x00000602
#define TEE_PANIC_ID_TEE_GETINSTANCEDATA                    0x00000603
#define TEE_PANIC_ID_TEE_MALLOC                             0x00000604
#define TEE_PANIC_ID_TEE_MEMCOMPARE                         0x00000605
#define TEE_PANIC_ID_TEE_MEMFILL                            0x00000606
#define TEE_PANIC_ID_TEE_MEMMOVE                            0x00000607
#define TEE_PANIC_ID_TEE_REALLOC                            0x00000608
#define TEE_PANIC_ID_TEE_SETINSTANCEDATA                    0x00000609
#define TEE_PANIC_ID_TEE_CLOSEOBJECT                        0x00000701
#define TEE_PANIC_ID_TEE_GETOBJECTBUFFERATTRIBUTE           0x00000702
#define TEE_PANIC_ID_TEE_GETOBJECTINFO                      0x00000703
#define TEE_PANIC_ID_TEE_GETOBJECTVALUEATTRIBUTE            0x00000704
#define TEE_PANIC_ID_TEE_RESTRICTOBJECTUSAGE                0x00000705
#define TEE_PANIC_ID_TEE_GETOBJECTINFO1                     0x00000706
#define TEE_PANIC_ID_TEE_RESTRICTOBJECTUSAGE1               0x00000707
#define TEE_PANIC_ID_TEE_ALLOCATETRANSIENTOBJECT            0x00000801
#define TEE_PANIC_ID_TEE_COPYOBJECTATTRIBUTES               0x00000802
#define TEE_PANIC_ID_TEE_FREETRANSIENTOBJECT                0x00000803
#define TEE_PANIC_ID_TEE_GENERATEKEY                        0x00000804
#define TEE_PANIC_ID_TEE_INITREFATTRIBUTE                   0x00000805
#define TEE_PANIC_ID_TEE_INITVALUEATTRIBUTE                 0x00000806
#define TEE_PANIC_ID_TEE_POPULATETRANSIENTOBJECT            0x00000807
#define TEE_PANIC_ID_TEE_RESETTRANSIENTOBJECT               0x00000808
#define TEE_PANIC_ID_TEE_COPYOBJECTATTRIBUTES1              0x00000809
#define TEE_PANIC_ID_TEE_CLOSEANDDELETEPERSISTENTOBJECT     0x00000901
#define TEE_PANIC_ID_TEE_CREATEPERSISTENTOBJECT             0x00000902
#define TEE_PANIC_ID_TEE_OPENPERSISTENTOBJECT               0x00000903
#define TEE_PANIC_ID_TEE_RENAMEPERSISTENTOBJECT             0x00000904
#define TEE_PANIC_ID_TEE_CLOSEANDDELETEPERSISTENTOBJECT1    0x00000905
#define TEE_PANIC_ID_TEE_ALLOCATEPERSISTENTOBJECTENUMERATOR 0x00000A01
#define TEE_PANIC_ID_TEE_FREEPERSISTENTOBJECTENUMERATOR     0x00000A02
#define TEE_PANIC_ID_TEE_GETNEXTPERSISTENTOBJECT            0x00000A03
#define TEE_PANIC_ID_TEE_RESETPERSISTENTOBJECTENUMERATOR    0x00000A04
#define TEE_PANIC_ID_TEE_STARTPERSISTENTOBJECTENUMERATOR    0x00000A05
#define TEE_PANIC_ID_TEE_READOBJECTDATA                     0x00000B01
#define TEE_PANIC_ID_TEE_SEEKOBJECTDATA                     0x00000B02
#define TEE_PANIC_ID_TEE_TRUNCATEOBJECTDATA                 0x00000B03
#define TEE_PANIC_ID_TEE_WRITEOBJECTDATA                    0x00000B04
#define TEE_PANIC_ID_TEE_ALLOCATEOPERATION                  0x00000C01
#define TEE_PANIC_ID_TEE_COPYOPERATION                      0x00000C02
#define TEE_PANIC_ID_TEE_FREEOPERATION                      0x00000C03
#define TEE_PANIC_ID_TEE_GETOPERATIONINFO                   0x00000C04
#define TEE_PANIC_ID_TEE_RESETOPERATION                     0x00000C05
#define TEE_PANIC_ID_TEE_SETOPERATIONKEY                    0x00000C06
#define TEE_PANIC_ID_TEE_SETOPERATIONKEY2                   0x00000C07
#define TEE_PANIC_ID_TEE_GETOPERATIONINFOMULTIPLE           0x00000C08
#define TEE_PANIC_ID_TEE_DIGESTDOFINAL                      0x00000D01
#define TEE_PANIC_ID_TEE_DIGESTUPDATE                       0x00000D02
#define TEE_PANIC_ID_TEE_CIPHERDOFINAL                      0x00000E01
#define TEE_PANIC_ID_TEE_CIPHERINIT                         0x00000E02
#define TEE_PANIC_ID_TEE_CIPHERUPDATE                       0x00000E03
#define TEE_PANIC_ID_TEE_MACCOMPAREFINAL                    0x00000F01
#define TEE_PANIC_ID_TEE_MACCOMPUTEFINAL                    0x00000F02
#define TEE_PANIC_ID_TEE_MACINIT                            0x00000F03
#define TEE_PANIC_ID_TEE_MACUPDATE                          0x00000F04
#define TEE_PANIC_ID_TEE_AEDECRYPTFINAL                     0x00001001
#define TEE_PANIC_ID_TEE_AEENCRYPTFINAL                     0x00001002
#define TEE_PANIC_ID_TEE_AEINIT                             0x00001003
#define TEE_PANIC_ID_TEE_AEUPDATE                           0x00001004
#define TEE_PANIC_ID_TEE_AEUPDATEAAD                        0x00001005
#define TEE_PANIC_ID_TEE_ASYMMETRICDECRYPT                  0x00001101
#define TEE_PANIC_ID_TEE_ASYMMETRICENCRYPT                  0x00001102
#define TEE_PANIC_ID_TEE_ASYMMETRICSIGNDIGEST               0x00001103
#define TEE_PANIC_ID_TEE_ASYMMETRICVERIFYDIGEST             0x00001104
#define TEE_PANIC_ID_TEE_DERIVEKEY                          0x00001201
#define TEE_PANIC_ID_TEE_GENERATERANDOM                     0x00001301
#define TEE_PANIC_ID_TEE_GETREETIME                         0x00001401
#define TEE_PANIC_ID_TEE_GETSYSTEMTIME                      0x00001402
#define TEE_PANIC_ID_TEE_GETTAPERSISTENTTIME                0x00001403
#define TEE_PANIC_ID_TEE_SETTAPERSISTENTTIME                0x00001404
#define TEE_PANIC_ID_TEE_WAIT                               0x00001405
#define TEE_PANIC_ID_TEE_BIGINTFMMCONTEXTSIZEINU32          0x00001501
#define TEE_PANIC_ID_TEE_BIGINTFMMSIZEINU32                 0x00001502
#define TEE_PANIC_ID_TEE_BIGINTINIT                         0x00001601
#define TEE_PANIC_ID_TEE_BIGINTINITFMM                      0x00001602
#define TEE_PANIC_ID_TEE_BIGINTINITFMMCONTEXT               0x00001603
#define TEE_PANIC_ID_TEE_BIGINTCONVERTFROMOCTETSTRING       0x00001701
#define TEE_PANIC_ID_TEE_BIGINTCONVERTFROMS32               0x00001702
#define TEE_PANIC_ID_TEE_BIGINTCONVERTTOOCTETSTRING         0x00001703
#define TEE_PANIC_ID_TEE_BIGINTCONVERTTOS32                 0x00001704
#define TEE_PANIC_ID_TEE_BIGINTCMP                          0x00001801
#define TEE_PANIC_ID_TEE_BIGINTCMPS32                       0x00001802
#define TEE_PANIC_ID_TEE_BIGINTGETBIT                       0x00001803
#define TEE_PANIC_ID_TEE_BIGINTGETBITCOUNT                  0x00001804
#define TEE_PANIC_ID_TEE_BIGINTSHIFTRIGHT                   0x00001805
#define TEE_PANIC_ID_TEE_BIGINTADD                          0x00001901
#define TEE_PANIC_ID_TEE_BIGINTDIV                          0x00001902
#define TEE_PANIC_ID_TEE_BIGINTMUL                          0x00001903
#define TEE_PANIC_ID_TEE_BIGINTNEG                          0x00001904
#define TEE_PANIC_ID_TEE_BIGINTSQUARE                       0x00001905
#define TEE_PANIC_ID_TEE_BIGINTSUB                          0x00001906
#define TEE_PANIC_ID_TEE_BIGINTADDMOD                       0x00001A01
#define TEE_PANIC_ID_TEE_BIGINTINVMOD                       0x00001A02
#define TEE_PANIC_ID_TEE_BIGINTMOD                          0x00001A03
#define TEE_PANIC_ID_TEE_BIGINTMULMOD                       0x00001A04
#define TEE_PANIC_ID_TEE_BIGINTSQUAREMOD                    0x00001A05
#define TEE_PANIC_ID_TEE_BIGINTSUBMOD                       0x00001A06
#define TEE_PANIC_ID_TEE_BIGINTCOMPUTEEXTENDEDGCD           0x00001B01
#define TEE_PANIC_ID_TEE_BIGINTISPROBABLEPRIME              0x00001B02
#define TEE_PANIC_ID_TEE_BIGINTRELATIVEPRIME                0x00001B03
#define TEE_PANIC_ID_TEE_BIGINTCOMPUTEFMM                   0x00001C01
#define TEE_PANIC_ID_TEE_BIGINTCONVERTFROMFMM               0x00001C02
#define TEE_PANIC_ID_TEE_BIGINTCONVERTTOFMM                 0x00001C03

/* tee_api_defines_extensions.h */
#define TEE_ERROR_DEFER_DRIVER_INIT          0x80000000
#define TEE_ERROR_NODE_DISABLED              0x80000001
#define TEE_ALG_HKDF_MD5_DERIVE_KEY          0x800010C0
#define TEE_ALG_HKDF_SHA1_DERIVE_KEY         0x800020C0
#define TEE_ALG_HKDF_SHA224_DERIVE_KEY       0x800030C0
#define TEE_ALG_HKDF_SHA256_DERIVE_KEY       0x800040C0
#define TEE_ALG_HKDF_SHA384_DERIVE_KEY       0x800050C0
#define TEE_ALG_HKDF_SHA512_DERIVE_KEY       0x800060C0
#define TEE_TYPE_HKDF_IKM                    0xA10000C0
#define TEE_ATTR_HKDF_IKM                    0xC00001C0
#define __OPTEE_TEE_ATTR_HKDF_SALT           0xD00002C0
#define __OPTEE_TEE_ATTR_HKDF_INFO           0xD00003C0
#define __OPTEE_ATTR_HKDF_SALT               0xD00002C0
#define __OPTEE_ATTR_HKDF_INFO               0xD00003C0
#define TEE_ATTR_HKDF_OKM_LENGTH             0xF00004C0
#define TEE_ALG_CONCAT_KDF_SHA1_DERIVE_KEY   0x800020C1
#define TEE_ALG_CONCAT_KDF_SHA224_DERIVE_KEY 0x800030C1
#define TEE_ALG_CONCAT_KDF_SHA256_DERIVE_KEY 0x800040C1
#define TEE_ALG_CONCAT_KDF_SHA384_DERIVE_KEY 0x800050C1
#define TEE_ALG_CONCAT_KDF_SHA512_DERIVE_KEY 0x800060C1
#define TEE_TYPE_CONCAT_KDF_Z                0xA10000C1
#define TEE_ATTR_CONCAT_KDF_Z                0xC00001C1
#define TEE_ATTR_CONCAT_KDF_OTHER_INFO       0xD00002C1
#define TEE_ATTR_CONCAT_KDF_DKM_LENGTH       0xF00003C1
#define TEE_ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY  0x800020C2
#define TEE_TYPE_PBKDF2_PASSWORD             0xA10000C2
#define TEE_ATTR_PBKDF2_PASSWORD             0xC00001C2
#define TEE_ATTR_PBKDF2_SALT                 0xD00002C2
#define TEE_ATTR_PBKDF2_ITERATION_COUNT      0xF00003C2
#define TEE_ATTR_PBKDF2_DKM_LENGTH           0xF00004C2
#define TEE_ALG_RSASSA_PKCS1_V1_5            0xF0000830
#define TEE_ALG_DES3_CMAC                    0xF0000613
#define TEE_ALG_SM4_XTS                      0xF0000414
#define TEE_ALG_RSASSA_PKCS1_PSS_MGF1_MD5    0xF0111930
#define TEE_ALG_RSAES_PKCS1_OAEP_MGF1_MD5    0xF0110230
#define TEE_STORAGE_PRIVATE_REE              0x80000000
#define TEE_STORAGE_PRIVATE_RPMB             0x80000100
#define TEE_STORAGE_PRIVATE_SQL_RESERVED     0x80000200
#define TEE_MEMORY_ACCESS_NONSECURE          0x10000000
#define TEE_MEMORY_ACCESS_SECURE             0x20000000
#define TEE_LOGIN_REE_KERNEL                 0x80000000

/* tee_api_types.h */
#define TEE_SE_READER_NAME_MAX 20
#define TEE_MEM_INPUT          0x00000001
#define TEE_MEM_OUTPUT         0x00000002
#define TEE_MEMREF_0_USED      0x00000001
#define TEE_MEMREF_1_USED      0x00000002
#define TEE_MEMREF_2_USED      0x00000004
#define TEE_MEMREF_3_USED      0x00000008

/* tee_internal_api_extensions.h */
#define TEE_USER_MEM_HINT_NO_FILL_ZERO 0x80000000

/* user_ta_header.h */
#define TA_FLAG_USER_MODE                           0
#define TA_FLAG_EXEC_DDR                            0
#define TA_FLAG_SINGLE_INSTANCE                     0x00000004
#define TA_FLAG_MULTI_SESSION                       0x00000008
#define TA_FLAG_INSTANCE_KEEP_ALIVE                 0x00000010
#define TA_FLAG_SECURE_DATA_PATH                    0x00000020
#define TA_FLAG_REMAP_SUPPORT                       0
#define TA_FLAG_CACHE_MAINTENANCE                   0x00000080
#define TA_FLAG_CONCURRENT                          0x00000100
#define TA_FLAG_DEVICE_ENUM                         0x00000200
#define TA_FLAG_DEVICE_ENUM_SUPP                    0x00000400
#define TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT 0x00000800
#define TA_FLAG_DEVICE_ENUM_TEE_STORAGE_PRIVATE     0x00001000
#define TA_FLAG_INSTANCE_KEEP_CRASHED               0x00002000

/* trace_levels.h */
#define TRACE_MIN          1
#define TRACE_ERROR        1
#define TRACE_INFO         2
#define TRACE_DEBUG        3
#define TRACE_FLOW         4
#define TRACE_MAX          4
#define TRACE_PRINTF_LEVEL 1

/* ---- end of generated constants ---- */
