/* SPDX-License-Identifier: GPL-2.0-only */
/** Version strings, set by the build in core/version.c. */
#ifndef VIREO_VERSION_H
#define VIREO_VERSION_H

/** Release, e.g. "0.1.0". */
extern const char vireo_version[];
/** Source revision, e.g. "e28ba33" or "e28ba33-dirty". */
extern const char vireo_git_rev[];
/** The compiler that built the image. */
extern const char vireo_compiler[];

#endif
