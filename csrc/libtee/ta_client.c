// SPDX-License-Identifier: BSD-2-Clause
/*
 * The Internal Client API (GP 4.9): a TA opens sessions to other TAs.
 *
 * The TA host is then a client of teed like any other, so the calls go
 * through pytee's own libteec, loaded from beside libtee.so when a TA first
 * needs it.  teed recognises its TA host by the peer credentials and gives
 * the callee the TEE_LOGIN_TRUSTED_APP login with the caller's UUID.
 * Memory references travel as temporary memrefs: copied in, and copied
 * back with their sizes after the call, as the TEE_Param convention of the
 * two APIs is the same (types 1-3 values, 5-7 memrefs).
 *
 * Calls are made from the TA's thread only, so the state needs no lock.
 * A call cycle between single-instance TAs (A calls B which calls A) waits
 * forever here, where OP-TEE answers TEE_ERROR_BUSY.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tee_client_api.h>

#include "api.h"
#include "libtee_internal.h"
#include "paths.h"

#define TA_SESSION_MAGIC 0x54415331u /* "TAS1" */

struct __TEE_TASessionHandle {
	uint32_t magic;
	TEEC_Session session;
};

struct teec_api {
	TEEC_Result (*initialize)(const char *, TEEC_Context *);
	TEEC_Result (*open)(TEEC_Context *, TEEC_Session *, const TEEC_UUID *,
			    uint32_t, const void *, TEEC_Operation *,
			    uint32_t *);
	void (*close)(TEEC_Session *);
	TEEC_Result (*invoke)(TEEC_Session *, uint32_t, TEEC_Operation *,
			      uint32_t *);
	void (*cancel)(TEEC_Operation *);
};

static struct teec_api g_teec;
static TEEC_Context g_context;
static bool g_connected;

/* Load libteec.so.2 from beside libtee.so and connect to teed, once. */
static TEE_Result connect_teed(void)
{
	char dir[PATHS_MAX];
	char path[PATHS_MAX];
	void *lib = NULL;
	TEEC_Result res = TEEC_SUCCESS;

	if (g_connected)
		return TEE_SUCCESS;
	if (paths_dir_of_symbol((const void *)connect_teed, dir, sizeof(dir)) ||
	    paths_join(path, sizeof(path), dir, "libteec.so.2"))
		return TEE_ERROR_COMMUNICATION;
	lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		EMSG("cannot load %s: %s", path, dlerror());
		return TEE_ERROR_COMMUNICATION;
	}
	*(void **)&g_teec.initialize = dlsym(lib, "TEEC_InitializeContext");
	*(void **)&g_teec.open = dlsym(lib, "TEEC_OpenSession");
	*(void **)&g_teec.close = dlsym(lib, "TEEC_CloseSession");
	*(void **)&g_teec.invoke = dlsym(lib, "TEEC_InvokeCommand");
	*(void **)&g_teec.cancel = dlsym(lib, "TEEC_RequestCancellation");
	if (!g_teec.initialize || !g_teec.open || !g_teec.close ||
	    !g_teec.invoke || !g_teec.cancel) {
		EMSG("%s lacks the TEE Client API", path);
		dlclose(lib);
		return TEE_ERROR_COMMUNICATION;
	}
	res = g_teec.initialize(NULL, &g_context);
	if (res != TEEC_SUCCESS) {
		EMSG("cannot reach teed: 0x%08x", (unsigned int)res);
		dlclose(lib);
		return TEE_ERROR_COMMUNICATION;
	}
	g_connected = true;
	return TEE_SUCCESS;
}

/* TEE_Param[4] -> TEEC_Operation; the types nibbles mean the same. */
static void to_operation(uint32_t types, const TEE_Param params[TEE_NUM_PARAMS],
			 TEEC_Operation *op)
{
	memset(op, 0, sizeof(*op));
	op->paramTypes = types;
	for (unsigned int i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(types, i);

		if (t >= TEE_PARAM_TYPE_MEMREF_INPUT) {
			op->params[i].tmpref.buffer = params[i].memref.buffer;
			op->params[i].tmpref.size = params[i].memref.size;
		} else if (t != TEE_PARAM_TYPE_NONE) {
			op->params[i].value.a = params[i].value.a;
			op->params[i].value.b = params[i].value.b;
		}
	}
}

/* Outputs (values, memref sizes) back into the caller's TEE_Param. */
static void from_operation(uint32_t types, const TEEC_Operation *op,
			   TEE_Param params[TEE_NUM_PARAMS])
{
	for (unsigned int i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(types, i);

		if (t == TEE_PARAM_TYPE_MEMREF_OUTPUT ||
		    t == TEE_PARAM_TYPE_MEMREF_INOUT) {
			params[i].memref.size = op->params[i].tmpref.size;
		} else if (t == TEE_PARAM_TYPE_VALUE_OUTPUT ||
			   t == TEE_PARAM_TYPE_VALUE_INOUT) {
			params[i].value.a = op->params[i].value.a;
			params[i].value.b = op->params[i].value.b;
		}
	}
}

static bool types_valid(uint32_t types)
{
	for (unsigned int i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(types, i);

		if (t == 4 || t > TEE_PARAM_TYPE_MEMREF_INOUT)
			return false;
	}
	return true;
}

static void set_origin(uint32_t *origin, uint32_t value)
{
	if (origin)
		*origin = value;
}

TEE_API TEE_Result TEE_OpenTASession(const TEE_UUID *destination,
				     uint32_t cancellationRequestTimeout,
				     uint32_t paramTypes,
				     TEE_Param params[TEE_NUM_PARAMS],
				     TEE_TASessionHandle *session,
				     uint32_t *returnOrigin)
{
	struct __TEE_TASessionHandle *h = NULL;
	TEEC_Operation op;
	TEEC_UUID uuid;
	TEE_Result res = TEE_SUCCESS;

	/* Opening is not cancellable here, as on OP-TEE: the timeout is moot. */
	(void)cancellationRequestTimeout;
	if (!destination || !session || !types_valid(paramTypes) ||
	    (paramTypes && !params))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	*session = TEE_HANDLE_NULL;
	set_origin(returnOrigin, TEE_ORIGIN_TEE);
	res = connect_teed();
	if (res != TEE_SUCCESS)
		return res;
	h = calloc(1, sizeof(*h));
	if (!h)
		return TEE_ERROR_OUT_OF_MEMORY;
	memcpy(&uuid, destination, sizeof(uuid));
	to_operation(paramTypes, params, &op);
	res = g_teec.open(&g_context, &h->session, &uuid, TEEC_LOGIN_PUBLIC,
			  NULL, &op, returnOrigin);
	if (paramTypes)
		from_operation(paramTypes, &op, params);
	if (res != TEE_SUCCESS) {
		free(h);
		return res;
	}
	h->magic = TA_SESSION_MAGIC;
	*session = h;
	return TEE_SUCCESS;
}

static struct __TEE_TASessionHandle *checked(TEE_TASessionHandle session)
{
	if (!session || session->magic != TA_SESSION_MAGIC)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	return session;
}

TEE_API void TEE_CloseTASession(TEE_TASessionHandle session)
{
	struct __TEE_TASessionHandle *h = NULL;

	if (session == TEE_HANDLE_NULL)
		return;
	h = checked(session);
	g_teec.close(&h->session);
	h->magic = 0;
	free(h);
}

/* Cancels an invoke when its cancellation timeout passes first. */
struct canceller {
	pthread_mutex_t lock;
	pthread_cond_t done_cv;
	bool done;
	struct timespec deadline;
	TEEC_Operation *op;
};

static void *canceller_thread(void *arg)
{
	struct canceller *c = arg;
	int rc = 0;

	pthread_mutex_lock(&c->lock);
	while (!c->done && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&c->done_cv, &c->lock, &c->deadline);
	if (!c->done)
		g_teec.cancel(c->op);
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

static TEE_Result invoke_with_timeout(TEEC_Session *s, uint32_t cmd,
				      TEEC_Operation *op, uint32_t timeout_ms,
				      uint32_t *origin)
{
	struct canceller c = { .op = op };
	pthread_condattr_t attr;
	pthread_t tid;
	TEE_Result res = TEE_SUCCESS;

	pthread_mutex_init(&c.lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&c.done_cv, &attr);
	pthread_condattr_destroy(&attr);
	clock_gettime(CLOCK_MONOTONIC, &c.deadline);
	c.deadline.tv_sec += timeout_ms / 1000;
	c.deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (c.deadline.tv_nsec >= 1000000000L) {
		c.deadline.tv_sec++;
		c.deadline.tv_nsec -= 1000000000L;
	}
	if (pthread_create(&tid, NULL, canceller_thread, &c)) {
		res = TEE_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	res = g_teec.invoke(s, cmd, op, origin);
	pthread_mutex_lock(&c.lock);
	c.done = true;
	pthread_cond_signal(&c.done_cv);
	pthread_mutex_unlock(&c.lock);
	pthread_join(tid, NULL);
out:
	pthread_cond_destroy(&c.done_cv);
	pthread_mutex_destroy(&c.lock);
	return res;
}

TEE_API TEE_Result TEE_InvokeTACommand(TEE_TASessionHandle session,
				       uint32_t cancellationRequestTimeout,
				       uint32_t commandID, uint32_t paramTypes,
				       TEE_Param params[TEE_NUM_PARAMS],
				       uint32_t *returnOrigin)
{
	struct __TEE_TASessionHandle *h = checked(session);
	TEEC_Operation op;
	TEE_Result res = TEE_SUCCESS;

	if (!types_valid(paramTypes) || (paramTypes && !params))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	to_operation(paramTypes, params, &op);
	if (cancellationRequestTimeout == TEE_TIMEOUT_INFINITE)
		res = g_teec.invoke(&h->session, commandID, &op, returnOrigin);
	else
		res = invoke_with_timeout(&h->session, commandID, &op,
					  cancellationRequestTimeout,
					  returnOrigin);
	if (paramTypes)
		from_operation(paramTypes, &op, params);
	return res;
}
