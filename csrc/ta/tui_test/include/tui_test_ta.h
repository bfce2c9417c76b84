/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Trusted UI test TA (csrc/ta/tui_test): UUID, commands and layouts,
 * shared by the TA and its clients (tests/test_tui.py mirrors them).
 * Plain #defines only.
 *
 * Each command calls one function of the GP TUI API (tee_tui_api.h) and
 * returns TEE_SUCCESS with the function's result in an output value, so
 * that the client sees the outputs whatever the result; a panic of the TA
 * shows as TEEC_ERROR_TARGET_DEAD.  Built without CFG_PYTEE_TUI (OP-TEE's
 * dev kit, or CFG_PYTEE_TUI=n) every command answers
 * TEE_ERROR_NOT_SUPPORTED, the fallback of a TEE without TUI.  A wrong
 * parameter type gives TEE_ERROR_BAD_PARAMETERS, an unknown command
 * TEE_ERROR_NOT_SUPPORTED.  Integers in memrefs are little-endian u32.
 *
 * CHECK_TEXT   p0 MEMREF_INPUT   the text (the TA adds the NUL)
 *              p1 VALUE_OUTPUT   a: result  b: lastIndex
 *              p2 VALUE_OUTPUT   a: width   b: height
 * SCREEN_INFO  p0 VALUE_INPUT    a: orientation  b: nbEntryFields
 *              p1 VALUE_OUTPUT   a: result
 *              p2 MEMREF_OUTPUT  TA_TUI_TEST_INFO_SIZE bytes: the
 *                                TEE_TUIScreenInfo, TA_TUI_TEST_INFO_WORDS
 *                                u32 in field order (labelColor as three),
 *                                then per button (in TEE_TUIButtonType
 *                                order) width, height, textCustom,
 *                                imageCustom and the default text in
 *                                TA_TUI_TEST_BUTTON_TEXT bytes NUL-padded
 * INIT, CLOSE  p0 VALUE_OUTPUT   a: result of TEE_TUIInitSession /
 *                                   TEE_TUICloseSession
 * DISPLAY      p0 MEMREF_INPUT   the screen (below)
 *              p1 VALUE_OUTPUT   a: result  b: the button selected
 *              p2 MEMREF_OUTPUT  the entry fields' buffers one after the
 *                                other, each up to and with its NUL
 *              p3 VALUE_INPUT    a: TA_TUI_TEST_FLAG_* for misuse
 * STORE        p0 MEMREF_INPUT   object id
 *              p1 MEMREF_INPUT   data: stored as a private persistent
 *                                object (replacing any), for label images
 *              p2 VALUE_OUTPUT   a: result
 *
 * The screen of DISPLAY: TA_TUI_TEST_SCREEN_WORDS u32, then the bytes of
 * the texts and of the image:
 *   0 orientation  1 requested buttons (bit i: button i)  2 closeTUISession
 *   3 entry field count (up to TA_TUI_TEST_MAX_ENTRIES)
 *   4 label textXOffset  5 textYOffset  6 textColor 0xRRGGBB
 *   7 image source (TEE_TUIImageSource)  8 imageXOffset  9 imageYOffset
 *   10 image width  11 image height  12 image bytes (REF: the PNG;
 *      OBJECT: the object id, storage TEE_STORAGE_PRIVATE)
 *   13 label text bytes, TA_TUI_TEST_NULL for a NULL text
 *   14..19 per button: custom text bytes, TA_TUI_TEST_NULL for no
 *      TEE_TUIButton, TA_TUI_TEST_IMAGE_BUTTON for one with an image
 *   then per entry field 5 words: mode, type, minExpectedLength,
 *      maxExpectedLength, label bytes (TA_TUI_TEST_NULL: NULL label)
 * and the bytes in that order: label, button texts, entry labels, image.
 * Each entry field's buffer holds maxExpectedLength + 1 bytes.
 */
#ifndef TUI_TEST_TA_H
#define TUI_TEST_TA_H

#define TA_TUI_TEST_UUID \
	{ 0xe35654d3, 0x2e04, 0x4600, \
		{ 0x96, 0xd5, 0x0e, 0x7a, 0x6c, 0x97, 0xe9, 0xe9 } }

#define TA_TUI_TEST_CMD_CHECK_TEXT	0
#define TA_TUI_TEST_CMD_SCREEN_INFO	1
#define TA_TUI_TEST_CMD_INIT		2
#define TA_TUI_TEST_CMD_CLOSE		3
#define TA_TUI_TEST_CMD_DISPLAY		4
#define TA_TUI_TEST_CMD_STORE		5

#define TA_TUI_TEST_INFO_WORDS		15
#define TA_TUI_TEST_BUTTON_TEXT		16
#define TA_TUI_TEST_INFO_SIZE		(4 * TA_TUI_TEST_INFO_WORDS + \
					 6 * (16 + TA_TUI_TEST_BUTTON_TEXT))

#define TA_TUI_TEST_SCREEN_WORDS	20
#define TA_TUI_TEST_ENTRY_WORDS		5
#define TA_TUI_TEST_MAX_ENTRIES		4
#define TA_TUI_TEST_NULL		0xffffffff
#define TA_TUI_TEST_IMAGE_BUTTON	0xfffffffe

/* DISPLAY p3.a */
#define TA_TUI_TEST_FLAG_NULL_CONFIG	0x1	/* screenConfiguration NULL */
#define TA_TUI_TEST_FLAG_NULL_SELECTED	0x2	/* selectedButton NULL */
#define TA_TUI_TEST_FLAG_NULL_FIELDS	0x4	/* entryFields NULL */
#define TA_TUI_TEST_FLAG_SHORT_BUFFER	0x8	/* buffers of maxExpectedLength */
#define TA_TUI_TEST_FLAG_UNMASK_CANCEL	0x10	/* TEE_UnmaskCancellation first */

#endif /* TUI_TEST_TA_H */
