/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The client identity a TA sees (gpd.client.identity), derived the way the
 * Linux TEE subsystem does it: a name-based (version 5) UUID over a text
 * that names the user, the group or the application, in a fixed namespace.
 * The application logins follow the proposed CONFIG_TEE_APPID_PATH scheme
 * ("app=<path of the executable>").
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <tee_client_api.h>

#include "teed.h"

static const uint8_t login_namespace[16] = {
	0x58, 0xac, 0x9c, 0xa0, 0x20, 0x86, 0x46, 0x83,
	0xa1, 0xb8, 0xec, 0x4b, 0xc0, 0x8e, 0x01, 0xb6,
};

/* Logins reserved for clients inside the REE kernel. */
#define LOGIN_REE_KERNEL_MIN 0x80000000u
#define LOGIN_REE_KERNEL_MAX 0xBFFFFFFFu

#define STATUS_MAX 8192

static int uuid_v5(const char *name, uint8_t out[16])
{
	uint8_t in[16 + PATHS_MAX + 64] = { 0 };
	uint8_t md[EVP_MAX_MD_SIZE] = { 0 };
	unsigned int md_len = 0;
	size_t name_len = strlen(name);
	int ret = -1;

	if (name_len > sizeof(in) - sizeof(login_namespace))
		goto out;
	memcpy(in, login_namespace, sizeof(login_namespace));
	memcpy(in + sizeof(login_namespace), name, name_len);
	if (!EVP_Digest(in, sizeof(login_namespace) + name_len, md, &md_len,
			EVP_sha1(), NULL) || md_len < 16)
		goto out;
	memcpy(out, md, 16);
	out[6] = (uint8_t)((out[6] & 0x0F) | 0x50);
	out[8] = (uint8_t)((out[8] & 0x3F) | 0x80);
	ret = 0;
out:
	return ret;
}

/* The path of the peer's executable; -1 if it cannot be read. */
static int peer_exe(pid_t pid, char *out, size_t len)
{
	char link[64] = { 0 };
	ssize_t n = 0;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, out, len - 1);
	if (n <= 0 || (size_t)n >= len - 1)
		return -1;
	out[n] = '\0';
	return 0;
}

/* Is gid in the "Groups:" line of /proc/<pid>/status? */
static bool peer_in_supplementary(pid_t pid, gid_t gid)
{
	char path[64] = { 0 };
	char *text = NULL;
	const char *p = NULL;
	ssize_t n = 0;
	size_t got = 0;
	int fd = -1;
	bool found = false;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	text = calloc(1, STATUS_MAX + 1);
	if (!text)
		goto out;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto out;
	while (got < STATUS_MAX) {
		n = read(fd, text + got, STATUS_MAX - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	text[got] = '\0';
	p = strstr(text, "\nGroups:");
	if (!p)
		goto out;
	p += strlen("\nGroups:");
	while (*p && *p != '\n') {
		char *end = NULL;
		unsigned long v = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p < '0' || *p > '9')
			break;
		errno = 0;
		v = strtoul(p, &end, 10);
		if (errno || end == p || *end == '\0') /* '\0': maybe cut short */
			break;
		if (v == (unsigned long)gid) {
			found = true;
			break;
		}
		p = end;
	}
out:
	if (fd >= 0)
		close(fd);
	free(text);
	return found;
}

static bool peer_in_group(const struct peer *peer, gid_t gid)
{
	return peer->gid == gid || peer_in_supplementary(peer->pid, gid);
}

uint32_t identity_client_uuid(const struct peer *peer, uint32_t login,
			      uint32_t gid, uint8_t out[16], uint32_t *origin)
{
	char name[PATHS_MAX + 64] = { 0 };
	char exe[PATHS_MAX] = { 0 };
	uint32_t res = TEEC_ERROR_GENERIC;
	bool app = login == TEEC_LOGIN_APPLICATION ||
		   login == TEEC_LOGIN_USER_APPLICATION ||
		   login == TEEC_LOGIN_GROUP_APPLICATION;
	bool group = login == TEEC_LOGIN_GROUP ||
		     login == TEEC_LOGIN_GROUP_APPLICATION;

	memset(out, 0, 16);
	*origin = TEEC_ORIGIN_COMMS;
	if (login >= LOGIN_REE_KERNEL_MIN && login <= LOGIN_REE_KERNEL_MAX) {
		teed_log("pid %d: login 0x%x is reserved for kernel clients",
			 (int)peer->pid, login);
		goto out;
	}
	if (login != TEEC_LOGIN_PUBLIC && login != TEEC_LOGIN_USER && !group && !app) {
		teed_log("pid %d: unknown login method 0x%x", (int)peer->pid, login);
		res = TEEC_ERROR_BAD_PARAMETERS;
		goto out;
	}
	if (login == TEEC_LOGIN_PUBLIC) {
		res = TEEC_SUCCESS;
		goto out;
	}
	if (group && !peer_in_group(peer, (gid_t)gid)) {
		teed_log("pid %d (uid %u): group login refused, not a member of gid %u",
			 (int)peer->pid, (unsigned int)peer->uid, gid);
		goto out;
	}
	if (app && peer_exe(peer->pid, exe, sizeof(exe))) {
		teed_log("pid %d: application login refused, executable unknown",
			 (int)peer->pid);
		goto out;
	}
	switch (login) {
	case TEEC_LOGIN_USER:
		snprintf(name, sizeof(name), "uid=%x", (unsigned int)peer->uid);
		break;
	case TEEC_LOGIN_GROUP:
		snprintf(name, sizeof(name), "gid=%x", gid);
		break;
	case TEEC_LOGIN_APPLICATION:
		snprintf(name, sizeof(name), "app=%s", exe);
		break;
	case TEEC_LOGIN_USER_APPLICATION:
		snprintf(name, sizeof(name), "uid=%x:app=%s", (unsigned int)peer->uid, exe);
		break;
	default: /* TEEC_LOGIN_GROUP_APPLICATION */
		snprintf(name, sizeof(name), "gid=%x:app=%s", gid, exe);
		break;
	}
	if (uuid_v5(name, out)) {
		teed_log("pid %d: cannot compute the client UUID", (int)peer->pid);
		goto out;
	}
	res = TEEC_SUCCESS;
out:
	return res;
}
