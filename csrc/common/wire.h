/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The wire protocol between libteec, teed, the TA hosts and the trusted
 * display (version 1).
 *
 * Every message is one SOCK_SEQPACKET datagram: a struct wire_hdr, a fixed
 * body that depends on the type, then (for operations) an inline data area.
 * File descriptors travel with SCM_RIGHTS in the order the parameters that
 * need them appear.  wire.c is the only code that builds or parses these
 * bytes; every decoder checks type, exact length, offsets and counts before
 * anything is copied.
 */
#ifndef PYTEE_WIRE_H
#define PYTEE_WIRE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WIRE_MAGIC 0x5054 /* "PT" */
#define WIRE_VERSION 1

/* Largest datagram we send or accept, and how much memref data goes inline. */
#define WIRE_MAX_MSG (128 * 1024)
#define WIRE_INLINE_MAX (64 * 1024)
#define WIRE_MAX_FDS 5 /* session channel + one per parameter */
#define WIRE_NUM_PARAMS 4

enum wire_type {
	/* client -> teed */
	WIRE_HELLO = 1,
	WIRE_OPEN_SESSION,
	WIRE_CLOSE_SESSION,
	WIRE_CANCEL,
	WIRE_STATUS,
	WIRE_STOP,
	/* teed <-> host */
	WIRE_HOST_HELLO,
	WIRE_HOST_OPEN,
	WIRE_HOST_CLOSE,
	WIRE_HOST_DESTROY,
	/* client -> host */
	WIRE_INVOKE,
	WIRE_SHM_FORGET,
	/* answers */
	WIRE_REPLY,
	/* the Trusted UI (docs/tui.md): TA host <-> teed <-> display */
	WIRE_TUI_INIT,   /* host -> teed (REPLY); teed -> display: a TA took the TUI */
	WIRE_TUI_CLOSE,  /* host -> teed (REPLY); teed -> display: the session ended */
	WIRE_TUI_SCREEN, /* host -> teed -> display: show this screen */
	WIRE_TUI_INPUT,  /* display -> teed -> host: how the screen was left */
	WIRE_TUI_CANCEL, /* host -> teed: stop the screen; teed -> display: take it down */
	WIRE_TYPE_END
};

struct wire_hdr {
	uint16_t magic;
	uint8_t version;
	uint8_t type;
	uint32_t length; /* whole message, header included */
};

/* Where a memref parameter's bytes are. */
enum wire_mem {
	WIRE_MEM_NONE = 0,   /* not a memref */
	WIRE_MEM_NULL,       /* NULL buffer, size 0 (or a size query) */
	WIRE_MEM_INLINE,     /* [offset, offset+size) of the data area */
	WIRE_MEM_SHM,        /* block shm_id the host has already mapped */
	WIRE_MEM_SHM_FD,     /* block shm_id, its fd attached; host maps and keeps it */
	WIRE_MEM_TEMP_FD,    /* a one-call block (large temp memref), fd attached */
};

/*
 * One parameter.  `type` is the TA-side TEE_PARAM_TYPE_* (0 none, 1-3 value,
 * 5-7 memref).  For SHM_FD and TEMP_FD, block_size is the size of the whole
 * memfd and [offset, offset+size) must lie inside it.
 *
 * In a WIRE_REPLY no fd kind appears, `size` is the size the TA reported
 * (the required size after TEE_ERROR_SHORT_BUFFER), and an INLINE param's
 * output bytes are [offset, offset+block_size) of the data area.
 */
struct wire_param {
	uint32_t type;
	uint32_t mem;
	uint32_t a;
	uint32_t b;
	uint64_t shm_id;
	uint64_t offset;
	uint64_t size;
	uint64_t block_size;
};

struct wire_op {
	struct wire_param params[WIRE_NUM_PARAMS];
	uint32_t data_len; /* bytes of inline data after the body */
	uint32_t pad;
};

struct wire_hello {
	uint32_t pid;     /* the sender's pid, for logs */
	uint32_t kind;    /* HELLO: enum wire_hello_kind; STATUS, STOP: 0 */
};

/* Who says HELLO on teed's socket; teed checks the kind, wire.c does not. */
enum wire_hello_kind {
	WIRE_HELLO_CLIENT = 0,  /* libteec: a TEEC_Context */
	WIRE_HELLO_DISPLAY = 1, /* the trusted display (`pytee tui`) */
	WIRE_HELLO_TUI = 2,     /* a TA host's Trusted UI channel */
};

/* client -> teed */
struct wire_open_session {
	uint8_t uuid[16];  /* big-endian octets, RFC 4122 order */
	uint32_t login;    /* TEEC_LOGIN_* */
	uint32_t gid;      /* connectionData for GROUP logins */
	struct wire_op op;
};

struct wire_session_ref {
	uint32_t session;
	uint32_t seq;      /* CANCEL: the invoke being cancelled */
};

/* host -> teed, once, right after start */
struct wire_host_hello {
	uint8_t uuid[16];
	uint32_t flags;      /* TA_FLAGS */
	uint32_t result;     /* of TA_CreateEntryPoint */
};

/* teed -> host */
struct wire_host_open {
	uint32_t session;
	uint32_t login;          /* TEE_LOGIN_* seen by the TA */
	uint8_t client_uuid[16]; /* gpd.client.identity */
	struct wire_op op;
};

/* client -> host */
struct wire_invoke {
	uint32_t command;
	uint32_t seq;
	struct wire_op op;
};

struct wire_shm_forget {
	uint64_t shm_id;
};

/*
 * The answer to every request.  For operations, `op` carries the values and
 * sizes the TA wrote and inline output bytes in the data area; for
 * OPEN_SESSION, `session` is the new session and the channel fd is attached;
 * for STATUS, `session` counts live instances and `seq` live sessions.
 */
struct wire_reply {
	uint32_t result;
	uint32_t origin;
	uint32_t session;
	uint32_t seq;
	struct wire_op op;
};

/*
 * The Trusted UI (docs/tui.md).  No message of these types carries fds.
 *
 * WIRE_TUI_INIT, WIRE_TUI_CLOSE and WIRE_TUI_CANCEL have the body
 * wire_tui_session and no data.  WIRE_TUI_SCREEN is a wire_tui_screen
 * followed by its texts, WIRE_TUI_INPUT a wire_tui_input followed by the
 * entry values: each text is UTF-8 without NUL and its length is in the
 * body; the data area is exactly their sum.  wire_recv checks counts,
 * lengths, enumerations and that padding and unused slots are zero;
 * whether a text is in the alphabet the screen shows is
 * wire_tui_text_check's to say, and whether an input answers its screen
 * is teed's.
 */
#define WIRE_TUI_BUTTONS 6       /* TEE_TUI_NUMBER_BUTTON_TYPES */
#define WIRE_TUI_MAX_ENTRIES 3   /* entry fields on one screen */
#define WIRE_TUI_LABEL_MAX 4096  /* bytes of a screen label's text */
#define WIRE_TUI_TEXT_MAX 256    /* bytes of a button text or entry label */
#define WIRE_TUI_VALUE_MAX 64    /* bytes of an entry field's value */

struct wire_tui_session {
	uint8_t uuid[16];    /* teed -> display: the TA; zeros from a host */
	uint32_t screen;     /* CANCEL: the screen concerned; else 0 */
	uint32_t reason;     /* CANCEL from teed: TEE_ERROR_* why; else 0 */
};

struct wire_tui_entry {
	uint32_t mode;       /* TEE_TUIEntryFieldMode, <= 2 */
	uint32_t type;       /* TEE_TUIEntryFieldType, <= 1 */
	uint32_t min_len;    /* <= max_len */
	uint32_t max_len;    /* <= WIRE_TUI_VALUE_MAX */
	uint32_t label_len;  /* <= WIRE_TUI_TEXT_MAX */
	uint32_t pad;
};

struct wire_tui_screen {
	uint8_t uuid[16];         /* teed -> display: the TA; zeros from a host */
	uint32_t screen;          /* teed's number for it; 0 from a host */
	uint32_t orientation;     /* TEE_TUIScreenOrientation, <= 1 */
	uint32_t buttons;         /* bit i: button i (TEE_TUIButtonType) is shown */
	uint32_t custom;          /* bit i: button i has its own text */
	uint32_t close_session;   /* 0 or 1: the session ends with the screen */
	uint32_t label_len;       /* <= WIRE_TUI_LABEL_MAX */
	uint32_t label_x;         /* label text offset in the label, pixels */
	uint32_t label_y;
	uint8_t label_rgb[3];     /* label text colour */
	uint8_t pad0;
	uint32_t image_w;         /* label image size in pixels, 0 0: none */
	uint32_t image_h;
	uint32_t image_x;
	uint32_t image_y;
	uint32_t button_len[WIRE_TUI_BUTTONS]; /* 0 unless custom; <= TEXT_MAX */
	uint32_t nentries;        /* <= WIRE_TUI_MAX_ENTRIES; later slots zero */
	uint32_t pad1;
	struct wire_tui_entry entries[WIRE_TUI_MAX_ENTRIES];
};
/* data: the label text, the custom button texts in button order, then
 * the entry labels in entry order */

struct wire_tui_input {
	uint32_t screen;          /* the screen this answers */
	uint32_t result;          /* TEE_SUCCESS, or why the screen ended */
	uint32_t button;          /* TEE_TUIButtonType pressed, < WIRE_TUI_BUTTONS */
	uint32_t nentries;        /* <= WIRE_TUI_MAX_ENTRIES; later lengths zero */
	uint32_t value_len[WIRE_TUI_MAX_ENTRIES]; /* <= WIRE_TUI_VALUE_MAX */
	uint32_t pad;
};
/* data: the entry values in entry order */

/*
 * Text the trusted screen shows: UTF-8 of the GP TUI default alphabet,
 * U+0020-U+007D, line breaks (CR, LF or CR LF) and the markup characters
 * U+E000-U+E003 (bold, underline: no room; one pixel right; one pixel
 * down), laid out in a fixed font of WIRE_TUI_CELL_W x WIRE_TUI_CELL_H
 * pixel cells.  An empty text has no line.
 */
#define WIRE_TUI_CELL_W 12
#define WIRE_TUI_CELL_H 24

struct wire_tui_text {
	uint32_t width;    /* pixels: the widest line */
	uint32_t height;   /* pixels: lines times the cell, plus the nudges down */
	uint32_t lines;
	size_t last;       /* byte index: the first character not shown when
			    * the check fails, else that of the last one (0
			    * for an empty text) */
};

/* Whether all len bytes of s can be shown; *out describes them, or the
 * part before the failing character. */
bool wire_tui_text_check(const uint8_t *s, size_t len, struct wire_tui_text *out);

/* The text a button has unless the TA gives its own ("OK", ...); NULL
 * for a number that is not a TEE_TUIButtonType. */
const char *wire_tui_button_text(uint32_t button);

/* A decoded message.  `data` points into the caller's receive buffer. */
struct wire_msg {
	enum wire_type type;
	union {
		struct wire_hello hello;
		struct wire_open_session open;
		struct wire_session_ref ref;
		struct wire_host_hello host_hello;
		struct wire_host_open host_open;
		struct wire_invoke invoke;
		struct wire_shm_forget forget;
		struct wire_reply reply;
		struct wire_tui_session tui_session;
		struct wire_tui_screen tui_screen;
		struct wire_tui_input tui_input;
	} u;
	const uint8_t *data;  /* inline data of the message's op, if any */
	uint32_t data_len;
	int fds[WIRE_MAX_FDS];
	unsigned int nfds;
};

/*
 * Spinning briefly before blocking, for the two waits of an invoke: the
 * client's for the reply, the TA host's for the next request.  A blocking
 * round trip costs 9-12 us when both ends share a CPU but ~100 us when they
 * run on two vCPUs of a VM (each direction wakes a halted vCPU); polling
 * for a few microseconds first brings the latter to 8-13 us
 * (bench/RESULTS.md).  Polling stops after WIRE_SPIN_US, and wire.c stops
 * spinning for a while when it does not pay (the peer shares our CPU).
 */
#ifndef WIRE_SPIN_US
#define WIRE_SPIN_US 50
#endif

/*
 * poll(pfds, n, 0), with sched_yield() between tries, for at most spin_us.
 * Returns what the last poll returned: > 0 (revents set), 0 (nothing yet:
 * block now) or -1 with errno.
 */
int wire_poll_spin(struct pollfd *pfds, nfds_t n, unsigned int spin_us);

/* wire_recv after wire_poll_spin on sock. */
int wire_recv_spin(int sock, uint8_t *buf, struct wire_msg *msg,
		   unsigned int spin_us);

/* Encoding: body is the fixed part for `type`; data may be NULL. */
int wire_send(int sock, enum wire_type type, const void *body,
	      const void *data, uint32_t data_len,
	      const int *fds, unsigned int nfds);

/*
 * Receive one message into buf (WIRE_MAX_MSG bytes) and decode it.
 * Returns 0, or -1 with errno: ECONNRESET for a hang-up, EBADMSG for a
 * malformed message (any fds received are closed).  On success the caller
 * owns msg->fds.
 */
int wire_recv(int sock, uint8_t *buf, struct wire_msg *msg);

/* The op of a decoded message of an operation-carrying type, or NULL. */
const struct wire_op *wire_msg_op(const struct wire_msg *msg);

/*
 * Check an op against its data area and its fds: every type and mem kind
 * valid, inline ranges inside the data area, fd-backed ranges inside their
 * block, one fd per *_FD parameter in order (starting at fds[first_fd]).
 */
bool wire_op_valid(const struct wire_op *op, uint32_t data_len,
		   unsigned int nfds, unsigned int first_fd);

void wire_close_fds(struct wire_msg *msg);

#endif /* PYTEE_WIRE_H */
