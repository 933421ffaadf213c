/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * confine — out of the caller's reach before the first privileged act:
 * cgroups and scheduling.
 *
 * kill(2) and ptrace are closed by the uids (privs.h). Two other doors
 * check no credentials of ours at all:
 *
 *  - cgroups. Whoever may write a cgroup's cgroup.freeze or cgroup.kill
 *    (v2), freezer.state (v1), or a resource knob of it or of an ancestor
 *    (cpu.max, memory.max, cpuset.cpus) can freeze, kill or throttle every
 *    process in it, at any instruction. systemd delegates a subtree to
 *    every user (user@UID.service), so the caller may start us in a cgroup
 *    of their own.
 *  - scheduling state inherited through exec: SCHED_IDLE, nice 19, a
 *    one-CPU affinity, a utilisation clamp, an idle I/O class, a huge timer
 *    slack stretch every window for a racing attacker.
 *
 *   confine_enter()   full root, right after the limits: for every
 *                     hierarchy that can hold us (v2, and v1 ones such as
 *                     freezer, memory, cpu, cpuset: see
 *                     confine_hierarchy_matters()), if the cgroup we run in
 *                     or any ancestor can be written by anyone but root, or
 *                     is frozen, move into the root of our cgroup namespace
 *                     (whose one level confine_verify() checks).
 *   confine_sched()   full root, after confine_enter (out of the caller's
 *                     cpuset first): SCHED_OTHER, nice 0, no utilisation
 *                     clamp, every CPU the cpuset allows, default timer
 *                     slack, best-effort I/O class; each read back.
 *   confine_verify()  after privs_narrow_main: read back from the kernel
 *                     that every hierarchy still has us where we put
 *                     ourselves (/proc/self/cgroup, and below a root the
 *                     cgroup's own list), in a cgroup nobody but root may
 *                     write, every level up to the root, not frozen. Closes
 *                     the hierarchies.
 *
 * Each returns 0, or -1 with a one-line reason in msg; the caller refuses
 * (exit 4) before anything else is done. Nothing prints.
 */
#ifndef USER_UMOUNT_CONFINE_H
#define USER_UMOUNT_CONFINE_H

#include <stdbool.h>
#include <stddef.h>

int confine_enter(char *msg, size_t len);
int confine_sched(char *msg, size_t len);
int confine_verify(char *msg, size_t len);

/* Parse a kernel CPU list ("0-3,8,10-11") into a bit mask of NBITS bits.
 * Strict: numbers, ranges low-high, commas, one trailing newline.
 * 0 or -EINVAL (-ERANGE: a CPU >= NBITS). Pure; for confine and its tests. */
int confine_parse_cpulist(const char *s, unsigned long *mask, size_t nbits);

/* Is hierarchy ID (0: cgroup v2) with the v1 controllers CTRL
 * ("cpu,cpuacct", "name=systemd") one through which a writer could hold
 * us? v2 always; v1 when one controller can freeze, throttle, starve or
 * fail a task: not for name= alone, nor for cpuacct, net_cls, net_prio,
 * perf_event, hugetlb, rdma and misc alone. Pure; for confine_enter() and
 * its tests. */
bool confine_hierarchy_matters(unsigned id, const char *ctrl);

/* One cgroup directory's check, for its tests: the directory and every
 * file in it root's alone (child directories skipped), not frozen
 * (cgroup.freeze "0" for V2, freezer.state "THAWED" for v1, either absent
 * at a root). 1 safe, 0 not (WHY says which), -errno. */
int confine_level_ok(int dir, bool v2, char *why, size_t len);

#endif
