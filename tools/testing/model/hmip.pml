/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hmip.pml - the replay rules of draft section 5 as cbu designs them
 * (Documentation/design/hmip.md items 45, 46, 47 and 56, proposed), for
 * the spin model checker, before any of it is built: the local BU signed
 * over its Seq# and a stateless MAP nonce N_MAP, the MAP's per-RCoA
 * record (last Seq#, k_LBA), and the BA signed when a key is made and
 * MAC'd under k_LBA after.  tools/testing/model/run checks it
 * exhaustively in `make check`.
 *
 * Who stands for what (design items; nothing of it is code yet):
 *
 *   proctype MN   one mobile node under one MAP: the entry BU (N_MAP
 *                 zeros, a fresh g^a), then MOVES local moves among NL
 *                 local care-of addresses (LCoAs), each a new signed BU
 *                 with Seq# + 1 and the N_MAP of the last BA; resent
 *                 unchanged when nothing else can happen (spin's
 *                 timeout), ROUNDS times in all.  It takes a BA only if
 *                 it is authenticated (signed over the g^a it sent, or
 *                 MAC'd under its k_LBA), but for one unauthenticated 138
 *                 per BU sent (item 47), which it takes as "sign again
 *                 with this N_MAP and a new g^a".
 *   proctype MAP  the MAP's agent and cbu.ko: N_MAP is the number of
 *                 the s_MAP that made it (cur, and prev still accepted);
 *                 a BU with another gets 138; one whose Seq# is not after
 *                 the record's gets 135 (both signed over the BU's g^a if
 *                 it has one, else MAC'd under the record's k_LBA, else,
 *                 a 138 only, unauthenticated); one with no key to MAC a
 *                 BA under and no g^a gets an unauthenticated 138; else
 *                 it is bound, with a signed BA and a new k_LBA if it
 *                 brought g^a, a MAC'd one if not.  At any time, within
 *                 budgets: s_MAP rotates (prev := cur, a new cur); the
 *                 agent restarts (records and both halves of s_MAP gone,
 *                 cbu.ko's binding kept); the record is evicted from a
 *                 full table (`nonce-flush`: both halves drawn anew).
 *   proctype ATK  an attacker on the path: it has seen every message
 *                 (the last SEEN of each kind) and sends any of them
 *                 again, to either end, and forges BAs it cannot
 *                 authenticate (any status, any Seq#), REPLAYS times.
 *   the network   as in kha.pml: the receiver takes a message, loses it,
 *                 takes it and keeps a copy (a duplicate), or puts it
 *                 back behind the others, within budgets.
 *
 * Signatures and MACs are not computed: a BU is the MN's, exact, or it
 * is not at all (the attacker can only send a seen one again, since
 * SIG_MN covers every field the MAP acts on); a BA is authenticated when
 * its key number is the MN's k_LBA or its g^a the one the MN waits for.
 *
 * Checked:
 *   - the MAP binds only the newest BU (assert in map_bind()): every BU
 *     it binds is one the MN sent with that LCoA, with a Seq# after that
 *     of every BU it bound before, across rotations, restarts and
 *     evictions.  So no replay moves the RCoA back to an old LCoA (where
 *     whoever holds it now gets the traffic), nor refreshes a binding
 *     the MN did not ask for;
 *   - the MN takes no forged BA, and everything completes (no invalid end
 *     state; assert at the MN's end): after its last move the MN has an
 *     authenticated acceptance of its newest BU and the MAP binds its
 *     LCoA, whatever the network, the attacker and the MAP's restarts
 *     did within their budgets.
 *
 * MUTANT_* (tools/testing/model/run checks each is caught):
 *   MUTANT_DRAFT_SIG  SIG_MN over the draft's input only (LCoA | MAP |
 *                     HoA | RCoA): the attacker sets the Seq# and N_MAP
 *                     of a seen BU as it likes
 *   MUTANT_NO_NONCE   no N_MAP, the Seq# record alone (the draft's input
 *                     with Seq# state): after a restart a seen BU binds
 *   MUTANT_NO_FLUSH   a record evicted from a full table without drawing
 *                     s_MAP anew
 *   MUTANT_EQ_SEQ     a BU with the record's Seq# again is bound
 *   MUTANT_UNAUTH_BA  the MN takes an unauthenticated BA of status 0
 *   MUTANT_MAC_ANSWER a 138 or 135 to a BU with g^a is MAC'd under the
 *                     record's k_LBA like any other: when the signed BA
 *                     that made that k_LBA was lost, the MN, resending
 *                     its BU, can check neither and gives up.  (Found by
 *                     this model; item 47 had no rule for it.)
 */

#ifndef NL
#define NL	3	/* LCoAs 1 .. NL */
#endif
#ifndef MOVES
#define MOVES	2	/* local moves after the entry */
#endif
#ifndef MAXLOSS
#define MAXLOSS	1
#endif
#ifndef MAXDUP
#define MAXDUP	1
#endif
#ifndef MAXREORD
#define MAXREORD 1
#endif
#ifndef REPLAYS
#define REPLAYS	2	/* the attacker's sends */
#endif
#ifndef RESTARTS
#define RESTARTS 1	/* the MAP's agent restarts */
#endif
#ifndef ROTATES
#define ROTATES	1	/* s_MAP rotations */
#endif
#ifndef EVICTS
#define EVICTS	1	/* the record evicted from a full table */
#endif
#ifndef ROUNDS
#define ROUNDS	(MAXLOSS + MAXDUP + MAXREORD + REPLAYS + 2)
#endif
#define SEEN	2	/* the attacker keeps the last SEEN of each kind */
#define MAXSEQ	24
#define CAP	6

mtype = { BU, BA };

/*
 * One MH.  BU: seq, lcoa, nonce (the s_MAP number of its N_MAP, 0 for
 * zeros), dh (its g^a's number, 0 none).  BA: seq (the BU's, or the
 * record's in a 135), st (0, 135, 138), nonce (the N_MAP' it hands out),
 * dh (the g^a it answers, signed), key (the k_LBA it is MAC'd under, or
 * the new one a signed BA makes; 0: unauthenticated), sig.
 */
typedef msg {
	mtype t;
	byte seq;
	byte lcoa;
	byte nonce;
	byte dh;
	byte st;
	byte key;
	bool sig;
};

chan to_map = [CAP] of { msg };
chan to_mn = [CAP] of { msg };

byte lost, dups, reord, replays, restarts, rotates, evicts;

/* The MN. */
byte m_lcoa = 1, m_seq, m_nonce, m_key, m_dh, moves, rounds;
bool m_wait;
/* The MAP: s_MAP's halves, the record, cbu.ko's binding. */
byte cur = 1, prev, r_seq, r_key, b_lcoa;
bool rec;
/* Fresh numbers. */
byte epochs = 1, keys, dhs;
/* Ghosts: the LCoA the MN sent with each Seq#, the last Seq# bound. */
byte g_sent[MAXSEQ], g_seq;
/* The attacker's store. */
msg seen_bu[SEEN], seen_ba[SEEN];

hidden msg m;
hidden byte deliver, j, s;

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

/* send_bu / send_ba: on the wire, where the attacker sees it. */
inline send_bu(b_seq, b_lcoa_, b_nonce, b_dh)
{
	assert(nfull(to_map));
	to_map!BU, b_seq, b_lcoa_, b_nonce, b_dh, 0, 0, false;
	seen_bu[1].seq = seen_bu[0].seq; seen_bu[1].lcoa = seen_bu[0].lcoa;
	seen_bu[1].nonce = seen_bu[0].nonce; seen_bu[1].dh = seen_bu[0].dh;
	seen_bu[0].seq = b_seq; seen_bu[0].lcoa = b_lcoa_;
	seen_bu[0].nonce = b_nonce; seen_bu[0].dh = b_dh
}

inline send_ba(a_seq, a_nonce, a_dh, a_st, a_key, a_sig)
{
	assert(nfull(to_mn));
	to_mn!BA, a_seq, 0, a_nonce, a_dh, a_st, a_key, a_sig;
	seen_ba[1].seq = seen_ba[0].seq; seen_ba[1].nonce = seen_ba[0].nonce;
	seen_ba[1].dh = seen_ba[0].dh; seen_ba[1].st = seen_ba[0].st;
	seen_ba[1].key = seen_ba[0].key; seen_ba[1].sig = seen_ba[0].sig;
	seen_ba[0].seq = a_seq; seen_ba[0].nonce = a_nonce;
	seen_ba[0].dh = a_dh; seen_ba[0].st = a_st; seen_ba[0].key = a_key;
	seen_ba[0].sig = a_sig
}

/* --- the mobile node ----------------------------------------------------- */

/* A new BU: the next Seq#, a g^a if it has no k_LBA or was told to. */
inline mn_send_new(want_dh)
{
	m_seq++;
	assert(m_seq < MAXSEQ);
	g_sent[m_seq] = m_lcoa;
	if
	:: want_dh || m_key == 0 -> dhs++; m_dh = dhs
	:: else -> m_dh = 0
	fi;
	m_wait = true;
	send_bu(m_seq, m_lcoa, m_nonce, m_dh)
}

/*
 * A BA in: authenticated, or an unauthenticated 138 naming the Seq# of
 * the BU in flight: one per BU sent, since taking it sends a new BU.
 */
inline mn_ba()
{
	if
	:: m.sig && m.dh != 0 && m.dh == m_dh ||
	   !m.sig && m.key != 0 && m.key == m_key ->
		if
		:: m.st == 0 && m_wait && m.seq == m_seq ->
			m_wait = false;
			m_nonce = m.nonce;
			if
			:: m.sig -> m_key = m.key; m_dh = 0
			:: else
			fi
		:: m.st == 135 && m_wait && m.seq >= m_seq ->
			/* the record is further on: past it, with a g^a
			 * again if no k_LBA came since the last */
			m_seq = m.seq;
			mn_send_new(m_dh != 0)
		:: m.st == 138 && m_wait && m.seq == m_seq &&
		   m.nonce != m_nonce ->
			m_nonce = m.nonce;
			mn_send_new(m_dh != 0)
		:: else	/* old, or for another BU */
		fi
	:: else ->
		if
		:: m.st == 138 && m.key == 0 && !m.sig && m_wait &&
		   m.seq == m_seq ->
			m_nonce = m.nonce;
			mn_send_new(true)
#ifdef MUTANT_UNAUTH_BA
		:: m.st == 0 && m_wait && m.seq == m_seq ->
			m_wait = false;
			m_nonce = m.nonce
#endif
		:: else	/* forged or spent: ignored */
		fi
	fi
}

proctype MN()
{
	/* Entering the domain: N_MAP zeros, a g^a. */
	atomic { mn_send_new(true) }
	do
	:: atomic {
		nempty(to_mn) -> to_mn?m; net_take(to_mn);
		if
		:: deliver -> mn_ba()
		:: else
		fi
	   }
	/* a local move, once the last BU is acknowledged */
	:: atomic {
		!m_wait && moves < MOVES ->
		moves++;
		m_lcoa = m_lcoa % NL + 1;
		mn_send_new(false)
	   }
	/* its timer: the same BU again */
	:: atomic {
		timeout && m_wait && rounds < ROUNDS ->
		rounds++;
		send_bu(m_seq, g_sent[m_seq], m_nonce, m_dh)
	   }
	:: atomic {
		!m_wait && moves == MOVES && empty(to_mn) -> break
	   }
	od;
	/* Its newest BU is accepted, by the MAP, at its LCoA. */
	assert(g_seq == m_seq && b_lcoa == m_lcoa)
}

/* --- the MAP ------------------------------------------------------------- */

inline map_bind()
{
	/* Only a BU the MN sent, and only one newer than all bound before. */
	assert(m.seq < MAXSEQ && g_sent[m.seq] == m.lcoa);
	assert(m.seq > g_seq);
	g_seq = m.seq;
	b_lcoa = m.lcoa;
	rec = true;
	r_seq = m.seq;
	if
	:: m.dh != 0 ->
		keys++;
		r_key = keys;
		send_ba(m.seq, cur, m.dh, 0, r_key, true)
	:: else ->
		send_ba(m.seq, cur, 0, 0, r_key, false)
	fi
}

/*
 * An answer that binds nothing (138, 135): to a BU with g^a, signed over
 * it, since its sender may hold no k_LBA the MAP has (its signed BA was
 * lost); to one without, MAC'd under the record's k_LBA, or without a
 * record unauthenticated (138 only).
 */
inline map_answer(a_seq, a_st)
{
	if
#ifndef MUTANT_MAC_ANSWER
	:: m.dh != 0 -> send_ba(a_seq, cur, m.dh, a_st, 0, true)
	:: m.dh == 0 && rec && r_key != 0 ->
#else
	:: rec && r_key != 0 ->
#endif
		send_ba(a_seq, cur, 0, a_st, r_key, false)
	:: else -> send_ba(a_seq, cur, 0, a_st, 0, false)
	fi
}

inline map_bu()
{
	if
#ifndef MUTANT_NO_NONCE
	:: m.nonce == 0 || m.nonce != cur && m.nonce != prev ->
		/* 138, with the N_MAP to sign */
		map_answer(m.seq, 138)
	:: else ->
#else
	:: true ->
#endif
		if
#ifdef MUTANT_EQ_SEQ
		:: rec && m.seq < r_seq ->
#else
		:: rec && m.seq <= r_seq ->
#endif
			map_answer(r_seq, 135)
		:: !rec || m.seq > r_seq ->
			if
			:: m.dh == 0 && !(rec && r_key != 0) ->
				/* no key for its BA: sign again with a g^a */
				send_ba(m.seq, cur, 0, 138, 0, false)
			:: else -> map_bind()
			fi
#ifdef MUTANT_EQ_SEQ
		:: rec && m.seq == r_seq -> map_bind()
#endif
		fi
	fi
}

proctype MAP()
{
end:
	do
	:: atomic {
		nempty(to_map) -> to_map?m; net_take(to_map);
		if
		:: deliver -> map_bu()
		:: else
		fi
	   }
	/* s_MAP rotates: the previous half still accepted */
	:: atomic {
		rotates < ROTATES -> rotates++;
		prev = cur; epochs++; cur = epochs
	   }
	/* the agent restarts: records and s_MAP gone, the binding kept */
	:: atomic {
		restarts < RESTARTS -> restarts++;
		rec = false; r_seq = 0; r_key = 0;
		epochs++; cur = epochs; prev = 0
	   }
	/* the table is full: the record goes, and with it s_MAP */
	:: atomic {
		evicts < EVICTS && rec -> evicts++;
		rec = false; r_seq = 0; r_key = 0;
#ifndef MUTANT_NO_FLUSH
		epochs++; cur = epochs; prev = 0
#endif
	   }
	od
}

/* --- the attacker -------------------------------------------------------- */

proctype ATK()
{
end:
	do
	/* a BU seen, again */
	:: atomic {
		replays < REPLAYS && nfull(to_map) && seen_bu[0].seq != 0 ->
		replays++;
		if
		:: j = 0
		:: seen_bu[1].seq != 0 -> j = 1
		fi;
#ifdef MUTANT_DRAFT_SIG
		/* Seq# and N_MAP are not signed: any will do */
		if
		:: s = seen_bu[j].seq
		:: s = g_seq + 1
		fi;
		to_map!BU, s, seen_bu[j].lcoa, cur, seen_bu[j].dh, 0, 0, false
#else
		to_map!BU, seen_bu[j].seq, seen_bu[j].lcoa, seen_bu[j].nonce,
			seen_bu[j].dh, 0, 0, false
#endif
	   }
	/* a BA seen, again */
	:: atomic {
		replays < REPLAYS && nfull(to_mn) && seen_ba[0].seq != 0 ->
		replays++;
		if
		:: j = 0
		:: seen_ba[1].seq != 0 -> j = 1
		fi;
		to_mn!BA, seen_ba[j].seq, 0, seen_ba[j].nonce, seen_ba[j].dh,
			seen_ba[j].st, seen_ba[j].key, seen_ba[j].sig
	   }
	/* a BA forged: no key, any status, for the BU in flight */
	:: atomic {
		replays < REPLAYS && nfull(to_mn) -> replays++;
		if
		:: s = 0
		:: s = 138
		fi;
		to_mn!BA, m_seq, 0, cur, 0, s, 0, false
	   }
	od
}

init
{
	atomic {
		run MAP();
		run ATK();
		run MN()
	}
}
