/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cbu-agent's event loop: one thread, epoll for the sockets, a sorted list
 * of timers (an agent has a few dozen at most: retransmissions, lifetimes,
 * cookie rotation).  Callbacks run one at a time and may add or remove fds
 * and timers; a callback may free its own loop_fd, but not another one
 * whose events the same epoll_wait() may have returned.
 */
#ifndef _AGENT_LOOP_H
#define _AGENT_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop_fd {
	int fd;
	void (*cb)(struct loop_fd *lfd, uint32_t events);
};

/* The @type whose @member @ptr points to: a timer's owner, in its callback. */
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

struct timer {
	uint64_t when;			/* loop_now_ms() at which it fires */
	void (*cb)(struct timer *t);
	bool armed;
	struct timer *next;		/* the loop's list, soonest first */
};

int loop_init(void);
void loop_fini(void);
int loop_add(struct loop_fd *lfd, uint32_t events);
void loop_del(struct loop_fd *lfd);

/* Milliseconds on the monotonic clock. */
uint64_t loop_now_ms(void);
/* (Re)arm @t to fire @ms milliseconds from now. */
void timer_arm(struct timer *t, uint64_t ms);
void timer_cancel(struct timer *t);

/* Run until loop_stop(); 0, or -errno if epoll itself fails. */
int loop_run(void);
void loop_stop(void);

#endif /* _AGENT_LOOP_H */
