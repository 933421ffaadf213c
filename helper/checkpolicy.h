/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * checkpolicy — --check-policy [FILE...]: parse policy files as the caller
 * and say what is wrong, as FILE:LINE:COLUMN: message. Without FILE, the
 * installed policy, with the loader's ownership and mode checks.
 */
#ifndef USER_UMOUNT_CHECKPOLICY_H
#define USER_UMOUNT_CHECKPOLICY_H

#include "options.h"

/* 0 all valid, 1 otherwise (or the exit code of a fatal error). */
int checkpolicy_run(const struct options *o);

#endif
