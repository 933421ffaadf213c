/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hygiene — make the process state ours before anything else runs.
 *
 * The caller controls everything a setuid program inherits: open and closed
 * fds, environment, umask, signal dispositions and mask, resource limits.
 * These functions replace all of it with known values. They never print:
 * the caller (main) reports.
 */
#ifndef USER_UMOUNT_HYGIENE_H
#define USER_UMOUNT_HYGIENE_H

#include <stdbool.h>

/* fds 0-2 open (else /dev/null), others closed, environment cleared, umask,
 * signals, non-dumpable. Needs no privilege. 0 or -errno. */
int hygiene_process(void);

/* Resource limits the caller may have set to make us fail half-way
 * (RLIMIT_FSIZE=0 during the utab write, RLIMIT_NOFILE tiny): SIGXFSZ is
 * ignored and the limits raised as far as our capabilities allow. */
int hygiene_limits(void);

/*
 * From the privileged phase on, only the terminal can still signal us
 * (our real and saved uid are 0). Ctrl-C, Ctrl-\, a hangup or SIGTERM is
 * noted, not obeyed on the spot: the target in progress finishes its
 * privileged step (or never starts it), the rest are not attempted, and
 * the run ends with exit 8. Ctrl-Z and background tty reads and writes
 * are ignored. 0 or -errno.
 */
int hygiene_trap_signals(void);

/* Was one of those signals received? */
bool hygiene_interrupted(void);

#endif
