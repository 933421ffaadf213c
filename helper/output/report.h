/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report — what happened to each TARGET, told once: a one-line message on
 * stderr (stdout only for -v and --dry-run), a syslog line (authpriv), and
 * the exit code of umount(8) it maps to. What failed is an enum kept apart
 * from how it is reported.
 */
#ifndef USER_UMOUNT_REPORT_H
#define USER_UMOUNT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mounts.h"

/* umount(8)'s exit codes. */
enum exit_code {
	EXIT_OK = 0,
	EXIT_USAGE = 1, /* usage error or permission denied */
	EXIT_SYSERR = 2,
	EXIT_INTERNAL = 4,
	EXIT_INTERRUPTED = 8,
	EXIT_UTAB = 16,
	EXIT_FAILED = 32,
	EXIT_SOME = 64,
};

enum outcome {
	OUTCOME_UNMOUNTED = 0,
	OUTCOME_EXPIRE_MARKED,
	OUTCOME_WOULD_UNMOUNT,
	OUTCOME_DENIED,
	OUTCOME_BUSY,
	OUTCOME_NOT_MOUNTED,
	OUTCOME_ERROR,
	OUTCOME_LISTED, /* --list: may be unmounted in the ways "allowed" names */
};

/* The ways a caller may unmount a mount ("allowed" in --json and --list). */
enum report_allow {
	REPORT_ALLOW_PLAIN = 1u << 0,
	REPORT_ALLOW_LAZY = 1u << 1,
	REPORT_ALLOW_FORCE = 1u << 2,
	REPORT_ALLOW_EXPIRE = 1u << 3,
	REPORT_ALLOW_RECURSIVE = 1u << 4,
};

/* Version of the --json document; bumped only for incompatible changes. */
#define REPORT_JSON_VERSION 1

#define REPORT_TEXT_MAX    1024
#define REPORT_MAX_HOLDERS 20

/* One of the caller's processes that keeps a busy mount busy. */
struct report_holder {
	pid_t pid;
	char comm[32];
	const char *how; /* "working directory", "root directory", "open file", "memory map" */
	char path[512];  /* what it holds, as /proc shows it; "" if none */
};

struct report {
	const char *target; /* as the caller gave it */
	const char *source; /* may be NULL */
	const char *fstype; /* may be NULL */
	enum outcome outcome;
	enum exit_code exit_code;
	int err;                       /* errno behind it, 0 if none */
	unsigned flags;                /* enum policy_flag bits asked for */
	char rule[REPORT_TEXT_MAX];    /* deciding rule, "" if none */
	char message[REPORT_TEXT_MAX]; /* plain-language reason, "" on success */
	struct report_holder holders[REPORT_MAX_HOLDERS];
	size_t nholders;
	/* Busy: the caller's holders are looked for only after every
	 * privilege is gone (run_finish()), with these: */
	bool find_holders;
	struct mount_id holder_id; /* the busy mount */
	dev_t holder_dev;          /* its super block's device, as maps show it */
	const char *mount_point;   /* as the kernel shows it; may be NULL */
	uint64_t mount_id;         /* unique mount ID, 0 if unknown */
	/*
	 * Stable reason codes (user-umount(8), docs/user-umount.schema.json):
	 * entitlement is the policy verdict's (policy_reason_code), reason a
	 * later refusal or failure; NULL: derived from the outcome.
	 */
	const char *entitlement;
	const char *reason;
	unsigned allowed;    /* enum report_allow bits */
	const char *note;    /* said with -v after the rule: how it was done, if not as asked */
	bool dry_busy_check; /* --dry-run: see whether it would certainly be busy */
};

struct report_style {
	bool verbose;
	bool quiet;
	bool json;
	uid_t uid;
	const char *user; /* may be NULL */
	bool dry_run;     /* logged at LOG_INFO: a question, not an act */
};

void report_init(void);
/* --json: the document is opened before the first result and closed after
 * the last; every result in between is one item of "results". */
void report_json_begin(void);
void report_json_end(void);
void report_result(const struct report_style *s, const struct report *r);
/* One result as an item of "results" (--list uses it; no text, no syslog). */
void report_json_result(const struct report *r);
void report_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * A fatal error before any result: the one-line message on stderr and,
 * once report_json_mode() said so, the whole --json document with "error"
 * {code, message, exit} and no results. Returns exit.
 */
int report_fail(const char *code, enum exit_code exit, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Whether fatal errors are also written as a --json document. */
void report_json_mode(bool on);
/* Does argv ask for --json? Read before (and whatever) options_parse says. */
bool report_argv_wants_json(int argc, char *const *argv);
const char *report_outcome_name(enum outcome o);
/* The stable reason code of a result (never NULL). */
const char *report_reason(const struct report *r);
/* "plain,lazy,..." of enum report_allow bits, "-" for none. Returns buf. */
const char *report_allowed_describe(unsigned allowed, char *buf, size_t len);

/* Escape bytes a terminal or log would misread: one line, always. */
const char *report_escape(const char *s, char *buf, size_t len);

/* Message and exit code for an errno from umount2() or path resolution. */
void report_set_errno(struct report *r, int err);

#endif
