/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text armour for keys and certificates kept in files:
 *
 *   -----BEGIN CBU CERTIFICATE-----
 *   base64 (RFC 4648 alphabet, padded), 64 characters a line
 *   -----END CBU CERTIFICATE-----
 *
 * and the file helpers around it.  Private keys travel only through files
 * or standard input, never argv (the wireguard-tools rule), and every buffer
 * that may have held one is wiped before it is released.
 */
#ifndef _CBU_ARMOR_H
#define _CBU_ARMOR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CBU_ARMOR_CERT		"CERTIFICATE"
#define CBU_ARMOR_PRIVATE_KEY	"PRIVATE KEY"
#define CBU_ARMOR_PUBLIC_KEY	"PUBLIC KEY"

/* A label is 1..CBU_ARMOR_LABEL_MAX characters of A-Z and space. */
#define CBU_ARMOR_LABEL_MAX	32

/* Binary octets per armour line: 48 octets are 64 base64 characters. */
#define CBU_ARMOR_LINE_BIN	48

/* The largest file cbu_file_read() accepts. */
#define CBU_FILE_MAX		(64 * 1024)

/*
 * Length of the armour of @len octets under @label, not counting the NUL
 * cbu_armor_encode() also writes; 0 if @label is not a valid label.
 */
size_t cbu_armor_encoded_len(const char *label, size_t len);

/*
 * Armour @len octets of @data into @out, NUL-terminated.  Returns the length
 * written (without the NUL), -EINVAL for an invalid label or an empty
 * @data, or -EMSGSIZE if @out_size is too small (then @out is untouched).
 */
int cbu_armor_encode(const char *label, const uint8_t *data, size_t len,
		     char *out, size_t out_size);

/*
 * Decode the one armoured block of @text (@text_len octets; need not be
 * NUL-terminated) that must carry @label.  Strict: whitespace only around
 * the block, exactly one block, lines ending in LF or CRLF, body lines of
 * base64 characters only, canonical padded base64, at least one octet.
 * On success the octets are in @out and their number in *@out_len.
 *
 * Returns 0, -EBADMSG for malformed text, or -EMSGSIZE if the decoded data
 * would not fit @out_size; *@why then says why in a few words and @out has
 * been wiped (it may be meant for a private key).
 */
int cbu_armor_decode(const char *text, size_t text_len, const char *label,
		     uint8_t *out, size_t out_size, size_t *out_len,
		     const char **why);

/*
 * Read all of @path ("-": standard input) into a fresh NUL-terminated
 * buffer; at most CBU_FILE_MAX octets (else -EFBIG).  Returns 0 or a
 * negative errno.  Release the buffer with cbu_file_free(), which wipes it.
 */
int cbu_file_read(const char *path, char **buf, size_t *len);
void cbu_file_free(char *buf, size_t len);

/* cbu_file_write() flags */
#define CBU_FILE_EXCL	0x1	/* never replace an existing file */

/*
 * Write @len octets to @path ("-": standard output) with permissions @mode
 * (less the umask).  A failure changes nothing: with %CBU_FILE_EXCL the file
 * is created with O_EXCL and removed again if writing it fails; without, the
 * data goes to a temporary file in the same directory that replaces @path
 * only once complete.  Returns 0 or a negative errno.
 */
int cbu_file_write(const char *path, const void *data, size_t len,
		   mode_t mode, unsigned int flags);

/*
 * cbu_file_read() and cbu_armor_decode() in one: the armoured block of
 * @path.  On failure *@why names the cause (for file errors, strerror()).
 */
int cbu_armor_read_file(const char *path, const char *label, uint8_t *out,
			size_t out_size, size_t *out_len, const char **why);

#endif /* _CBU_ARMOR_H */
