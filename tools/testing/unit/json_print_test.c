// SPDX-License-Identifier: GPL-2.0
/*
 * json_print: the same calls give the text line and a valid JSON document;
 * strings are escaped.  cbuctl's -j output is an API, so its shape is
 * pinned here byte for byte.
 */
#include <stdlib.h>

#include "lib/json_print.h"
#include "ktest.h"

/* Run @fn with output captured into a string (caller frees). */
static char *capture(void (*fn)(void), bool json, bool pretty)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&buf, &len);
	if (!fp)
		return NULL;
	new_json_obj(fp, json, pretty);
	fn();
	delete_json_obj();
	fclose(fp);
	return buf;
}

static void version_like(void)
{
	print_string(PRINT_ANY, "cbuctl", "cbuctl %s\n", "0.1.0");
	open_json_object("module");
	print_string(PRINT_ANY, "version", "cbu.ko %s", "0.1.0");
	print_uint(PRINT_ANY, "genl_version", " genl-version %u", 1);
	print_string(PRINT_FP, NULL, "%s", " features ");
	open_json_array(PRINT_JSON, "features");
	print_string(PRINT_ANY, NULL, "%s ", "a");
	print_string(PRINT_ANY, NULL, "%s ", "b");
	close_json_array(PRINT_JSON, NULL);
	print_nl();
	close_json_object();
}

TEST(text_output)
{
	char *s = capture(version_like, false, false);

	ASSERT(s);
	EXPECT_STREQ(s, "cbuctl 0.1.0\ncbu.ko 0.1.0 genl-version 1 features a b \n");
	free(s);
}

TEST(json_output)
{
	char *s = capture(version_like, true, false);

	ASSERT(s);
	EXPECT_STREQ(s, "{\"cbuctl\":\"0.1.0\",\"module\":{\"version\":\"0.1.0\","
		     "\"genl_version\":1,\"features\":[\"a\",\"b\"]}}\n");
	free(s);
}

TEST(json_pretty_output)
{
	char *s = capture(version_like, true, true);

	ASSERT(s);
	EXPECT_STREQ(s, "{\n    \"cbuctl\": \"0.1.0\",\n    \"module\": {\n"
		     "        \"version\": \"0.1.0\",\n"
		     "        \"genl_version\": 1,\n"
		     "        \"features\": [\n            \"a\",\n"
		     "            \"b\"\n        ]\n    }\n}\n");
	free(s);
}

static void escapes(void)
{
	print_string(PRINT_ANY, "s", "%s", "q\"b\\n\nt\tc\x01");
}

TEST(json_string_escapes)
{
	char *s = capture(escapes, true, false);

	ASSERT(s);
	EXPECT_STREQ(s, "{\"s\":\"q\\\"b\\\\n\\nt\\tc\\u0001\"}\n");
	free(s);
}

static void empties(void)
{
	open_json_array(PRINT_JSON, "a");
	close_json_array(PRINT_JSON, NULL);
	open_json_object("o");
	close_json_object();
	print_u64(PRINT_ANY, "big", "%llu", 18446744073709551615ULL);
	print_int(PRINT_ANY, "neg", "%d", -5);
	print_bool(PRINT_ANY, "t", "%s", true);
	print_null(PRINT_ANY, "n", "none");
}

TEST(json_empty_containers_and_scalars)
{
	char *s = capture(empties, true, false);

	ASSERT(s);
	EXPECT_STREQ(s, "{\"a\":[],\"o\":{},\"big\":18446744073709551615,"
		     "\"neg\":-5,\"t\":true,\"n\":null}\n");
	free(s);
}

TEST(text_skips_json_only_fields)
{
	char *s = capture(empties, false, false);

	ASSERT(s);
	EXPECT_STREQ(s, "18446744073709551615-5truenone");
	free(s);
}

/* A list: the top level is an array of objects (cbuctl binding show). */
static char *capture_array(void (*fn)(void), bool json, bool pretty)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&buf, &len);
	if (!fp)
		return NULL;
	new_json_array(fp, json, pretty);
	fn();
	delete_json_obj();
	fclose(fp);
	return buf;
}

static void two_entries(void)
{
	int i;

	for (i = 1; i <= 2; i++) {
		open_json_object(NULL);
		print_uint(PRINT_ANY, "id", "id %u", (unsigned int)i);
		print_string(PRINT_ANY, "name", " name %s", i == 1 ? "a" : "b");
		close_json_object();
		print_nl();
	}
}

static void no_entries(void)
{
}

TEST(json_top_level_array)
{
	char *s = capture_array(two_entries, true, false);

	ASSERT(s);
	EXPECT_STREQ(s, "[{\"id\":1,\"name\":\"a\"},"
		     "{\"id\":2,\"name\":\"b\"}]\n");
	free(s);
}

TEST(json_top_level_array_pretty)
{
	char *s = capture_array(two_entries, true, true);

	ASSERT(s);
	EXPECT_STREQ(s, "[\n    {\n        \"id\": 1,\n"
		     "        \"name\": \"a\"\n    },\n"
		     "    {\n        \"id\": 2,\n"
		     "        \"name\": \"b\"\n    }\n]\n");
	free(s);
}

TEST(json_top_level_array_empty)
{
	char *s = capture_array(no_entries, true, false);

	ASSERT(s);
	EXPECT_STREQ(s, "[]\n");
	free(s);
}

TEST(text_of_a_list_is_one_line_per_entry)
{
	char *s = capture_array(two_entries, false, false);

	ASSERT(s);
	EXPECT_STREQ(s, "id 1 name a\nid 2 name b\n");
	free(s);
	s = capture_array(no_entries, false, false);
	ASSERT(s);
	EXPECT_STREQ(s, "");
	free(s);
}

/* An object after an array: the state of one document does not leak. */
TEST(json_object_after_array)
{
	char *s = capture_array(two_entries, true, false);

	ASSERT(s);
	free(s);
	s = capture(escapes, true, false);
	ASSERT(s);
	EXPECT_STREQ(s, "{\"s\":\"q\\\"b\\\\n\\nt\\tc\\u0001\"}\n");
	free(s);
}

KTEST_MAIN()
