/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Token buckets for what the agent answers to strangers: a node that
 * answers an unauthenticated request with more octets than it got (REP_Cert
 * to a REQ_Cert, a MAP's signed BA) is a reflector unless it counts.
 *
 * A bucket holds up to @burst tokens and gains @rate a second; each answer
 * takes one.  A table of buckets keys them by source address: when it is
 * full, the bucket idle longest is given to the new source (a full bucket
 * forgets nothing a new one would not also allow).  A caller puts a
 * global bucket in front, so that many sources together are bounded too.
 * Single-threaded, as the whole agent is; the clock is loop_now_ms().
 */
#ifndef _CBU_AGENT_LIMIT_H
#define _CBU_AGENT_LIMIT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

struct tbucket {
	uint64_t	last_ms;	/* tokens were counted up to then */
	uint32_t	milli;		/* tokens, in thousandths */
	bool		used;
};

struct tb_rate {
	uint32_t	rate;		/* tokens a second, 1 or more */
	uint32_t	burst;		/* tokens at most, 1 or more */
};

/* Take one token at @now_ms: true if there was one. */
bool tb_take(struct tbucket *b, const struct tb_rate *r, uint64_t now_ms);

#define TB_TABLE_SIZE	64

struct tb_table {
	struct tb_rate	rate;
	struct in6_addr	addr[TB_TABLE_SIZE];
	struct tbucket	b[TB_TABLE_SIZE];
};

void tb_table_init(struct tb_table *t, uint32_t rate, uint32_t burst);
/* Take one token from @addr's bucket (a new one, full, if it had none). */
bool tb_table_take(struct tb_table *t, const struct in6_addr *addr,
		   uint64_t now_ms);

/*
 * Per source, then in all: a source's own bucket first, so that one
 * source cannot use up what the others get; then one bucket for all.
 */
struct tb_limit {
	struct tb_table	src;
	struct tb_rate	all_rate;
	struct tbucket	all;
};

/* @rate a second per source (burst @burst), @all a second in all. */
void tb_limit_init(struct tb_limit *l, uint32_t rate, uint32_t burst,
		   uint32_t all);
bool tb_limit_take(struct tb_limit *l, const struct in6_addr *src,
		   uint64_t now_ms);

#endif /* _CBU_AGENT_LIMIT_H */
