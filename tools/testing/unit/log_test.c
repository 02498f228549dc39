// SPDX-License-Identifier: GPL-2.0
/*
 * cbu-agent's log: the rate limit on what peers' packets make it say.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/log.h"
#include "ktest.h"

/* Run @fn with stderr going to a file; what it wrote, in @out. */
static void capture(void (*fn)(void), char *out, size_t size)
{
	FILE *f = tmpfile();
	int saved = dup(2);
	size_t n;

	fflush(stderr);
	dup2(fileno(f), 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(out, 1, size - 1, f);
	out[n] = '\0';
	fclose(f);
}

TEST(burst_then_quiet_then_again)
{
	struct log_rl rl = { 0 };
	unsigned long long t = 1000;
	int i, said = 0;

	log_setup(false, LOG_INFO);
	for (i = 0; i < 3 * LOG_RL_BURST; i++)
		said += log_rl_ok(&rl, LOG_INFO, t + (unsigned int)i);
	EXPECT(said == LOG_RL_BURST);
	EXPECT(rl.missed == 2 * LOG_RL_BURST);
	/* Still inside the interval: nothing more. */
	EXPECT(!log_rl_ok(&rl, LOG_INFO, t + LOG_RL_INTERVAL_MS - 1));
	EXPECT(rl.missed == 2 * LOG_RL_BURST + 1);
	/* A new interval: a burst again, the count of the missed said. */
	EXPECT(log_rl_ok(&rl, LOG_INFO, t + LOG_RL_INTERVAL_MS));
	EXPECT(rl.missed == 0 && rl.said == 1);
}

static void suppressed(void)
{
	struct log_rl rl = { 0 };
	int i;

	for (i = 0; i < LOG_RL_BURST + 5; i++)
		if (log_rl_ok(&rl, LOG_INFO, 50))
			log_msg(LOG_INFO, "line");
	if (log_rl_ok(&rl, LOG_INFO, 50 + LOG_RL_INTERVAL_MS))
		log_msg(LOG_INFO, "after");
}

TEST(the_missed_are_counted_in_the_log)
{
	char out[4096];
	const char *p;
	int lines = 0;

	log_setup(false, LOG_INFO);
	capture(suppressed, out, sizeof(out));
	for (p = out; (p = strstr(p, ": line\n")); p++)
		lines++;
	EXPECT(lines == LOG_RL_BURST);
	p = strstr(out, "5 lines like the next suppressed\n");
	EXPECT(p != NULL);
	EXPECT(p && strstr(p, ": after\n") != NULL);
}

TEST(below_the_level_nothing_counted)
{
	struct log_rl rl = { 0 };
	int i;

	log_setup(false, LOG_WARNING);
	for (i = 0; i < 3 * LOG_RL_BURST; i++)
		EXPECT(!log_rl_ok(&rl, LOG_INFO, 100));
	EXPECT(rl.missed == 0 && rl.said == 0);
	EXPECT(log_rl_ok(&rl, LOG_WARNING, 100));
	log_setup(false, LOG_INFO);
}

static void through_the_macro(void)
{
	int i;

	for (i = 0; i < 2 * LOG_RL_BURST; i++)
		log_info_rl("flood %d", i);
}

TEST(each_call_site_has_its_own_limit)
{
	char out[8192];
	const char *p;
	int lines = 0;

	log_setup(false, LOG_INFO);
	capture(through_the_macro, out, sizeof(out));
	for (p = out; (p = strstr(p, ": flood ")); p++)
		lines++;
	EXPECT(lines == LOG_RL_BURST);
	EXPECT(strstr(out, "flood 9\n") && !strstr(out, "flood 10\n"));
}

/* As systemd would set it up: stderr, now the capture file, the journal. */
static void to_the_journal(void)
{
	char env[64];
	struct stat st;

	fstat(2, &st);
	snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", env, 1);
	log_setup(false, LOG_DEBUG);
	log_err("bad %d", 1);
	log_warn("careful");
	log_info("fine");
	log_debug("detail");
}

static void to_another_stream(void)
{
	/* $JOURNAL_STREAM inherited, but stderr was redirected since. */
	setenv("JOURNAL_STREAM", "1:1", 1);
	log_setup(false, LOG_INFO);
	log_warn("careful");
}

TEST(journal_lines_carry_their_priority)
{
	char out[1024];

	capture(to_the_journal, out, sizeof(out));
	EXPECT_STREQ(out, "<3>bad 1\n<4>careful\n<6>fine\n<7>detail\n");
	capture(to_another_stream, out, sizeof(out));
	EXPECT(!strncmp(out, "cbu-agent[", 10));
	EXPECT(strstr(out, "] warning: careful\n") != NULL);
	unsetenv("JOURNAL_STREAM");
	log_setup(false, LOG_INFO);
}

KTEST_MAIN()
