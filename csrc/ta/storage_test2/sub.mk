# The code of the storage test TA under another UUID (so another storage),
# with TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT, which the code is told.
global-incdirs-y += ../storage_test/include
srcs-y += ../storage_test/storage_test_ta.c
cflags-y += -DSTORAGE_TEST_KEEPS_CORRUPT=1
