/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cbu-agent's log: to stderr (the default, for a foreground daemon and for
 * journald) or to syslog, with syslog's levels; messages below the
 * configured level are not formatted at all.  On stderr a line starts with
 * "cbu-agent[MONOTONIC] LEVEL: ", or, when stderr is the journal
 * ($JOURNAL_STREAM), with the level as sd-daemon(3)'s "<N>" prefix.
 */
#ifndef _AGENT_LOG_H
#define _AGENT_LOG_H

#include <stdbool.h>
#include <syslog.h>

/* Where and from what level; looks at $JOURNAL_STREAM each time. */
void log_setup(bool to_syslog, int level);
int log_level(void);
/* The level named @name ("error", "warning", "info", "debug"), or -1. */
int log_level_parse(const char *name);
const char *log_level_name(int level);

void log_msg(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * What a peer's packets can make us say, said at most LOG_RL_BURST times
 * in LOG_RL_INTERVAL_MS per call site, as the kernel's net_ratelimit():
 * a flood costs a counter, not the log.  The number left unsaid goes
 * with the next line said from the site.
 */
#define LOG_RL_INTERVAL_MS	5000
#define LOG_RL_BURST		10

struct log_rl {
	unsigned long long begin_ms;
	unsigned int said, missed;
};

/* True if a line may go now from the site of @rl; counts it if not. */
bool log_rl_ok(struct log_rl *rl, int level, unsigned long long now_ms);

#define log_rl(level, ...)						\
	do {								\
		static struct log_rl _rl;				\
									\
		if (log_rl_ok(&_rl, level, log_now_ms()))		\
			log_msg(level, __VA_ARGS__);			\
	} while (0)

unsigned long long log_now_ms(void);

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info_rl(...) log_rl(LOG_INFO, __VA_ARGS__)
#define log_warn_rl(...) log_rl(LOG_WARNING, __VA_ARGS__)

#endif /* _AGENT_LOG_H */
