#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/lib.sh - what bench/run-guest's sections share beyond the
# kselftests' helpers (selftests/lib.sh: namespaces, veth links, agents and
# their configurations): CPU time of a process, medians and ratios, the
# veth ends of the namespaces, strongSwan's charon started and stopped.
# Source it; it expects bash.  What starts a process leaves its pid in
# BG_PID (and in BENCH_PIDS, for the caller's cleanup).

# shellcheck source=selftests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../selftests/lib.sh"

BENCH_PIDS=()

# cpu_ns PID: nanoseconds PID's threads have run (first field of each
# /proc/PID/task/*/schedstat), user and kernel time alike.
cpu_ns() {
	awk '{ s += $1 } END { printf "%.0f\n", s }' /proc/"$1"/task/*/schedstat
}

# median N...: the middle one (of an even count, the upper middle).
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int(NR / 2) + 1] }'
}

# range N...: "MIN..MAX".
range() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 { a = $1 } END { print a ".." $1 }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# per_us NS COUNT: nanoseconds over COUNT, in microseconds.
per_us() { awk -v t="$1" -v n="$2" 'BEGIN { printf "%.0f", t / n / 1000 }'; }

# per_s COUNT NS: COUNT in NS nanoseconds, per second.
per_s() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / (t / 1e9) }'; }

# kv KEY LINE: the value of KEY=VALUE in LINE.
kv() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }

# ms US: microseconds as milliseconds, one decimal.
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }

# veth_ends: "NS DEV" for every veth device of the namespaces of setup_ns.
veth_ends() {
	local n
	for n in "${NS_LIST[@]}"; do
		ip -n "$n" -o link show type veth |
			awk -v n="$n" -F': ' '{ sub("@.*", "", $2); print n, $2 }'
	done
}

# bg_stop PID...: SIGTERM and wait (our own background processes only).
bg_stop() {
	local p
	for p in "$@"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "$@"; do
		wait "$p" 2>/dev/null || true
	done
	return 0
}

# --- strongSwan ---------------------------------------------------------------
#
# Each charon runs in its own network namespace with its own
# strongswan.conf (STRONGSWAN_CONF), VICI socket and, through
# `unshare --mount`, its own /run (the pid file is compiled in).

CHARON=/usr/lib/ipsec/charon

# ike_creds DIR: an Ed25519 CA and, issued by it, the certificates and
# keys of "i" (initiator) and "r" (responder), laid out for swanctl in
# DIR/i and DIR/r.
ike_creds() {
	local d=$1 w
	mkdir -p "$d"
	cat >"$d/pki.conf" <<-EOF
	pki {
		load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey
	}
	EOF
	export STRONGSWAN_CONF=$d/pki.conf
	pki --gen --type ed25519 --outform pem >"$d/ca.key"
	pki --self --ca --lifetime 3650 --in "$d/ca.key" --type ed25519 \
		--dn "CN=cbu bench CA" --outform pem >"$d/ca.pem"
	for w in i r; do
		mkdir -p "$d/$w/x509" "$d/$w/x509ca" "$d/$w/private"
		pki --gen --type ed25519 --outform pem >"$d/$w/private/$w.key"
		pki --pub --in "$d/$w/private/$w.key" |
			pki --issue --cacert "$d/ca.pem" --cakey "$d/ca.key" \
				--type pub --dn "CN=$w.bench" --san "$w.bench" \
				--outform pem >"$d/$w/x509/$w.pem"
		cp "$d/ca.pem" "$d/$w/x509ca/"
	done
	unset STRONGSWAN_CONF
}

# ike_conf DIR W LOCAL REMOTE REMOTE_ID: strongswan.conf and swanctl.conf
# of side W in DIR/W.  Logging off; no half-open limits, no cookies (the
# strongSwan of an unattacked responder), every initiation a new IKE SA.
ike_conf() {
	local d=$1/$2
	cat >"$d/strongswan.conf" <<-EOF
	charon {
		load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey constraints hmac kdf kernel-netlink socket-default vici
		reuse_ikesa = no
		ikesa_table_size = 1024
		init_limit_half_open = 0
		cookie_threshold = 1000000
		cookie_threshold_ip = 1000000
		block_threshold = 1000000
		install_routes = no
		filelog {
		}
		syslog {
			daemon {
				default = -1
			}
		}
		plugins {
			vici {
				socket = unix://$d/charon.vici
			}
		}
	}
	swanctl {
		load = pem pkcs1 pkcs8 x509 pubkey openssl
	}
	EOF
	cat >"$d/swanctl.conf" <<-EOF
	connections {
		bench {
			version = 2
			local_addrs = $3
			remote_addrs = $4
			proposals = aes128gcm16-prfsha256-curve25519
			unique = never
			mobike = no
			local {
				auth = pubkey
				certs = $2.pem
				id = $2.bench
			}
			remote {
				auth = pubkey
				cacerts = ca.pem
				id = $5
			}
		}
	}
	EOF
}

# charon_start DIR W NS: charon for side W in NS, its configuration loaded.
charon_start() {
	local d=$1/$2
	rm -f "$d/charon.vici"
	STRONGSWAN_CONF=$d/strongswan.conf ip netns exec "$3" \
		unshare --mount --propagation private \
		sh -c "mount -t tmpfs none /run && exec $CHARON" \
		>"$d/charon.log" 2>&1 &
	BG_PID=$!
	BENCH_PIDS+=("$BG_PID")
	busywait 30000 test -S "$d/charon.vici" || {
		echo "bench: charon $2 did not start" >&2
		cat "$d/charon.log" >&2
		return 1
	}
	STRONGSWAN_CONF=$d/strongswan.conf swanctl --load-all \
		--file "$d/swanctl.conf" --uri "unix://$d/charon.vici" \
		>"$d/swanctl.log" 2>&1 || {
		echo "bench: swanctl $2:" >&2
		cat "$d/swanctl.log" >&2
		return 1
	}
}
