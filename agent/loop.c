// SPDX-License-Identifier: GPL-2.0
/*
 * cbu-agent's event loop (see loop.h).
 */
#include <errno.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"

static struct {
	int epfd;
	struct timer *timers;
	bool stop;
} lp = { .epfd = -1 };

uint64_t loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int loop_init(void)
{
	lp.epfd = epoll_create1(EPOLL_CLOEXEC);
	lp.timers = NULL;
	lp.stop = false;
	return lp.epfd < 0 ? -errno : 0;
}

void loop_fini(void)
{
	if (lp.epfd >= 0)
		close(lp.epfd);
	lp.epfd = -1;
	lp.timers = NULL;
}

int loop_add(struct loop_fd *lfd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = lfd };

	return epoll_ctl(lp.epfd, EPOLL_CTL_ADD, lfd->fd, &ev) ? -errno : 0;
}

void loop_del(struct loop_fd *lfd)
{
	epoll_ctl(lp.epfd, EPOLL_CTL_DEL, lfd->fd, NULL);
}

void timer_cancel(struct timer *t)
{
	struct timer **pp;

	if (!t->armed)
		return;
	for (pp = &lp.timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->armed = false;
	t->next = NULL;
}

void timer_arm(struct timer *t, uint64_t ms)
{
	struct timer **pp;

	timer_cancel(t);
	t->when = loop_now_ms() + ms;
	for (pp = &lp.timers; *pp && (*pp)->when <= t->when; pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	t->armed = true;
}

void loop_stop(void)
{
	lp.stop = true;
}

int loop_run(void)
{
	struct epoll_event evs[16];
	struct timer *t;
	uint64_t now;
	int n, i, timeout;

	while (!lp.stop) {
		now = loop_now_ms();
		while (lp.timers && lp.timers->when <= now) {
			t = lp.timers;
			lp.timers = t->next;
			t->armed = false;
			t->next = NULL;
			t->cb(t);
			if (lp.stop)
				return 0;
			now = loop_now_ms();
		}
		timeout = lp.timers ? (int)(lp.timers->when - now) : -1;
		n = epoll_wait(lp.epfd, evs, 16, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_err("epoll: %m");
			return -errno;
		}
		for (i = 0; i < n && !lp.stop; i++) {
			struct loop_fd *lfd = evs[i].data.ptr;

			lfd->cb(lfd, evs[i].events);
		}
	}
	return 0;
}
