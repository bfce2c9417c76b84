// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Trusted User Interface API v1.0 on the software TEE
 * (docs/tui.md).
 *
 * The screen is a fixed virtual one, described by TEE_TUIGetScreenInfo
 * and measured here in a fixed font of WIRE_TUI_CELL_W x WIRE_TUI_CELL_H
 * pixel cells (wire.h says which characters it has).  teed owns the
 * display: the TA host opens a TUI channel of its own to teed's socket
 * (HELLO of kind WIRE_HELLO_TUI) the first time a TA takes the TUI, and
 * sends it INIT, CLOSE and SCREEN; teed holds the one TUI session of the
 * TEE, shows the screen on the display (`pytee tui`) or gives it to the
 * scripted user, and answers with the button pressed and the text typed.
 * Nothing of it passes through the client application.
 *
 * Arguments GP leaves no error code for (NULL pointers, enumerations out
 * of range, texts the screen cannot show or that do not fit, a button
 * combination GP does not authorise, entry fields beyond the screen's)
 * panic the TA.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <tee_internal_api.h>
#include <tee_tui_api.h>

#include "api.h"
#include "libtee_internal.h"
#include "paths.h"
#include "wire.h"

/* ---- the virtual screen ---- */
#define SCREEN_PPI		160
#define COLOR_BITS		8
#define BUTTON_W		120	/* 10 cells */
#define BUTTON_H		48
#define BUTTON_AREA		96	/* the button row and its margin */
#define ENTRY_ROW		72	/* an entry field: label row + field row */
#define ENTRY_MAX_LEN		32	/* characters of an entry field */
#define IMAGE_MAX		(1024 * 1024) /* bytes of an image object */
/* How often a displayed screen looks at the cancellation flag. */
#define CANCEL_POLL_MS		20

struct geometry {
	uint32_t width;
	uint32_t height;
	uint32_t max_entries;
	uint32_t entry_label_width;
};

static const struct geometry geometries[2] = {
	[TEE_TUI_PORTRAIT] = { 480, 800, 3, 240 },
	[TEE_TUI_LANDSCAPE] = { 800, 480, 2, 360 },
};

_Static_assert(3 <= WIRE_TUI_MAX_ENTRIES, "entry fields of the wire");
_Static_assert(ENTRY_MAX_LEN <= WIRE_TUI_VALUE_MAX, "entry length of the wire");
_Static_assert(TEE_TUI_NUMBER_BUTTON_TYPES == WIRE_TUI_BUTTONS, "buttons");

/* The label's height above `entries` entry fields: whole text lines. */
static uint32_t label_height(const struct geometry *g, uint32_t entries)
{
	uint32_t free_px = g->height - BUTTON_AREA - ENTRY_ROW * entries;

	return free_px / WIRE_TUI_CELL_H * WIRE_TUI_CELL_H;
}

/* ---- the TUI channel to teed ---- */

static struct {
	int fd;		/* -1 until the first TEE_TUIInitSession */
	uint8_t *buf;	/* WIRE_MAX_MSG */
} g_tui = { .fd = -1, .buf = NULL };

static void channel_drop(void)
{
	if (g_tui.fd >= 0)
		close(g_tui.fd);
	g_tui.fd = -1;
}

/* Receive one message of type want; false (channel dropped) otherwise. */
static bool channel_recv(enum wire_type want, struct wire_msg *msg)
{
	if (wire_recv(g_tui.fd, g_tui.buf, msg)) {
		channel_drop();
		return false;
	}
	wire_close_fds(msg);
	if (msg->type != want) {
		channel_drop();
		return false;
	}
	return true;
}

/* Connect to teed and say hello as this TA host's TUI channel. */
static bool channel_open(void)
{
	struct wire_hello hello = { .pid = (uint32_t)getpid(),
				    .kind = WIRE_HELLO_TUI };
	struct sockaddr_un addr;
	char dir[PATHS_MAX] = { 0 };
	char path[PATHS_MAX] = { 0 };
	struct wire_msg msg;

	if (g_tui.fd >= 0)
		return true;
	memset(&addr, 0, sizeof(addr));
	memset(&msg, 0, sizeof(msg));
	if (!g_tui.buf)
		g_tui.buf = malloc(WIRE_MAX_MSG);
	if (!g_tui.buf || paths_runtime_dir(dir, sizeof(dir)) ||
	    paths_join(path, sizeof(path), dir, "teed.sock") ||
	    strlen(path) >= sizeof(addr.sun_path))
		return false;
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	g_tui.fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (g_tui.fd < 0)
		return false;
	if (connect(g_tui.fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    wire_send(g_tui.fd, WIRE_HELLO, &hello, NULL, 0, NULL, 0)) {
		channel_drop();
		return false;
	}
	if (!channel_recv(WIRE_REPLY, &msg))
		return false;
	if (msg.u.reply.result != TEE_SUCCESS) {
		channel_drop();
		return false;
	}
	return true;
}

/* INIT or CLOSE: teed's result, or `lost` when teed cannot be reached. */
static TEE_Result channel_call(enum wire_type type, TEE_Result lost)
{
	struct wire_tui_session body;
	struct wire_msg msg;

	memset(&body, 0, sizeof(body));
	memset(&msg, 0, sizeof(msg));
	if (wire_send(g_tui.fd, type, &body, NULL, 0, NULL, 0)) {
		channel_drop();
		return lost;
	}
	if (!channel_recv(WIRE_REPLY, &msg))
		return lost;
	return msg.u.reply.result;
}

/* Panic unless res is one of the count results GP allows. */
static TEE_Result allowed(TEE_Result res, const TEE_Result *ok, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (res == ok[i])
			return res;
	TEE_Panic(res);
}

/* ---- text ---- */

/* Panics with NOT_SUPPORTED unless text (len bytes) can be shown in a box
 * of w x h pixels at (x, y), in at most max_lines lines (0: any). */
static void text_must_fit(const char *text, size_t len, uint64_t x, uint64_t y,
			  uint64_t w, uint64_t h, uint32_t max_lines)
{
	struct wire_tui_text t = { 0 };

	if (!wire_tui_text_check((const uint8_t *)text, len, &t) ||
	    (max_lines && t.lines > max_lines) || x + t.width > w ||
	    y + t.height > h)
		TEE_Panic(TEE_ERROR_NOT_SUPPORTED);
}

TEE_API TEE_Result TEE_TUICheckTextFormat(const char *text, uint32_t *width,
					  uint32_t *height, uint32_t *lastIndex)
{
	struct wire_tui_text t = { 0 };
	bool ok = false;

	if (!text || !width || !height || !lastIndex)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	ok = wire_tui_text_check((const uint8_t *)text, strlen(text), &t);
	*width = t.width;
	*height = t.height;
	*lastIndex = t.last > UINT32_MAX ? UINT32_MAX : (uint32_t)t.last;
	return ok ? TEE_SUCCESS : TEE_ERROR_NOT_SUPPORTED;
}

/* ---- screen information ---- */

TEE_API TEE_Result TEE_TUIGetScreenInfo(TEE_TUIScreenOrientation screenOrientation,
					uint32_t nbEntryFields,
					TEE_TUIScreenInfo *screenInfo)
{
	const struct geometry *g = NULL;

	if (!screenInfo)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if ((uint32_t)screenOrientation > TEE_TUI_LANDSCAPE)
		return TEE_ERROR_NOT_SUPPORTED;
	g = &geometries[screenOrientation];
	if (nbEntryFields > g->max_entries)
		return TEE_ERROR_NOT_SUPPORTED;
	memset(screenInfo, 0, sizeof(*screenInfo));
	screenInfo->grayscaleBitsDepth = COLOR_BITS;
	screenInfo->redBitsDepth = COLOR_BITS;
	screenInfo->greenBitsDepth = COLOR_BITS;
	screenInfo->blueBitsDepth = COLOR_BITS;
	screenInfo->widthInch = SCREEN_PPI;
	screenInfo->heightInch = SCREEN_PPI;
	screenInfo->maxEntryFields = g->max_entries;
	screenInfo->entryFieldLabelWidth = g->entry_label_width;
	screenInfo->entryFieldLabelHeight = WIRE_TUI_CELL_H;
	screenInfo->maxEntryFieldLength = ENTRY_MAX_LEN;
	screenInfo->labelColor[0] = 255;
	screenInfo->labelColor[1] = 255;
	screenInfo->labelColor[2] = 255;
	screenInfo->labelWidth = g->width;
	screenInfo->labelHeight = label_height(g, nbEntryFields);
	for (uint32_t i = 0; i < TEE_TUI_NUMBER_BUTTON_TYPES; i++) {
		TEE_TUIScreenButtonInfo *b = &screenInfo->buttonInfo[i];

		b->buttonText = (char *)wire_tui_button_text(i);
		b->buttonWidth = BUTTON_W;
		b->buttonHeight = BUTTON_H;
		b->buttonTextCustom = true;
		b->buttonImageCustom = false;
	}
	return TEE_SUCCESS;
}

/* ---- session ---- */

TEE_API TEE_Result TEE_TUIInitSession(void)
{
	static const TEE_Result ok[] = {
		TEE_SUCCESS, TEE_ERROR_BUSY, TEE_ERROR_OUT_OF_MEMORY,
	};

	/* No teed to reserve the display with: the TUI cannot be had. */
	if (!channel_open())
		return TEE_ERROR_BUSY;
	return allowed(channel_call(WIRE_TUI_INIT, TEE_ERROR_BUSY), ok,
		       ARRAY_SIZE(ok));
}

TEE_API TEE_Result TEE_TUICloseSession(void)
{
	static const TEE_Result ok[] = {
		TEE_SUCCESS, TEE_ERROR_BAD_STATE, TEE_ERROR_BUSY,
	};

	if (g_tui.fd < 0)
		return TEE_ERROR_BAD_STATE; /* never opened, or teed is gone */
	return allowed(channel_call(WIRE_TUI_CLOSE, TEE_ERROR_BAD_STATE), ok,
		       ARRAY_SIZE(ok));
}

/* ---- display ---- */

/* Button combinations GP authorises, CORRECTION aside. */
#define B(x) (1u << TEE_TUI_##x)
static const uint32_t authorised[] = {
	B(OK),
	B(OK) | B(PREVIOUS),
	B(CANCEL) | B(VALIDATE),
	B(CANCEL) | B(NEXT),
	B(CANCEL) | B(PREVIOUS) | B(NEXT),
	B(CANCEL) | B(VALIDATE) | B(PREVIOUS),
};

/* A screen being encoded: the body and its texts. */
struct encoding {
	struct wire_tui_screen body;
	char *data;
	uint32_t len;
	uint32_t cap;
};

static void add_text(struct encoding *e, const char *text, uint32_t len)
{
	/* The caller sized cap for every text (limits checked). */
	memcpy(e->data + e->len, text, len);
	e->len += len;
}

/* A PNG's size from its signature and IHDR chunk; false if it is none. */
static bool png_size(const uint8_t *p, size_t len, uint32_t *w, uint32_t *h)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	static const uint8_t ihdr[8] = { 0, 0, 0, 13, 'I', 'H', 'D', 'R' };

	if (len < 33 || memcmp(p, sig, 8) || memcmp(p + 8, ihdr, 8))
		return false;
	*w = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 | (uint32_t)p[18] << 8 | p[19];
	*h = (uint32_t)p[20] << 24 | (uint32_t)p[21] << 16 | (uint32_t)p[22] << 8 | p[23];
	return *w && *h && *w <= INT32_MAX && *h <= INT32_MAX;
}

/* The first 33 bytes of an image object (signature and IHDR). */
static TEE_Result object_head(const TEE_TUIImage *img, uint8_t head[33],
			      size_t *len)
{
	TEE_ObjectHandle obj = TEE_HANDLE_NULL;
	size_t count = 0;
	TEE_Result res = TEE_OpenPersistentObject(img->object.storageID,
						  img->object.objectID,
						  img->object.objectIDLen,
						  TEE_DATA_FLAG_ACCESS_READ |
						  TEE_DATA_FLAG_SHARE_READ, &obj);

	if (res == TEE_ERROR_CORRUPT_OBJECT)
		return TEE_ERROR_BAD_FORMAT;
	if (res == TEE_ERROR_STORAGE_NOT_AVAILABLE)
		return TEE_ERROR_ITEM_NOT_FOUND;
	if (res)
		return res;
	res = TEE_ReadObjectData(obj, head, 33, &count);
	TEE_CloseObject(obj);
	if (res == TEE_ERROR_CORRUPT_OBJECT)
		return TEE_ERROR_BAD_FORMAT;
	if (res)
		return res == TEE_ERROR_OUT_OF_MEMORY ? res : TEE_ERROR_ITEM_NOT_FOUND;
	*len = count;
	return TEE_SUCCESS;
}

/* The label image: its size into the body, or why it cannot be shown. */
static TEE_Result label_image(const TEE_TUIScreenLabel *label,
			      const struct geometry *g, uint32_t lh,
			      struct wire_tui_screen *body)
{
	const TEE_TUIImage *img = &label->image;
	uint8_t head[33] = { 0 };
	const uint8_t *p = head;
	size_t len = 0;
	uint32_t w = 0;
	uint32_t h = 0;
	TEE_Result res = TEE_SUCCESS;

	switch (img->source) {
	case TEE_TUI_NO_SOURCE:
		return TEE_SUCCESS;
	case TEE_TUI_REF_SOURCE:
		p = img->ref.image;
		len = img->ref.imageLength;
		break;
	case TEE_TUI_OBJECT_SOURCE:
		res = object_head(img, head, &len);
		if (res)
			return res;
		break;
	default:
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (!png_size(p, len, &w, &h) || w != img->width || h != img->height)
		return TEE_ERROR_BAD_FORMAT;
	if ((uint64_t)label->imageXOffset + w > g->width ||
	    (uint64_t)label->imageYOffset + h > lh)
		TEE_Panic(TEE_ERROR_NOT_SUPPORTED);
	body->image_w = w;
	body->image_h = h;
	body->image_x = label->imageXOffset;
	body->image_y = label->imageYOffset;
	return TEE_SUCCESS;
}

/*
 * Check everything GP makes a panic and encode the screen; returns the
 * image's error, if any.  e->data is allocated (free it).
 */
static TEE_Result encode_screen(const TEE_TUIScreenConfiguration *sc,
				bool close, const TEE_TUIEntryField *fields,
				uint32_t count, struct encoding *e)
{
	const struct geometry *g = NULL;
	const char *label_text = sc->label.text;
	size_t label_len = label_text ? strlen(label_text) : 0;
	uint32_t lh = 0;
	uint32_t shown = 0;
	bool ok = false;

	memset(e, 0, sizeof(*e));
	if ((uint32_t)sc->screenOrientation > TEE_TUI_LANDSCAPE)
		TEE_Panic(TEE_ERROR_NOT_SUPPORTED);
	g = &geometries[sc->screenOrientation];
	if (count > g->max_entries)
		TEE_Panic(TEE_ERROR_NOT_SUPPORTED);
	lh = label_height(g, count);

	/* Buttons: an authorised combination; CORRECTION with entry fields. */
	for (uint32_t i = 0; i < TEE_TUI_NUMBER_BUTTON_TYPES; i++)
		if (sc->requestedButtons[i] && i != TEE_TUI_CORRECTION)
			shown |= 1u << i;
	for (size_t i = 0; i < ARRAY_SIZE(authorised) && !ok; i++)
		ok = shown == authorised[i];
	if (!ok)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (count)
		shown |= B(CORRECTION);

	e->cap = WIRE_TUI_LABEL_MAX + (WIRE_TUI_BUTTONS + WIRE_TUI_MAX_ENTRIES) *
		 WIRE_TUI_TEXT_MAX;
	e->data = malloc(e->cap);
	if (!e->data)
		return TEE_ERROR_OUT_OF_MEMORY;

	/* The label. */
	if (label_len > WIRE_TUI_LABEL_MAX)
		TEE_Panic(TEE_ERROR_NOT_SUPPORTED);
	text_must_fit(label_text ? label_text : "", label_len,
		      sc->label.textXOffset, sc->label.textYOffset, g->width, lh, 0);
	add_text(e, label_text ? label_text : "", (uint32_t)label_len);
	e->body.label_len = (uint32_t)label_len;
	e->body.label_x = sc->label.textXOffset;
	e->body.label_y = sc->label.textYOffset;
	memcpy(e->body.label_rgb, sc->label.textColor, 3);

	/* Custom texts of the buttons shown; no images on them. */
	for (uint32_t i = 0; i < TEE_TUI_NUMBER_BUTTON_TYPES; i++) {
		const TEE_TUIButton *b = sc->buttons[i];
		size_t len = 0;

		if (!(shown & (1u << i)) || !b)
			continue;
		if ((uint32_t)b->image.source > TEE_TUI_OBJECT_SOURCE)
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
		if (b->image.source != TEE_TUI_NO_SOURCE)
			TEE_Panic(TEE_ERROR_NOT_SUPPORTED); /* buttonImageCustom */
		if (!b->text)
			continue;
		len = strlen(b->text);
		if (len > WIRE_TUI_TEXT_MAX)
			TEE_Panic(TEE_ERROR_NOT_SUPPORTED);
		text_must_fit(b->text, len, 0, 0, BUTTON_W, BUTTON_H, 1);
		add_text(e, b->text, (uint32_t)len);
		e->body.custom |= 1u << i;
		e->body.button_len[i] = (uint32_t)len;
	}

	/* Entry fields. */
	if (count && !fields)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	for (uint32_t i = 0; i < count; i++) {
		const TEE_TUIEntryField *f = &fields[i];
		struct wire_tui_entry *w = &e->body.entries[i];
		size_t len = f->label ? strlen(f->label) : 0;

		if ((uint32_t)f->mode > TEE_TUI_TEMPORARY_CLEAR_MODE ||
		    (uint32_t)f->type > TEE_TUI_ALPHANUMERICAL ||
		    f->minExpectedLength > f->maxExpectedLength ||
		    f->maxExpectedLength > ENTRY_MAX_LEN || !f->buffer ||
		    f->bufferLength < (size_t)f->maxExpectedLength + 1)
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
		if (len > WIRE_TUI_TEXT_MAX)
			TEE_Panic(TEE_ERROR_NOT_SUPPORTED);
		text_must_fit(f->label ? f->label : "", len, 0, 0,
			      g->entry_label_width, WIRE_TUI_CELL_H, 1);
		add_text(e, f->label ? f->label : "", (uint32_t)len);
		w->mode = (uint32_t)f->mode;
		w->type = (uint32_t)f->type;
		w->min_len = f->minExpectedLength;
		w->max_len = f->maxExpectedLength;
		w->label_len = (uint32_t)len;
	}

	e->body.orientation = (uint32_t)sc->screenOrientation;
	e->body.buttons = shown;
	e->body.close_session = close ? 1 : 0;
	e->body.nentries = count;
	return label_image(&sc->label, g, lh, &e->body);
}

/*
 * Wait for teed's answer to the screen, telling it when the running
 * command is cancelled (and cancellation unmasked).  false: teed is gone.
 */
static bool wait_input(struct wire_msg *msg)
{
	struct pollfd pfd = { .fd = g_tui.fd, .events = POLLIN };
	bool cancel_sent = false;

	for (;;) {
		int r = poll(&pfd, 1, cancel_sent ? -1 : CANCEL_POLL_MS);

		if (r > 0)
			return channel_recv(WIRE_TUI_INPUT, msg);
		if (r < 0 && errno != EINTR) {
			channel_drop();
			return false;
		}
		if (!cancel_sent && !rt_cancel_masked() && rt_cancel_flag()) {
			struct wire_tui_session body;

			memset(&body, 0, sizeof(body));
			if (wire_send(g_tui.fd, WIRE_TUI_CANCEL, &body, NULL, 0,
				      NULL, 0)) {
				channel_drop();
				return false;
			}
			cancel_sent = true;
		}
	}
}

/* Fill the entry fields from a successful answer; false if it does not
 * fit the screen (then nothing is written). */
static bool take_input(const struct wire_msg *msg, uint32_t shown,
		       TEE_TUIEntryField *fields, uint32_t count,
		       TEE_TUIButtonType *selected)
{
	const struct wire_tui_input *in = &msg->u.tui_input;
	uint32_t at = 0;

	if (in->button == TEE_TUI_CORRECTION || !(shown & (1u << in->button)) ||
	    in->nentries != count)
		return false;
	for (uint32_t i = 0; i < count; i++)
		if (in->value_len[i] > fields[i].maxExpectedLength)
			return false;
	for (uint32_t i = 0; i < count; i++) {
		memcpy(fields[i].buffer, msg->data + at, in->value_len[i]);
		fields[i].buffer[in->value_len[i]] = '\0';
		at += in->value_len[i];
	}
	*selected = (TEE_TUIButtonType)in->button;
	return true;
}

TEE_API TEE_Result TEE_TUIDisplayScreen(
		const TEE_TUIScreenConfiguration *screenConfiguration,
		bool closeTUISession, TEE_TUIEntryField *entryFields,
		uint32_t entryFieldCount, TEE_TUIButtonType *selectedButton)
{
	static const TEE_Result ok[] = {
		TEE_SUCCESS, TEE_ERROR_OUT_OF_MEMORY, TEE_ERROR_ITEM_NOT_FOUND,
		TEE_ERROR_ACCESS_CONFLICT, TEE_ERROR_BAD_FORMAT,
		TEE_ERROR_BAD_STATE, TEE_ERROR_BUSY, TEE_ERROR_CANCEL,
		TEE_ERROR_EXTERNAL_CANCEL,
	};
	struct encoding e;
	struct wire_msg msg;
	TEE_Result res = TEE_SUCCESS;

	memset(&msg, 0, sizeof(msg));
	if (!screenConfiguration || !selectedButton)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	res = encode_screen(screenConfiguration, closeTUISession, entryFields,
			    entryFieldCount, &e);
	if (res)
		goto out;
	if (g_tui.fd < 0) {
		res = TEE_ERROR_BAD_STATE; /* no session was ever started */
		goto out;
	}
	if (wire_send(g_tui.fd, WIRE_TUI_SCREEN, &e.body, e.len ? e.data : NULL,
		      e.len, NULL, 0) || !wait_input(&msg)) {
		channel_drop();
		res = TEE_ERROR_EXTERNAL_CANCEL; /* teed, and its display, are gone */
		goto out;
	}
	res = msg.u.tui_input.result;
	if (res == TEE_SUCCESS &&
	    !take_input(&msg, e.body.buttons, entryFields, entryFieldCount,
			selectedButton))
		res = TEE_ERROR_EXTERNAL_CANCEL;
out:
	free(e.data);
	return allowed(res, ok, ARRAY_SIZE(ok));
}
