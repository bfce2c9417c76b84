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

/* Instance data (TEE_SetInstanceData / TEE_GetInstanceData). */
void rt_set_instance_data(const void *data);
const void *rt_get_instance_data(void);

/* ---- uuid.c: TEE_UUID <-> 16 big-endian octets (RFC 4122 order) ---- */
void uuid_from_octets(const uint8_t o[16], TEE_UUID *u);
void uuid_to_octets(const TEE_UUID *u, uint8_t o[16]);

/* ---- memory.c ---- */

/* The TA heap limit (TA_DATA_SIZE); set by the runtime before any entry. */
void mem_set_heap_limit(size_t bytes);

#endif /* LIBTEE_INTERNAL_H */
