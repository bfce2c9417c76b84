global-incdirs-y += include
srcs-y += crypto_test_ta.c
srcs-y += handles.c
