// SPDX-License-Identifier: GPL-2.0
/*
 * Text and JSON output with one call per field (see json_print.h).
 *
 * The JSON writer keeps a stack of open containers to place commas; strings
 * are escaped as RFC 8259 requires.  Output goes to one FILE, set by
 * new_json_obj(); the state is per process, as cbuctl prints one document.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json_print.h"

#define JSON_MAX_DEPTH 32

static struct {
	FILE *fp;
	bool json;
	bool pretty;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* no member written yet */
	char close[JSON_MAX_DEPTH];	/* '}' or ']' */
} out = { .fp = NULL };

static FILE *outfp(void)
{
	return out.fp ? out.fp : stdout;
}

static void json_indent(void)
{
	int i;

	if (!out.pretty)
		return;
	fputc('\n', outfp());
	for (i = 0; i < out.depth; i++)
		fputs("    ", outfp());
}

/* Comma and indentation before a new member or element. */
static void json_sep(void)
{
	if (out.depth > 0) {
		if (!out.first[out.depth - 1])
			fputc(',', outfp());
		out.first[out.depth - 1] = false;
	}
	json_indent();
}

static void json_str(const char *s)
{
	FILE *fp = outfp();
	const unsigned char *p;

	fputc('"', fp);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			if (*p < 0x20)
				fprintf(fp, "\\u%04x", *p);
			else
				fputc(*p, fp);
		}
	}
	fputc('"', fp);
}

static void json_key(const char *key)
{
	json_sep();
	if (key) {
		json_str(key);
		fputs(out.pretty ? ": " : ":", outfp());
	}
}

/* Deeper nesting than JSON_MAX_DEPTH is a programming error in cbuctl. */
static void json_push(char open, char close)
{
	if (out.depth >= JSON_MAX_DEPTH) {
		fputs("json_print: nesting too deep\n", stderr);
		abort();
	}
	fputc(open, outfp());
	out.first[out.depth] = true;
	out.close[out.depth] = close;
	out.depth++;
}

static void json_pop(void)
{
	if (out.depth == 0)
		return;
	out.depth--;
	if (!out.first[out.depth])
		json_indent();
	fputc(out.close[out.depth], outfp());
}

static void json_start(FILE *fp, bool json, bool pretty, char open,
		       char close)
{
	out.fp = fp;
	out.json = json;
	out.pretty = json && pretty;
	out.depth = 0;
	if (json)
		json_push(open, close);
}

void new_json_obj(FILE *fp, bool json, bool pretty)
{
	json_start(fp, json, pretty, '{', '}');
}

void new_json_array(FILE *fp, bool json, bool pretty)
{
	json_start(fp, json, pretty, '[', ']');
}

void delete_json_obj(void)
{
	if (out.json) {
		while (out.depth > 0)
			json_pop();
		fputc('\n', outfp());
	}
	fflush(outfp());
}

bool is_json_context(void)
{
	return out.json;
}

void open_json_object(const char *key)
{
	if (!out.json)
		return;
	json_key(key);
	json_push('{', '}');
}

void close_json_object(void)
{
	if (out.json)
		json_pop();
}

void open_json_array(enum output_type t, const char *key)
{
	if (out.json) {
		if (t & PRINT_JSON) {
			json_key(key);
			json_push('[', ']');
		}
	} else if ((t & PRINT_FP) && key) {
		fprintf(outfp(), "%s ", key);
	}
}

void close_json_array(enum output_type t, const char *delim)
{
	if (out.json) {
		if (t & PRINT_JSON)
			json_pop();
	} else if ((t & PRINT_FP) && delim) {
		fputs(delim, outfp());
	}
}

static void print_fp(enum output_type t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void print_fp(enum output_type t, const char *fmt, ...)
{
	va_list ap;

	if (out.json || !(t & PRINT_FP) || !fmt)
		return;
	va_start(ap, fmt);
	vfprintf(outfp(), fmt, ap);
	va_end(ap);
}

/*
 * The text formats are the caller's: they are checked by the compiler at
 * the call sites of the typed wrappers only through their %-conversion,
 * which each wrapper fixes, so a literal format is required.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value)
{
	if (out.json) {
		if (t & PRINT_JSON) {
			json_key(key);
			json_str(value ? value : "");
		}
		return;
	}
	print_fp(t, fmt, value);
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value)
{
	if (out.json) {
		if (t & PRINT_JSON) {
			json_key(key);
			fprintf(outfp(), "%u", value);
		}
		return;
	}
	print_fp(t, fmt, value);
}

void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value)
{
	if (out.json) {
		if (t & PRINT_JSON) {
			json_key(key);
			fprintf(outfp(), "%llu", (unsigned long long)value);
		}
		return;
	}
	print_fp(t, fmt, (unsigned long long)value);
}

void print_int(enum output_type t, const char *key, const char *fmt, int value)
{
	if (out.json) {
		if (t & PRINT_JSON) {
			json_key(key);
			fprintf(outfp(), "%d", value);
		}
		return;
	}
	print_fp(t, fmt, value);
}

void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value)
{
	if (out.json) {
		if (t & PRINT_JSON) {
			json_key(key);
			fputs(value ? "true" : "false", outfp());
		}
		return;
	}
	print_fp(t, fmt, value ? "true" : "false");
}

#pragma GCC diagnostic pop

void print_null(enum output_type t, const char *key, const char *fmt)
{
	if (out.json) {
		if (t & PRINT_JSON) {
			json_key(key);
			fputs("null", outfp());
		}
		return;
	}
	if ((t & PRINT_FP) && fmt)
		fputs(fmt, outfp());
}

void print_nl(void)
{
	if (!out.json)
		fputc('\n', outfp());
}
