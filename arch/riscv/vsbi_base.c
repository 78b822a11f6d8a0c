/* SPDX-License-Identifier: GPL-2.0-only */
/** SBI Base extension (SBI spec v2.0 chapter 4). */
#include <arch/vsbi.h>
#include <vireo/version.h>

#define BASE_EXT_ID   0x10
#define SBI_SPEC_2_0  ((2UL << 24) | 0)
#define VIREO_IMPL_ID 0x5649 /* not an assigned id: "VI" */

/* Implementation version: major.minor.patch of Vireo packed as in SBI spec 4.2's examples. */
static unsigned long impl_version(void)
{
	unsigned long parts[3] = {0, 0, 0};
	unsigned int i = 0;
	for (const char *p = vireo_version; *p && i < 3; p++) {
		if (*p == '.') {
			i++;
		} else if (*p >= '0' && *p <= '9') {
			parts[i] = parts[i] * 10 + (unsigned long)(*p - '0');
		}
	}
	return (parts[0] << 16) | (parts[1] << 8) | parts[2];
}

static enum vcpu_exit base_handle(struct vcpu *v, unsigned long ext, unsigned long fid,
                                  const unsigned long *args, struct vsbi_ret *ret)
{
	(void)v;
	(void)ext;
	ret->error = SBI_OK;
	switch (fid) {
	case 0: /* get_spec_version */
		ret->value = (long)SBI_SPEC_2_0;
		break;
	case 1: /* get_impl_id */
		ret->value = VIREO_IMPL_ID;
		break;
	case 2: /* get_impl_version */
		ret->value = (long)impl_version();
		break;
	case 3: /* probe_extension: 0 when absent (spec 4.4); legacy ids are probed too */
		ret->value = vsbi_find(args[0]) != NULL ? 1 : 0;
		break;
	case 4: /* get_mvendorid */
	case 5: /* get_marchid */
	case 6: /* get_mimpid */
		ret->value = 0;
		break;
	default:
		ret->error = SBI_ENOT_SUPPORTED;
		break;
	}
	return VCPU_EXIT_CONTINUE;
}

const struct vsbi_ext vsbi_ext_base = {BASE_EXT_ID, BASE_EXT_ID, "base", base_handle};
