// SPDX-License-Identifier: BSD-2-Clause
/*
 * Client of the "hello" sample TA: opens a session, has the TA increment a
 * value, prints the result and exits 0 when everything went as expected.
 * Plain GP TEE Client API: it builds against OP-TEE's libteec and pytee's.
 */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tee_client_api.h>

#include <hello_ta.h>

static void check(TEEC_Result res, uint32_t origin, const char *what)
{
	if (res != TEEC_SUCCESS)
		errx(1, "%s failed with code 0x%" PRIx32 " origin 0x%" PRIx32,
		     what, res, origin);
}

int main(void)
{
	const TEEC_UUID uuid = TA_HELLO_UUID;
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	uint32_t origin = 0;
	uint32_t start = 42;
	TEEC_Result res = TEEC_ERROR_GENERIC;

	res = TEEC_InitializeContext(NULL, &ctx);
	check(res, TEEC_ORIGIN_API, "TEEC_InitializeContext");

	res = TEEC_OpenSession(&ctx, &sess, &uuid, TEEC_LOGIN_PUBLIC, NULL,
			       NULL, &origin);
	check(res, origin, "TEEC_OpenSession");

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = start;
	printf("Invoking TA to increment %" PRIu32 "\n", start);
	res = TEEC_InvokeCommand(&sess, TA_HELLO_CMD_INC_VALUE, &op, &origin);
	check(res, origin, "TEEC_InvokeCommand");
	printf("TA incremented value to %" PRIu32 "\n", op.params[0].value.a);
	if (op.params[0].value.a != start + 1)
		errx(1, "expected %" PRIu32 ", got %" PRIu32, start + 1,
		     op.params[0].value.a);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	return EXIT_SUCCESS;
}
