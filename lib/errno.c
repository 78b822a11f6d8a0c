/* SPDX-License-Identifier: GPL-2.0-only */
/* Short descriptions of the VIREO_E* codes for one-line log and shell messages. */
#include <vireo/errno.h>

const char *vireo_strerror(int err)
{
	switch (err) {
	case VIREO_OK:
		return "success";
	case VIREO_EINVAL:
		return "invalid argument";
	case VIREO_ENOMEM:
		return "out of memory";
	case VIREO_ENOENT:
		return "no such object";
	case VIREO_EEXIST:
		return "already exists";
	case VIREO_EBUSY:
		return "resource busy";
	case VIREO_ENOTSUP:
		return "not supported";
	case VIREO_ERANGE:
		return "value out of range";
	case VIREO_ETRUNC:
		return "data truncated";
	case VIREO_EIO:
		return "i/o error";
	case VIREO_EAGAIN:
		return "try again";
	case VIREO_EFAULT:
		return "bad address";
	case VIREO_ENOSPC:
		return "no space left";
	case VIREO_EADDRINUSE:
		return "address in use";
	default:
		return "unknown error";
	}
}
