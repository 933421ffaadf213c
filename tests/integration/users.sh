#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Create the test users and group if missing (idempotent).
set -eu
getent group uuplug >/dev/null || groupadd -g 4900 uuplug
add() { # name uid [groups]
	if getent passwd "$1" >/dev/null; then
		[ -z "${3:-}" ] || usermod -a -G "$3" "$1"
		return 0
	fi
	useradd -M -N -g users -u "$2" ${3:+-G "$3"} -s /bin/sh -d /nonexistent "$1"
}
add uualice 4100 uuplug
add uualice2 41000
add uubob 4200
add uucarol 4300 uuplug
