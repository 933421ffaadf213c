/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.c — see report.h.
 */
#define _GNU_SOURCE
#include "report.h"

#include "json.h"
#include "policy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#define PROGRAM "user-umount"

void report_init(void)
{
	openlog(PROGRAM, LOG_PID, LOG_AUTHPRIV);
}

/*
 * The length (2 to 4) of the well-formed UTF-8 sequence at p, with its code
 * point in *cp; 0 for anything else: a stray continuation byte, an
 * overlong form, a surrogate, a code point past U+10FFFF, a sequence cut
 * short (the NUL at the end is not a continuation byte, so nothing past it
 * is read).
 */
static size_t utf8_sequence(const unsigned char *p, uint32_t *cp)
{
	size_t n;
	uint32_t c, min;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1fu, min = 0x80;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0fu, min = 0x800;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07u, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3fu);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * Well-formed, and still shown escaped: they make a line read otherwise
 * than it is. The C1 controls (U+0080-U+009F; U+009B is CSI to many
 * terminals), the bidirectional controls (U+061C, U+200E, U+200F,
 * U+202A-U+202E, U+2066-U+2069: "Trojan Source" reordering, a name that
 * displays as another) and the line and paragraph separators (U+2028,
 * U+2029: a second line inside one).
 */
static bool deceptive(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 ||
	       c == 0x2029;
}

/*
 * The one escaper of every text the program prints: messages, --list,
 * --check-policy, syslog values. One line, always: printable ASCII as is;
 * well-formed UTF-8 as is unless deceptive(); the bytes in PAIRED as a
 * backslash and the byte; every other byte (a backslash included, unless
 * PAIRED has it: so an escape in the output is always one the program
 * wrote) as \xNN. Cut with "..." to fit len, never inside a character.
 */
static const char *escape(const char *s, const char *paired, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t w = 0;

	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
		bool pair = strchr(paired, *p) != NULL;
		bool plain = !pair && *p >= 0x20 && *p < 0x7f && *p != '\\';
		uint32_t cp = 0;
		size_t n = plain || pair ? 1 : utf8_sequence(p, &cp);
		bool as_is = plain || (n > 1 && !deceptive(cp));
		size_t need = as_is ? n : pair ? 2 : 4 * (n ? n : 1);

		if (w + need + 4 > len) {
			memcpy(buf + w, "...", 4);
			return buf;
		}
		if (as_is) {
			memcpy(buf + w, p, n);
			w += n;
			p += n;
			continue;
		}
		if (pair) {
			buf[w++] = '\\';
			buf[w++] = (char)*p++;
			continue;
		}
		for (size_t i = 0; i < (n ? n : 1); i++, p++) {
			buf[w++] = '\\';
			buf[w++] = 'x';
			buf[w++] = hex[*p >> 4];
			buf[w++] = hex[*p & 15];
		}
	}
	buf[w] = '\0';
	return buf;
}

const char *report_escape(const char *s, char *buf, size_t len)
{
	return escape(s, "", buf, len);
}

const char *report_outcome_name(enum outcome o)
{
	static const char *const names[] = {"unmounted", "expire-marked", "would-unmount",
					    "denied",    "busy",          "not-mounted",
					    "error",     "listed"};

	return o <= OUTCOME_LISTED ? names[o] : "error";
}

void report_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs(PROGRAM ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/*
 * key="value" for syslog: '"' and '\\' escaped with a backslash, every
 * other unprintable byte as \xNN. Attack: a path holding '" result="' or a
 * newline would forge fields or lines in the log a parser reads.
 */
static const char *log_quote(const char *s, char *buf, size_t len)
{
	return escape(s, "\"\\", buf, len);
}

static void log_result(const struct report_style *s, const struct report *r)
{
	char target[REPORT_TEXT_MAX * 4], point[REPORT_TEXT_MAX * 4], source[REPORT_TEXT_MAX * 4],
	    fstype[256], user[256], rule[REPORT_TEXT_MAX * 4], msg[REPORT_TEXT_MAX * 4], flags[64];
	int prio = s->dry_run ? LOG_INFO : (r->exit_code == EXIT_OK ? LOG_NOTICE : LOG_WARNING);

	policy_flags_describe(r->flags, flags, sizeof(flags));
	syslog(prio,
	       "uid=\"%lu\" user=\"%s\" target=\"%s\" mount_point=\"%s\" mount_id=\"%llu\" "
	       "source=\"%s\" fstype=\"%s\" flags=\"%s\" dry_run=\"%s\" result=\"%s\" "
	       "reason=\"%s\" rule=\"%s\" message=\"%s\"",
	       (unsigned long)s->uid, log_quote(s->user, user, sizeof(user)),
	       log_quote(r->target, target, sizeof(target)),
	       log_quote(r->mount_point, point, sizeof(point)), (unsigned long long)r->mount_id,
	       log_quote(r->source, source, sizeof(source)),
	       log_quote(r->fstype, fstype, sizeof(fstype)), flags, s->dry_run ? "yes" : "no",
	       report_outcome_name(r->outcome), report_reason(r),
	       log_quote(r->rule, rule, sizeof(rule)), log_quote(r->message, msg, sizeof(msg)));
}

static bool json_first = true;
static bool json_mode;

void report_json_mode(bool on)
{
	json_mode = on;
}

bool report_argv_wants_json(int argc, char *const *argv)
{
	for (int i = 1; i < argc && argv[i]; i++) {
		size_t len = strlen(argv[i]);

		if (strcmp(argv[i], "--") == 0)
			break;
		/* getopt_long takes any unambiguous prefix: "--js" is --json. */
		if (len >= 3 && len <= 6 && strncmp(argv[i], "--json", len) == 0)
			return true;
	}
	return false;
}

void report_json_begin(void)
{
	printf("{\"version\":%d,\"results\":[", REPORT_JSON_VERSION);
	json_first = true;
}

void report_json_end(void)
{
	fputs("],\"error\":null}\n", stdout);
	(void)fflush(stdout); /* errors are sticky: main() checks ferror(stdout) */
}

int report_fail(const char *code, enum exit_code exit, const char *fmt, ...)
{
	char msg[REPORT_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report_fatal("%s", msg);
	if (!json_mode)
		return exit;
	printf("{\"version\":%d,\"results\":[],\"error\":{\"code\":", REPORT_JSON_VERSION);
	json_write_string(stdout, code);
	fputs(",\"message\":", stdout);
	json_write_string(stdout, msg);
	printf(",\"exit\":%d}}\n", (int)exit);
	(void)fflush(stdout);
	return exit;
}

static const char *errno_name(int err)
{
	const char *name = err ? strerrorname_np(err) : NULL;

	return name;
}

static void json_names(unsigned bits, const unsigned *which, const char *const *names, size_t n)
{
	bool first = true;

	fputc('[', stdout);
	for (size_t i = 0; i < n; i++) {
		if (!(bits & which[i]))
			continue;
		printf("%s\"%s\"", first ? "" : ",", names[i]);
		first = false;
	}
	fputc(']', stdout);
}

static const unsigned allow_bits[] = {REPORT_ALLOW_PLAIN, REPORT_ALLOW_LAZY, REPORT_ALLOW_FORCE,
				      REPORT_ALLOW_EXPIRE, REPORT_ALLOW_RECURSIVE};
static const char *const allow_names[] = {"plain", "lazy", "force", "expire", "recursive"};

static void json_flags(unsigned flags)
{
	static const unsigned bits[] = {POLICY_LAZY, POLICY_FORCE, POLICY_EXPIRE};
	static const char *const names[] = {"lazy", "force", "expire"};

	json_names(flags, bits, names, 3);
}

const char *report_allowed_describe(unsigned allowed, char *buf, size_t len)
{
	size_t pos = 0;

	snprintf(buf, len, "-");
	for (size_t i = 0; i < 5 && len; i++) {
		if (!(allowed & allow_bits[i]) || pos >= len)
			continue;
		pos +=
		    (size_t)snprintf(buf + pos, len - pos, "%s%s", pos ? "," : "", allow_names[i]);
	}
	return buf;
}

const char *report_reason(const struct report *r)
{
	if (r->reason)
		return r->reason;
	switch (r->outcome) {
	case OUTCOME_BUSY:
		return "busy";
	case OUTCOME_NOT_MOUNTED:
		return "not-mounted";
	case OUTCOME_UNMOUNTED:
	case OUTCOME_EXPIRE_MARKED:
	case OUTCOME_WOULD_UNMOUNT:
	case OUTCOME_DENIED:
	case OUTCOME_LISTED:
		return r->entitlement ? r->entitlement : "error";
	default:
		return "error";
	}
}

static void json_holders(const struct report *r)
{
	fputc('[', stdout);
	for (size_t i = 0; i < r->nholders; i++) {
		const struct report_holder *h = &r->holders[i];

		printf("%s{\"pid\":%ld,\"comm\":", i ? "," : "", (long)h->pid);
		json_write_string(stdout, h->comm);
		fputs(",\"how\":", stdout);
		json_write_string(stdout, h->how);
		fputs(",\"path\":", stdout);
		json_write_string(stdout, h->path[0] ? h->path : NULL);
		fputc('}', stdout);
	}
	fputc(']', stdout);
}

void report_json_result(const struct report *r)
{
	fputs(json_first ? "{\"target\":" : ",{\"target\":", stdout);
	json_first = false;
	json_write_string(stdout, r->target);
	fputs(",\"mount_point\":", stdout);
	json_write_string(stdout, r->mount_point);
	if (r->mount_id)
		printf(",\"mount_id\":%llu", (unsigned long long)r->mount_id);
	else
		fputs(",\"mount_id\":null", stdout);
	fputs(",\"source\":", stdout);
	json_write_string(stdout, r->source);
	fputs(",\"fstype\":", stdout);
	json_write_string(stdout, r->fstype);
	printf(",\"result\":\"%s\",\"reason\":\"%s\",\"rule\":", report_outcome_name(r->outcome),
	       report_reason(r));
	json_write_string(stdout, r->rule[0] ? r->rule : NULL);
	fputs(",\"flags\":", stdout);
	json_flags(r->flags);
	fputs(",\"allowed\":", stdout);
	json_names(r->allowed, allow_bits, allow_names, 5);
	fputs(",\"errno\":", stdout);
	json_write_string(stdout, errno_name(r->err));
	fputs(",\"message\":", stdout);
	json_write_string(stdout, r->message[0] ? r->message : NULL);
	fputs(",\"holders\":", stdout);
	json_holders(r);
	fputc('}', stdout);
}

/*
 * Where a success is said. stdout carries only what was asked for: the
 * -v line and the dry run's answer (scripts read stdout, and umount(8)
 * prints nothing on success). A note about a success ("the loop device
 * stays attached", "marked expired") is a diagnostic: stderr, unless -v.
 */
static FILE *success_stream(const struct report_style *s, const struct report *r)
{
	if (s->quiet || s->json)
		return NULL;
	if (s->verbose || r->outcome == OUTCOME_WOULD_UNMOUNT)
		return stdout;
	if (r->message[0] || r->outcome != OUTCOME_UNMOUNTED)
		return stderr;
	return NULL;
}

void report_result(const struct report_style *s, const struct report *r)
{
	char target[REPORT_TEXT_MAX * 4], msg[REPORT_TEXT_MAX * 4], rule[REPORT_TEXT_MAX * 4];
	bool ok = r->exit_code == EXIT_OK;
	FILE *out = ok ? success_stream(s, r) : NULL;

	report_escape(r->target, target, sizeof(target));
	report_escape(r->rule, rule, sizeof(rule));
	/* -q as umount(8) and fusermount3 mean it: success and "not mounted"
	 * are silent (the exit code still tells); every other error is said. */
	if (!ok && !(s->quiet && r->outcome == OUTCOME_NOT_MOUNTED))
		fprintf(stderr, PROGRAM ": %s: %s\n", target,
			report_escape(r->message, msg, sizeof(msg)));
	else if (out)
		fprintf(out, PROGRAM ": %s: %s%s%s%s%s%s\n", target,
			r->message[0] ? report_escape(r->message, msg, sizeof(msg))
				      : report_outcome_name(r->outcome),
			s->verbose && r->rule[0] ? " (" : "", s->verbose ? rule : "",
			s->verbose && r->rule[0] ? ")" : "", s->verbose && r->note ? "; " : "",
			s->verbose && r->note ? r->note : "");
	if (s->json)
		report_json_result(r);
	(void)fflush(stdout); /* errors are sticky: main() checks ferror(stdout) */
	log_result(s, r);
}

/* Every errno the seeds list for umount/unmount, in plain words. */
static const struct {
	int err;
	enum outcome outcome;
	enum exit_code code;
	const char *text;
	const char *reason; /* NULL: from the outcome */
} errno_table[] = {
    {EACCES, OUTCOME_DENIED, EXIT_USAGE, "permission denied", "access"},
    {EPERM, OUTCOME_DENIED, EXIT_USAGE, "permission denied by the kernel", "kernel-denied"},
    {ENOENT, OUTCOME_ERROR, EXIT_FAILED, "no such file or directory", "no-such-path"},
    {ENOTDIR, OUTCOME_ERROR, EXIT_FAILED, "a component of the path is not a directory",
     "no-such-path"},
    {ELOOP, OUTCOME_ERROR, EXIT_FAILED, "too many levels of symbolic links in the path",
     "bad-path"},
    {ENAMETOOLONG, OUTCOME_ERROR, EXIT_FAILED, "path name or a component of it is too long",
     "bad-path"},
    {EINVAL, OUTCOME_NOT_MOUNTED, EXIT_FAILED, "not mounted", NULL},
    {EBUSY, OUTCOME_BUSY, EXIT_FAILED, "target is busy", NULL},
    {EAGAIN, OUTCOME_EXPIRE_MARKED, EXIT_OK, "marked expired; unmount it again later to finish",
     NULL},
    {EFAULT, OUTCOME_ERROR, EXIT_INTERNAL, "bad address (internal error)", NULL},
    {ENOMEM, OUTCOME_ERROR, EXIT_SYSERR, "out of kernel memory", NULL},
    {EIO, OUTCOME_ERROR, EXIT_FAILED, "I/O error while writing cached data back", NULL},
    {ENODEV, OUTCOME_ERROR, EXIT_FAILED, "the device of this file system does not exist", NULL},
    {ENXIO, OUTCOME_ERROR, EXIT_FAILED, "the device of this file system is not available", NULL},
    {ENOTBLK, OUTCOME_ERROR, EXIT_FAILED, "not a block device", NULL},
    {ETIMEDOUT, OUTCOME_ERROR, EXIT_FAILED, "timed out talking to the file server", NULL},
    {EMFILE, OUTCOME_ERROR, EXIT_SYSERR, "too many open files", NULL},
    {ENFILE, OUTCOME_ERROR, EXIT_SYSERR, "too many open files in the system", NULL},
    {ESTALE, OUTCOME_ERROR, EXIT_FAILED, "stale file handle: the file server lost it", NULL},
    {ENOTCONN, OUTCOME_ERROR, EXIT_FAILED, "not connected: the FUSE daemon is gone", NULL},
    {EINTR, OUTCOME_ERROR, EXIT_INTERRUPTED, "interrupted", "interrupted"},
};

void report_set_errno(struct report *r, int err)
{
	r->err = err;
	for (size_t i = 0; i < sizeof(errno_table) / sizeof(errno_table[0]); i++) {
		if (errno_table[i].err != err)
			continue;
		r->outcome = errno_table[i].outcome;
		r->exit_code = errno_table[i].code;
		snprintf(r->message, sizeof(r->message), "%s", errno_table[i].text);
		r->reason = errno_table[i].reason;
		return;
	}
	r->outcome = OUTCOME_ERROR;
	r->exit_code = EXIT_FAILED;
	r->reason = NULL;
	snprintf(r->message, sizeof(r->message), "%s", strerror(err));
}
