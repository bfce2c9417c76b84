/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared by the GP API files of libtee.
 *
 * libtee is built with -fvisibility=hidden, so every function a TA may
 * call (the GP TEE Internal Core API and OP-TEE's trace functions) is
 * marked TEE_API at its definition to be exported from libtee.so.
 */
#ifndef LIBTEE_API_H
#define LIBTEE_API_H

#define TEE_API __attribute__((visibility("default")))

#endif /* LIBTEE_API_H */
