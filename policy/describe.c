/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * describe.c — verdicts in words: which rule decided, and why a denial.
 * Pure formatting into caller-supplied buffers.
 */
#include "policy.h"

#include <stdio.h>
#include <string.h>

const char *policy_flags_describe(unsigned flags, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {{POLICY_LAZY, "lazy"}, {POLICY_FORCE, "force"}, {POLICY_EXPIRE, "expire"}};
	size_t pos = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & names[i].bit) || pos >= len)
			continue;
		pos +=
		    (size_t)snprintf(buf + pos, len - pos, "%s%s", pos ? ", " : "", names[i].name);
	}
	return buf;
}

/* One component of a pattern: [*start, end), a backslash keeping the next
 * byte; "\/" ends it as '/' does. Returns the start of the next, or NULL. */
static const char *pattern_component(const char *s, const char **end, bool *inner_star)
{
	*inner_star = false;
	for (; *s && *s != '/'; s++) {
		if (s[0] == '\\' && s[1] == '/')
			break;
		if (s[0] == '\\' && s[1] != '\0')
			s++;
		else if (s[0] == '*' && s[1] == '*')
			*inner_star = true;
	}
	*end = s;
	if (!*s)
		return NULL;
	return s + (s[0] == '\\' ? 2 : 1);
}

const char *policy_pattern_describe(const char *pattern, char *buf, size_t len)
{
	char least[POLICY_MAX_LINE + 2];
	size_t n = 0;
	bool globstar = false, inner = false, kept = false;

	buf[0] = '\0';
	for (const char *c = pattern, *next, *end; c; c = next) {
		bool stars;

		next = pattern_component(c, &end, &stars);
		if (end - c == 2 && c[0] == '*' && c[1] == '*') {
			globstar = true;
			continue;
		}
		inner = inner || stars;
		if (n + (size_t)(end - c) + 2 > sizeof(least))
			return buf;
		if (kept)
			least[n++] = '/';
		memcpy(least + n, c, (size_t)(end - c));
		n += (size_t)(end - c);
		kept = true;
	}
	least[n] = '\0';
	if (kept && n == 0)
		snprintf(least, sizeof(least), "/");
	if (globstar)
		snprintf(buf, len, "'**' is zero or more components%s%s",
			 kept ? ": also matches " : "", kept ? least : "");
	if (inner)
		snprintf(buf + strlen(buf), len - strlen(buf),
			 "%s'**' inside a component is one '*': it stays within the component",
			 globstar ? "; " : "");
	return buf;
}

static const char *describe_entitlement(const struct policy_verdict *v, enum policy_reason why,
					char *buf, size_t len)
{
	switch (why) {
	case POLICY_RULE:
		snprintf(buf, len, "%s:%u %s", v->rule->file, v->rule->line,
			 v->rule->permit ? "permit" : "deny");
		break;
	case POLICY_FSTAB_USERS:
		snprintf(buf, len, "%s:%u users", v->fstab->file, v->fstab->line);
		break;
	case POLICY_FSTAB_USER:
		snprintf(buf, len, "%s:%u %s", v->fstab->file, v->fstab->line,
			 v->fstab->user_option ? v->fstab->user_option : "user");
		break;
	case POLICY_FUSE_OWNER:
		snprintf(buf, len, "FUSE user_id");
		break;
	case POLICY_ROOT_MOUNT:
		snprintf(buf, len, "never: root mount");
		break;
	default:
		buf[0] = '\0';
		break;
	}
	return buf;
}

const char *policy_rule_describe(const struct policy_verdict *v, char *buf, size_t len)
{
	if (v->reason == POLICY_FLAG_NOT_GRANTED)
		return describe_entitlement(v, v->missing_from, buf, len);
	return describe_entitlement(v, v->reason, buf, len);
}

/* The fstab part of "no entitlement": as precise as the facts allow. */
static const char *fstab_why(const struct policy_request *rq)
{
	const struct policy_mount *m = rq->mount;

	if (!m->fstab && m->fstab_mismatch)
		return m->fstab_mismatch;
	if (!m->fstab)
		return "no fstab entry with user/users";
	if (!m->fstab->user && !m->fstab->users)
		return "fstab entry has no user/users option";
	if (!m->utab_user)
		return "fstab allows only the user who mounted it, and no mounter is recorded";
	return "mounted by another user";
}

static const char *fuse_why(const struct policy_request *rq)
{
	if (!policy_is_fuse(rq->mount->fstype))
		return "not your FUSE mount";
	if (!rq->mount->fuse_user_id)
		return "FUSE mount records no owner";
	return "not your FUSE mount";
}

const char *policy_denial_describe(const struct policy_request *rq, const struct policy_verdict *v,
				   char *buf, size_t len)
{
	char rule[512], flags[64];

	switch (v->reason) {
	case POLICY_ROOT_MOUNT:
		snprintf(buf, len, "the root mount can never be unmounted by a user");
		break;
	case POLICY_RULE:
		snprintf(buf, len, "denied by %s", policy_rule_describe(v, rule, sizeof(rule)));
		break;
	case POLICY_FLAG_NOT_GRANTED:
		snprintf(buf, len, "%s not granted by %s",
			 policy_flags_describe(v->missing_flags, flags, sizeof(flags)),
			 policy_rule_describe(v, rule, sizeof(rule)));
		break;
	default:
		snprintf(buf, len, "%s, no policy rule, %s", fstab_why(rq), fuse_why(rq));
		break;
	}
	return buf;
}

const char *policy_reason_code(const struct policy_verdict *v)
{
	switch (v->reason) {
	case POLICY_ROOT_MOUNT:
		return "never-root";
	case POLICY_RULE:
		return v->result == POLICY_PERMIT ? "policy-permit" : "policy-deny";
	case POLICY_FLAG_NOT_GRANTED:
		return "flag-not-granted";
	case POLICY_FSTAB_USERS:
		return v->result == POLICY_PERMIT ? "fstab-users" : "not-entitled";
	case POLICY_FSTAB_USER:
		return v->result == POLICY_PERMIT ? "fstab-user" : "not-entitled";
	case POLICY_FUSE_OWNER:
		return v->result == POLICY_PERMIT ? "fuse-owner" : "not-entitled";
	case POLICY_NO_ENTITLEMENT:
	default:
		return "not-entitled";
	}
}
