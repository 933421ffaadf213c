/*
 * report.c — see report.h.
 */
#define _GNU_SOURCE
#include "report.h"

#include "json.h"
#include "policy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#define PROGRAM "user-umount"

void report_init(void)
{
	openlog(PROGRAM, LOG_PID, LOG_AUTHPRIV);
}

const char *report_escape(const char *s, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t w = 0;

	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		bool plain = *p >= 0x20 && *p < 0x7f && *p != '\\';

		if (w + (plain ? 1 : 4) + 4 >= len) {
			memcpy(buf + w, "...", 4);
			return buf;
		}
		if (plain) {
			buf[w++] = (char)*p;
		} else {
			buf[w++] = '\\';
			buf[w++] = 'x';
			buf[w++] = hex[*p >> 4];
			buf[w++] = hex[*p & 15];
		}
	}
	buf[w] = '\0';
	return buf;
}

const char *report_outcome_name(enum outcome o)
{
	static const char *const names[] = {"unmounted", "expire-marked", "would-unmount", "denied",
					    "busy",      "not-mounted",   "error"};

	return o <= OUTCOME_ERROR ? names[o] : "error";
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

static void log_result(const struct report_style *s, const struct report *r, const char *target)
{
	char rule[REPORT_TEXT_MAX * 4], msg[REPORT_TEXT_MAX * 4];

	syslog(r->exit_code == EXIT_OK ? LOG_NOTICE : LOG_WARNING,
	       "uid=%lu user=%s target=%s result=%s rule=%s%s%s", (unsigned long)s->uid,
	       s->user ? s->user : "?", target, report_outcome_name(r->outcome),
	       r->rule[0] ? report_escape(r->rule, rule, sizeof(rule)) : "none",
	       r->message[0] ? " reason=" : "", report_escape(r->message, msg, sizeof(msg)));
}

static bool json_first = true;

void report_json_begin(void)
{
	fputs("{\"results\":[", stdout);
	json_first = true;
}

void report_json_end(void)
{
	fputs("]}\n", stdout);
	(void)fflush(stdout); /* errors are sticky: main() checks ferror(stdout) */
}

static const char *errno_name(int err)
{
	const char *name = err ? strerrorname_np(err) : NULL;

	return name;
}

static void json_flags(unsigned flags)
{
	static const unsigned bits[] = {POLICY_LAZY, POLICY_FORCE, POLICY_EXPIRE};
	static const char *const names[] = {"lazy", "force", "expire"};
	bool first = true;

	fputc('[', stdout);
	for (size_t i = 0; i < 3; i++) {
		if (!(flags & bits[i]))
			continue;
		printf("%s\"%s\"", first ? "" : ",", names[i]);
		first = false;
	}
	fputc(']', stdout);
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

static void json_result(const struct report *r)
{
	fputs(json_first ? "{\"target\":" : ",{\"target\":", stdout);
	json_first = false;
	json_write_string(stdout, r->target);
	fputs(",\"source\":", stdout);
	json_write_string(stdout, r->source);
	fputs(",\"fstype\":", stdout);
	json_write_string(stdout, r->fstype);
	printf(",\"result\":\"%s\",\"rule\":", report_outcome_name(r->outcome));
	json_write_string(stdout, r->rule[0] ? r->rule : NULL);
	fputs(",\"flags\":", stdout);
	json_flags(r->flags);
	fputs(",\"errno\":", stdout);
	json_write_string(stdout, errno_name(r->err));
	fputs(",\"message\":", stdout);
	json_write_string(stdout, r->message[0] ? r->message : NULL);
	fputs(",\"holders\":", stdout);
	json_holders(r);
	fputc('}', stdout);
}

void report_result(const struct report_style *s, const struct report *r)
{
	char target[REPORT_TEXT_MAX * 4], msg[REPORT_TEXT_MAX * 4];
	bool ok = r->exit_code == EXIT_OK;

	report_escape(r->target, target, sizeof(target));
	/* -q as umount(8) and fusermount3 mean it: success and "not mounted"
	 * are silent (the exit code still tells); every other error is said. */
	if (!ok && !(s->quiet && r->outcome == OUTCOME_NOT_MOUNTED))
		fprintf(stderr, PROGRAM ": %s: %s\n", target,
			report_escape(r->message, msg, sizeof(msg)));
	else if (ok && !s->quiet && !s->json &&
		 (s->verbose || r->outcome != OUTCOME_UNMOUNTED || r->message[0]))
		printf(PROGRAM ": %s: %s%s%s%s\n", target,
		       r->message[0] ? report_escape(r->message, msg, sizeof(msg))
				     : report_outcome_name(r->outcome),
		       s->verbose && r->rule[0] ? " (" : "", s->verbose ? r->rule : "",
		       s->verbose && r->rule[0] ? ")" : "");
	if (s->json)
		json_result(r);
	(void)fflush(stdout); /* errors are sticky: main() checks ferror(stdout) */
	log_result(s, r, target);
}

/* Every errno the seeds list for umount/unmount, in plain words. */
static const struct {
	int err;
	enum outcome outcome;
	enum exit_code code;
	const char *text;
} errno_table[] = {
    {EACCES, OUTCOME_DENIED, EXIT_USAGE, "permission denied"},
    {EPERM, OUTCOME_DENIED, EXIT_USAGE, "permission denied by the kernel"},
    {ENOENT, OUTCOME_ERROR, EXIT_FAILED, "no such file or directory"},
    {ENOTDIR, OUTCOME_ERROR, EXIT_FAILED, "a component of the path is not a directory"},
    {ELOOP, OUTCOME_ERROR, EXIT_FAILED, "too many levels of symbolic links in the path"},
    {ENAMETOOLONG, OUTCOME_ERROR, EXIT_FAILED, "path name or a component of it is too long"},
    {EINVAL, OUTCOME_NOT_MOUNTED, EXIT_FAILED, "not mounted"},
    {EBUSY, OUTCOME_BUSY, EXIT_FAILED, "target is busy"},
    {EAGAIN, OUTCOME_EXPIRE_MARKED, EXIT_OK, "marked expired; unmount it again later to finish"},
    {EFAULT, OUTCOME_ERROR, EXIT_INTERNAL, "bad address (internal error)"},
    {ENOMEM, OUTCOME_ERROR, EXIT_SYSERR, "out of kernel memory"},
    {EIO, OUTCOME_ERROR, EXIT_FAILED, "I/O error while writing cached data back"},
    {ENODEV, OUTCOME_ERROR, EXIT_FAILED, "the device of this file system does not exist"},
    {ENXIO, OUTCOME_ERROR, EXIT_FAILED, "the device of this file system is not available"},
    {ENOTBLK, OUTCOME_ERROR, EXIT_FAILED, "not a block device"},
    {ETIMEDOUT, OUTCOME_ERROR, EXIT_FAILED, "timed out talking to the file server"},
    {EMFILE, OUTCOME_ERROR, EXIT_SYSERR, "too many open files"},
    {ENFILE, OUTCOME_ERROR, EXIT_SYSERR, "too many open files in the system"},
    {ESTALE, OUTCOME_ERROR, EXIT_FAILED, "stale file handle: the file server lost it"},
    {ENOTCONN, OUTCOME_ERROR, EXIT_FAILED, "not connected: the FUSE daemon is gone"},
    {EINTR, OUTCOME_ERROR, EXIT_INTERRUPTED, "interrupted"},
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
		return;
	}
	r->outcome = OUTCOME_ERROR;
	r->exit_code = EXIT_FAILED;
	snprintf(r->message, sizeof(r->message), "%s", strerror(err));
}
