// SPDX-License-Identifier: GPL-2.0
/*
 * cbu.ko: Certificate-based Binding Update for Mobile IPv6.
 *
 * Module entry points.  Every network namespace gets its own state and
 * hooks (netns.c) before the generic netlink family, netnsok, lets anyone
 * reach them; unloading undoes both in the reverse order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <net/genetlink.h>

#include "bcache.h"
#include "cbu.h"
#include "netlink.h"
#include "netns.h"

static int __init cbu_mod_init(void)
{
	int ret;

	cbu_limit_module_init();
	ret = cbu_bcache_module_init();
	if (ret < 0)
		return ret;

	ret = cbu_netns_init();
	if (ret < 0)
		goto err_bcache;

	ret = cbu_genl_init();
	if (ret < 0)
		goto err_netns;

	pr_info("version %s loaded\n", CBU_VERSION);
	return 0;

err_netns:
	cbu_netns_uninit();
	rcu_barrier();
err_bcache:
	cbu_bcache_module_exit();
	return ret;
}

static void __exit cbu_mod_exit(void)
{
	cbu_genl_uninit();
	cbu_netns_uninit();
	/* Entries and keys are freed from RCU callbacks: let them finish. */
	rcu_barrier();
	cbu_bcache_module_exit();
	pr_info("unloaded\n");
}

module_init(cbu_mod_init);
module_exit(cbu_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Certificate-based Binding Update for Mobile IPv6");
MODULE_VERSION(CBU_VERSION);
MODULE_ALIAS_GENL_FAMILY(CBU_GENL_NAME);
