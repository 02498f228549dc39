/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kha.pml - the k_HA ratchet of cbu-agent (Documentation/wire-format.md
 * §9.4) and the retransmission rules of REQ/REP, REQ_KEY/NEWKEY and
 * REG/REG_ACK, for the spin model checker.  tools/testing/model/run checks
 * it exhaustively in `make check`.
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
 *   the network  the two chans and the choice each receiver makes when it
 *                 takes a message (net_take): deliver it, lose it,
 *                 deliver it and keep a copy for later (a duplicate), or
 *                 put it back behind the others (reordering).  Losses,
 *                 duplicates and reorderings each have a budget, so that
 *                 after them the network delivers.
 *   timers        the MN resends any request it waits for at any time,
 *                 RETX times early (racing the answer), and all it waits
 *                 for whenever nothing else can happen (spin's timeout),
 *                 ROUNDS times: one more than the network's budgets
 *                 could spoil.
 *
 * Not modelled: a restart of either agent and the mobile node's fallback
 * to z (k_ha_reset(), after ten unanswered REGs), which start the ratchet
 * again from z (cbu_resilience.sh and cbu_agent.sh kill and restart the
 * agents).
 *
 * Keys are numbers: 0 is z; k_HA-next = prf(z, N0 | N1) is the number of
 * the exchange (N0, N1) it came from, so deriving twice from one exchange
 * gives the same key twice, as prf does.  A sealed message carries the
 * number of its key; opening is comparing numbers.
 *
 * Checked:
 *   - never out of step (assert SYNC after every step): the MN's k_HA is
 *     the home agent's, or the k_HA-next the home agent offers with the
 *     MN keeping the home agent's key to open its answers; a k_HA-next
 *     the MN holds is the one the home agent offers.  So what each end
 *     seals, the other opens.
 *   - no key comes back (assert in use_key): neither end ever takes, as
 *     k_HA or k_HA-next, a key either end has let go, whatever old,
 *     resent or duplicated message comes.
 *   - everything completes (no invalid end state: the MN ends only with
 *     everything done, and HA at its end label): within ROUNDS rounds of
 *     resends every exchange, rekey and REG ends, whatever the network
 *     did with its budgets.  A run whose ends could not agree again would
 *     stop with the MN waiting.  With SYNC: the ends never fall out of
 *     step for good.
 *
 * MUTANT_* (tools/testing/model/run checks each is caught) put back a
 * rule that was wrong:
 *   MUTANT_SLOT      every exchange derives its own k_HA-next into the
 *                    one slot (agent before issue 13)
 *   MUTANT_REDERIVE  an exchange derives k_HA-next again after it was used
 *   MUTANT_OLD_OFFER a REP opened under the old key still offers
 *   MUTANT_PROMOTE   any message under k_HA-next makes it the key in use
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
#define CAP	8
#define NONE	255
#define Z	0

mtype = { REQ, REQ_KEY, REG, REP, NEWKEY, REG_ACK };

/* One MH: what it is, for which CN (or the REG's Seq#), its nonce, the
 * key it is sealed under, the k_HA-next it offers (REP), and for a
 * REG_ACK whether it is status 135. */
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
byte mn_cur = Z, mn_prev = NONE, mn_next = NONE;
byte ha_cur = Z, ha_next = NONE;
/* Keys each end let go (bits; z is never let go). */
int mn_gone, ha_gone;

/*
 * Scratch of one atomic step, written before it is read: not part of the
 * state (hidden), or every message last handled would make a new one.
 */
hidden msg m;
hidden byte i, key, offer;
hidden byte deliver, cur, opened, under_z, via_next;	/* booleans */

/* Fresh numbers: nonces (N0, N0') and exchanges (N0 | N1, a key each). */
byte nonces = 1, pairs = 1;

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
			opened = cur || m.key == mn_prev && mn_prev != NONE;
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
			:: else
			fi
		:: else
		fi;
		assert(SYNC)
	   }
	/* all done: the agent has nothing more to ask */
	:: atomic {
		moves == MOVES && !reg_wait &&
		done(0) && (NCN < 2 || done(1)) && (NCN < 3 || done(2)) ->
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
			:: m.key == ha_next && ha_next != NONE ->
				opened = true; via_next = true
#ifdef MUTANT_PROMOTE
				let_go(ha_gone, ha_cur);
				ha_cur = ha_next;
				ha_next = NONE;
				via_next = false
#endif
			:: m.key == Z && ha_cur != Z && m.t == REG ->
				opened = true; under_z = true
			:: else -> opened = false
			fi;
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
			fi
			fi
		:: else
		fi;
		assert(SYNC)
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

init {
	atomic {
		run HA();
		run MN()
	}
}
