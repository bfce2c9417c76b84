/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every header of the TA libc subset and of OP-TEE's libutils that the
 * pytee dev kit gives TAs.
 */
#ifndef EVERY_HEADER_H
#define EVERY_HEADER_H

#include <assert.h>
#include <atomic.h>
#include <bisect.h>
#include <bitstring.h>
#include <confine_array_index.h>
#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <memory.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdlib_ext.h>
#include <string.h>
#include <string_ext.h>
#include <strings.h>
#include <sys/cdefs.h>
#include <sys/fcntl.h>
#include <sys/queue.h>
#include <sys/types.h>
#include <time.h>
#include <types_ext.h>
#include <unistd.h>
#include <util.h>
#include <wchar.h>

#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#endif /* EVERY_HEADER_H */
