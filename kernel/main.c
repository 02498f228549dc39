// SPDX-License-Identifier: GPL-2.0
/*
 * cbu.ko: Certificate-based Binding Update for Mobile IPv6.
 *
 * Module entry points.  The generic netlink family is netnsok: each network
 * namespace sees it and, as the binding cache lands, gets its own state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <net/genetlink.h>

#include "cbu.h"
#include "netlink.h"

static int __init cbu_mod_init(void)
{
	int ret;

	ret = cbu_genl_init();
	if (ret < 0)
		return ret;

	pr_info("version %s loaded\n", CBU_VERSION);
	return 0;
}

static void __exit cbu_mod_exit(void)
{
	cbu_genl_uninit();
	pr_info("unloaded\n");
}

module_init(cbu_mod_init);
module_exit(cbu_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Certificate-based Binding Update for Mobile IPv6");
MODULE_VERSION(CBU_VERSION);
MODULE_ALIAS_GENL_FAMILY(CBU_GENL_NAME);
