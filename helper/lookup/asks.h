/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * asks — the questions a lookup cannot answer without privilege.
 *
 * Nothing in helper/lookup/ opens anything as root, raises a capability or
 * starts a child: where a fact needs that (a device's tags, a loop
 * device's backing file, the mounts of every mount namespace), the lookup
 * asks through this table, and the answers are code of helper/privileged/
 * (privileged_answers in answers.h), which main() installs once, before
 * the first lookup. So the folders say where privilege is used.
 *
 * Not installed (a test of the lookups alone), every question fails: a
 * device carries no tag, a loop device has no known file, the scan is
 * refused (-EPERM). Each of those makes the fact unknown or unmatched,
 * which the policy refuses; none of them allows anything.
 */
#ifndef USER_UMOUNT_ASKS_H
#define USER_UMOUNT_ASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "loopdev.h"
#include "policy.h"

/* Every mount of every mount namespace that the propagation check needs
 * (helper/privileged/nsscan.h fills it; lookup_nsscan_free() frees it). */
struct nsscan {
	struct policy_ns_mount *v; /* sorted by unique mount ID */
	size_t n;
	size_t nns;      /* namespaces read */
	uint64_t own_ns; /* the caller's */
	size_t bytes;    /* of the strings */
};

struct lookup_asks {
	/* Does block device DEV carry tag NAME=VALUE? */
	bool (*device_has_tag)(const char *name, const char *value, dev_t dev);
	/* The backing file of loop device DEV: 0, -ENXIO none, -errno. */
	int (*loop_backing)(dev_t dev, struct loopdev_backing *out);
	/* The scan of every mount namespace (nsscan.h has the errors;
	 * -ENOSYS: this kernel cannot). */
	int (*scan_namespaces)(const uint64_t *devs, size_t ndevs, struct nsscan *out);
};

void lookup_asks_install(const struct lookup_asks *answers);
const struct lookup_asks *lookup_asks(void);

/* Whether a scan's error means "this kernel cannot", not a failure. */
bool lookup_scan_unsupported(int err);
void lookup_nsscan_free(struct nsscan *s);

#endif
