// SPDX-License-Identifier: GPL-2.0
/*
 * Text armour and the file helpers of armor.h.
 *
 * The decoder is strict on purpose: a key or certificate file is written by
 * cbuctl, so anything it would not have written (a second block, a stray
 * line, non-canonical base64) is more likely a mistake, a truncated copy or
 * a tampered file than something to be liberal about.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "armor.h"

#define BEGIN_PFX	"-----BEGIN CBU "
#define END_PFX		"-----END CBU "
#define DASHES		"-----"
#define LIT_LEN(s)	(sizeof(s) - 1)

static size_t label_len(const char *label)
{
	size_t n;

	if (!label)
		return 0;
	for (n = 0; label[n]; n++) {
		if (n >= CBU_ARMOR_LABEL_MAX)
			return 0;
		if (!(label[n] >= 'A' && label[n] <= 'Z') && label[n] != ' ')
			return 0;
	}
	return n;
}

size_t cbu_armor_encoded_len(const char *label, size_t len)
{
	size_t l = label_len(label);

	/* The cap keeps the arithmetic below far from overflowing. */
	if (!l || !len || len > CBU_FILE_MAX)
		return 0;
	return LIT_LEN(BEGIN_PFX) + l + LIT_LEN(DASHES) + 1 +
	       (len + 2) / 3 * 4 +
	       (len + CBU_ARMOR_LINE_BIN - 1) / CBU_ARMOR_LINE_BIN +
	       LIT_LEN(END_PFX) + l + LIT_LEN(DASHES) + 1;
}

int cbu_armor_encode(const char *label, const uint8_t *data, size_t len,
		     char *out, size_t out_size)
{
	size_t need = cbu_armor_encoded_len(label, len);
	size_t off, pos;

	if (!need)
		return -EINVAL;
	/* sodium_bin2base64() aborts on a short buffer: check it all first. */
	if (out_size < need + 1)
		return -EMSGSIZE;

	pos = (size_t)sprintf(out, BEGIN_PFX "%s" DASHES "\n", label);
	/* 48 is a multiple of 3, so the lines concatenate to one encoding. */
	for (off = 0; off < len; off += CBU_ARMOR_LINE_BIN) {
		size_t n = len - off < CBU_ARMOR_LINE_BIN ?
			   len - off : CBU_ARMOR_LINE_BIN;

		sodium_bin2base64(out + pos, out_size - pos, data + off, n,
				  sodium_base64_VARIANT_ORIGINAL);
		pos += strlen(out + pos);
		out[pos++] = '\n';
	}
	pos += (size_t)sprintf(out + pos, END_PFX "%s" DASHES "\n", label);
	return (int)pos;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_b64(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

static bool starts_with(const char *s, size_t n, const char *pfx)
{
	size_t l = strlen(pfx);

	return n >= l && !memcmp(s, pfx, l);
}

/* Is the line @s (@n octets) exactly @pfx @label "-----"? */
static bool is_marker(const char *s, size_t n, const char *pfx,
		      const char *label, size_t l)
{
	size_t p = strlen(pfx);

	return n == p + l + LIT_LEN(DASHES) && !memcmp(s, pfx, p) &&
	       !memcmp(s + p, label, l) &&
	       !memcmp(s + p + l, DASHES, LIT_LEN(DASHES));
}

/*
 * The line at *@pos: its start and length without the LF or CRLF; *@pos
 * moves past the line end.  Returns false at the end of the text.
 */
static bool next_line(const char *text, size_t text_len, size_t *pos,
		      const char **line, size_t *n)
{
	const char *nl;
	size_t rest;

	if (*pos >= text_len)
		return false;
	*line = text + *pos;
	rest = text_len - *pos;
	nl = memchr(*line, '\n', rest);
	*n = nl ? (size_t)(nl - *line) : rest;
	*pos += *n + (nl ? 1 : 0);
	if (*n && (*line)[*n - 1] == '\r')
		(*n)--;
	return true;
}

static int fail(int err, const char *reason, const char **why, uint8_t *out,
		size_t out_size)
{
	if (out && out_size)
		sodium_memzero(out, out_size);
	if (why)
		*why = reason;
	return err;
}

int cbu_armor_decode(const char *text, size_t text_len, const char *label,
		     uint8_t *out, size_t out_size, size_t *out_len,
		     const char **why)
{
	size_t l = label_len(label), pos = 0, n, i, chars = 0, pads = 0;
	size_t body_off = 0, body_end = 0, bin_len = 0, want;
	const char *line;
	bool ended = false;

	if (!l)
		return fail(-EINVAL, "invalid armour label", why, out, out_size);

	while (pos < text_len && is_space(text[pos]))
		pos++;
	if (!next_line(text, text_len, &pos, &line, &n))
		return fail(-EBADMSG, "no armoured block (empty)", why, out,
			    out_size);
	if (!starts_with(line, n, "-----BEGIN "))
		return fail(-EBADMSG, "text before the BEGIN line", why, out,
			    out_size);
	if (!starts_with(line, n, BEGIN_PFX))
		return fail(-EBADMSG, "not a CBU armoured block", why, out,
			    out_size);
	if (!is_marker(line, n, BEGIN_PFX, label, l)) {
		if (n > LIT_LEN(BEGIN_PFX) + LIT_LEN(DASHES) &&
		    !memcmp(line + n - LIT_LEN(DASHES), DASHES,
			    LIT_LEN(DASHES)))
			return fail(-EBADMSG,
				    "the armour's label is not the one expected",
				    why, out, out_size);
		return fail(-EBADMSG, "malformed BEGIN line", why, out,
			    out_size);
	}

	while (next_line(text, text_len, &pos, &line, &n)) {
		if (starts_with(line, n, "-----END ")) {
			if (!is_marker(line, n, END_PFX, label, l))
				return fail(-EBADMSG,
					    "END line does not match the BEGIN line",
					    why, out, out_size);
			ended = true;
			break;
		}
		if (starts_with(line, n, "-----BEGIN "))
			return fail(-EBADMSG, "BEGIN line inside a block (no END line)",
				    why, out, out_size);
		if (!n)
			return fail(-EBADMSG, "blank line inside the block", why,
				    out, out_size);
		for (i = 0; i < n; i++) {
			if (!is_b64(line[i]))
				return fail(-EBADMSG,
					    "invalid base64 character", why,
					    out, out_size);
			if (line[i] == '=')
				pads++;
			else if (pads)
				return fail(-EBADMSG,
					    "invalid base64: data after padding",
					    why, out, out_size);
		}
		if (!chars)
			body_off = (size_t)(line - text);
		body_end = (size_t)(line - text) + n;
		chars += n;
	}
	if (!ended)
		return fail(-EBADMSG, "no END line", why, out, out_size);

	while (pos < text_len && is_space(text[pos]))
		pos++;
	if (pos < text_len) {
		if (starts_with(text + pos, text_len - pos, "-----BEGIN "))
			return fail(-EBADMSG, "more than one armoured block",
				    why, out, out_size);
		return fail(-EBADMSG, "text after the END line", why, out,
			    out_size);
	}

	if (!chars)
		return fail(-EBADMSG, "empty block", why, out, out_size);
	if (chars % 4 || pads > 2)
		return fail(-EBADMSG, "invalid base64: bad length or padding",
			    why, out, out_size);
	want = chars / 4 * 3 - pads;
	if (!want)
		return fail(-EBADMSG, "empty block", why, out, out_size);
	if (want > out_size)
		return fail(-EMSGSIZE, "armoured data longer than expected",
			    why, out, out_size);
	/*
	 * The body spans its lines; the line ends are the only characters
	 * in it sodium must skip.  A NULL end pointer makes it refuse
	 * anything left over, and it refuses non-zero padding bits itself.
	 */
	if (sodium_base642bin(out, out_size, text + body_off,
			      body_end - body_off, "\r\n", &bin_len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    bin_len != want)
		return fail(-EBADMSG, "invalid base64", why, out, out_size);
	*out_len = bin_len;
	return 0;
}

static bool is_stdio(const char *path)
{
	return !strcmp(path, "-");
}

int cbu_file_read(const char *path, char **bufp, size_t *lenp)
{
	size_t len = 0;
	int fd, err = 0;
	ssize_t n;
	char *buf;

	/* One allocation of the cap: growing it would leave copies behind. */
	buf = malloc(CBU_FILE_MAX + 1);
	if (!buf)
		return -ENOMEM;
	fd = is_stdio(path) ? STDIN_FILENO :
	     open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		err = -errno;
		free(buf);
		return err;
	}
	for (;;) {
		n = read(fd, buf + len, CBU_FILE_MAX + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (!n)
			break;
		len += (size_t)n;
		if (len > CBU_FILE_MAX) {
			err = -EFBIG;
			break;
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (err) {
		cbu_file_free(buf, len);
		return err;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

void cbu_file_free(char *buf, size_t len)
{
	if (!buf)
		return;
	sodium_memzero(buf, len < CBU_FILE_MAX ? len + 1 : CBU_FILE_MAX + 1);
	free(buf);
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Write and close @fd; fsync so that a later rename cannot expose a hole. */
static int write_close(int fd, const void *data, size_t len)
{
	int err;

	err = write_all(fd, data, len);
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	return err;
}

/*
 * A temporary file next to @path, created O_EXCL with @mode (the umask
 * applies, as for any file we create); its name is left in @tmp.
 */
static int open_tmp(const char *path, mode_t mode, char **tmp)
{
	size_t size = strlen(path) + sizeof(".cbu-tmp-") + 16;
	int attempt, fd;
	char *name;

	name = malloc(size);
	if (!name)
		return -ENOMEM;
	for (attempt = 0; attempt < 32; attempt++) {
		snprintf(name, size, "%s.cbu-tmp-%08x", path,
			 randombytes_random());
		fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
			  O_NOFOLLOW, mode);
		if (fd >= 0) {
			*tmp = name;
			return fd;
		}
		if (errno != EEXIST)
			break;
	}
	fd = -errno;
	free(name);
	return fd;
}

int cbu_file_write(const char *path, const void *data, size_t len,
		   mode_t mode, unsigned int flags)
{
	char *tmp = NULL;
	int fd, err;

	if (is_stdio(path)) {
		err = write_all(STDOUT_FILENO, data, len);
		return err;
	}
	if (flags & CBU_FILE_EXCL) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
			  O_NOFOLLOW, mode);
		if (fd < 0)
			return -errno;
		err = write_close(fd, data, len);
		/* It did not exist before: removing it restores the past. */
		if (err)
			unlink(path);
		return err;
	}
	fd = open_tmp(path, mode, &tmp);
	if (fd < 0)
		return fd;
	err = write_close(fd, data, len);
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}

int cbu_armor_read_file(const char *path, const char *label, uint8_t *out,
			size_t out_size, size_t *out_len, const char **why)
{
	size_t len;
	char *buf;
	int err;

	err = cbu_file_read(path, &buf, &len);
	if (err) {
		if (err == -EFBIG)
			*why = "file larger than 64 KiB";
		else
			*why = strerror(-err);
		return err;
	}
	err = cbu_armor_decode(buf, len, label, out, out_size, out_len, why);
	cbu_file_free(buf, len);
	return err;
}
