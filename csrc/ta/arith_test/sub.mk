global-incdirs-y += include
srcs-y += arith_test_ta.c
srcs-y += bigint_io.c
srcs-y += bigint_cmds.c
srcs-y += time_cmds.c
