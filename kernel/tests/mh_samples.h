/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hand-built Mobility Headers shared by the parser's KUnit suite
 * (mh_kunit.c) and its userspace test (tools/testing/unit/mh_test.c).
 * Include after kernel/mh.h.
 */
#ifndef _CBU_MH_SAMPLES_H
#define _CBU_MH_SAMPLES_H

#ifdef __KERNEL__
#define CBU_SAMPLE_UNUSED	__maybe_unused
#else
#define CBU_SAMPLE_UNUSED
#endif

/*
 * A CBU BU as the encoder lays it out: Seq# 0x1234, A flag, lifetime 16,
 * PadN(6) to reach 8n+2, Binding Authorization Data, PadN(4).
 */
static const u8 cbu_sample_bu[40] CBU_SAMPLE_UNUSED = {
	59, 4, CBU_MH_BU, 0, 0, 0,
	0x12, 0x34, 0x80, 0x00, 0x00, 0x10,
	CBU_MOPT_PADN, 4, 0, 0, 0, 0,
	CBU_MOPT_AUTH, 16, 1, 2, 3, 4, 5, 6, 7, 8,
	9, 10, 11, 12, 13, 14, 15, 16,
	CBU_MOPT_PADN, 2, 0, 0,
};

/* A BA with LT_EN and HoA options before its MAC. */
static const u8 cbu_sample_ba[64] CBU_SAMPLE_UNUSED = {
	59, 7, CBU_MH_BA, 0, 0, 0,
	0, 0, 0x12, 0x34, 0x00, 0x20,
	CBU_MOPT_CBU, 3, CBU_OPT_LT_EN, 0x01, 0x02,
	CBU_MOPT_CBU, 17, CBU_OPT_HOA, 0x20, 0x01, 0x0d, 0xb8,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42,
	CBU_MOPT_PADN, 4, 0, 0, 0, 0,
	CBU_MOPT_AUTH, 16, 1, 2, 3, 4, 5, 6, 7, 8,
	9, 10, 11, 12, 13, 14, 15, 16,
	CBU_MOPT_PADN, 2, 0, 0,
};

/*
 * A MAP's BA after a local move (wire-format.md 9.7): status 0, Seq#
 * 0x1234, LT_BA 0x20, HoA and NONCE options, MAC_LBA at 50, PadN(2).
 */
static const u8 cbu_sample_map_ba[72] CBU_SAMPLE_UNUSED = {
	59, 8, CBU_MH_BA, 0, 0, 0,
	0, 0, 0x12, 0x34, 0x00, 0x20,
	CBU_MOPT_CBU, 17, CBU_OPT_HOA, 0x20, 0x01, 0x0d, 0xb8,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42,
	CBU_MOPT_CBU, 17, CBU_OPT_NONCE, 0xa0, 0xa1, 0xa2, 0xa3,
	0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	CBU_MOPT_AUTH, 16, 1, 2, 3, 4, 5, 6, 7, 8,
	9, 10, 11, 12, 13, 14, 15, 16,
	CBU_MOPT_PADN, 2, 0, 0,
};

#endif /* _CBU_MH_SAMPLES_H */
