/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * policyload — read the policy files the setuid helper trusts, and only them.
 *
 * DIR/policy.conf, then DIR/policy.d/NAME.conf in byte order (names starting
 * with '.' and names not ending in ".conf" are ignored). DIR is compiled in
 * (UU_POLICY_DIR); nothing at run time can point elsewhere. Every directory
 * and file must be owned by root, not writable by group or other, and not a
 * symbolic link; files must be regular files of at most
 * POLICYLOAD_MAX_FILE_SIZE bytes. A missing DIR, policy.conf or policy.d
 * means no rules from it. Functions return 0 or -1 with *err filled in
 * (file: the path; line and column 0 unless the parser refused a line) and
 * never print. On -1, *p is unchanged and nothing may be unmounted.
 */
#ifndef USER_UMOUNT_POLICYLOAD_H
#define USER_UMOUNT_POLICYLOAD_H

#include "policy.h"

/* Largest policy file: room for POLICY_MAX_RULES lines of the longest kind. */
#define POLICYLOAD_MAX_FILE_SIZE ((size_t)(POLICY_MAX_LINE + 1) * POLICY_MAX_RULES)
/* Most *.conf files policy.d may hold. */
#define POLICYLOAD_MAX_FILES 1024

/* Load DIR's policy and append its rules to *p (tests use any DIR). */
int policyload_dir(const char *dir, struct policy *p, struct policy_error *err);

/* policyload_dir(UU_POLICY_DIR, p, err). */
int policyload_all(struct policy *p, struct policy_error *err);

/* The compiled-in policy directory, for --version. */
const char *policyload_default_dir(void);

#endif
