/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Telling systemd how the agent is doing (sd_notify(3)), by hand: one
 * datagram to the AF_UNIX socket $NOTIFY_SOCKET names (a path, or "@name"
 * for an abstract one), "READY=1", "RELOADING=1", "STOPPING=1",
 * "STATUS=..." lines.  Without $NOTIFY_SOCKET (not started by systemd, or
 * not Type=notify) nothing is sent and nothing fails.
 */
#ifndef _AGENT_NOTIFY_H
#define _AGENT_NOTIFY_H

/*
 * Send @state, newline-separated "KEY=VALUE" lines.  1 if sent, 0 if
 * there is nowhere to send it, a negative errno if sending failed.
 */
int notify(const char *state);
/* The same, formatted. */
int notifyf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* _AGENT_NOTIFY_H */
