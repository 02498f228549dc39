/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket cbuctl talks to: a UNIX SOCK_SEQPACKET socket,
 * abstract ("@cbu-agent", per network namespace: `cbuctl -n NS` reaches
 * the agent of NS) or a file (mode 0600 in a 0700 directory).  Only root
 * may use it (SO_PEERCRED), whatever the path.
 *
 * A request is one datagram: "text", "json" or "pretty", then the
 * command's words, separated by blanks ("json agent status", "text ro
 * start 2001:db8::1").  The answer is one datagram: the output, as the
 * roles print it with json_print; a failure starts with "error: ".
 */
#ifndef _AGENT_CONTROL_H
#define _AGENT_CONTROL_H

#include <stdbool.h>

/*
 * A command: @words[0] is its name.  It prints its answer with json_print
 * (the output is set up); on failure it calls control_error(), whose
 * message replaces all it printed, and returns -1.
 */
typedef int (*control_fn)(int argc, char **words);

int control_open(const char *path);
void control_close(void);
/* Commands are "OBJECT VERB" pairs ("ro start"); @verb may be NULL. */
void control_register(const char *object, const char *verb, control_fn fn);
/* The same for a command whose JSON answer is an array of objects. */
void control_register_list(const char *object, const char *verb,
			   control_fn fn);
void control_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* _AGENT_CONTROL_H */
