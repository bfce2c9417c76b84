/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GlobalPlatform TEE Trusted User Interface API v1.0: functions, written
 * for pytee.  libtee implements them; see <tee_tui_api_types.h>.
 */
#ifndef TEE_TUI_API_H
#define TEE_TUI_API_H

#include <stdbool.h>
#include <stdint.h>
#include <tee_api_types.h>
#include <tee_tui_api_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Checks that text can be displayed: on success *width and *height give
 * its size in pixels; on TEE_ERROR_NOT_SUPPORTED *lastIndex is the index
 * of the first character that cannot be shown.
 */
TEE_Result TEE_TUICheckTextFormat(const char *text, uint32_t *width,
				  uint32_t *height, uint32_t *lastIndex);

/* Describes the screen for an orientation and a number of entry fields. */
TEE_Result TEE_TUIGetScreenInfo(TEE_TUIScreenOrientation screenOrientation,
				uint32_t nbEntryFields,
				TEE_TUIScreenInfo *screenInfo);

/* Takes and releases the trusted display and input for this TA. */
TEE_Result TEE_TUIInitSession(void);
TEE_Result TEE_TUICloseSession(void);

/*
 * Shows one screen and waits for a button press; entryFields receive the
 * user's input and *selectedButton the button pressed.  With
 * closeTUISession true the session ends when the screen is left.
 */
TEE_Result TEE_TUIDisplayScreen(
		const TEE_TUIScreenConfiguration *screenConfiguration,
		bool closeTUISession, TEE_TUIEntryField *entryFields,
		uint32_t entryFieldCount, TEE_TUIButtonType *selectedButton);

#ifdef __cplusplus
}
#endif

#endif /* TEE_TUI_API_H */
