// SPDX-License-Identifier: GPL-2.0
/*
 * mh-send - a test tool: build one BU, BA or BC with cbu's encoder and send
 * it as a whole IPv6 packet (tools/lib/pkt.c), so that the selftests can
 * check what goes on the wire against dissectors nobody here wrote.
 *
 *   mh-send SRC DST bu HOA SEQ LIFETIME KEY     BU from SRC (the CoA), HAO
 *   mh-send SRC DST ba SEQ LIFETIME LT_EN KEY   BA from SRC (the CN) to DST
 *                                               (the CoA)
 *   mh-send SRC DST bc HOA SEQ KEY              BC from SRC (the CoA), HAO
 *
 * KEY is k_BU or k_BA as 64 hex digits (a test key, so argv is fine here).
 * The MH sent is printed in hex on stdout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "lib/crypto.h"
#include "lib/msg.h"
#include "lib/pkt.h"

static void die(const char *what)
{
	fprintf(stderr, "mh-send: %s\n", what);
	exit(1);
}

static void addr(const char *s, uint8_t out[16])
{
	if (inet_pton(AF_INET6, s, out) != 1)
		die("bad IPv6 address");
}

static uint16_t num16(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > 0xffff)
		die("bad 16-bit number");
	return (uint16_t)v;
}

static void key(const char *s, uint8_t out[CBU_KEY_LEN])
{
	size_t n;

	if (sodium_hex2bin(out, CBU_KEY_LEN, s, strlen(s), NULL, &n, NULL) ||
	    n != CBU_KEY_LEN)
		die("bad key: 64 hex digits");
}

int main(int argc, char **argv)
{
	uint8_t src[16], dst[16], hoa[16], k[CBU_KEY_LEN];
	uint8_t mh[CBU_MH_MAX_LEN], pkt[CBU_PKT_MAX];
	const uint8_t *hao = NULL;
	struct cbu_msg m;
	const char *why;
	int len, plen, fd, i;

	if (argc < 4 || cbu_crypto_init())
		die("usage: mh-send SRC DST { bu | ba | bc } ...");
	addr(argv[1], src);
	addr(argv[2], dst);

	if (!strcmp(argv[3], "bu") && argc == 8) {
		addr(argv[4], hoa);
		hao = hoa;
		key(argv[7], k);
		cbu_msg_init(&m, CBU_MH_BU, 0);
		m.seq = num16(argv[5]);
		m.lifetime = num16(argv[6]);
		m.flags = CBU_BU_F_A;
		m.has_auth = true;
		cbu_mac_bu(m.auth, k, hoa, src, m.seq, m.lifetime);
	} else if (!strcmp(argv[3], "ba") && argc == 8) {
		key(argv[7], k);
		cbu_msg_init(&m, CBU_MH_BA, 0);
		m.status = CBU_BA_ACCEPTED;
		m.seq = num16(argv[4]);
		m.lifetime = num16(argv[5]);
		m.has_lt_en = true;
		m.lt_en = num16(argv[6]);
		m.has_auth = true;
		cbu_mac_ba(m.auth, k, dst, src, m.seq, m.lifetime, m.lt_en);
	} else if (!strcmp(argv[3], "bc") && argc == 7) {
		addr(argv[4], hoa);
		hao = hoa;
		key(argv[6], k);
		cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_BC);
		m.body.bc.seq = htons(num16(argv[5]));
		m.body.bc.flag = CBU_BC_CONFIRM;
		m.has_auth = true;
		cbu_mac_bc(m.auth, k, hoa, src, num16(argv[5]), CBU_BC_CONFIRM);
	} else {
		die("usage: mh-send SRC DST { bu | ba | bc } ...");
	}
	sodium_memzero(k, sizeof(k));

	len = cbu_msg_encode(&m, mh, sizeof(mh), &why);
	if (len < 0)
		die(why);
	plen = cbu_pkt_build(pkt, sizeof(pkt), src, dst, hao, mh, (size_t)len);
	if (plen < 0)
		die("packet too large");
	fd = cbu_pkt_socket();
	if (fd < 0)
		die(strerror(-fd));
	if (cbu_pkt_send(fd, pkt, (size_t)plen) < 0)
		die(strerror(errno));
	close(fd);

	/* The MH as sent, checksum included. */
	for (i = plen - len; i < plen; i++)
		printf("%02x", pkt[i]);
	printf("\n");
	return 0;
}
