/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * answers — helper/privileged/'s answers to the lookups' questions
 * (asks.h): the probe child for tags, the loop device's status, the
 * namespace scan with CAP_SYS_ADMIN. main() installs them.
 */
#ifndef USER_UMOUNT_ANSWERS_H
#define USER_UMOUNT_ANSWERS_H

#include "asks.h"

extern const struct lookup_asks privileged_answers;

#endif
