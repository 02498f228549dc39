/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One print call per field, serving both plain text and JSON output, after
 * iproute2's json_print: in text mode a call prints its format, in JSON mode
 * it writes "key": value.  PRINT_FP prints only as text, PRINT_JSON only as
 * JSON, PRINT_ANY both.
 *
 * JSON keys are an API: once released, never rename one.
 */
#ifndef _CBU_JSON_PRINT_H
#define _CBU_JSON_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = PRINT_FP | PRINT_JSON,
};

/* Start output on @fp; @json selects JSON, @pretty indents it. */
void new_json_obj(FILE *fp, bool json, bool pretty);
/*
 * The same for a list: the top level is an array, each element opened with
 * open_json_object(NULL).  Text output is the same as new_json_obj()'s.
 */
void new_json_array(FILE *fp, bool json, bool pretty);
/* End output: closes the top-level object or array and ends the line. */
void delete_json_obj(void);
bool is_json_context(void);

void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(enum output_type t, const char *key);
void close_json_array(enum output_type t, const char *delim);

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value);
void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value);
void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value);
void print_int(enum output_type t, const char *key, const char *fmt,
	       int value);
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value);
/* JSON null; text @fmt printed as is. */
void print_null(enum output_type t, const char *key, const char *fmt);
/* A newline in text mode, nothing in JSON. */
void print_nl(void);

#endif /* _CBU_JSON_PRINT_H */
