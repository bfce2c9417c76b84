/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef LIBC_QUEUE_H
#define LIBC_QUEUE_H

#include <tee_internal_api.h>

/* TA_LIBC_CMD_QUEUE (see libc_queue.c) */
TEE_Result libc_queue_cmd(uint32_t pt, TEE_Param params[4]);

#endif /* LIBC_QUEUE_H */
