// SPDX-License-Identifier: GPL-2.0
/*
 * VICI messages read (see vici.h); every length is checked before it is
 * used.
 */
#include <string.h>

#include "bench/vici.h"

const uint8_t *vici_body(const uint8_t *p, size_t n, size_t *len)
{
	size_t off = 1;

	if (n < 1)
		return NULL;
	if (p[0] == VICI_EVENT) {
		if (n < 2 || (size_t)2 + p[1] > n)
			return NULL;
		off = 2 + (size_t)p[1];
	}
	*len = n - off;
	return p + off;
}

bool vici_get(const uint8_t *m, size_t len, const char *key, char *out,
	      size_t size)
{
	size_t off = 0, klen = strlen(key), nlen, vlen;
	unsigned int depth = 0;

	while (off < len) {
		switch (m[off++]) {
		case VICI_SECTION_START:
		case VICI_LIST_START:
			if (off >= len || off + 1 + m[off] > len)
				return false;
			off += 1 + (size_t)m[off];
			depth++;
			break;
		case VICI_SECTION_END:
		case VICI_LIST_END:
			if (!depth)
				return false;
			depth--;
			break;
		case VICI_KEY_VALUE:
			if (off >= len)
				return false;
			nlen = m[off];
			if (off + 1 + nlen + 2 > len)
				return false;
			vlen = (size_t)m[off + 1 + nlen] << 8 |
			       m[off + 2 + nlen];
			if (off + 3 + nlen + vlen > len)
				return false;
			if (!depth && nlen == klen &&
			    !memcmp(m + off + 1, key, klen)) {
				if (vlen >= size)
					return false;
				memcpy(out, m + off + 3 + nlen, vlen);
				out[vlen] = '\0';
				return true;
			}
			off += 3 + nlen + vlen;
			break;
		case VICI_LIST_ITEM:
			if (off + 2 > len)
				return false;
			vlen = (size_t)m[off] << 8 | m[off + 1];
			if (off + 2 + vlen > len)
				return false;
			off += 2 + vlen;
			break;
		default:
			return false;
		}
	}
	return false;
}
