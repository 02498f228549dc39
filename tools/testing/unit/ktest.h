/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal KTAP-printing unit test harness for cbu's userspace tests,
 * after the kselftest_harness.h idea: TEST(name) { ... EXPECT(...); }.
 * Each test binary prints one KTAP document and exits 1 if any failed.
 * Tests run in the same process, in definition order.
 */
#ifndef _CBU_KTEST_H
#define _CBU_KTEST_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define KTEST_MAX 256

struct ktest {
	const char *name;
	void (*fn)(void);
};

static struct ktest ktests[KTEST_MAX];
static int ktest_count;
static bool ktest_failed;	/* the current test failed */

static inline void ktest_register(const char *name, void (*fn)(void))
{
	if (ktest_count < KTEST_MAX)
		ktests[ktest_count++] = (struct ktest){ name, fn };
}

#define TEST(name)							\
	static void name(void);						\
	__attribute__((constructor)) static void ktest_reg_##name(void)	\
	{								\
		ktest_register(#name, name);				\
	}								\
	static void name(void)

/* Record a failure and go on with the test. */
#define EXPECT(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("# %s:%d: expected %s\n", __FILE__,	\
			       __LINE__, #cond);			\
			ktest_failed = true;				\
		}							\
	} while (0)

#define EXPECT_STREQ(a, b)						\
	do {								\
		const char *_a = (a), *_b = (b);			\
		if (strcmp(_a, _b)) {					\
			printf("# %s:%d: expected \"%s\" == \"%s\"\n",	\
			       __FILE__, __LINE__, _a, _b);		\
			ktest_failed = true;				\
		}							\
	} while (0)

/* Record a failure and end the test. */
#define ASSERT(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("# %s:%d: assertion %s failed\n",	\
			       __FILE__, __LINE__, #cond);		\
			ktest_failed = true;				\
			return;						\
		}							\
	} while (0)

static inline int ktest_main(void)
{
	int i, failed = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	printf("KTAP version 1\n1..%d\n", ktest_count);
	if (ktest_count >= KTEST_MAX) {
		printf("# too many tests for KTEST_MAX\n");
		return 1;
	}
	for (i = 0; i < ktest_count; i++) {
		ktest_failed = false;
		ktests[i].fn();
		printf("%s %d %s\n", ktest_failed ? "not ok" : "ok", i + 1,
		       ktests[i].name);
		failed += ktest_failed;
	}
	return failed ? 1 : 0;
}

#define KTEST_MAIN()	int main(void) { return ktest_main(); }

#endif /* _CBU_KTEST_H */
