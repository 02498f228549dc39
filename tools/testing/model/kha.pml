/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kha.pml - the k_HA ratchet of cbu-agent (Documentation/wire-format.md
 * §9.4) and the retransmission rules of REQ/REP, REQ_KEY/NEWKEY and
 * REG/REG_ACK, for the spin model checker; with NKEYS > 0, also KEYS and
 * KEYS_ACK between a mobile correspondent's home agent and that
 * correspondent (wire-format.md §9.6 items 31 and 33,
 * Documentation/design/mobile-cn.md items 34 and 35).
 * tools/testing/model/run checks it exhaustively in `make check`.
 *
 * Who stands for what:
 *
 *   proctype MN   agent/mn.c: mn_open(), k_ha_advance(),
 *                 ro_request() and ro_retry() (REQ), rekey_cb() (REQ_KEY),
 *                 reg_start() and reg_timer_cb() (REG), mn_rep(),
 *                 mn_newkey(), mn_reg_ack().  One mobile node with NCN
 *                 correspondents; each gets a full exchange (REQ, REP),
 *                 then a k_EN rekey (REQ_KEY, NEWKEY), started in any
 *                 order and at any time; MOVES moves (a REG each) come
 *                 at any time in between.
 *   proctype HA   agent/ha.c: ha_open(), ha_offer(), rep_send(), ha_req(),
 *                 ha_exch1() (the CN's answer, abstracted as one step
 *                 that may come at any time), ha_req_key(),
 *                 ha_exch1_rk() and ro_send() (NEWKEY), ha_reg() (with
 *                 its refusal of an old REG under z).
 *   proctype CNX  CN_HA's KEYS (agent/mcn_ha.c, driven from agent/ha.c):
 *                 keys_start(), pair_keys() after mcn_exch0() or
 *                 mcn_exch0_rk(), an exchange's keys (EXCH0) or a rekey's
 *                 (EXCH0') derived and a KEYS with a new N sent;
 *                 keys_timer_cb(), pair_retry(), the KEYS sent again; and,
 *                 in HA's receive step, keys_ack(), mcn_ha_keys_ack(),
 *                 the KEYS_ACK that echoes
 *                 its N.  With NKEYS > 0, HA is CN_HA and MN is CN_MN,
 *                 whose k_HA is k_CN (§9.6 item 31): CN_MN's own
 *                 exchanges and moves run the ratchet meanwhile, and
 *                 NKEYS exchanges of one pair (HoA, CN_HoA), each with
 *                 new keys, come at any time, one after the other.
 *   mn_keys()     CN_MN's KEYS, in MN's receive step (agent/mcn_mn.c,
 *                 mcn_mn_keys()): opened by mn_open(); keys-dup
 *                 (the same KEYS_ACK again), keys-stale (ignored), or a
 *                 new exchange, whose keys go to cbu.ko; its KEYS_ACK.
 *   the network  the two chans and the choice each receiver makes when it
 *                 takes a message (net_take): deliver it, lose it,
 *                 deliver it and keep a copy for later (a duplicate), or
 *                 put it back behind the others (reordering).  Losses,
 *                 duplicates and reorderings each have a budget, so that
 *                 after them the network delivers.  KEYS and KEYS_ACK go
 *                 through the home tunnel, with the others.
 *   timers        the MN resends any request it waits for at any time,
 *                 RETX times early (racing the answer), and all it waits
 *                 for whenever nothing else can happen (spin's timeout),
 *                 ROUNDS times: one more than the network's budgets
 *                 could spoil.  CN_HA sends each KEYS KSENDS times at
 *                 most (at 0, 1, 3 and 7 s in the agent): KRETX of the
 *                 resends, in all, early, the others whenever nothing
 *                 else can happen.
 *
 * Not modelled: a restart of either agent and the mobile node's fallback
 * to z (k_ha_reset(), after ten unanswered REGs), which start the ratchet
 * again from z (cbu_resilience.sh and cbu_agent.sh kill and restart the
 * agents).  Nor are keys-timeouts and keys-refused, which end a KEYS
 * exchange unacknowledged: within the network's budgets every KEYS is
 * acknowledged before its sends are out (checked), and status 130 is not
 * drawn.  A rekey's KEYS and a new exchange's are alike here: both bring
 * new keys.  One pair: CN_MN keeps each HoA's apart.
 *
 * Keys are numbers: 0 is z; k_HA-next = prf(z, N0 | N1) is the number of
 * the exchange (N0, N1) it came from, so deriving twice from one exchange
 * gives the same key twice, as prf does.  A sealed message carries the
 * number of its key; opening is comparing numbers.  Both ends start from
 * K0: z, or 1 for a k_HA that moved before, so that the first move lets a
 * key go (z is never let go).  The keys a KEYS brings (k_BU, k_BA, k_EN)
 * are the number of their exchange, N, numbered in order; the agent's N
 * is a random nonce, so CN_MN tells an older N only by having kept it
 * (KEEP of them).  CN_HA starts a new exchange's KEYS only once the last
 * one is acknowledged: see MUTANT_REPLACE.
 *
 * Checked:
 *   - never out of step (assert SYNC after every step): the MN's k_HA is
 *     the home agent's, or the k_HA-next the home agent offers with the
 *     MN keeping the home agent's key to open its answers; a k_HA-next
 *     the MN holds is the one the home agent offers.  So what each end
 *     seals, the other opens.
 *   - no key comes back (assert in use_key): neither end ever takes, as
 *     k_HA or k_HA-next, a key either end has let go, whatever old,
 *     resent or duplicated message comes; nor opens anything under a key
 *     it let go (assert in opened_key).
 *   - KEYS agreed (assert AGREE after every step that receives): once
 *     CN_HA has the KEYS_ACK of its KEYS, CN_MN has installed that KEYS's
 *     keys: no KEYS_ACK is taken for keys CN_MN does not have.
 *   - never older keys (assert in mn_keys): a KEYS that CN_MN takes as
 *     new brings newer keys than those it has: no late copy, duplicate or
 *     earlier KEYS takes it back to older keys or installs the same again.
 *   - everything completes (no invalid end state: the MN ends only with
 *     everything done, and HA at its end label): within ROUNDS rounds of
 *     resends every exchange, rekey and REG ends, and within KSENDS sends
 *     every KEYS is acknowledged, whatever the network did with its
 *     budgets.  A run whose ends could not agree again would stop with
 *     the MN, or CNX, waiting.  With SYNC: the ends never fall out of
 *     step for good, KEYS and KEYS_ACK among the other messages.
 *
 * KEYS and KEYS_ACK move no key: their steps take no key and let none go
 * but as mn_open() does (rule 9), and the claims above hold with them.
 *
 * MUTANT_* (tools/testing/model/run checks each is caught) put back a
 * rule that was wrong, or break one of those KEYS relies on:
 *   MUTANT_SLOT      every exchange derives its own k_HA-next into the
 *                    one slot (agent before issue 13)
 *   MUTANT_REDERIVE  an exchange derives k_HA-next again after it was used
 *   MUTANT_OLD_OFFER a REP opened under the old key still offers
 *   MUTANT_PROMOTE   any message under k_HA-next makes it the key in use
 *   MUTANT_REPLACE   a new exchange's KEYS replaces one not yet
 *                    acknowledged (mobile-cn.md item 34: "a new EXCH0 for
 *                    the pair replaces the pending one"): a late copy of
 *                    the KEYS replaced, whose N CN_MN never saw, is new
 *                    to it and brings the older keys back
 *   MUTANT_ACK_ANY_N CN_HA takes a KEYS_ACK that does not echo its N
 *   MUTANT_ACK_KEY   CN_HA opens a KEYS_ACK under any key, one it let go
 *   MUTANT_ACK_CUR   CN_HA opens a KEYS_ACK under its k_HA in use only
 *   MUTANT_KEYS_CUR  CN_MN opens a KEYS under its k_HA in use only
 *   MUTANT_ACK_COPY  CN_MN answers a KEYS again with a copy of its first
 *                    KEYS_ACK, sealed under the k_HA in use then
 *   MUTANT_ACK_PROMOTE a KEYS_ACK under k_HA-next makes it CN_HA's key in
 *                    use (caught from z: a late REG under z then passes
 *                    for a restart)
 * and so do KEEP=1 (CN_MN keeps the last N only, and takes an older one
 * for new) and KSENDS=3 (no more sends than two losses and a reordering
 * can spoil).
 */

#ifndef NCN
#define NCN	3	/* correspondents, each one exchange and one rekey */
#endif
#ifndef MOVES
#define MOVES	2	/* moves: a REG each */
#endif
#ifndef MAXLOSS
#define MAXLOSS	2
#endif
#ifndef MAXDUP
#define MAXDUP	1
#endif
#ifndef MAXREORD
#define MAXREORD 1
#endif
#ifndef RETX
#define RETX	1	/* early resends, in all */
#endif
#ifndef ROUNDS
#define ROUNDS	(MAXLOSS + MAXDUP + MAXREORD + 1)	/* timer rounds */
#endif
#ifndef REKEYS
#define REKEYS	NCN	/* CNs 0 .. REKEYS - 1 rekey after their exchange */
#endif
#ifndef NKEYS
#define NKEYS	0	/* KEYS exchanges of CN_HA with CN_MN (0: none) */
#endif
#ifndef KSENDS
#define KSENDS	4	/* sends of one KEYS: at 0, 1, 3 and 7 s */
#endif
#ifndef KRETX
#define KRETX	1	/* of them early (racing the KEYS_ACK), in all */
#endif
#ifndef KEEP
#define KEEP	4	/* CN_MN keeps the N of the last KEEP KEYS */
#endif
#ifndef K0
#define K0	Z	/* the k_HA both ends start from */
#endif
#define CAP	8
#define NONE	255
#define Z	0

mtype = { REQ, REQ_KEY, REG, REP, NEWKEY, REG_ACK, KEYS, KEYS_ACK };

/* One MH: what it is, for which CN (or the REG's Seq#, or the N of a
 * KEYS and of its KEYS_ACK), its nonce, the key it is sealed under, the
 * k_HA-next it offers (REP), and for a REG_ACK whether it is status 135. */
typedef msg {
	mtype t;
	byte cn;
	byte nonce;
	byte key;
	byte offer;
	bool stale;
};

chan to_ha = [CAP] of { msg };
chan to_mn = [CAP] of { msg };

/* The network's budgets. */
byte lost, dups, reord;

/* The two ends' keys, global for the invariant. */
byte mn_cur = K0, mn_prev = NONE, mn_next = NONE;
byte ha_cur = K0, ha_next = NONE;
/* Keys each end let go (bits; z is never let go). */
int mn_gone, ha_gone;

/*
 * Scratch of one atomic step, written before it is read: not part of the
 * state (hidden), or every message last handled would make a new one.
 */
hidden msg m;
hidden byte i, key, offer;
hidden byte deliver, cur, opened, under_z, via_next;	/* booleans */
hidden byte j, kept;

/* Fresh numbers: nonces (N0, N0') and exchanges (N0 | N1, a key each). */
byte nonces = 1, pairs = K0 + 1;

/* i := a CN whose @what holds (c0, c1, c2 for CN 0, 1, 2); blocks if none. */
#define PICK(c0, c1, c2) \
	if \
	:: c0 -> i = 0 \
	:: NCN > 1 && c1 -> i = 1 \
	:: NCN > 2 && c2 -> i = 2 \
	fi

#define SYNC \
	(mn_cur == ha_cur && (mn_next == NONE || mn_next == ha_next) || \
	 mn_cur == ha_next && ha_next != NONE && mn_prev == ha_cur && \
	 mn_next == NONE)

inline let_go(gone, k)
{
	if
	:: k != NONE && k != Z -> gone = gone | (1 << k)
	:: else
	fi
}

/* An end takes @k as k_HA or k_HA-next: never one either end let go. */
inline use_key(k)
{
	assert(k == Z || !((ha_gone | mn_gone) & (1 << k)))
}

/* What opened at an end was not sealed under a key that end let go. */
inline opened_key(gone)
{
	assert(!opened || !(gone & (1 << m.key)))
}

/*
 * The receiver's side of the network: m is taken from ch; deliver is set
 * if it is to be handled now.
 */
inline net_take(ch)
{
	deliver = true;
	if
	:: skip
	:: lost < MAXLOSS -> lost++; deliver = false
	:: dups < MAXDUP && nfull(ch) -> dups++; ch!m
	:: reord < MAXREORD && nfull(ch) -> reord++; ch!m; deliver = false
	fi
}

inline send(sch, s_t, s_cn, s_nonce, s_key, s_offer, s_stale)
{
	assert(nfull(sch));
	sch!s_t, s_cn, s_nonce, s_key, s_offer, s_stale
}

/* --- KEYS and KEYS_ACK: CN_HA and CN_MN (NKEYS > 0) ---------------------- */

#if NKEYS > 0

/*
 * CN_HA: KEYS exchanges begun; the N of the last one, whose keys (k_BU,
 * k_BA, k_EN) are number N too; its KEYS: 0 none yet, 1 sent, 2
 * acknowledged; its sends; the early resends, in all.
 */
byte kx, k_n, k_st, k_sends, kretx;
/* CN_MN: the N of the last KEEP KEYS it took, the last first, whose keys
 * it installed (0: none). */
byte mk_kept[KEEP];
#ifdef MUTANT_ACK_COPY
byte mk_ack_key;
#endif

/* Once CN_HA has its KEYS acknowledged, CN_MN has installed its keys. */
#define AGREE	(k_st != 2 || mk_kept[0] == k_n)
#define KEYS_DONE	(kx == NKEYS && k_st == 2)

/*
 * mn_keys() (agent/mcn_mn.c, mcn_mn_keys()): a KEYS that opened, under
 * either key
 * (mn_open() let the previous key go if it opened under the key in use).
 * N is a nonce: all CN_MN can tell is whether it is one it kept.
 */
inline mn_keys()
{
	kept = false;
	for (j : 1 .. KEEP - 1) {
		if
		:: mk_kept[j] == m.cn -> kept = true
		:: else
		fi
	}
	if
	/* keys-dup: the last N again, the same ACK again, sealed now */
	:: m.cn == mk_kept[0] ->
#ifdef MUTANT_ACK_COPY
		send(to_ha, KEYS_ACK, m.cn, 0, mk_ack_key, 0, false)
#else
		send(to_ha, KEYS_ACK, m.cn, 0, mn_cur, 0, false)
#endif
	/* keys-stale: an older N, ignored */
	:: m.cn != mk_kept[0] && kept -> skip
	:: m.cn != mk_kept[0] && !kept ->
		/* a new exchange: the keys go to cbu.ko, the ACK; never
		 * older keys than those installed, nor the same again */
		assert(m.cn > mk_kept[0]);
		for (j : 1 .. KEEP - 1) {
			mk_kept[KEEP - j] = mk_kept[KEEP - j - 1]
		}
		mk_kept[0] = m.cn;
#ifdef MUTANT_ACK_COPY
		mk_ack_key = mn_cur;
#endif
		send(to_ha, KEYS_ACK, m.cn, 0, mn_cur, 0, false)
	fi
}

/* keys_ack() (agent/mcn_ha.c, mcn_ha_keys_ack()): a KEYS_ACK that opened. */
inline keys_ack()
{
	if
	/* keys-acked: it echoes the N of the KEYS sent */
	:: k_st == 1 &&
#ifndef MUTANT_ACK_ANY_N
	   m.cn == k_n &&
#endif
	   true -> k_st = 2
	:: else	/* an earlier KEYS's, or this one's again */
	fi
}
#else
#define KEYS_DONE	true
#endif

/* --- the mobile node ----------------------------------------------------- */

/* Per CN: 0 nothing yet, 1 REQ sent, 2 bound, 3 REQ_KEY sent, 4 rekeyed. */
byte st[NCN];
byte n0[NCN];
byte moves, reg_seq;
bool reg_wait;
byte retx, rounds;

/* k_ha_advance(): a new request goes under k_HA-next, if offered. */
inline advance()
{
	if
	:: mn_next != NONE ->
		assert(mn_prev == NONE);
		mn_prev = mn_cur;
		mn_cur = mn_next;
		mn_next = NONE
	:: else
	fi
}

/* reg_start(): a new REG */
inline reg_start()
{
	advance();
	reg_seq++;
	reg_wait = true;
	send(to_ha, REG, reg_seq, 0, mn_cur, 0, false)
}

inline resend(i)
{
	if
	:: st[i] == 1 -> send(to_ha, REQ, i, n0[i], mn_cur, 0, false)
	:: st[i] == 3 -> send(to_ha, REQ_KEY, i, n0[i], mn_cur, 0, false)
	:: else
	fi
}

#define pending(i)	(st[i] == 1 || st[i] == 3)
#define done(i)		(st[i] == 4 || i >= REKEYS && st[i] == 2)

proctype MN()
{
	do
	/*
	 * ro_request(): a new REQ, with a new N0.  The CNs are alike: that
	 * CN i asks after CN i - 1 loses no run but a renaming of one.
	 */
	:: atomic {
		PICK(st[0] == 0, st[0] != 0 && st[1] == 0,
		     st[1] != 0 && st[2] == 0);
		advance();
		n0[i] = nonces; nonces++;
		st[i] = 1;
		send(to_ha, REQ, i, n0[i], mn_cur, 0, false);
		assert(SYNC)
	   }
	/* rekey_cb(): a new REQ_KEY, with a new N0' */
	:: atomic {
		PICK(REKEYS > 0 && st[0] == 2, REKEYS > 1 && st[1] == 2,
		     REKEYS > 2 && st[2] == 2);
		advance();
		n0[i] = nonces; nonces++;
		st[i] = 3;
		send(to_ha, REQ_KEY, i, n0[i], mn_cur, 0, false);
		assert(SYNC)
	   }
	/* mn_addr_changed(): a move, reg_start() */
	:: atomic {
		moves < MOVES ->
		moves++;
		reg_start();
		assert(SYNC)
	   }
	/* a timer fires before the answer came */
	:: atomic {
		PICK(retx < RETX && pending(0), retx < RETX && pending(1),
		     retx < RETX && pending(2));
		retx++;
		resend(i)
	   }
	/* timers, when nothing else moves: ROUNDS times at most */
	:: atomic {
		timeout && rounds < ROUNDS ->
		rounds++;
		for (i : 0 .. NCN - 1) {
			resend(i)
		}
		if
		:: reg_wait -> send(to_ha, REG, reg_seq, 0, mn_cur, 0, false)
		:: else
		fi
	   }
	:: atomic {
		to_mn?m ->
		net_take(to_mn);
		if
		:: deliver ->
			/* mn_open() */
			cur = (m.key == mn_cur);
			opened = cur || m.key == mn_prev && mn_prev != NONE &&
#ifdef MUTANT_KEYS_CUR
				m.t != KEYS &&
#endif
				true;
			opened_key(mn_gone);
			if
			:: cur -> let_go(mn_gone, mn_prev); mn_prev = NONE
			:: else
			fi;
			if
			:: !opened -> skip
			/* mn_rep() */
			:: opened && m.t == REP && st[m.cn] == 1 &&
			   m.nonce == n0[m.cn] ->
				st[m.cn] = 2;
				if
#ifdef MUTANT_OLD_OFFER
				:: m.offer != mn_cur ->
#else
				:: cur && m.offer != mn_cur ->
#endif
					use_key(m.offer);
					mn_next = m.offer
				:: else
				fi
			/* mn_newkey() */
			:: opened && m.t == NEWKEY && st[m.cn] == 3 &&
			   m.nonce == n0[m.cn] ->
				st[m.cn] = 4
			/* mn_reg_ack() */
			:: opened && m.t == REG_ACK && !m.stale &&
			   m.cn == reg_seq && reg_wait ->
				reg_wait = false
			/* status 135: the home agent has a later Seq# */
			:: opened && m.t == REG_ACK && m.stale &&
			   m.cn >= reg_seq ->
				reg_seq = m.cn;
				reg_start()
#if NKEYS > 0
			:: opened && m.t == KEYS -> mn_keys()
#endif
			:: else
			fi
		:: else
		fi;
		assert(SYNC);
#if NKEYS > 0
		assert(AGREE)
#endif
	   }
	/* all done: the agent has nothing more to ask */
	:: atomic {
		moves == MOVES && !reg_wait &&
		done(0) && (NCN < 2 || done(1)) && (NCN < 3 || done(2)) &&
		KEYS_DONE ->
		break
	   }
	od
}

/* --- the home agent -------------------------------------------------------- */

/* Per CN, the exchange: 0 none, 1 running, 2 done (REP kept); its N0, the
 * key its N0 | N1 make, whether that key was offered; the rekey: 0 none,
 * 1 running, 2 done (NEWKEY kept), its N0'. */
byte ex[NCN], ex_n0[NCN], ex_pair[NCN];
bool ex_offered[NCN];
byte rk[NCN], rk_n0[NCN];
byte last_seq;

/* rep_send(): sealed now, under the key in use, with ha_offer(). */
inline rep_send(i)
{
	if
#ifdef MUTANT_SLOT
	:: true ->
#else
	:: ha_next == NONE &&
#ifndef MUTANT_REDERIVE
	   !ex_offered[i] &&
#endif
	   true ->
#endif
		let_go(ha_gone, ha_next);
		use_key(ex_pair[i]);
		ha_next = ex_pair[i];
		ex_offered[i] = true
	:: else
	fi;
	offer = ha_cur;
	if
	:: ha_next != NONE -> offer = ha_next
	:: else
	fi;
	send(to_mn, REP, i, ex_n0[i], ha_cur, offer, false)
}

/* A REG_ACK goes under z if its REG came under z, else the key in use. */
inline ack_key()
{
	key = ha_cur;
	if
	:: under_z -> key = Z
	:: else
	fi
}

proctype HA()
{
end:	do
	:: atomic {
		to_ha?m ->
		net_take(to_ha);
		if
		:: deliver ->
			/* ha_open(), and ha_open_z() for a REG */
			under_z = false;
			via_next = false;
			if
			:: m.key == ha_cur -> opened = true
			:: m.key == ha_next && ha_next != NONE &&
#ifdef MUTANT_ACK_CUR
			   m.t != KEYS_ACK &&
#endif
			   true ->
				opened = true; via_next = true
#ifdef MUTANT_ACK_PROMOTE
				if
				:: m.t == KEYS_ACK ->
					let_go(ha_gone, ha_cur);
					ha_cur = ha_next;
					ha_next = NONE;
					via_next = false
				:: else
				fi
#endif
#ifdef MUTANT_PROMOTE
				let_go(ha_gone, ha_cur);
				ha_cur = ha_next;
				ha_next = NONE;
				via_next = false
#endif
			:: m.key == Z && ha_cur != Z && m.t == REG ->
				opened = true; under_z = true
#ifdef MUTANT_ACK_KEY
			:: m.t == KEYS_ACK -> opened = true	/* any key */
#endif
			:: else -> opened = false
			fi;
			opened_key(ha_gone);
			i = m.cn;
			if
			:: !opened -> skip
			:: else ->
			if
			/* ha_req() */
			:: m.t == REQ && ex[i] != 0 && ex_n0[i] == m.nonce ->
				if
				:: ex[i] == 2 -> rep_send(i)
				:: else
				fi
			:: m.t == REQ && !(ex[i] != 0 && ex_n0[i] == m.nonce) ->
				ex[i] = 1; ex_n0[i] = m.nonce;
				ex_offered[i] = false
			/* ha_req_key() */
			:: m.t == REQ_KEY && rk[i] != 0 && rk_n0[i] == m.nonce ->
				if
				:: rk[i] == 2 ->
					send(to_mn, NEWKEY, i, rk_n0[i], ha_cur, 0,
					     false)
				:: else
				fi
			:: m.t == REQ_KEY && !(rk[i] != 0 && rk_n0[i] == m.nonce) &&
			   ex[i] == 2 ->
				rk[i] = 1; rk_n0[i] = m.nonce
			:: m.t == REQ_KEY && !(rk[i] != 0 && rk_n0[i] == m.nonce) &&
			   ex[i] != 2 -> skip	/* REP_NAK, not modelled */
			/* ha_reg(): a new Seq#, the same again, or behind */
			:: m.t == REG && m.cn > last_seq ->
				if
				:: under_z ->
					/* reg_restart(): never, as no REG
					 * under z is fresh once k_HA moved */
					assert(false)
				:: via_next ->
					/* ha_switch() */
					let_go(ha_gone, ha_cur);
					ha_cur = ha_next;
					ha_next = NONE
				:: else
				fi;
				last_seq = m.cn;
				ack_key();
				send(to_mn, REG_ACK, m.cn, 0, key, 0, false)
			:: m.t == REG && m.cn == last_seq && !under_z ->
				ack_key();
				send(to_mn, REG_ACK, m.cn, 0, key, 0, false)
			:: m.t == REG && (m.cn < last_seq ||
					  m.cn == last_seq && under_z) ->
				ack_key();
				send(to_mn, REG_ACK, last_seq, 0, key, 0, true)
#if NKEYS > 0
			:: m.t == KEYS_ACK -> keys_ack()
#endif
			fi
			fi
		:: else
		fi;
		assert(SYNC);
#if NKEYS > 0
		assert(AGREE)
#endif
	   }
	/* ha_exch1(): the CN's EXCH1, keys derived, the REP */
	:: atomic {
		PICK(ex[0] == 1, ex[1] == 1, ex[2] == 1);
		ex[i] = 2;
		ex_pair[i] = pairs; pairs++;
		rep_send(i);
		assert(SYNC)
	   }
	/* ha_exch1_rk(): the CN's EXCH1', k_EN-new, the NEWKEY */
	:: atomic {
		PICK(rk[0] == 1, rk[1] == 1, rk[2] == 1);
		rk[i] = 2;
		send(to_mn, NEWKEY, i, rk_n0[i], ha_cur, 0, false)
	   }
	od
}

/* --- CN_HA's KEYS -------------------------------------------------------- */

#if NKEYS > 0

/* Each send sealed anew, under the k_HA in use then (rule 2). */
inline keys_send()
{
	k_sends++;
	send(to_mn, KEYS, k_n, 0, ha_cur, 0, false)
}

proctype CNX()
{
	do
	/*
	 * keys_start(): a new exchange (EXCH0) or rekey (EXCH0'), its keys
	 * derived, a KEYS with a new N; only once the last KEYS is
	 * acknowledged.
	 */
	:: atomic {
		kx < NKEYS &&
#ifndef MUTANT_REPLACE
		k_st != 1 &&
#endif
		true ->
		kx++;
		k_n = kx;
		k_st = 1;
		k_sends = 0;
		keys_send()
	   }
	/* keys_timer_cb(): the next send comes before the ACK did */
	:: atomic {
		k_st == 1 && k_sends < KSENDS && kretx < KRETX ->
		kretx++;
		keys_send()
	   }
	/* keys_timer_cb(), when nothing else moves */
	:: atomic {
		timeout && k_st == 1 && k_sends < KSENDS ->
		keys_send()
	   }
	:: atomic {
		KEYS_DONE -> break
	   }
	od
}
#endif

init {
	atomic {
		run HA();
		run MN();
#if NKEYS > 0
		run CNX()
#endif
	}
}
