/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cbu-agent's log: to stderr (the default, for a foreground daemon and for
 * journald) or to syslog, with syslog's levels; messages below the
 * configured level are not formatted at all.
 */
#ifndef _AGENT_LOG_H
#define _AGENT_LOG_H

#include <stdbool.h>
#include <syslog.h>

void log_setup(bool to_syslog, int level);
int log_level(void);
/* The level named @name ("error", "warning", "info", "debug"), or -1. */
int log_level_parse(const char *name);
const char *log_level_name(int level);

void log_msg(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif /* _AGENT_LOG_H */
