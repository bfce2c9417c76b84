/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-user folders, UUID text and small helpers shared by libteec, teed and libtee. */
#ifndef PYTEE_PATHS_H
#define PYTEE_PATHS_H

#include <stddef.h>
#include <stdint.h>

#define PATHS_MAX 4096

/*
 * The runtime and data folders of docs/architecture.md, created with mode
 * 0700 when missing.  Return 0, or -1 with errno (EACCES: the folder is not
 * ours or is open to group/others; ENAMETOOLONG).
 */
int paths_runtime_dir(char *out, size_t len);
int paths_data_dir(char *out, size_t len);

/* dir/name into out; -1 with ENAMETOOLONG when it does not fit. */
int paths_join(char *out, size_t len, const char *dir, const char *name);

/* mkdir -p with mode 0700 for the missing parts. */
int paths_mkdir_private(const char *dir);

/* Lowercase canonical text (8-4-4-4-12) of 16 big-endian UUID octets. */
void uuid_to_str(const uint8_t uuid[16], char out[37]);
/* Parse canonical text; 0 or -1 (EINVAL). */
int uuid_from_str(const char *s, uint8_t uuid[16]);

/* The folder holding the shared object or executable that contains addr. */
int paths_dir_of_symbol(const void *addr, char *out, size_t len);

#endif /* PYTEE_PATHS_H */
