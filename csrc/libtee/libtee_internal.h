/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the files of libtee export to each other.
 *
 * runtime.c is the TA host: it loads the TA, runs the control and session
 * loop, and owns sessions, cancellation, client identity and the TA log.
 * The GP API files (memory.c, properties.c, trace.c, cancel.c, ...) reach
 * that state only through the rt_* functions below.
 */
#ifndef LIBTEE_INTERNAL_H
#define LIBTEE_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>
#include <user_ta_header.h>

/* Exported so that tahost (and the Python TA host) can start a host. */
int libtee_host_main(int argc, char **argv);

/* ---- runtime.c ---- */

/* The loaded TA's header and properties. */
const struct pytee_ta_head *rt_ta_head(void);
const struct user_ta_property *rt_ta_props(size_t *count);

/* The client of the session whose entry point is running (NULL outside one). */
const TEE_Identity *rt_client_identity(void);

/*
 * Cancellation of the running command: the mask is per session and starts
 * masked (as in OP-TEE); the flag is set by the client's
 * TEEC_RequestCancellation.
 */
bool rt_cancel_flag(void);	   /* set, whatever the mask */
bool rt_cancel_masked(void);
void rt_cancel_set_masked(bool masked); /* returns nothing; callers read first */

/*
 * Sleep up to timeout_ms (TEE_TIMEOUT_INFINITE for no limit).  Returns
 * true as soon as the running command is cancelled while unmasked, false
 * when the time has passed.
 */
bool rt_wait(uint32_t timeout_ms);

/* Append bytes, as given, to the TA's log (log/<uuid>.log in the data
 * folder); callers end their lines with '\n' and write each in one call. */
void rt_log_line(const char *line, size_t len);

/* End the instance: log the code and exit; the sessions see TARGET_DEAD. */
void rt_panic(TEE_Result code) __attribute__((noreturn));

/*
 * Whether [p, p+len) overlaps (whole == false) or lies inside one piece of
 * (whole == true) memory shared with the client: the memrefs of the
 * running entry point and the shared memory mapped for its session.
 */
bool rt_client_memory(const void *p, size_t len, bool whole);

/* Instance data (TEE_SetInstanceData / TEE_GetInstanceData). */
void rt_set_instance_data(const void *data);
const void *rt_get_instance_data(void);

/* ---- uuid.c: TEE_UUID <-> 16 big-endian octets (RFC 4122 order) ---- */
void uuid_from_octets(const uint8_t o[16], TEE_UUID *u);
void uuid_to_octets(const TEE_UUID *u, uint8_t o[16]);

/* ---- object.c: transient objects and attributes (GP 5.3-5.6) ----
 *
 * A TEE_ObjectHandle points at this struct for transient and persistent
 * objects alike.  Attribute buffers are owned copies.  storage.c keeps the
 * persistent part behind `pobj` and is called back on close.
 */
#define OBJ_MAGIC 0x4f424a31u /* "OBJ1" */

struct pobj; /* storage.c */

struct __TEE_ObjectHandle {
	uint32_t magic;
	TEE_ObjectInfo info;
	TEE_Attribute *attrs;	/* populated attributes, ref buffers owned */
	size_t nattrs;
	struct pobj *pobj;	/* NULL for a transient object */
};

/* Panics (TEE_ERROR_BAD_PARAMETERS) unless h is a live object handle. */
struct __TEE_ObjectHandle *obj_checked(TEE_ObjectHandle h);
/* A new initialised-empty object of a type, as TEE_AllocateTransientObject. */
TEE_Result obj_alloc(uint32_t type, uint32_t max_size, TEE_ObjectHandle *out);
void obj_release(TEE_ObjectHandle h); /* frees a handle (no storage callback) */
const TEE_Attribute *obj_attr(TEE_ObjectHandle h, uint32_t id);
/* Copy attrs into h (replacing), checked as TEE_PopulateTransientObject. */
TEE_Result obj_set_attrs(TEE_ObjectHandle h, const TEE_Attribute *attrs,
			 uint32_t count);
/* Attributes to and from a self-describing byte string (for storage). */
TEE_Result obj_attrs_encode(TEE_ObjectHandle h, uint8_t **out, size_t *len);
TEE_Result obj_attrs_decode(TEE_ObjectHandle h, const uint8_t *buf,
			    size_t len);
/*
 * (object.c, object_attrs.c, object_rules.c) TEE_CloseObject calls
 * pobj_close(h), which frees only h->pobj, then obj_release(h).  The
 * string of obj_attrs_encode() is malloc'd (free() it); decode replaces
 * the attributes only (the caller keeps info: sizes, usage, flags) and
 * answers TEE_ERROR_CORRUPT_OBJECT for a string that is not well formed
 * or names an attribute foreign to the object's type.  obj_set_attrs()
 * also sets info.objectSize and TEE_HANDLE_FLAG_INITIALIZED, and returns
 * OP-TEE's core codes: TEE_ERROR_ITEM_NOT_FOUND for a bad attribute set,
 * TEE_ERROR_BAD_STATE for a size beyond maxObjectSize.
 */

/* ---- operation.c: cryptographic operations (GP 6.2) ----
 *
 * A TEE_OperationHandle points at this struct.  operation.c allocates it
 * (checking algorithm, mode and key size as OP-TEE does, with
 * operation_algs.c), owns the key objects and the state machine;
 * digest.c, cipher.c, mac.c and ae.c keep their OpenSSL state behind
 * `sym` (op_sym.h); asym.c reads info, key1 and key2.
 *
 * As in OP-TEE, key1 (and key2 when the algorithm takes two keys, i.e.
 * TEE_HANDLE_FLAG_EXPECT_TWO_KEYS: AES-XTS, SM4-XTS and SM2-KEP) are transient
 * objects the operation allocates up front with the key type the
 * algorithm and mode need: the key-pair type for DECRYPT, SIGN and
 * DERIVE, the public-key type for ENCRYPT and VERIFY (TEE_SetOperationKey
 * copies only the public part of a key pair into it).  They are NULL for
 * digests.  A key is present once info.handleState has
 * TEE_HANDLE_FLAG_KEY_SET; info.keySize is then its size in bits.
 */
#define OP_MAGIC 0x4f505231u /* "OPR1" */

struct op_sym; /* symmetric state (OpenSSL contexts, buffered input) */

struct __TEE_OperationHandle {
	uint32_t magic;
	TEE_OperationInfo info;	/* algorithm, class, mode, sizes, flags */
	uint32_t state;		/* TEE_OPERATION_STATE_* */
	TEE_ObjectHandle key1;	/* owned; NULL for a digest */
	TEE_ObjectHandle key2;	/* owned; NULL unless two keys */
	struct op_sym *sym;	/* NULL for asymmetric and KDF classes */
};

/* Panics (TEE_ERROR_BAD_PARAMETERS) unless h is a live operation handle. */
struct __TEE_OperationHandle *op_checked(TEE_OperationHandle h);

/* ---- storage.c: called by TEE_CloseObject for a persistent object ---- */
void pobj_close(TEE_ObjectHandle h);

/* ---- asym.c: asymmetric key generation, called by TEE_GenerateKey ---- */
TEE_Result asym_generate_key(TEE_ObjectHandle h, uint32_t key_size,
			     const TEE_Attribute *params, uint32_t count);

/* ---- fetch.c: OpenSSL algorithms fetched once per process ----
 *
 * The algorithm of an OpenSSL name ("SHA256", "AES-128-CBC", "HMAC",
 * "HKDF"), fetched on first use and kept for the life of the process:
 * a borrowed pointer, never to be freed, usable from any thread; NULL
 * when the host's OpenSSL has no such algorithm (or NULL name).  Use
 * these rather than EVP_*_fetch per call or the implicit fetches of
 * EVP_sha256()-style getters, which look the name up again each time.
 * fetch_fromdata() is an EVP_PKEY_CTX of a key type ("EC", "RSA", ...)
 * ready for EVP_PKEY_fromdata(), which only reads it; nothing else may
 * be done with it.
 */
struct evp_md_st;
struct evp_cipher_st;
struct evp_mac_st;
struct evp_kdf_st;
struct evp_pkey_ctx_st;

const struct evp_md_st *fetch_md(const char *name);
const struct evp_cipher_st *fetch_cipher(const char *name);
struct evp_mac_st *fetch_mac(const char *name);
struct evp_kdf_st *fetch_kdf(const char *name);
struct evp_pkey_ctx_st *fetch_fromdata(const char *type);

/* ---- asym_key.c: asymmetric keys and OpenSSL, shared by asym*.c, derive.c,
 * kdf.c and sm2*.c ----
 *
 * struct evp_pkey_st and struct evp_md_st are OpenSSL's EVP_PKEY and
 * EVP_MD, named by their tags so that this header needs no OpenSSL one.
 */
struct evp_pkey_st;
struct evp_md_st;

/* The EVP_PKEY of an initialised key object of an asymmetric type. */
TEE_Result asym_pkey(TEE_ObjectHandle h, struct evp_pkey_st **out);
/* The EVP_PKEY of the public point (x, y) on a TEE_ECC_CURVE_* curve. */
TEE_Result asym_ec_public(uint32_t curve, const TEE_Attribute *x,
			  const TEE_Attribute *y, struct evp_pkey_st **out);
/* Whether an object type is one of the SM2 key types. */
bool asym_is_sm2_type(uint32_t type);
/* The public key pub (a TEE_ATTR_DH_PUBLIC_VALUE) on the DH domain of h. */
TEE_Result asym_dh_peer(TEE_ObjectHandle h, const TEE_Attribute *pub,
			struct evp_pkey_st **out);
/* The curve of an ECC or SM2 key object (SM2 types have no attribute). */
uint32_t asym_curve_of(TEE_ObjectHandle h);
/* OpenSSL group name and size in bits of a curve; false if unknown. */
bool asym_curve(uint32_t curve, const char **group, uint32_t *bits);
/* The digest of a TEE_ALG_<hash> id (MD5 ... SHA3-512, SM3), or NULL. */
const struct evp_md_st *asym_md(uint32_t hash_alg);
/* The first attribute id among attrs[0..count), or NULL. */
const TEE_Attribute *asym_param(const TEE_Attribute *attrs, uint32_t count,
				uint32_t id);
/* Panics, as OP-TEE's libutee, unless op has a key object and the class
 * and mode given; then returns whether a key is set. */
bool asym_op_ready(struct __TEE_OperationHandle *op, uint32_t op_class,
		   uint32_t mode);

/* ---- asym_key.c: the EVP_PKEY of an operation's key, kept between calls ----
 *
 * asym_op_pkey() gives a reference (EVP_PKEY_free it) to the EVP_PKEY of
 * op->key1, built on the first call and kept for the next ones.
 * asym_op_keep_ctx() takes over an EVP_PKEY_CTX made on that EVP_PKEY
 * (true; false when nothing is kept for op or a context is already kept:
 * the caller keeps it) and asym_op_ctx() lends it back (NULL if none).
 * operation.c calls asym_op_forget(op), which frees both, before op->key1
 * changes and when op is freed.
 */
struct evp_pkey_ctx_st;	/* OpenSSL's EVP_PKEY_CTX */

TEE_Result asym_op_pkey(struct __TEE_OperationHandle *op,
			struct evp_pkey_st **out);
struct evp_pkey_ctx_st *asym_op_ctx(const struct __TEE_OperationHandle *op);
bool asym_op_keep_ctx(const struct __TEE_OperationHandle *op,
		      struct evp_pkey_ctx_st *ctx);
void asym_op_forget(const struct __TEE_OperationHandle *op);

/* ---- sm2.c: SM2 public-key encryption (GM/T 0003.4) ----
 * C1 || C2 || C3 as OP-TEE (C1 the uncompressed point, C3 the SM3 hash). */
TEE_Result sm2_pke_encrypt(TEE_ObjectHandle key, const uint8_t *src,
			   size_t src_len, uint8_t *dst, size_t *dst_len);
TEE_Result sm2_pke_decrypt(TEE_ObjectHandle key, const uint8_t *src,
			   size_t src_len, uint8_t *dst, size_t *dst_len);

/* ---- sm2_kep.c: SM2 key exchange (GM/T 0003.3) ----
 * The shared key of TEE_ALG_SM2_KEP, out_len bytes, into out (and our
 * confirmation into the TEE_ATTR_SM2_KEP_CONFIRMATION_OUT buffer, if
 * any); key is our key pair, eph_key our ephemeral key pair. */
TEE_Result sm2_kep_derive(TEE_ObjectHandle key, TEE_ObjectHandle eph_key,
			  const TEE_Attribute *params, uint32_t count,
			  uint8_t *out, size_t out_len);

/* ---- kdf.c: HKDF, Concat KDF and PBKDF2 for TEE_DeriveKey ----
 *
 * The secret of algorithm alg from key object key and the operation
 * parameters, into a new buffer *out of *out_len bytes (free with
 * OPENSSL_clear_free); *out_len at most max_len.
 */
TEE_Result kdf_derive(uint32_t alg, TEE_ObjectHandle key,
		      const TEE_Attribute *params, uint32_t count,
		      size_t max_len, uint8_t **out, size_t *out_len);

/* ---- memory.c ---- */

/* The TA heap limit (TA_DATA_SIZE); set by the runtime before any entry. */
void mem_set_heap_limit(size_t bytes);

/* ---- arith.c: TEE_BigInt <-> OpenSSL BIGNUM, for arith*.c ----
 *
 * Each arithmetic function takes its temporaries from one BN_CTX:
 * arith_begin() makes it, arith_var() draws a zeroed BIGNUM from it and
 * arith_end() frees them all (clearing them: a TEE_BigInt may hold a key).
 * Every function here panics, after logging "func: why", on misuse and
 * when memory runs out, so callers check nothing.
 */
struct bignum_st;	/* OpenSSL's BIGNUM */
struct bignum_ctx;	/* OpenSSL's BN_CTX */

void arith_panic(const char *func, const char *why) __attribute__((noreturn));
void arith_check(int ok, const char *func); /* panics unless ok == 1 */
struct bignum_ctx *arith_begin(const char *func);
struct bignum_st *arith_var(struct bignum_ctx *ctx, const char *func);
void arith_end(struct bignum_ctx *ctx);
/* out = the value of a; panics unless a is an initialised TEE_BigInt. */
void arith_load(struct bignum_st *out, const TEE_BigInt *a, const char *func);
/* out = n; panics unless n >= 2 (a modulus). */
void arith_load_modulus(struct bignum_st *out, const TEE_BigInt *n,
			const char *func);
/* dest = v; false (dest unchanged) when v does not fit in dest. */
bool arith_store(TEE_BigInt *dest, const struct bignum_st *v,
		 const char *func);
/* dest = v; panics when v does not fit in dest. */
void arith_result(TEE_BigInt *dest, const struct bignum_st *v,
		  const char *func);

/* ---- libc_stdlib.c: the TA libc subset's abort() ----
 *
 * Logs "Abort!" and panics the TA with code 0, as OP-TEE's abort(); the
 * dev kit's <stdlib.h> links a TA's abort() to it, and libc_console.c
 * calls it on a stream or fd that is not the console.
 */
void __pytee_ta_abort(void) __attribute__((noreturn));

#endif /* LIBTEE_INTERNAL_H */
