/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of the values of the cbu family's enums (uapi/linux/cbu.h), as
 * cbuctl prints them and as its JSON carries them: lowercase, words joined
 * by underscores.  They are an API: never rename one.
 */
#ifndef _CBU_NAMES_H
#define _CBU_NAMES_H

#include <linux/cbu.h>

/* One name per enum cbu_stat counter, __CBU_STAT_MAX of them. */
extern const char *const cbu_stat_names[];

/* The name of a value, or NULL for one this build does not know. */
const char *cbu_stat_name(unsigned int stat);
const char *cbu_state_name(unsigned int state);	/* enum cbu_bce_state */
const char *cbu_role_name(unsigned int role);	/* enum cbu_role */
const char *cbu_event_name(unsigned int event);	/* enum cbu_event */
const char *cbu_feature_name(unsigned int bit);	/* enum cbu_feature */

/* The enum cbu_role of @name into *@role: 0, or -1 for an unknown name. */
int cbu_role_parse(const char *name, unsigned int *role);

#endif /* _CBU_NAMES_H */
