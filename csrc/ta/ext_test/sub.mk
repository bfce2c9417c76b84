global-incdirs-y += include
srcs-y += ext_test_ta.c
