global-incdirs-y += include
srcs-y += test_ta.c
