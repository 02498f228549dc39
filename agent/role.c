// SPDX-License-Identifier: GPL-2.0
/*
 * The roles the agent can hold, and their lifecycle (see struct role_ops).
 * A role is added here, in its own file (its ops at the end) and in its
 * configuration: its struct in struct agent_config (config.h), its keys
 * and its line of role_configs[] (config.c).  main.c and io.c walk this
 * table; config.c's parser, checks and reload rule walk that one.
 */
#include "agent.h"

/*
 * Shown and stopped in this order; checked and started in the other: the
 * mobile node last, as it starts registering at once.
 */
const struct role_ops *const roles[] = {
	&mn_role,
	&map_role,
	&ha_role,
	&cn_role,
	NULL
};

const struct role_ops *const *role_enabled_from(const struct role_ops *const *it)
{
	while (*it && !*(*it)->enabled)
		it++;
	return it;
}

/* Check (@check) or start each role of the configuration, in start order. */
static int roles_start(bool check)
{
	const struct role_ops *r;
	int (*op)(void);
	size_t i;

	for (i = ARRAY_SIZE(roles) - 1; i-- > 0;) {
		r = roles[i];
		op = check ? r->check : r->init;
		if (*r->enabled && op && op())
			return -1;
	}
	return 0;
}

int roles_check(void)
{
	return roles_start(true);
}

int roles_init(void)
{
	return roles_start(false);
}

void roles_fini(void)
{
	const struct role_ops *r;

	for_each_role(r)
		if (r->fini)
			r->fini();
}

/*
 * Each role of the configuration takes the new one, in start order.  Each
 * reads its files before it changes anything, and they were all checked
 * just before: only a file changed in between can make a role after the
 * first refuse what the first took.
 */
int roles_reload(const struct agent_config *old)
{
	const struct role_ops *r;
	size_t i;

	for (i = ARRAY_SIZE(roles) - 1; i-- > 0;) {
		r = roles[i];
		if (*r->enabled && r->reload && r->reload(old))
			return -1;
	}
	return 0;
}
