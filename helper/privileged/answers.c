/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * answers.c — see answers.h.
 */
#include "answers.h"

#include "loopinfo.h"
#include "nsscan.h"
#include "tags.h"

const struct lookup_asks privileged_answers = {
    .device_has_tag = tags_device_has,
    .loop_backing = loopdev_backing,
    .scan_namespaces = nsscan_run,
};
