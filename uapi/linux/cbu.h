/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * cbu: Certificate-based Binding Update for Mobile IPv6
 * (draft-qiu-mip6-certificated-binding-update-03).
 *
 * The generic netlink family "cbu" between cbu.ko and its userspace
 * (cbu-agent, cbuctl).  Documentation/netlink/specs/cbu.yaml is the
 * specification of this family; this header follows it.
 *
 * The family is netnsok: every network namespace has its own state, and
 * every command that changes state needs CAP_NET_ADMIN in the user
 * namespace owning the caller's network namespace.
 */
#ifndef _UAPI_LINUX_CBU_H
#define _UAPI_LINUX_CBU_H

#define CBU_GENL_NAME		"cbu"
#define CBU_GENL_VERSION	1

/**
 * enum cbu_cmd - commands of the cbu family
 * @CBU_CMD_VERSION_GET: reply with %CBU_A_VERSION and %CBU_A_FEATURES;
 *	unprivileged, takes no attribute.
 */
enum cbu_cmd {
	CBU_CMD_UNSPEC,
	CBU_CMD_VERSION_GET,

	/* private: */
	__CBU_CMD_MAX,
	CBU_CMD_MAX = __CBU_CMD_MAX - 1
};

/**
 * enum cbu_attr - top-level attributes of the cbu family
 * @CBU_A_VERSION: NUL-terminated string, the version of cbu.ko.
 * @CBU_A_FEATURES: u64, bitmask of &enum cbu_feature the module offers.
 * @CBU_A_PAD: padding for 64-bit attributes; never sent by userspace.
 */
enum cbu_attr {
	CBU_A_UNSPEC,
	CBU_A_VERSION,
	CBU_A_FEATURES,
	CBU_A_PAD,

	/* private: */
	__CBU_A_MAX,
	CBU_A_MAX = __CBU_A_MAX - 1
};

/**
 * enum cbu_feature - bits of %CBU_A_FEATURES
 *
 * One bit per capability that userspace may probe before using it; a bit is
 * defined when the capability lands, never reused.  No capability beyond
 * the version query has landed yet.
 */
enum cbu_feature {
	/* private: */
	__CBU_F_COUNT,
};

#define CBU_FEATURES_ALL	((1ULL << __CBU_F_COUNT) - 1)

#endif /* _UAPI_LINUX_CBU_H */
