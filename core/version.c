/* SPDX-License-Identifier: GPL-2.0-only */
/** The version strings; the Makefile passes VIREO_VERSION and VIREO_GIT_REV to this file only. */
#include <vireo/version.h>

#ifndef VIREO_VERSION
#define VIREO_VERSION "0.0.0"
#endif
#ifndef VIREO_GIT_REV
#define VIREO_GIT_REV "unknown"
#endif

const char vireo_version[] = VIREO_VERSION;
const char vireo_git_rev[] = VIREO_GIT_REV;
const char vireo_compiler[] = "gcc " __VERSION__;
