# The code of the ext_test TA without TA_FLAG_CACHE_MAINTENANCE.
global-incdirs-y += ../include
srcs-y += ../ext_test_ta.c
