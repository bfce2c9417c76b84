global-incdirs-y += include
srcs-y += asym_test_ta.c
