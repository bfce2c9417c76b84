/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <string.h> of the pytee TA libc: exactly the functions OP-TEE's TA libc
 * declares.  No strcat, strncat, strtok, strerror, strspn, strcasecmp...:
 * a TA using them does not build with OP-TEE's dev kit, nor with this one.
 * strlcpy(), strlcat() and friends are in <string_ext.h>.
 */
#ifndef __PYTEE_LIBC_STRING_H
#define __PYTEE_LIBC_STRING_H

#include <stddef.h>
#include <sys/cdefs.h>

void *memcpy(void *__restrict dest, const void *__restrict src, size_t n);
void *memmove(void *dest, const void *src, size_t n);
int memcmp(const void *s1, const void *s2, size_t n);
void *memset(void *s, int c, size_t n);
void *memchr(const void *s, int c, size_t n);

int strcmp(const char *s1, const char *s2);
int strncmp(const char *s1, const char *s2, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
char *strdup(const char *s);
char *strndup(const char *s, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
char *strcpy(char *dest, const char *src);
char *strncpy(char *dest, const char *src, size_t n);
char *strtok_r(char *str, const char *delim, char **saveptr);

#endif /* __PYTEE_LIBC_STRING_H */
