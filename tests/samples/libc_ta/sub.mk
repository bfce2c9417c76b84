global-incdirs-y += include
srcs-y += libc_ta.c
srcs-y += libc_queue.c
