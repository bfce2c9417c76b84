// SPDX-License-Identifier: BSD-2-Clause
/*
 * The Trusted UI test TA: one command per GP TUI function, with the
 * misuse the tests need (include/tui_test_ta.h documents the commands).
 *
 * The TUI calls are compiled only where the dev kit says the TEE has a
 * Trusted UI (CFG_PYTEE_TUI, defined by pytee's host dev kit): with
 * OP-TEE's dev kit this TA builds and links all the same, and answers
 * every command with TEE_ERROR_NOT_SUPPORTED.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>
#ifdef CFG_PYTEE_TUI
#include <tee_tui_api.h>
#endif

#include <tui_test_ta.h>

#define PT_NONE	TEE_PARAM_TYPE_NONE
#define PT_VIN	TEE_PARAM_TYPE_VALUE_INPUT
#define PT_VOUT	TEE_PARAM_TYPE_VALUE_OUTPUT
#define PT_MIN	TEE_PARAM_TYPE_MEMREF_INPUT
#define PT_MOUT	TEE_PARAM_TYPE_MEMREF_OUTPUT

/* Largest screen description DISPLAY takes (texts and a small image). */
#define SCREEN_MAX	(64 * 1024)

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t types, TEE_Param params[4],
				    void **session)
{
	(void)params;
	(void)session;
	if (types != TEE_PARAM_TYPES(PT_NONE, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *session)
{
	(void)session;
}

static void put_u32(uint8_t *out, uint32_t v)
{
	out[0] = (uint8_t)v;
	out[1] = (uint8_t)(v >> 8);
	out[2] = (uint8_t)(v >> 16);
	out[3] = (uint8_t)(v >> 24);
}

static uint32_t get_u32(const uint8_t *in)
{
	return (uint32_t)in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16 |
	       (uint32_t)in[3] << 24;
}

/* A private copy of a shared buffer with a NUL after it, or NULL. */
static uint8_t *copy_in(const TEE_Param *p)
{
	uint8_t *copy = TEE_Malloc(p->memref.size + 1, TEE_MALLOC_FILL_ZERO);

	if (copy && p->memref.size)
		TEE_MemMove(copy, p->memref.buffer, p->memref.size);
	return copy;
}

static TEE_Result store(uint32_t types, TEE_Param params[4])
{
	TEE_ObjectHandle obj = TEE_HANDLE_NULL;
	uint8_t *id = NULL;
	uint8_t *data = NULL;
	TEE_Result res = TEE_ERROR_OUT_OF_MEMORY;

	if (types != TEE_PARAM_TYPES(PT_MIN, PT_MIN, PT_VOUT, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	id = copy_in(&params[0]);
	data = copy_in(&params[1]);
	if (id && data)
		res = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, id,
						 params[0].memref.size,
						 TEE_DATA_FLAG_ACCESS_WRITE |
						 TEE_DATA_FLAG_OVERWRITE,
						 TEE_HANDLE_NULL, data,
						 params[1].memref.size, &obj);
	if (res == TEE_SUCCESS)
		TEE_CloseObject(obj);
	params[2].value.a = res;
	TEE_Free(id);
	TEE_Free(data);
	return TEE_SUCCESS;
}

#ifdef CFG_PYTEE_TUI

static TEE_Result check_text(uint32_t types, TEE_Param params[4])
{
	char *text = NULL;
	uint32_t width = 0;
	uint32_t height = 0;
	uint32_t last = 0;

	if (types != TEE_PARAM_TYPES(PT_MIN, PT_VOUT, PT_VOUT, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	text = (char *)copy_in(&params[0]);
	if (!text)
		return TEE_ERROR_OUT_OF_MEMORY;
	params[1].value.a = TEE_TUICheckTextFormat(text, &width, &height, &last);
	params[1].value.b = last;
	params[2].value.a = width;
	params[2].value.b = height;
	TEE_Free(text);
	return TEE_SUCCESS;
}

static TEE_Result screen_info(uint32_t types, TEE_Param params[4])
{
	TEE_TUIScreenInfo info;
	uint8_t *out = NULL;
	uint32_t words[TA_TUI_TEST_INFO_WORDS] = { 0 };
	size_t at = 0;

	if (types != TEE_PARAM_TYPES(PT_VIN, PT_VOUT, PT_MOUT, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (params[2].memref.size < TA_TUI_TEST_INFO_SIZE) {
		params[2].memref.size = TA_TUI_TEST_INFO_SIZE;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_MemFill(&info, 0, sizeof(info));
	params[1].value.a = TEE_TUIGetScreenInfo(
		(TEE_TUIScreenOrientation)params[0].value.a, params[0].value.b,
		&info);
	words[0] = info.grayscaleBitsDepth;
	words[1] = info.redBitsDepth;
	words[2] = info.greenBitsDepth;
	words[3] = info.blueBitsDepth;
	words[4] = info.widthInch;
	words[5] = info.heightInch;
	words[6] = info.maxEntryFields;
	words[7] = info.entryFieldLabelWidth;
	words[8] = info.entryFieldLabelHeight;
	words[9] = info.maxEntryFieldLength;
	words[10] = info.labelColor[0];
	words[11] = info.labelColor[1];
	words[12] = info.labelColor[2];
	words[13] = info.labelWidth;
	words[14] = info.labelHeight;
	out = params[2].memref.buffer;
	TEE_MemFill(out, 0, TA_TUI_TEST_INFO_SIZE);
	for (size_t i = 0; i < TA_TUI_TEST_INFO_WORDS; i++, at += 4)
		put_u32(out + at, words[i]);
	for (size_t i = 0; i < TEE_TUI_NUMBER_BUTTON_TYPES; i++) {
		const TEE_TUIScreenButtonInfo *b = &info.buttonInfo[i];

		put_u32(out + at, b->buttonWidth);
		put_u32(out + at + 4, b->buttonHeight);
		put_u32(out + at + 8, b->buttonTextCustom);
		put_u32(out + at + 12, b->buttonImageCustom);
		at += 16;
		for (size_t k = 0; b->buttonText && b->buttonText[k] &&
		     k < TA_TUI_TEST_BUTTON_TEXT - 1; k++)
			out[at + k] = (uint8_t)b->buttonText[k];
		at += TA_TUI_TEST_BUTTON_TEXT;
	}
	params[2].memref.size = TA_TUI_TEST_INFO_SIZE;
	return TEE_SUCCESS;
}

/* What DISPLAY builds from its description, all in TA memory. */
struct screen {
	TEE_TUIScreenConfiguration config;
	TEE_TUIButton buttons[TEE_TUI_NUMBER_BUTTON_TYPES];
	TEE_TUIEntryField fields[TA_TUI_TEST_MAX_ENTRIES];
	uint32_t count;
	bool close;
	uint8_t *copy;		/* the description, NUL-padded */
	char *text_room;	/* NUL-terminated copies of the texts */
	char *buffers;		/* the entry fields' buffers */
	size_t buffers_len;
};

/* Take len bytes at *at of desc (size n) as a NUL-terminated string in
 * room; NULL for TA_TUI_TEST_NULL; false if past the end. */
static bool take_text(const uint8_t *desc, size_t n, size_t *at, uint32_t len,
		      char **room, char **out)
{
	*out = NULL;
	if (len == TA_TUI_TEST_NULL || len == TA_TUI_TEST_IMAGE_BUTTON)
		return true;
	if (len > n - *at)
		return false;
	TEE_MemMove(*room, desc + *at, len);
	(*room)[len] = '\0';
	*out = *room;
	*room += len + 1;
	*at += len;
	return true;
}

static void screen_free(struct screen *s)
{
	TEE_Free(s->copy);
	TEE_Free(s->text_room);
	TEE_Free(s->buffers);
}

/* Parse DISPLAY's description (checked: the TA trusts no client). */
static TEE_Result screen_parse(const TEE_Param *p, bool short_buffer,
			       struct screen *s)
{
	size_t n = p->memref.size;
	const uint8_t *d = NULL;
	const size_t fixed = 4 * TA_TUI_TEST_SCREEN_WORDS;
	uint32_t w[TA_TUI_TEST_SCREEN_WORDS] = { 0 };
	size_t at = fixed;
	char *room = NULL;
	char *text = NULL;
	uint32_t image_len = 0;

	TEE_MemFill(s, 0, sizeof(*s));
	if (n > SCREEN_MAX || n < fixed)
		return TEE_ERROR_BAD_PARAMETERS;
	s->copy = copy_in(p);
	s->text_room = TEE_Malloc(2 * n + 16, TEE_MALLOC_FILL_ZERO);
	if (!s->copy || !s->text_room)
		return TEE_ERROR_OUT_OF_MEMORY;
	d = s->copy;
	room = s->text_room;
	for (size_t i = 0; i < TA_TUI_TEST_SCREEN_WORDS; i++)
		w[i] = get_u32(d + 4 * i);
	s->count = w[3];
	if (s->count > TA_TUI_TEST_MAX_ENTRIES ||
	    s->count * 4 * TA_TUI_TEST_ENTRY_WORDS > n - fixed)
		return TEE_ERROR_BAD_PARAMETERS;
	at += s->count * 4 * TA_TUI_TEST_ENTRY_WORDS;

	s->close = w[2] != 0;
	s->config.screenOrientation = (TEE_TUIScreenOrientation)w[0];
	for (uint32_t i = 0; i < TEE_TUI_NUMBER_BUTTON_TYPES; i++)
		s->config.requestedButtons[i] = (w[1] >> i) & 1;
	s->config.label.textXOffset = w[4];
	s->config.label.textYOffset = w[5];
	s->config.label.textColor[0] = (uint8_t)(w[6] >> 16);
	s->config.label.textColor[1] = (uint8_t)(w[6] >> 8);
	s->config.label.textColor[2] = (uint8_t)w[6];
	if (!take_text(d, n, &at, w[13], &room, &s->config.label.text))
		return TEE_ERROR_BAD_PARAMETERS;
	for (uint32_t i = 0; i < TEE_TUI_NUMBER_BUTTON_TYPES; i++) {
		uint32_t len = w[14 + i];

		if (len == TA_TUI_TEST_NULL)
			continue;
		s->config.buttons[i] = &s->buttons[i];
		if (len == TA_TUI_TEST_IMAGE_BUTTON) {
			s->buttons[i].image.source = TEE_TUI_REF_SOURCE;
			continue;
		}
		if (!take_text(d, n, &at, len, &room, &s->buttons[i].text))
			return TEE_ERROR_BAD_PARAMETERS;
	}
	for (uint32_t i = 0; i < s->count; i++) {
		const uint8_t *e = d + fixed + 4 * TA_TUI_TEST_ENTRY_WORDS * i;
		TEE_TUIEntryField *f = &s->fields[i];

		f->mode = (TEE_TUIEntryFieldMode)get_u32(e);
		f->type = (TEE_TUIEntryFieldType)get_u32(e + 4);
		f->minExpectedLength = get_u32(e + 8);
		f->maxExpectedLength = get_u32(e + 12);
		if (f->maxExpectedLength > 1024)
			return TEE_ERROR_BAD_PARAMETERS;
		f->bufferLength = f->maxExpectedLength + (short_buffer ? 0 : 1);
		s->buffers_len += f->bufferLength;
		if (!take_text(d, n, &at, get_u32(e + 16), &room, &text))
			return TEE_ERROR_BAD_PARAMETERS;
		f->label = text;
	}
	s->buffers = TEE_Malloc(s->buffers_len + 1, TEE_MALLOC_FILL_ZERO);
	if (!s->buffers)
		return TEE_ERROR_OUT_OF_MEMORY;
	for (uint32_t i = 0, off = 0; i < s->count; i++) {
		s->fields[i].buffer = s->buffers + off;
		off += s->fields[i].bufferLength;
	}

	image_len = w[12];
	if (image_len > n - at)
		return TEE_ERROR_BAD_PARAMETERS;
	s->config.label.image.source = (TEE_TUIImageSource)w[7];
	s->config.label.imageXOffset = w[8];
	s->config.label.imageYOffset = w[9];
	s->config.label.image.width = w[10];
	s->config.label.image.height = w[11];
	if (w[7] == TEE_TUI_REF_SOURCE) {
		s->config.label.image.ref.image = s->copy + at;
		s->config.label.image.ref.imageLength = image_len;
	} else if (w[7] == TEE_TUI_OBJECT_SOURCE) {
		s->config.label.image.object.storageID = TEE_STORAGE_PRIVATE;
		s->config.label.image.object.objectID = s->copy + at;
		s->config.label.image.object.objectIDLen = image_len;
	}
	return TEE_SUCCESS;
}

static TEE_Result display(uint32_t types, TEE_Param params[4])
{
	struct screen s;
	TEE_TUIButtonType button = TEE_TUI_OK;
	uint32_t flags = 0;
	TEE_Result res = TEE_SUCCESS;

	if (types != TEE_PARAM_TYPES(PT_MIN, PT_VOUT, PT_MOUT, PT_VIN))
		return TEE_ERROR_BAD_PARAMETERS;
	flags = params[3].value.a;
	res = screen_parse(&params[0], flags & TA_TUI_TEST_FLAG_SHORT_BUFFER, &s);
	if (res)
		goto out;
	if (params[2].memref.size < s.buffers_len) {
		params[2].memref.size = s.buffers_len;
		res = TEE_ERROR_SHORT_BUFFER;
		goto out;
	}
	if (flags & TA_TUI_TEST_FLAG_UNMASK_CANCEL)
		TEE_UnmaskCancellation();
	params[1].value.a = TEE_TUIDisplayScreen(
		flags & TA_TUI_TEST_FLAG_NULL_CONFIG ? NULL : &s.config,
		s.close,
		flags & TA_TUI_TEST_FLAG_NULL_FIELDS ? NULL : s.fields, s.count,
		flags & TA_TUI_TEST_FLAG_NULL_SELECTED ? NULL : &button);
	params[1].value.b = button;
	TEE_MemMove(params[2].memref.buffer, s.buffers, s.buffers_len);
	params[2].memref.size = s.buffers_len;
out:
	screen_free(&s);
	return res;
}

static TEE_Result session_call(uint32_t types, TEE_Param params[4], bool init)
{
	if (types != TEE_PARAM_TYPES(PT_VOUT, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	params[0].value.a = init ? TEE_TUIInitSession() : TEE_TUICloseSession();
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *session, uint32_t cmd,
				      uint32_t types, TEE_Param params[4])
{
	(void)session;
	switch (cmd) {
	case TA_TUI_TEST_CMD_CHECK_TEXT:
		return check_text(types, params);
	case TA_TUI_TEST_CMD_SCREEN_INFO:
		return screen_info(types, params);
	case TA_TUI_TEST_CMD_INIT:
		return session_call(types, params, true);
	case TA_TUI_TEST_CMD_CLOSE:
		return session_call(types, params, false);
	case TA_TUI_TEST_CMD_DISPLAY:
		return display(types, params);
	case TA_TUI_TEST_CMD_STORE:
		return store(types, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}

#else /* no Trusted UI: the documented fallback */

TEE_Result TA_InvokeCommandEntryPoint(void *session, uint32_t cmd,
				      uint32_t types, TEE_Param params[4])
{
	(void)session;
	if (cmd == TA_TUI_TEST_CMD_STORE)
		return store(types, params);
	return TEE_ERROR_NOT_SUPPORTED;
}

#endif /* CFG_PYTEE_TUI */
