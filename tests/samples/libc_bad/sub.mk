srcs-y += bad_ta.c
