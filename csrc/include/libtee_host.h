/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hosting a TA that is not a shared object: the Python TA host
 * (pytee/internal/host.py) hands libtee the TA's head, properties and
 * entry points in a table and libtee's runtime serves it exactly as it
 * serves a C TA loaded by tahost.  Not part of the TA dev kit.
 */
#ifndef LIBTEE_HOST_H
#define LIBTEE_HOST_H

#include <stddef.h>
#include <tee_api_types.h>
#include <user_ta_header.h>

struct libtee_ta_ops {
	const struct pytee_ta_head *head;
	const struct user_ta_property *props; /* may be NULL if nprops is 0 */
	size_t nprops;
	TEE_Result (*create)(void);
	void (*destroy)(void);
	TEE_Result (*open)(uint32_t param_types, TEE_Param params[4],
			   void **sess_ctx);
	void (*close)(void *sess_ctx);
	TEE_Result (*invoke)(void *sess_ctx, uint32_t cmd, uint32_t param_types,
			     TEE_Param params[4]);
};

/*
 * Serve the TA in `ops` on the control socket and cancel pipe teed gave
 * (fds inherited by this process), logging to log_path; returns when the
 * instance ends.  ops == NULL tells teed that the TA could not be loaded
 * (after the caller logged why) and returns 1.
 */
int libtee_host_run(const struct libtee_ta_ops *ops, int ctl_fd, int cancel_fd,
		    const char *log_path);

#endif /* LIBTEE_HOST_H */
