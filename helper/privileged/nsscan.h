/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsscan — every mount of every mount namespace on the host, as the
 * propagation check needs them (policy_propagate_decide(); docs/DESIGN.md,
 * "The namespace scan").
 *
 * A privileged act: other namespaces can be iterated (the nsfs ioctls
 * NS_MNT_GET_NEXT / NS_MNT_GET_PREV, Linux 6.12) and listed
 * (listmount(2) / statmount(2) with a namespace ID, Linux 6.11) only with
 * CAP_SYS_ADMIN. It is made effective for the scan alone and dropped again,
 * read back, before nsscan_run() returns; nothing else happens meanwhile.
 * Only looked at: nothing is opened in the namespaces, nothing changed.
 *
 * Returns 0 or a negative errno and never prints:
 *   -ENOSYS  this kernel (or a UU_FORCE_LIBMOUNT build) cannot iterate
 *            mount namespaces: nsscan_unsupported() says so
 *   -E2BIG   more namespaces, mounts or bytes than the limits below
 *   -EAGAIN  a namespace kept changing while it was read
 *   others   as the kernel gave them (-EPERM: not privileged)
 */
#ifndef USER_UMOUNT_NSSCAN_H
#define USER_UMOUNT_NSSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "asks.h"
#include "policy.h"

/* Bounds on one scan: beyond them it fails (closed), it never truncates. */
#define NSSCAN_NS_MAX      65536
#define NSSCAN_MOUNTS_MAX  1000000
#define NSSCAN_STRINGS_MAX (64u << 20)
#define NSSCAN_RETRIES     4 /* reads of one namespace that keeps changing */

/*
 * Scan every namespace. Roots and mount points are read only for the
 * mounts on a super block in DEVS and their children: propagation only
 * ever passes between mounts of one super block, so that is every mount
 * whose place the decision can need. The others have root and point NULL.
 */
int nsscan_run(const uint64_t *devs, size_t ndevs, struct nsscan *out);
void nsscan_free(struct nsscan *s); /* lookup_nsscan_free() */

/* Whether nsscan_run()'s error means "this kernel cannot", not a failure. */
bool nsscan_unsupported(int err);

/* Whether this kernel and build can scan, told without privilege (for
 * --version): the ioctls and the namespace field of listmount answer. */
bool nsscan_available(void);

#endif
