# The code of the arith_test TA under another UUID (per-TA persistent time).
global-incdirs-y += ../arith_test/include
srcs-y += ../arith_test/arith_test_ta.c
srcs-y += ../arith_test/bigint_io.c
srcs-y += ../arith_test/bigint_cmds.c
srcs-y += ../arith_test/time_cmds.c
