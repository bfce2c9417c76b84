// SPDX-License-Identifier: BSD-2-Clause
/*
 * The payment TA of CN103942678A (docs/payment.md): entry points,
 * sessions and dispatch.  Each session carries one transaction's state
 * (IDLE -> SELECTED -> GPO_DONE -> DEBITED) and a load challenge; the
 * card itself (keys, balance, counters) is in trusted storage.  GP TEE
 * Internal Core API and the TA libc subset only, so the same source
 * builds with OP-TEE's dev kit.
 */
#include <string.h>

#include "payment_internal.h"

TEE_Result param_in(const TEE_Param *p, size_t min, size_t max, void *buf,
		    size_t *len)
{
	size_t size = p->memref.size;

	if (size < min || size > max || (size && !p->memref.buffer))
		return TEE_ERROR_BAD_PARAMETERS;
	/* the client may change shared memory: parse a copy of our own */
	if (size)
		memcpy(buf, p->memref.buffer, size);
	*len = size;
	return TEE_SUCCESS;
}

TEE_Result param_room(TEE_Param *p, size_t len)
{
	if (p->memref.size < len || !p->memref.buffer) {
		p->memref.size = len;
		return TEE_ERROR_SHORT_BUFFER;
	}
	return TEE_SUCCESS;
}

void param_out(TEE_Param *p, const void *data, size_t len)
{
	memcpy(p->memref.buffer, data, len);
	p->memref.size = len;
}

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t pt, TEE_Param params[4],
				    void **sess_ctx)
{
	struct pay_session *s = NULL;

	(void)params;
	if (pt != TEE_PARAM_TYPES(PT_NONE, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	s = TEE_Malloc(sizeof(*s), TEE_MALLOC_FILL_ZERO);
	if (!s)
		return TEE_ERROR_OUT_OF_MEMORY;
	s->phase = PHASE_IDLE;
	*sess_ctx = s;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	struct pay_session *s = sess_ctx;

	/* power off: the transaction and any load challenge are gone */
	TEE_MemFill(s, 0, sizeof(*s));
	TEE_Free(s);
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd,
				      uint32_t pt, TEE_Param params[4])
{
	struct pay_session *s = sess_ctx;

	switch (cmd) {
	case PAYMENT_CMD_KEYGEN:
		return cmd_keygen(s, pt, params);
	case PAYMENT_CMD_GET_INFO:
		return cmd_get_info(s, pt, params);
	case PAYMENT_CMD_ENROL:
		return cmd_enrol(s, pt, params);
	case PAYMENT_CMD_INIT_LOAD:
		return cmd_init_load(s, pt, params);
	case PAYMENT_CMD_CREDIT_LOAD:
		return cmd_credit_load(s, pt, params);
	case PAYMENT_CMD_SELECT:
		return cmd_select(s, pt, params);
	case PAYMENT_CMD_GPO:
		return cmd_gpo(s, pt, params);
	case PAYMENT_CMD_DEBIT:
		return cmd_debit(s, pt, params);
	case PAYMENT_CMD_READ_CERT:
		return cmd_read_cert(s, pt, params);
	case PAYMENT_CMD_SET_PIN:
		return cmd_set_pin(s, pt, params);
	case PAYMENT_CMD_LAST_LOAD:
		return cmd_last_load(s, pt, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
