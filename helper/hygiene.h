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
#include <stddef.h>

/* fds 0-2 open (else /dev/null), others closed, environment cleared, umask,
 * signals, non-dumpable. Needs no privilege. 0 or -errno. */
int hygiene_process(void);

/* What RLIMIT_STACK is raised to: Debian's default, which the test suite
 * runs under; the deepest path measured needs far less (docs/DESIGN.md). */
#define HYGIENE_STACK_NEED (8ULL << 20)

/*
 * Resource limits the caller may have set to make us fail half-way. Those
 * whose crossing is a signal at an arbitrary instruction (RLIMIT_STACK,
 * RLIMIT_CPU, RLIMIT_AS) are raised to what the program needs, and the
 * stack's room to grow read back; where the machine forbids it (a hard
 * limit below the need and no CAP_SYS_RESOURCE) -1 with a one-line reason
 * in msg, and nothing may be done. Those whose crossing is an error we
 * report (RLIMIT_FSIZE=0 during the utab write, RLIMIT_NOFILE tiny) are
 * raised as far as we may, SIGXFSZ ignored. Run first, as full root.
 */
int hygiene_limits(char *msg, size_t len);

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
