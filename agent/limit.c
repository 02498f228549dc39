// SPDX-License-Identifier: GPL-2.0
/* Token buckets (limit.h). */
#include <string.h>

#include "limit.h"

bool tb_take(struct tbucket *b, const struct tb_rate *r, uint64_t now_ms)
{
	uint64_t max = (uint64_t)r->burst * 1000, milli;

	if (!b->used) {
		b->used = true;
		b->milli = (uint32_t)max;
		b->last_ms = now_ms;
	} else if (now_ms > b->last_ms) {
		/* One token a second at rate 1: a thousandth per ms. */
		milli = b->milli + (now_ms - b->last_ms) * r->rate;
		b->milli = (uint32_t)(milli < max ? milli : max);
		b->last_ms = now_ms;
	}
	if (b->milli < 1000)
		return false;
	b->milli -= 1000;
	return true;
}

void tb_table_init(struct tb_table *t, uint32_t rate, uint32_t burst)
{
	memset(t, 0, sizeof(*t));
	t->rate.rate = rate ? rate : 1;
	t->rate.burst = burst ? burst : 1;
}

bool tb_table_take(struct tb_table *t, const struct in6_addr *addr,
		   uint64_t now_ms)
{
	unsigned int i, idle = 0;

	for (i = 0; i < TB_TABLE_SIZE; i++) {
		if (t->b[i].used && !memcmp(&t->addr[i], addr, sizeof(*addr)))
			return tb_take(&t->b[i], &t->rate, now_ms);
		if (!t->b[i].used ||
		    (t->b[idle].used && t->b[i].last_ms < t->b[idle].last_ms))
			idle = i;
	}
	t->addr[idle] = *addr;
	t->b[idle].used = false;
	return tb_take(&t->b[idle], &t->rate, now_ms);
}

void tb_limit_init(struct tb_limit *l, uint32_t rate, uint32_t burst,
		   uint32_t all)
{
	tb_table_init(&l->src, rate, burst);
	l->all_rate.rate = all ? all : 1;
	l->all_rate.burst = l->all_rate.rate;
	memset(&l->all, 0, sizeof(l->all));
}

bool tb_limit_take(struct tb_limit *l, const struct in6_addr *src,
		   uint64_t now_ms)
{
	return tb_table_take(&l->src, src, now_ms) &&
	       tb_take(&l->all, &l->all_rate, now_ms);
}
