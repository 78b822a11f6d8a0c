/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Vireo error codes. Functions return 0 or a negative code; codes are translated to SBI or
 * guest-visible errors only at the guest boundary.
 */
#ifndef VIREO_ERRNO_H
#define VIREO_ERRNO_H

enum {
	VIREO_OK = 0,
	VIREO_EINVAL = -1,  /**< invalid argument or malformed input */
	VIREO_ENOMEM = -2,  /**< out of memory */
	VIREO_ENOENT = -3,  /**< no such object */
	VIREO_EEXIST = -4,  /**< already exists */
	VIREO_EBUSY = -5,   /**< resource busy */
	VIREO_ENOTSUP = -6, /**< not supported */
	VIREO_ERANGE = -7,  /**< value out of range */
	VIREO_ETRUNC = -8,  /**< data truncated or too short */
	VIREO_EIO = -9,     /**< device error */
	VIREO_EAGAIN = -10, /**< try again */
	VIREO_EFAULT = -11, /**< bad address */
	VIREO_ENOSPC = -12, /**< no space left in a table */
	/** an address someone else owns (a MAC address on a virtual switch) */
	VIREO_EADDRINUSE = -13,
};

/** A short lower-case description of an error code, for one-line messages. */
const char *vireo_strerror(int err);

#endif
