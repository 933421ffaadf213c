/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * decide.c — the whole "may this caller unmount this mount" in one place.
 *
 * Order (docs/DESIGN.md, "Who may unmount what"): never-rules, then the policy file (last matching
 * rule wins), then the built-in rules, then deny. Identities are compared as
 * whole strings or as numbers, never as prefixes: libmount 2.38 compared
 * "user=" by prefix (alice2 could unmount alice's mount) and fusermount
 * compared "user_id=" as a string prefix (CVE-2021-3995).
 */
#define _GNU_SOURCE
#include "policy.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* An expanded pattern: every name character may need a backslash. */
#define EXPAND_MAX (POLICY_MAX_LINE * 4)

int policy_parse_uid(const char *s, uid_t *out)
{
	uint64_t v = 0;

	if (!s || !*s || (s[0] == '0' && s[1] != '\0'))
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v >= (uid_t)-1)
			return -1;
	}
	*out = (uid_t)v;
	return 0;
}

bool policy_is_fuse(const char *fstype)
{
	if (!fstype)
		return false;
	return strcmp(fstype, "fuse") == 0 || strcmp(fstype, "fuseblk") == 0 ||
	       strncmp(fstype, "fuse.", 5) == 0;
}

/* Append s, escaping every glob character so it matches only itself. */
static int append_literal(char *out, size_t *pos, const char *s)
{
	for (; *s; s++) {
		if (strchr("*?[]\\", *s)) {
			if (*pos + 1 >= EXPAND_MAX)
				return -1;
			out[(*pos)++] = '\\';
		}
		if (*pos + 1 >= EXPAND_MAX)
			return -1;
		out[(*pos)++] = *s;
	}
	return 0;
}

/* Expand %u (name), %U (uid) and %% into a pattern for fnmatch(3). */
static int expand_pattern(const char *pat, const struct policy_caller *c, char *out)
{
	char uid[24];
	size_t pos = 0;

	snprintf(uid, sizeof(uid), "%lu", (unsigned long)c->uid);
	for (const char *p = pat; *p; p++) {
		int r = 0;

		if (p[0] == '%' && p[1] == 'u')
			r = append_literal(out, &pos, c->name);
		else if (p[0] == '%' && p[1] == 'U')
			r = append_literal(out, &pos, uid);
		else if (p[0] == '%' && p[1] == '%')
			r = append_literal(out, &pos, "%");
		else if (pos + 1 < EXPAND_MAX)
			out[pos++] = *p;
		else
			r = -1;
		if (r < 0)
			return -1;
		if (p[0] == '%' && p[1] != '\0')
			p++;
	}
	out[pos] = '\0';
	return 0;
}

/*
 * s split at '/' into NUL-terminated components in out; returns the end
 * (one past the last NUL), or NULL if out is too small. In a pattern a
 * backslash keeps the next byte with it, except that "\/" is a '/' (as
 * fnmatch(3) reads it with FNM_PATHNAME). "/a/b" is "", "a", "b".
 */
static char *split_components(const char *s, bool pattern, char *out, size_t size)
{
	size_t o = 0;

	for (; *s; s++) {
		if (o + 3 > size)
			return NULL;
		if (pattern && s[0] == '\\' && s[1] == '/') {
			out[o++] = '\0';
			s++;
		} else if (pattern && s[0] == '\\' && s[1] != '\0') {
			out[o++] = *s++;
			out[o++] = *s;
		} else if (*s == '/') {
			out[o++] = '\0';
		} else {
			out[o++] = *s;
		}
	}
	out[o++] = '\0';
	return out + o;
}

static bool is_globstar(const char *component)
{
	return strcmp(component, "**") == 0;
}

static const char *next_component(const char *c)
{
	return c + strlen(c) + 1;
}

/*
 * Components [p, pend) against [t, tend): "**" takes zero or more whole
 * components, any other pattern component one component by fnmatch(3).
 * Iterative, with one backtracking point (the last "**"): at most
 * len(p) x len(t) fnmatch calls, never exponential.
 */
static bool components_match(const char *p, const char *pend, const char *t, const char *tend)
{
	const char *after_star = NULL, *star_t = NULL;

	while (t < tend) {
		if (p < pend && is_globstar(p)) {
			after_star = p = next_component(p);
			star_t = t;
		} else if (p < pend && fnmatch(p, t, 0) == 0) {
			p = next_component(p);
			t = next_component(t);
		} else if (after_star) {
			star_t = next_component(star_t); /* "**" takes one more */
			t = star_t;
			p = after_star;
		} else {
			return false;
		}
	}
	while (p < pend && is_globstar(p))
		p = next_component(p);
	return p == pend;
}

/*
 * 1 match, 0 no match, -1 the pattern could not be expanded (too long).
 * FNM_PATHNAME: '*' does not cross '/'. A pattern with a whole "**"
 * component is matched component by component, "**" taking zero or more
 * (user-umount.conf(5), Patterns); any other pattern goes to fnmatch(3)
 * as it always did, so files written before "**" keep their meaning.
 */
static int glob_match(const char *pat, const char *s, const struct policy_caller *c)
{
	static char buf[EXPAND_MAX], pc[EXPAND_MAX], sc[EXPAND_MAX];
	const char *pend, *send;
	bool star = false;

	if (!pat)
		return 1;
	if (!s)
		return 0;
	if (expand_pattern(pat, c, buf) < 0)
		return -1;
	pend = split_components(buf, true, pc, sizeof(pc));
	if (!pend)
		return -1;
	for (const char *q = pc; q < pend && !star; q = next_component(q))
		star = is_globstar(q);
	if (!star)
		return fnmatch(buf, s, FNM_PATHNAME) == 0;
	send = split_components(s, false, sc, sizeof(sc));
	if (!send)
		return -1;
	return components_match(pc, pend, sc, send);
}

static bool who_matches(const struct policy_rule *r, const struct policy_caller *c)
{
	switch (r->who_kind) {
	case POLICY_WHO_ANY:
		return true;
	case POLICY_WHO_USER:
		return c->name && strcmp(r->who, c->name) == 0;
	case POLICY_WHO_GROUP:
		for (size_t i = 0; i < c->ngroups; i++)
			if (c->groups[i] && strcmp(r->who, c->groups[i]) == 0)
				return true;
		return false;
	}
	return false;
}

static bool rule_type_matches(const struct policy_rule *r, const char *fstype)
{
	if (r->ntypes == 0)
		return true;
	for (size_t i = 0; fstype && i < r->ntypes; i++)
		if (strcmp(r->types[i], fstype) == 0)
			return true;
	return false;
}

/*
 * Does rule r apply to this request? A pattern too long to expand fails
 * closed: a deny rule then applies, a permit rule does not.
 */
static bool rule_matches(const struct policy_rule *r, const struct policy_request *rq)
{
	const struct policy_mount *m = rq->mount;
	int on, from;

	if (!who_matches(r, rq->caller) || !rule_type_matches(r, m->fstype))
		return false;
	on = glob_match(r->on, m->target, rq->caller);
	from = glob_match(r->from, m->source, rq->caller);
	if (on < 0 || from < 0)
		return !r->permit;
	return on == 1 && from == 1;
}

static const struct policy_rule *last_matching_rule(const struct policy *p,
						    const struct policy_request *rq)
{
	const struct policy_rule *found = NULL;

	for (size_t i = 0; p && i < p->nrules; i++)
		if (rule_matches(&p->rules[i], rq))
			found = &p->rules[i];
	return found;
}

/* Flags each built-in entitlement grants (docs/DESIGN.md, "Who may unmount what"). */
#define FSTAB_USERS_FLAGS (POLICY_LAZY | POLICY_EXPIRE)
#define FSTAB_USER_FLAGS  (POLICY_LAZY | POLICY_EXPIRE | POLICY_FORCE)
#define FUSE_OWNER_FLAGS  (POLICY_LAZY | POLICY_EXPIRE | POLICY_FORCE)

static bool caller_owns_fuse(const struct policy_request *rq)
{
	uid_t owner;

	if (!policy_is_fuse(rq->mount->fstype))
		return false;
	if (policy_parse_uid(rq->mount->fuse_user_id, &owner) < 0)
		return false;
	return owner == rq->caller->uid;
}

static bool fstab_mounter(const struct policy_request *rq)
{
	const struct policy_mount *m = rq->mount;

	if (!m->fstab || !m->fstab->user || !m->utab_user || !rq->caller->name)
		return false;
	return strcmp(m->utab_user, rq->caller->name) == 0;
}

/* Try one built-in entitlement; returns true when it decided. */
static bool try_builtin(bool entitled, enum policy_reason reason, unsigned grants,
			const struct policy_request *rq, struct policy_verdict *v)
{
	if (!entitled)
		return false;
	if ((rq->flags & ~grants) == 0) {
		v->result = POLICY_PERMIT;
		v->reason = reason;
		v->missing_flags = 0;
		return true;
	}
	/* Remember the first entitlement that lacked flags, keep looking. */
	if (v->reason != POLICY_FLAG_NOT_GRANTED) {
		v->reason = POLICY_FLAG_NOT_GRANTED;
		v->missing_from = reason;
		v->missing_flags = rq->flags & ~grants;
	}
	return false;
}

static void decide_builtin(const struct policy_request *rq, struct policy_verdict *v)
{
	const struct policy_fstab *fs = rq->mount->fstab;

	v->fstab = fs;
	if (try_builtin(fs && fs->users, POLICY_FSTAB_USERS, FSTAB_USERS_FLAGS, rq, v))
		return;
	if (try_builtin(fstab_mounter(rq), POLICY_FSTAB_USER, FSTAB_USER_FLAGS, rq, v))
		return;
	if (try_builtin(caller_owns_fuse(rq), POLICY_FUSE_OWNER, FUSE_OWNER_FLAGS, rq, v))
		return;
}

void policy_decide(const struct policy *p, const struct policy_request *rq,
		   struct policy_verdict *v)
{
	const struct policy_rule *r;

	memset(v, 0, sizeof(*v));
	if (rq->mount->is_root) {
		v->reason = POLICY_ROOT_MOUNT;
		return;
	}
	r = last_matching_rule(p, rq);
	if (r) {
		v->rule = r;
		v->reason = POLICY_RULE;
		if (r->permit && (rq->flags & ~r->flags) == 0) {
			v->result = POLICY_PERMIT;
		} else if (r->permit) {
			v->reason = POLICY_FLAG_NOT_GRANTED;
			v->missing_from = POLICY_RULE;
			v->missing_flags = rq->flags & ~r->flags;
		}
		return;
	}
	decide_builtin(rq, v);
}
