// SPDX-License-Identifier: GPL-2.0
/*
 * cbu-agent's log (see log.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "log.h"

static struct {
	bool syslog;
	bool journal;	/* stderr is journald's stream */
	int level;
} lg = { .level = LOG_INFO };

static const struct {
	const char *name;
	int level;
} levels[] = {
	{ "error", LOG_ERR },
	{ "warning", LOG_WARNING },
	{ "info", LOG_INFO },
	{ "debug", LOG_DEBUG },
};

/*
 * systemd connects stderr to the journal and says so in $JOURNAL_STREAM,
 * "DEVICE:INODE" of that stream (systemd.exec(5)): a stderr redirected
 * since (a shell, a test harness) does not match.
 */
static bool stderr_is_journal(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	int n = 0;

	if (!env || sscanf(env, "%llu:%llu%n", &dev, &ino, &n) != 2 ||
	    env[n] || fstat(2, &st))
		return false;
	return st.st_dev == dev && st.st_ino == ino;
}

void log_setup(bool to_syslog, int level)
{
	lg.journal = stderr_is_journal();
	if (lg.syslog && !to_syslog)
		closelog();
	if (to_syslog && !lg.syslog)
		openlog("cbu-agent", LOG_PID, LOG_DAEMON);
	lg.syslog = to_syslog;
	lg.level = level;
}

int log_level(void)
{
	return lg.level;
}

int log_level_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (!strcmp(name, levels[i].name))
			return levels[i].level;
	return -1;
}

const char *log_level_name(int level)
{
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (levels[i].level == level)
			return levels[i].name;
	return "?";
}

unsigned long long log_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool log_rl_ok(struct log_rl *rl, int level, unsigned long long now_ms)
{
	unsigned int missed;

	/* Below the level nothing is said: nothing is suppressed either. */
	if (level > lg.level)
		return false;
	if (!rl->begin_ms || now_ms - rl->begin_ms >= LOG_RL_INTERVAL_MS) {
		missed = rl->missed;
		rl->begin_ms = now_ms ? now_ms : 1;
		rl->said = 0;
		rl->missed = 0;
		if (missed)
			log_msg(level, "%u lines like the next suppressed",
				missed);
	}
	if (rl->said < LOG_RL_BURST) {
		rl->said++;
		return true;
	}
	rl->missed++;
	return false;
}

void log_msg(int level, const char *fmt, ...)
{
	struct timespec ts;
	va_list ap;

	if (level > lg.level)
		return;
	va_start(ap, fmt);
	if (lg.syslog) {
		vsyslog(level, fmt, ap);
	} else if (lg.journal) {
		/*
		 * sd-daemon(3)'s "<N>" prefix: journald takes the priority
		 * from it and stamps the time itself.
		 */
		fprintf(stderr, "<%d>", level);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		/* Monotonic milliseconds: what a handover's timing needs. */
		clock_gettime(CLOCK_MONOTONIC, &ts);
		fprintf(stderr, "cbu-agent[%lld.%03ld] %s: ", (long long)ts.tv_sec,
			ts.tv_nsec / 1000000, log_level_name(level));
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
