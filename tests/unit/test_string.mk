# SPDX-License-Identifier: GPL-2.0-only
# lib/string.c on the host: its functions are renamed so the C library's stay untouched, and
# checked against byte-by-byte reference loops written in the test.
test_string_SRCS   := lib/string.c
test_string_CFLAGS := -fno-builtin -Dmemcpy=vireo_memcpy -Dmemmove=vireo_memmove \
	-Dmemset=vireo_memset -Dmemcmp=vireo_memcmp -Dmemchr=vireo_memchr -Dstrlen=vireo_strlen \
	-Dstrnlen=vireo_strnlen -Dstrcmp=vireo_strcmp -Dstrncmp=vireo_strncmp \
	-Dstrchr=vireo_strchr -Dstrrchr=vireo_strrchr -Dstrlcpy=vireo_strlcpy
