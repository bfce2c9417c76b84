global-incdirs-y += include
srcs-y += bench_crypto_ta.c
