global-incdirs-y += include
srcs-y += tui_test_ta.c
