/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The little of strongSwan's VICI protocol (its plugin's README.md) that
 * cbu-ike-load speaks: a packet is a 32-bit big-endian length, a type
 * octet, a name (a length octet, then the name) for the named types, then
 * the message; a message is a sequence of elements, each a type octet, a
 * name (for all but list items and section ends) and, for values, a 16-bit
 * big-endian length and the value.
 */
#ifndef _CBU_BENCH_VICI_H
#define _CBU_BENCH_VICI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vici_packet {
	VICI_CMD_REQUEST = 0,
	VICI_CMD_RESPONSE = 1,
	VICI_CMD_UNKNOWN = 2,
	VICI_EVENT_REGISTER = 3,
	VICI_EVENT_CONFIRM = 5,
	VICI_EVENT_UNKNOWN = 6,
	VICI_EVENT = 7,
};

enum vici_element {
	VICI_SECTION_START = 1,
	VICI_SECTION_END = 2,
	VICI_KEY_VALUE = 3,
	VICI_LIST_START = 4,
	VICI_LIST_ITEM = 5,
	VICI_LIST_END = 6,
};

/*
 * The message of the packet of @n octets at @p (after its length field):
 * past the type octet and, for an event, its name; its length to @len.
 * NULL if the packet is too short for what it says.
 */
const uint8_t *vici_body(const uint8_t *p, size_t n, size_t *len);

/*
 * The value of top-level key @key in the message at @m (@len octets) as a
 * NUL-terminated string in @out of @size octets; false if the key is
 * absent, its value does not fit, or the message is malformed before it.
 */
bool vici_get(const uint8_t *m, size_t len, const char *key, char *out,
	      size_t size);

#endif /* _CBU_BENCH_VICI_H */
