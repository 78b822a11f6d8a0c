/* SPDX-License-Identifier: GPL-2.0-only */
/** Version strings; VIREO_VERSION and VIREO_GIT_REV come from the Makefile. */
#ifndef VIREO_VERSION_H
#define VIREO_VERSION_H

#ifndef VIREO_VERSION
#define VIREO_VERSION "0.0.0"
#endif
#ifndef VIREO_GIT_REV
#define VIREO_GIT_REV "unknown"
#endif

#define VIREO_COMPILER "gcc " __VERSION__

#endif
