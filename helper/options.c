/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options.c — see options.h.
 */
#define _GNU_SOURCE
#include "options.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "policy.h"
#include "report.h"

#define OPTIONS_SHOWN_MAX 128

enum { OPT_DRY_RUN = 256, OPT_JSON, OPT_FAKE, OPT_LIST, OPT_ID, OPT_CHECK_POLICY };

static const struct option long_options[] = {
    {"lazy", no_argument, NULL, 'l'},
    {"force", no_argument, NULL, 'f'},
    {"expire", no_argument, NULL, 'e'},
    {"recursive", no_argument, NULL, 'R'},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"json", no_argument, NULL, OPT_JSON},
    {"list", no_argument, NULL, OPT_LIST},
    {"id", no_argument, NULL, OPT_ID},
    {"check-policy", no_argument, NULL, OPT_CHECK_POLICY},
    {"verbose", no_argument, NULL, 'v'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    /* umount(8)'s, accepted: what they ask for happens anyway */
    {"detach-loop", no_argument, NULL, 'd'},
    {"internal-only", no_argument, NULL, 'i'},
    /* umount(8)'s, refused with what user-umount does instead */
    {"no-mtab", no_argument, NULL, 'n'},
    {"no-canonicalize", no_argument, NULL, 'c'},
    {"read-only", no_argument, NULL, 'r'},
    {"types", required_argument, NULL, 't'},
    {"all", no_argument, NULL, 'a'},
    {"all-targets", no_argument, NULL, 'A'},
    {"fake", no_argument, NULL, OPT_FAKE},
    {"test-opts", required_argument, NULL, 'O'},
    {"namespace", required_argument, NULL, 'N'},
    {NULL, 0, NULL, 0},
};

/* "+": stop at the first non-option, like umount(8) with POSIXLY_CORRECT,
 * so a TARGET that starts with '-' needs "--" and is never an option. */
static const char short_options[] = "+lzfeRuvqhVdincraAt:O:N:o:";

/* Options of umount(8) and fusermount3 that user-umount will not honour,
 * and what it does instead (user-umount(8) has the whole table). */
static const struct {
	int opt;
	const char *name;
	const char *instead;
} refused[] = {
    {'n', "-n/--no-mtab", "utab is always updated"},
    {'c', "-c/--no-canonicalize",
     "TARGET is always resolved as you, never canonicalized; mounts are matched by ID"},
    {'r', "-r/--read-only", "a mount that cannot be unmounted is left as it is, never remounted"},
    {'t', "-t/--types", "name each TARGET; the file system type is checked against fstab"},
    {'a', "-a/--all", "name each TARGET (-R unmounts a tree)"},
    {'A', "-A/--all-targets",
     "name one mount point; a device mounted in several places is listed, not unmounted"},
    {OPT_FAKE, "--fake", "use --dry-run"},
    {'O', "-O/--test-opts", "name each TARGET"},
    {'N', "-N/--namespace", "only mounts of your own mount namespace are unmounted"},
    {'o', "-o", "user-umount only unmounts; mount options are mount(8)'s and fusermount3's"},
};

/* A known option that is refused: a message saying what happens instead. */
static int refused_option(int opt, char *msg, size_t msglen)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (refused[i].opt != opt)
			continue;
		snprintf(msg, msglen, "%s is not supported: %s", refused[i].name,
			 refused[i].instead);
		return -1;
	}
	return 0;
}

static int bad_option(int opt, const char *arg, char *msg, size_t msglen)
{
	char shown[OPTIONS_SHOWN_MAX], c[2] = {(char)optopt, '\0'};

	/* The bytes are the caller's: shown escaped, so the reason stays one
	 * printable line (SECURITY.md) whatever the argument holds. */
	if (opt == '?' && arg && strncmp(arg, "--", 2) == 0)
		snprintf(msg, msglen, "unknown option '%s'",
			 report_escape(arg, shown, sizeof(shown)));
	else if (opt == '?' && optopt)
		snprintf(msg, msglen, "unknown option '-%s'",
			 report_escape(c, shown, sizeof(shown)));
	else
		snprintf(msg, msglen, "unknown option '%s'",
			 arg ? report_escape(arg, shown, sizeof(shown)) : "?");
	return -1;
}

static int check_targets(struct options *o, char *msg, size_t msglen)
{
	if (o->ntargets == 0) {
		snprintf(msg, msglen, "no TARGET given (try --help)");
		return -1;
	}
	if (o->ntargets > OPTIONS_MAX_TARGETS) {
		snprintf(msg, msglen, "too many TARGETs (at most %d)", OPTIONS_MAX_TARGETS);
		return -1;
	}
	for (size_t i = 0; i < o->ntargets; i++) {
		size_t len = strnlen(o->targets[i], PATH_MAX);

		if (len == 0) {
			snprintf(msg, msglen, "empty TARGET");
			return -1;
		}
		if (len >= PATH_MAX) {
			snprintf(msg, msglen, "TARGET %zu is longer than PATH_MAX (%d bytes)",
				 i + 1, PATH_MAX);
			return -1;
		}
	}
	return 0;
}

/* The flags and switches; false for an option that is not one of them. */
static bool set_option(int opt, struct options *o)
{
	switch (opt) {
	case 'l':
	case 'z': /* fusermount's spelling */
		o->flags |= POLICY_LAZY;
		break;
	case 'f':
		o->flags |= POLICY_FORCE;
		break;
	case 'e':
		o->flags |= POLICY_EXPIRE;
		break;
	case 'R':
		o->recursive = true;
		break;
	case 'u': /* fusermount's "unmount": that is all we do */
		o->fusermount = true;
		break;
	case 'd': /* free the loop device: mount(8)'s autoclear does */
	case 'i': /* no umount.TYPE helper: none is ever run */
		break;
	case OPT_DRY_RUN:
		o->dry_run = true;
		break;
	case OPT_JSON:
		o->json = true;
		break;
	case OPT_LIST:
	case OPT_CHECK_POLICY:
		o->action = opt == OPT_LIST ? OPTIONS_LIST : OPTIONS_CHECK_POLICY;
		break;
	case OPT_ID:
		o->by_id = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'q':
		o->quiet = true;
		break;
	default:
		return false;
	}
	return true;
}

enum options_action options_alone(int argc, char *const *argv)
{
	if (argc != 2 || !argv[1])
		return OPTIONS_RUN;
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return OPTIONS_HELP;
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0)
		return OPTIONS_VERSION;
	return OPTIONS_RUN;
}

int options_parse(int argc, char **argv, struct options *o, char *msg, size_t msglen)
{
	int opt;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	optind = 0; /* glibc: a full restart, not the rest of a half-read "-abc" */
	while ((opt = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
		if (set_option(opt, o))
			continue;
		if (opt == 'h' || opt == 'V') {
			o->action = opt == 'h' ? OPTIONS_HELP : OPTIONS_VERSION;
			return 0;
		}
		/* with its argument missing, a refused option is still named */
		if (refused_option(opt == '?' ? optopt : opt, msg, msglen) < 0)
			return -1;
		return bad_option(opt, argv[optind - 1], msg, msglen);
	}
	/* The kernel refuses MNT_EXPIRE with MNT_DETACH or MNT_FORCE; say so first. */
	if ((o->flags & POLICY_EXPIRE) && (o->flags & (POLICY_LAZY | POLICY_FORCE))) {
		snprintf(msg, msglen, "--expire cannot be combined with --lazy or --force");
		return -1;
	}
	o->targets = argv + optind;
	o->ntargets = (size_t)(argc - optind);
	if (o->action == OPTIONS_LIST && (o->ntargets || o->flags || o->recursive || o->by_id)) {
		snprintf(msg, msglen, "--list takes no TARGET and no unmount option");
		return -1;
	}
	if (o->action == OPTIONS_CHECK_POLICY &&
	    (o->json || o->flags || o->recursive || o->by_id)) {
		snprintf(msg, msglen, "--check-policy takes only -v, -q and FILEs");
		return -1;
	}
	if (o->action == OPTIONS_LIST || (o->action == OPTIONS_CHECK_POLICY && !o->ntargets))
		return 0; /* the installed policy */
	return check_targets(o, msg, msglen);
}
