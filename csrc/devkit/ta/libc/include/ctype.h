/* SPDX-License-Identifier: BSD-2-Clause */
/* <ctype.h> of the pytee TA libc: the classes of the "C" locale. */
#ifndef __PYTEE_LIBC_CTYPE_H
#define __PYTEE_LIBC_CTYPE_H

int isalnum(int c);
int isalpha(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);
int tolower(int c);
int toupper(int c);

#endif /* __PYTEE_LIBC_CTYPE_H */
