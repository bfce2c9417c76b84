# The code of the test TA; only the flags in user_ta_header_defines.h differ.
global-incdirs-y += ../test/include
srcs-y += ../test/test_ta.c
