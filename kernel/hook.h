/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CBU_HOOK_H
#define _CBU_HOOK_H

struct net;

int cbu_hooks_register(struct net *net);
void cbu_hooks_unregister(struct net *net);
int cbu_map_hooks_register(struct net *net);
void cbu_map_hooks_unregister(struct net *net);

#endif /* _CBU_HOOK_H */
