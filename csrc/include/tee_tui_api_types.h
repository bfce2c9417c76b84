/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GlobalPlatform TEE Trusted User Interface API v1.0: types and
 * constants, written for pytee.
 *
 * Current OP-TEE ships no TUI API (releases up to 3.19 carried these
 * types in libutee without an implementation); the layouts here follow
 * the GP specification as those OP-TEE headers rendered it, so a TA
 * written against them builds unchanged.  The functions are in
 * <tee_tui_api.h>.
 */
#ifndef TEE_TUI_API_TYPES_H
#define TEE_TUI_API_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One entry per TEE_TUIButtonType value */
#define TEE_TUI_NUMBER_BUTTON_TYPES	0x00000006

/* How typed characters are echoed in an entry field */
typedef enum {
	TEE_TUI_HIDDEN_MODE = 0,	/* never shown */
	TEE_TUI_CLEAR_MODE = 1,		/* always shown */
	TEE_TUI_TEMPORARY_CLEAR_MODE = 2, /* shown briefly, then hidden */
} TEE_TUIEntryFieldMode;

/* What an entry field accepts */
typedef enum {
	TEE_TUI_NUMERICAL = 0,
	TEE_TUI_ALPHANUMERICAL = 1,
} TEE_TUIEntryFieldType;

typedef enum {
	TEE_TUI_PORTRAIT = 0,
	TEE_TUI_LANDSCAPE = 1,
} TEE_TUIScreenOrientation;

/* Also the index into the per-button arrays below */
typedef enum {
	TEE_TUI_CORRECTION = 0,
	TEE_TUI_OK = 1,
	TEE_TUI_CANCEL = 2,
	TEE_TUI_VALIDATE = 3,
	TEE_TUI_PREVIOUS = 4,
	TEE_TUI_NEXT = 5,
} TEE_TUIButtonType;

/* Where the bytes of a PNG image come from */
typedef enum {
	TEE_TUI_NO_SOURCE = 0,		/* no image */
	TEE_TUI_REF_SOURCE = 1,		/* a buffer in TA memory */
	TEE_TUI_OBJECT_SOURCE = 2,	/* the data of a persistent object */
} TEE_TUIImageSource;

typedef struct {
	TEE_TUIImageSource source;
	union {
		struct {
			void *image;
			size_t imageLength;
		} ref;
		struct {
			uint32_t storageID;
			void *objectID;
			size_t objectIDLen;
		} object;
	};
	uint32_t width;			/* pixels */
	uint32_t height;
} TEE_TUIImage;

/* The text and image at the top of a screen; colour is RGB */
typedef struct {
	char *text;
	uint32_t textXOffset;
	uint32_t textYOffset;
	uint8_t textColor[3];
	TEE_TUIImage image;
	uint32_t imageXOffset;
	uint32_t imageYOffset;
} TEE_TUIScreenLabel;

/* A customised button: NULL text / TEE_TUI_NO_SOURCE keep the default */
typedef struct {
	char *text;
	TEE_TUIImage image;
} TEE_TUIButton;

typedef struct {
	TEE_TUIScreenOrientation screenOrientation;
	TEE_TUIScreenLabel label;
	/* NULL: the default look of that button */
	TEE_TUIButton *buttons[TEE_TUI_NUMBER_BUTTON_TYPES];
	/* which buttons the screen shows */
	bool requestedButtons[TEE_TUI_NUMBER_BUTTON_TYPES];
} TEE_TUIScreenConfiguration;

/* What the implementation says about one button */
typedef struct {
	char *buttonText;		/* default text */
	uint32_t buttonWidth;		/* pixels, 0 if it cannot be drawn */
	uint32_t buttonHeight;
	bool buttonTextCustom;		/* the text may be replaced */
	bool buttonImageCustom;		/* an image may be put on it */
} TEE_TUIScreenButtonInfo;

/* Capabilities of the trusted display, from TEE_TUIGetScreenInfo() */
typedef struct {
	uint32_t grayscaleBitsDepth;
	uint32_t redBitsDepth;
	uint32_t greenBitsDepth;
	uint32_t blueBitsDepth;
	uint32_t widthInch;		/* pixels per inch, horizontally */
	uint32_t heightInch;		/* pixels per inch, vertically */
	uint32_t maxEntryFields;
	uint32_t entryFieldLabelWidth;
	uint32_t entryFieldLabelHeight;
	uint32_t maxEntryFieldLength;
	uint8_t labelColor[3];		/* default label colour, RGB */
	uint32_t labelWidth;
	uint32_t labelHeight;
	TEE_TUIScreenButtonInfo buttonInfo[TEE_TUI_NUMBER_BUTTON_TYPES];
} TEE_TUIScreenInfo;

/* One input field; the user's text lands in buffer, NUL-terminated */
typedef struct {
	char *label;
	TEE_TUIEntryFieldMode mode;
	TEE_TUIEntryFieldType type;
	uint32_t minExpectedLength;
	uint32_t maxExpectedLength;
	char *buffer;
	size_t bufferLength;
} TEE_TUIEntryField;

#endif /* TEE_TUI_API_TYPES_H */
