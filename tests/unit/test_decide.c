/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_decide.c — policy_decide() as tables: {policy text, caller, mount
 * facts, flags} -> {verdict, deciding rule, message}.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "suite.h"

enum { NONE = 0, L = POLICY_LAZY, F = POLICY_FORCE, E = POLICY_EXPIRE };
enum { DENY = POLICY_DENY, PERMIT = POLICY_PERMIT };

struct dcase {
	const char *name;
	const char *policy; /* policy.conf text, NULL for none */
	uid_t uid;
	const char *user;
	const char *groups; /* comma-separated names */
	const char *target, *source, *fstype;
	const char *fstab; /* NULL, or the fstab options: "users", "user", ... */
	const char *utab_user;
	const char *user_id; /* FUSE user_id= */
	int is_root;
	unsigned flags;
	int expect;
	const char *rule; /* expected policy_rule_describe(); NULL: not checked on a denial */
	const char *why;  /* expected substring of the denial text, or NULL */
};

#define TMP  .target = "/mnt/t", .source = "tmpfs", .fstype = "tmpfs"
#define FUSE .target = "/home/alice/m", .source = "host:/x", .fstype = "fuse.sshfs"

/* One case a row reads best as a table. */
/* clang-format off */
static const struct dcase cases[] = {
    /* fstab users: anyone; plain, lazy, expire; never force */
    {.name = "users plain", .uid = 4100, .user = "uualice", TMP, .fstab = "users", .expect = PERMIT,
     .rule = "/etc/fstab:7 users"},
    {.name = "users other user", .uid = 4200, .user = "uubob", TMP, .fstab = "users",
     .expect = PERMIT, .rule = "/etc/fstab:7 users"},
    {.name = "users lazy", .uid = 4200, .user = "uubob", TMP, .fstab = "users", .flags = L,
     .expect = PERMIT, .rule = "/etc/fstab:7 users"},
    {.name = "users expire", .uid = 4200, .user = "uubob", TMP, .fstab = "users", .flags = E,
     .expect = PERMIT, .rule = "/etc/fstab:7 users"},
    {.name = "users force denied", .uid = 4200, .user = "uubob", TMP, .fstab = "users", .flags = F,
     .expect = DENY, .rule = "/etc/fstab:7 users",
     .why = "force not granted by /etc/fstab:7 users"},
    {.name = "users lazy+force denied", .uid = 4200, .user = "uubob", TMP, .fstab = "users",
     .flags = L | F, .expect = DENY, .rule = "/etc/fstab:7 users", .why = "force not granted"},
    {.name = "nousers after users", .uid = 4200, .user = "uubob", TMP, .fstab = "users,nousers",
     .expect = DENY, .why = "fstab entry has no user/users option"},
    /* fstab user/owner/group: only the recorded mounter, whole name */
    {.name = "user mounter", .uid = 4100, .user = "uualice", TMP, .fstab = "user",
     .utab_user = "uualice", .expect = PERMIT, .rule = "/etc/fstab:7 user"},
    {.name = "user mounter force", .uid = 4100, .user = "uualice", TMP, .fstab = "user",
     .utab_user = "uualice", .flags = F, .expect = PERMIT, .rule = "/etc/fstab:7 user"},
    {.name = "user mounter lazy", .uid = 4100, .user = "uualice", TMP, .fstab = "user",
     .utab_user = "uualice", .flags = L, .expect = PERMIT, .rule = "/etc/fstab:7 user"},
    {.name = "user mounter expire", .uid = 4100, .user = "uualice", TMP, .fstab = "user",
     .utab_user = "uualice", .flags = E, .expect = PERMIT, .rule = "/etc/fstab:7 user"},
    {.name = "user alice2 vs alice", .uid = 41000, .user = "uualice2", TMP, .fstab = "user",
     .utab_user = "uualice", .expect = DENY, .why = "mounted by another user"},
    {.name = "user alice vs alice2", .uid = 4100, .user = "uualice", TMP, .fstab = "user",
     .utab_user = "uualice2", .expect = DENY, .why = "mounted by another user"},
    {.name = "user prefix of name", .uid = 4100, .user = "uualic", TMP, .fstab = "user",
     .utab_user = "uualice", .expect = DENY},
    {.name = "user no mounter recorded", .uid = 4100, .user = "uualice", TMP, .fstab = "user",
     .expect = DENY, .why = "no mounter is recorded"},
    {.name = "owner mounter", .uid = 4100, .user = "uualice", TMP, .fstab = "owner",
     .utab_user = "uualice", .expect = PERMIT, .rule = "/etc/fstab:7 owner"},
    {.name = "owner other", .uid = 4200, .user = "uubob", TMP, .fstab = "owner",
     .utab_user = "uualice", .expect = DENY},
    {.name = "group mounter", .uid = 4100, .user = "uualice", TMP, .fstab = "group",
     .utab_user = "uualice", .flags = F, .expect = PERMIT, .rule = "/etc/fstab:7 group"},
    {.name = "group other", .uid = 4200, .user = "uubob", .groups = "users", TMP, .fstab = "group",
     .utab_user = "uualice", .expect = DENY},
    {.name = "user,nouser", .uid = 4100, .user = "uualice", TMP, .fstab = "user,nouser",
     .utab_user = "uualice", .expect = DENY},
    {.name = "utab without fstab", .uid = 4100, .user = "uualice", TMP, .utab_user = "uualice",
     .expect = DENY, .why = "no fstab entry with user/users"},
    {.name = "fstab defaults only", .uid = 4100, .user = "uualice", TMP, .fstab = "defaults",
     .utab_user = "uualice", .expect = DENY, .why = "no user/users option"},
    {.name = "caller without name", .uid = 4100, .user = NULL, TMP, .fstab = "user",
     .utab_user = "uualice", .expect = DENY},
    /* FUSE: user_id= as a number */
    {.name = "fuse owner", .uid = 4100, .user = "uualice", FUSE, .user_id = "4100",
     .expect = PERMIT, .rule = "FUSE user_id"},
    {.name = "fuse owner all flags", .uid = 4100, .user = "uualice", FUSE, .user_id = "4100",
     .flags = L | F, .expect = PERMIT, .rule = "FUSE user_id"},
    {.name = "fuse owner expire", .uid = 4100, .user = "uualice", FUSE, .user_id = "4100",
     .flags = E, .expect = PERMIT, .rule = "FUSE user_id"},
    {.name = "fuse uid 41000 vs 4100", .uid = 41000, .user = "uualice2", FUSE, .user_id = "4100",
     .expect = DENY, .why = "not your FUSE mount"},
    {.name = "fuse uid 4100 vs 41000", .uid = 4100, .user = "uualice", FUSE, .user_id = "41000",
     .expect = DENY},
    {.name = "fuse leading zero", .uid = 4100, .user = "uualice", FUSE, .user_id = "04100",
     .expect = DENY},
    {.name = "fuse plus sign", .uid = 4100, .user = "uualice", FUSE, .user_id = "+4100",
     .expect = DENY},
    {.name = "fuse trailing space", .uid = 4100, .user = "uualice", FUSE, .user_id = "4100 ",
     .expect = DENY},
    {.name = "fuse empty", .uid = 4100, .user = "uualice", FUSE, .expect = DENY},
    {.name = "fuse -1", .uid = 4294967295u, .user = "x", FUSE, .user_id = "4294967295",
     .expect = DENY},
    {.name = "fuse overflow wraps", .uid = 4100, .user = "uualice", FUSE, .user_id = "4294971396",
     .expect = DENY},
    {.name = "fuse no user_id", .uid = 4100, .user = "uualice", FUSE, .expect = DENY,
     .why = "records no owner"},
    {.name = "fuse root uid 0", .uid = 0, .user = "root", FUSE, .user_id = "0", .expect = PERMIT,
     .rule = "FUSE user_id"},
    {.name = "fuseblk owner", .uid = 4100, .user = "uualice", .target = "/m", .source = "/dev/sdb1",
     .fstype = "fuseblk", .user_id = "4100", .expect = PERMIT, .rule = "FUSE user_id"},
    {.name = "plain fuse owner", .uid = 4100, .user = "uualice", .target = "/m", .source = "x",
     .fstype = "fuse", .user_id = "4100", .expect = PERMIT, .rule = "FUSE user_id"},
    {.name = "fusectl is not fuse", .uid = 4100, .user = "uualice", .target = "/m", .source = "x",
     .fstype = "fusectl", .user_id = "4100", .expect = DENY},
    {.name = "tmpfs with user_id", .uid = 4100, .user = "uualice", TMP, .user_id = "4100",
     .expect = DENY},
    /* never */
    {.name = "root mount users", .uid = 4100, .user = "uualice", .target = "/",
     .source = "/dev/vda", .fstype = "ext4", .fstab = "users", .is_root = 1, .expect = DENY,
     .rule = "never: root mount", .why = "root mount"},
    {.name = "root mount permit", .policy = "permit * on /\n", .uid = 4100, .user = "uualice",
     .target = "/", .source = "/dev/vda", .fstype = "ext4", .is_root = 1, .expect = DENY,
     .rule = "never: root mount"},
    {.name = "nothing", .uid = 4100, .user = "uualice", TMP, .expect = DENY,
     .why = "no fstab entry with user/users, no policy rule, not your FUSE mount"},
    /* policy rules */
    {.name = "permit on", .policy = "permit * on /srv/scratch\n", .uid = 4200, .user = "uubob",
     .target = "/srv/scratch", .source = "tmpfs", .fstype = "tmpfs", .expect = PERMIT,
     .rule = "policy.conf:1 permit"},
    {.name = "permit lazy asked lazy", .policy = "permit lazy * on /srv/scratch\n", .uid = 4200,
     .user = "uubob", .target = "/srv/scratch", .source = "tmpfs", .fstype = "tmpfs",
     .flags = L, .expect = PERMIT, .rule = "policy.conf:1 permit"},
    {.name = "permit plain asked lazy", .policy = "permit * on /srv/scratch\n", .uid = 4200,
     .user = "uubob", .target = "/srv/scratch", .source = "tmpfs", .fstype = "tmpfs",
     .flags = L, .expect = DENY, .rule = "policy.conf:1 permit",
     .why = "lazy not granted by policy.conf:1 permit"},
    {.name = "permit lazy asked force", .policy = "permit lazy * on /srv/scratch\n", .uid = 4200,
     .user = "uubob", .target = "/srv/scratch", .source = "tmpfs", .fstype = "tmpfs",
     .flags = F, .expect = DENY, .rule = "policy.conf:1 permit", .why = "force not granted"},
    {.name = "deny overrides fstab users", .policy = "deny * on /home\n", .uid = 4100,
     .user = "uualice", .target = "/home", .source = "/dev/sdc1", .fstype = "ext4",
     .fstab = "users", .expect = DENY, .rule = "policy.conf:1 deny",
     .why = "denied by policy.conf:1 deny"},
    {.name = "deny overrides own fuse", .policy = "deny * type fuse.sshfs\n", .uid = 4100,
     .user = "uualice", FUSE, .user_id = "4100", .expect = DENY, .rule = "policy.conf:1 deny"},
    {.name = "last rule wins deny", .policy = "permit * on /a\ndeny * on /a\n", .uid = 4100,
     .user = "uualice", .target = "/a", .source = "tmpfs", .fstype = "tmpfs", .expect = DENY,
     .rule = "policy.conf:2 deny"},
    {.name = "last rule wins permit", .policy = "deny * on /a\npermit * on /a\n", .uid = 4100,
     .user = "uualice", .target = "/a", .source = "tmpfs", .fstype = "tmpfs", .expect = PERMIT,
     .rule = "policy.conf:2 permit"},
    {.name = "no match falls back", .policy = "permit * on /other\n", .uid = 4100,
     .user = "uualice", TMP, .fstab = "users", .expect = PERMIT, .rule = "/etc/fstab:7 users"},
    {.name = "user who", .policy = "permit uualice on /a\n", .uid = 4100, .user = "uualice",
     .target = "/a", .source = "t", .fstype = "tmpfs", .expect = PERMIT,
     .rule = "policy.conf:1 permit"},
    {.name = "user who prefix", .policy = "permit uualice on /a\n", .uid = 41000,
     .user = "uualice2", .target = "/a", .source = "t", .fstype = "tmpfs", .expect = DENY},
    {.name = "group who member", .policy = "permit :plugdev on /a\n", .uid = 4100,
     .user = "uualice", .groups = "users,plugdev", .target = "/a", .source = "t",
     .fstype = "tmpfs", .expect = PERMIT, .rule = "policy.conf:1 permit"},
    {.name = "group who not member", .policy = "permit :plugdev on /a\n", .uid = 4100,
     .user = "uualice", .groups = "users,plugdev2", .target = "/a", .source = "t",
     .fstype = "tmpfs", .expect = DENY},
    {.name = "%u expands", .policy = "permit * on /run/media/%u/*\n", .uid = 4100,
     .user = "uualice", .target = "/run/media/uualice/USB", .source = "/dev/sdb1",
     .fstype = "vfat", .expect = PERMIT, .rule = "policy.conf:1 permit"},
    {.name = "%u other user", .policy = "permit * on /run/media/%u/*\n", .uid = 4200,
     .user = "uubob", .target = "/run/media/uualice/USB", .source = "/dev/sdb1",
     .fstype = "vfat", .expect = DENY},
    {.name = "%u glob chars literal", .policy = "permit * on /run/media/%u/*\n", .uid = 4100,
     .user = "uual?ce", .target = "/run/media/uualice/USB", .source = "/dev/sdb1",
     .fstype = "vfat", .expect = DENY},
    {.name = "%u star literal", .policy = "permit * on /run/media/%u/*\n", .uid = 4100, .user = "*",
     .target = "/run/media/uualice/USB", .source = "/dev/sdb1", .fstype = "vfat",
     .expect = DENY},
    {.name = "%U expands", .policy = "permit * on /run/user/%U/*\n", .uid = 4100, .user = "uualice",
     .target = "/run/user/4100/x", .source = "t", .fstype = "tmpfs", .expect = PERMIT,
     .rule = "policy.conf:1 permit"},
    {.name = "%U other uid", .policy = "permit * on /run/user/%U/*\n", .uid = 41000,
     .user = "uualice2", .target = "/run/user/4100/x", .source = "t", .fstype = "tmpfs",
     .expect = DENY},
    {.name = "star does not cross slash", .policy = "permit * on /run/media/*\n", .uid = 4100,
     .user = "uualice", .target = "/run/media/a/b", .source = "t", .fstype = "tmpfs",
     .expect = DENY},
    {.name = "type list match", .policy = "permit * type vfat,exfat\n", .uid = 4100,
     .user = "uualice", .target = "/m", .source = "/dev/sdb1", .fstype = "exfat",
     .expect = PERMIT, .rule = "policy.conf:1 permit"},
    {.name = "type exact only", .policy = "permit * type vfat\n", .uid = 4100, .user = "uualice",
     .target = "/m", .source = "/dev/sdb1", .fstype = "fuse.vfat", .expect = DENY},
    {.name = "from match", .policy = "permit * from /dev/sd*\n", .uid = 4100, .user = "uualice",
     .target = "/m", .source = "/dev/sdb1", .fstype = "vfat", .expect = PERMIT,
     .rule = "policy.conf:1 permit"},
    {.name = "from no cross", .policy = "permit * from /dev/sd*\n", .uid = 4100, .user = "uualice",
     .target = "/m", .source = "/dev/sd/x", .fstype = "vfat", .expect = DENY},
    {.name = "from fsname pattern", .policy = "permit * from *@backup:*\n", .uid = 4100,
     .user = "uualice", .target = "/m", .source = "me@backup:dir", .fstype = "fuse.sshfs",
     .expect = PERMIT, .rule = "policy.conf:1 permit"},
    {.name = "all conditions",
     .policy = "permit force :plugdev on /media/* type vfat from /dev/sd*\n", .uid = 4100,
     .user = "uualice", .groups = "plugdev", .target = "/media/x", .source = "/dev/sdb1",
     .fstype = "vfat", .flags = F, .expect = PERMIT, .rule = "policy.conf:1 permit"},
    {.name = "all conditions type miss",
     .policy = "permit force :plugdev on /media/* type vfat from /dev/sd*\n", .uid = 4100,
     .user = "uualice", .groups = "plugdev", .target = "/media/x", .source = "/dev/sdb1",
     .fstype = "ext4", .flags = F, .expect = DENY},
};
/* clang-format on */

static size_t split_groups(const char *list, char *buf, size_t buflen, const char **out, size_t max)
{
	size_t n = 0;
	char *save = NULL;

	snprintf(buf, buflen, "%s", list ? list : "");
	for (char *g = strtok_r(buf, ",", &save); g && n < max; g = strtok_r(NULL, ",", &save))
		out[n++] = g;
	return n;
}

START_TEST(test_table)
{
	const struct dcase *c = &cases[_i];
	struct policy p = {0};
	struct policy_error err;
	struct policy_fstab fs = {"/etc/fstab", 7, false, false, NULL};
	const char *groups[8];
	char gbuf[256], rule[512], why[1024];
	struct policy_caller caller = {c->uid, c->user, groups, 0};
	struct policy_mount m = {c->target,  c->source,    c->fstype, c->is_root,
				 c->user_id, c->utab_user, NULL,      NULL};
	struct policy_request rq = {&caller, &m, c->flags};
	struct policy_verdict v;

	caller.ngroups = split_groups(c->groups, gbuf, sizeof(gbuf), groups, 8);
	if (c->policy)
		ck_assert_msg(
		    policy_parse_buffer(&p, "policy.conf", c->policy, strlen(c->policy), &err) == 0,
		    "%s: parse: %s", c->name, err.message);
	if (c->fstab) {
		char opts[128], *save = NULL;

		snprintf(opts, sizeof(opts), "%s", c->fstab);
		for (char *o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
			if (!strcmp(o, "users"))
				fs.users = true;
			else if (!strcmp(o, "nousers"))
				fs.users = false;
			else if (!strcmp(o, "nouser"))
				fs.user = false;
			else if (!strcmp(o, "user") || !strcmp(o, "owner") || !strcmp(o, "group")) {
				fs.user = true;
				fs.user_option = !strcmp(o, "user")    ? "user"
						 : !strcmp(o, "owner") ? "owner"
								       : "group";
			}
		}
		m.fstab = &fs;
	}
	policy_decide(&p, &rq, &v);
	ck_assert_msg((int)v.result == c->expect, "%s: got %s", c->name,
		      v.result == POLICY_PERMIT ? "permit" : "deny");
	if (c->expect == PERMIT || c->rule)
		ck_assert_msg(strcmp(policy_rule_describe(&v, rule, sizeof(rule)),
				     c->rule ? c->rule : "") == 0,
			      "%s: rule '%s', expected '%s'", c->name, rule,
			      c->rule ? c->rule : "");
	if (c->why) {
		policy_denial_describe(&rq, &v, why, sizeof(why));
		ck_assert_msg(strstr(why, c->why), "%s: why '%s', expected '%s'", c->name, why,
			      c->why);
	}
	policy_free(&p);
}
END_TEST

START_TEST(test_parse_uid)
{
	uid_t u;

	ck_assert_int_eq(policy_parse_uid("0", &u), 0);
	ck_assert_uint_eq(u, 0);
	ck_assert_int_eq(policy_parse_uid("4294967294", &u), 0);
	ck_assert_uint_eq(u, 4294967294u);
	ck_assert_int_eq(policy_parse_uid("4294967295", &u), -1);
	ck_assert_int_eq(policy_parse_uid("99999999999999999999999", &u), -1);
	ck_assert_int_eq(policy_parse_uid("00", &u), -1);
	ck_assert_int_eq(policy_parse_uid("-1", &u), -1);
	ck_assert_int_eq(policy_parse_uid(" 1", &u), -1);
	ck_assert_int_eq(policy_parse_uid("1x", &u), -1);
	ck_assert_int_eq(policy_parse_uid("", &u), -1);
	ck_assert_int_eq(policy_parse_uid(NULL, &u), -1);
}
END_TEST

START_TEST(test_flags_describe)
{
	char buf[64];

	ck_assert_str_eq(policy_flags_describe(L | F | E, buf, sizeof(buf)), "lazy, force, expire");
	ck_assert_str_eq(policy_flags_describe(0, buf, sizeof(buf)), "");
}
END_TEST

/* A pattern too long to expand must fail closed both ways. */
START_TEST(test_overlong_expansion)
{
	static char text[POLICY_MAX_LINE];
	struct policy p = {0};
	struct policy_error err;
	const char *groups[1];
	char name[257];
	struct policy_caller caller = {4100, name, groups, 0};
	struct policy_mount m = {"/x", "s", "tmpfs", false, NULL, NULL, NULL, NULL};
	struct policy_request rq = {&caller, &m, 0};
	struct policy_verdict v;
	size_t pos;

	memset(name, '*', 256);
	name[256] = '\0';
	for (int permit = 0; permit < 2; permit++) {
		pos = (size_t)snprintf(text, sizeof(text), "%s * on /", permit ? "permit" : "deny");
		while (pos + 3 < 2000)
			pos += (size_t)snprintf(text + pos, sizeof(text) - pos, "%%u");
		snprintf(text + pos, sizeof(text) - pos, "\n");
		memset(&p, 0, sizeof(p));
		ck_assert_int_eq(policy_parse_buffer(&p, "p", text, strlen(text), &err), 0);
		m.fstab = NULL;
		policy_decide(&p, &rq, &v);
		ck_assert_int_eq(v.result, POLICY_DENY);
		ck_assert_int_eq(v.reason, permit ? POLICY_NO_ENTITLEMENT : POLICY_RULE);
		policy_free(&p);
	}
}
END_TEST

/*
 * What a pattern matches: "*" one component, as it always did; a whole "**"
 * component zero or more components; "**" inside a component is "*".
 */
struct gcase {
	const char *pattern; /* "on" pattern, or "from" pattern when source is set */
	const char *target;
	const char *source;
	const char *user; /* NULL: uualice */
	int match;
};

/* clang-format off */
static const struct gcase glob_cases[] = {
	/* "*": one component, never zero, never two */
	{"/home/*", "/home/u", NULL, NULL, 1},
	{"/home/*", "/home/u/mnt", NULL, NULL, 0},
	{"/home/*", "/home", NULL, NULL, 0},
	{"/home/*/*", "/home/u/mnt", NULL, NULL, 1},
	{"/home", "/home", NULL, NULL, 1},
	{"/home", "/home/u", NULL, NULL, 0},
	/* trailing "**": the directory itself and everything below */
	{"/home/**", "/home", NULL, NULL, 1},
	{"/home/**", "/home/u", NULL, NULL, 1},
	{"/home/**", "/home/u/mnt", NULL, NULL, 1},
	{"/home/**", "/home/u/a/b/c/d", NULL, NULL, 1},
	{"/home/**", "/homes", NULL, NULL, 0},
	{"/home/**", "/home2/u", NULL, NULL, 0},
	{"/home/**", "/", NULL, NULL, 0},
	{"/home/**", "/srv/home/u", NULL, NULL, 0},
	{"/home/**", "/home/u/*", NULL, NULL, 1},
	/* "**" in the middle: zero components too */
	{"/home/**/mnt", "/home/mnt", NULL, NULL, 1},
	{"/home/**/mnt", "/home/u/mnt", NULL, NULL, 1},
	{"/home/**/mnt", "/home/a/b/mnt", NULL, NULL, 1},
	{"/home/**/mnt", "/home/u/mnt/x", NULL, NULL, 0},
	{"/home/**/mnt", "/home/u/mntx", NULL, NULL, 0},
	{"/home/**/mnt", "/home", NULL, NULL, 0},
	{"/a/**/b/**/c", "/a/b/c", NULL, NULL, 1},
	{"/a/**/b/**/c", "/a/x/b/y/z/c", NULL, NULL, 1},
	{"/a/**/b/**/c", "/a/b/b/c", NULL, NULL, 1},
	{"/a/**/b/**/c", "/a/c", NULL, NULL, 0},
	{"/a/**/b/**/c", "/a/x/c/b", NULL, NULL, 0},
	/* leading and repeated */
	{"/**", "/", NULL, NULL, 1},
	{"/**", "/a", NULL, NULL, 1},
	{"/**", "/a/b/c", NULL, NULL, 1},
	{"/**/mnt", "/mnt", NULL, NULL, 1},
	{"/**/mnt", "/x/y/mnt", NULL, NULL, 1},
	{"/**/**", "/x/y", NULL, NULL, 1},
	/* "**" then "*" or "?": at least that one component */
	{"/x/**/*", "/x", NULL, NULL, 0},
	{"/x/**/*", "/x/a", NULL, NULL, 1},
	{"/x/**/*", "/x/a/b", NULL, NULL, 1},
	{"/srv/?/**", "/srv/a/b/c", NULL, NULL, 1},
	{"/srv/?/**", "/srv/ab/c", NULL, NULL, 0},
	{"/srv/*/**", "/srv", NULL, NULL, 0},
	{"/srv/*/**", "/srv/a", NULL, NULL, 1},
	/* "**" not a whole component: one "*", as before */
	{"/a**", "/abc", NULL, NULL, 1},
	{"/a**", "/a/b", NULL, NULL, 0},
	{"/a/**b", "/a/xb", NULL, NULL, 1},
	{"/a/**b", "/a/x/b", NULL, NULL, 0},
	{"/a/b**/c", "/a/b/x/c", NULL, NULL, 0},
	{"/a/***", "/a/b/c", NULL, NULL, 0},
	{"/a/***", "/a/b", NULL, NULL, 1},
	/* escaped: only the characters themselves */
	{"/a/\\*\\*", "/a/**", NULL, NULL, 1},
	{"/a/\\*\\*", "/a/x", NULL, NULL, 0},
	{"/a/\\*\\*", "/a/x/y", NULL, NULL, 0},
	{"/a/\\**", "/a/*x", NULL, NULL, 1},
	{"/a/\\**", "/a/x/y", NULL, NULL, 0},
	{"/a/**/\\*", "/a/b/*", NULL, NULL, 1},
	{"/a/**/\\*", "/a/b/c", NULL, NULL, 0},
	/* with %u: the name is literal, so a user called "**" gains no depth */
	{"/media/%u/**", "/media/uualice", NULL, NULL, 1},
	{"/media/%u/**", "/media/uualice/USB", NULL, NULL, 1},
	{"/media/%u/**", "/media/uualice/a/b", NULL, NULL, 1},
	{"/media/%u/**", "/media/uubob/USB", NULL, NULL, 0},
	{"/media/%u/**", "/media/uualice2/USB", NULL, NULL, 0},
	{"/media/%u/x", "/media/a/b/x", NULL, "**", 0},
	{"/media/%u/x", "/media/**/x", NULL, "**", 1},
	{"/media/%u/**", "/media/a/b", NULL, "**", 0},
	/* from: the same rules over the source */
	{"/dev/**", "/m", "/dev/disk/by-label/X", NULL, 1},
	{"/dev/*", "/m", "/dev/disk/by-label/X", NULL, 0},
	{"**", "/m", "tmpfs", NULL, 1},
	{"**", "/m", "host:/export/a", NULL, 1},
	{"host:/export/**", "/m", "host:/export", NULL, 1},
	{"host:/export/**", "/m", "host:/export/a/b", NULL, 1},
	{"host:/export/**", "/m", "host:/exports/a", NULL, 0},
	{"*@backup:**", "/m", "me@backup:dir/sub", NULL, 0},
	{"*@backup:**", "/m", "me@backup:dir", NULL, 1},
};
/* clang-format on */

START_TEST(test_glob_table)
{
	const struct gcase *c = &glob_cases[_i];
	char text[512];
	struct policy p = {0};
	struct policy_error err;
	struct policy_caller caller = {4100, c->user ? c->user : "uualice", NULL, 0};
	struct policy_mount m = {
	    c->target, c->source ? c->source : "src", "tmpfs", false, NULL, NULL, NULL, NULL};
	struct policy_request rq = {&caller, &m, 0};
	struct policy_verdict v;

	snprintf(text, sizeof(text), "permit * %s %s\n", c->source ? "from" : "on", c->pattern);
	ck_assert_msg(policy_parse_buffer(&p, "p", text, strlen(text), &err) == 0, "%s: %s",
		      c->pattern, err.message);
	policy_decide(&p, &rq, &v);
	ck_assert_msg((v.result == POLICY_PERMIT) == (c->match == 1), "%s %s '%s': got %s",
		      c->pattern, c->match ? "should match" : "should not match",
		      c->source ? c->source : c->target,
		      v.result == POLICY_PERMIT ? "match" : "no match");
	policy_free(&p);
}
END_TEST

/* Many "**" against a deep path that does not match: one backtracking
 * point, so this is quick (a naive recursive matcher would not end within
 * Check's timeout). */
START_TEST(test_glob_many_stars)
{
	static char text[POLICY_MAX_LINE], target[4096];
	struct policy p = {0};
	struct policy_error err;
	struct policy_caller caller = {4100, "uualice", NULL, 0};
	struct policy_mount m = {target, "src", "tmpfs", false, NULL, NULL, NULL, NULL};
	struct policy_request rq = {&caller, &m, 0};
	struct policy_verdict v;
	size_t pos = (size_t)snprintf(text, sizeof(text), "deny * on ");

	for (int i = 0; i < 200; i++)
		pos += (size_t)snprintf(text + pos, sizeof(text) - pos, "/**/a");
	snprintf(text + pos, sizeof(text) - pos, "/b\n");
	pos = 0;
	for (int i = 0; i < 1000; i++)
		pos += (size_t)snprintf(target + pos, sizeof(target) - pos, "/a");
	ck_assert_int_eq(policy_parse_buffer(&p, "p", text, strlen(text), &err), 0);
	policy_decide(&p, &rq, &v);
	ck_assert_int_eq(v.reason, POLICY_NO_ENTITLEMENT); /* no match */
	snprintf(target + pos, sizeof(target) - pos, "/b");
	policy_decide(&p, &rq, &v);
	ck_assert_int_eq(v.reason, POLICY_RULE); /* 200 a's among 1000, then b */
	policy_free(&p);
}
END_TEST

/* --check-policy -v says what a double star does. */
START_TEST(test_pattern_describe)
{
	static const char *const t[][2] = {
	    {"/home/*", ""},
	    {"/home/\\*\\*", ""},
	    {"/home/**", "'**' is zero or more components: also matches /home"},
	    {"/a/**/b/**", "'**' is zero or more components: also matches /a/b"},
	    {"/**", "'**' is zero or more components: also matches /"},
	    {"**", "'**' is zero or more components"},
	    {"host:/x/**", "'**' is zero or more components: also matches host:/x"},
	    {"/a**", "'**' inside a component is one '*': it stays within the component"},
	    {"/a**/**", "'**' is zero or more components: also matches /a**; '**' inside a "
			"component is one '*': it stays within the component"},
	};
	char buf[512];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_str_eq(policy_pattern_describe(t[i][0], buf, sizeof(buf)), t[i][1]);
}
END_TEST

/* The shipped policy examples say what their comments claim. */
struct ecase {
	const char *file;
	uid_t uid;
	const char *user, *groups, *target, *fstype, *fstab, *user_id;
	unsigned flags;
	int expect;
};

/* clang-format off */
static const struct ecase example_cases[] = {
	/* desktop.conf, Debian and Ubuntu: udisks2 mounts at /media/NAME/LABEL */
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/media/uualice/STICK", .fstype = "vfat", .expect = PERMIT},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/media/uualice/My Disk", .fstype = "ext4", .expect = PERMIT},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/media/uualice/DATA", .fstype = "btrfs", .expect = PERMIT},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/media/uualice/CARD", .fstype = "exfat", .expect = PERMIT},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/media/uualice/WINDOWS", .fstype = "fuseblk", .expect = PERMIT},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/media/uualice/WINDOWS", .fstype = "ntfs3", .expect = PERMIT},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/media/uualice/DVD", .fstype = "udf", .expect = PERMIT},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/media/uualice/STICK", .fstype = "vfat", .flags = L, .expect = DENY},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/media/uubob/STICK", .fstype = "vfat", .expect = DENY},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/media/uualice2/STICK", .fstype = "vfat", .expect = DENY},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/media/uualice/a/b", .fstype = "ext4", .expect = DENY},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/media/uualice", .fstype = "ext4", .expect = DENY},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/media/uualice/x", .fstype = "tmpfs", .expect = DENY},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/media/uualice/x", .fstype = "fuse.sshfs", .user_id = "4200", .expect = DENY},
	{.file = "desktop.conf", .uid = 4200, .user = "uubob", .groups = "users",
	 .target = "/media/uubob/STICK", .fstype = "vfat", .expect = DENY},
	/* desktop.conf, Fedora, Arch, openSUSE: /run/media/NAME/LABEL */
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/run/media/uualice/STICK", .fstype = "vfat", .expect = PERMIT},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/run/media/uualice/DVD", .fstype = "iso9660", .expect = PERMIT},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/run/media/uualice/DISK", .fstype = "ext4", .expect = PERMIT},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/run/media/uualice/WINDOWS", .fstype = "fuseblk", .expect = PERMIT},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/run/media/uualice/STICK", .fstype = "vfat", .flags = F, .expect = DENY},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/run/media/uubob/STICK", .fstype = "vfat", .expect = DENY},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/run/media/uualice/a/b", .fstype = "vfat", .expect = DENY},
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/run/media/uualice/x", .fstype = "overlay", .expect = DENY},
	{.file = "desktop.conf", .uid = 4200, .user = "uubob", .groups = "users",
	 .target = "/run/media/uubob/STICK", .fstype = "vfat", .expect = DENY},
	/* neither layout */
	{.file = "desktop.conf", .uid = 4100, .user = "uualice", .groups = "users,plugdev",
	 .target = "/mnt/uualice/STICK", .fstype = "vfat", .expect = DENY},
	{.file = "lab-scratch.conf", .uid = 4200, .user = "uubob", .groups = "users",
	 .target = "/srv/scratch", .fstype = "tmpfs", .expect = PERMIT},
	{.file = "lab-scratch.conf", .uid = 4200, .user = "uubob", .groups = "users",
	 .target = "/srv/scratch", .fstype = "tmpfs", .flags = L, .expect = PERMIT},
	{.file = "lab-scratch.conf", .uid = 4200, .user = "uubob", .groups = "users",
	 .target = "/srv/scratch", .fstype = "tmpfs", .flags = F, .expect = DENY},
	{.file = "lab-scratch.conf", .uid = 4200, .user = "uubob", .groups = "users",
	 .target = "/srv/scratch/sub", .fstype = "tmpfs", .expect = DENY},
	{.file = "locked-server.conf", .uid = 4200, .user = "uubob", .groups = "users",
	 .target = "/mnt/t", .fstype = "tmpfs", .fstab = "users", .expect = DENY},
	{.file = "locked-server.conf", .uid = 4200, .user = "uubob", .groups = "users",
	 .target = "/mnt/usb", .fstype = "vfat", .fstab = "users", .expect = DENY},
	{.file = "locked-server.conf", .uid = 4100, .user = "uualice", .groups = "users",
	 .target = "/home/uualice/srv", .fstype = "fuse.sshfs", .user_id = "4100", .flags = F,
	 .expect = PERMIT},
	{.file = "locked-server.conf", .uid = 4200, .user = "uubob", .groups = "users",
	 .target = "/home/uualice/srv", .fstype = "fuse.sshfs", .user_id = "4100", .expect = DENY},
};
/* clang-format on */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 20);

	ck_assert_msg(f && buf, "cannot read %s", path);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	return buf;
}

START_TEST(test_examples)
{
	const struct ecase *c = &example_cases[_i];
	struct policy p = {0};
	struct policy_error err;
	struct policy_fstab fs = {"/etc/fstab", 3, true, false, NULL};
	const char *groups[8];
	char gbuf[128], path[4096];
	struct policy_caller caller = {c->uid, c->user, groups, 0};
	struct policy_mount m = {
	    c->target, "src", c->fstype, false, c->user_id, NULL, c->fstab ? &fs : NULL, NULL};
	struct policy_request rq = {&caller, &m, c->flags};
	struct policy_verdict v;
	size_t len;
	char *text;

	caller.ngroups = split_groups(c->groups, gbuf, sizeof(gbuf), groups, 8);
	snprintf(path, sizeof(path), "%s/policy/examples/%s", UU_SOURCE_DIR, c->file);
	text = slurp(path, &len);
	ck_assert_msg(policy_parse_buffer(&p, c->file, text, len, &err) == 0, "%s:%u: %s", c->file,
		      err.line, err.message);
	policy_decide(&p, &rq, &v);
	ck_assert_msg((int)v.result == c->expect, "%s #%d: got %s", c->file, _i,
		      v.result == POLICY_PERMIT ? "permit" : "deny");
	policy_free(&p);
	free(text);
}
END_TEST

/* An fstab entry for the mount point that names another source: said so,
 * and the answer stays a denial. */
START_TEST(test_fstab_mismatch_described)
{
	struct policy p = {0};
	const char *groups[1];
	struct policy_caller caller = {4100, "uualice", groups, 0};
	struct policy_mount m = {
	    "/media/stick", "/dev/loop3",
	    "ext4",         false,
	    NULL,           NULL,
	    NULL,           "/etc/fstab:7 is for LABEL=STICK; /dev/loop3 is mounted here"};
	struct policy_request rq = {&caller, &m, 0};
	struct policy_verdict v;
	char why[1024];

	policy_decide(&p, &rq, &v);
	ck_assert_int_eq(v.result, POLICY_DENY);
	ck_assert_str_eq(
	    policy_denial_describe(&rq, &v, why, sizeof(why)),
	    "/etc/fstab:7 is for LABEL=STICK; /dev/loop3 is mounted here, no policy rule, "
	    "not your FUSE mount");
	policy_free(&p);
}
END_TEST

/* Reason codes are an API (user-umount(8), REASON CODES): each verdict's. */
struct rcase {
	const char *policy;
	const char *user;
	int fstab; /* 0 none, 1 users, 2 user */
	const char *utab_user, *fstype, *user_id;
	int is_root;
	unsigned flags;
	const char *code;
};

/* clang-format off */
static const struct rcase reason_cases[] = {
	{NULL, "uubob", 1, NULL, "tmpfs", NULL, 0, NONE, "fstab-users"},
	{NULL, "uubob", 1, NULL, "tmpfs", NULL, 0, F, "flag-not-granted"},
	{NULL, "uualice", 2, "uualice", "tmpfs", NULL, 0, F, "fstab-user"},
	{NULL, "uualice2", 2, "uualice", "tmpfs", NULL, 0, NONE, "not-entitled"},
	{NULL, "uualice", 0, NULL, "fuse.sshfs", "4100", 0, F, "fuse-owner"},
	{NULL, "uualice", 0, NULL, "fuse.sshfs", "41000", 0, NONE, "not-entitled"},
	{NULL, "uualice", 1, NULL, "tmpfs", NULL, 1, NONE, "never-root"},
	{"permit uualice on /m", "uualice", 0, NULL, "tmpfs", NULL, 0, NONE, "policy-permit"},
	{"permit uualice on /m", "uualice", 0, NULL, "tmpfs", NULL, 0, L, "flag-not-granted"},
	{"deny * on /m", "uualice", 1, NULL, "tmpfs", NULL, 0, NONE, "policy-deny"},
	{"permit * on /m\ndeny * on /m", "uualice", 0, NULL, "tmpfs", NULL, 0, NONE, "policy-deny"},
	{"permit * on /m", "uualice", 0, NULL, "tmpfs", NULL, 1, NONE, "never-root"},
	{NULL, "uualice", 0, NULL, "tmpfs", NULL, 0, NONE, "not-entitled"},
};
/* clang-format on */

START_TEST(test_reason_codes)
{
	const struct rcase *c = &reason_cases[_i];
	struct policy_fstab fs = {"/etc/fstab", 7, c->fstab == 1, c->fstab == 2, "user"};
	struct policy_caller caller = {4100, c->user, NULL, 0};
	struct policy_mount m = {
	    "/m", "src", c->fstype, c->is_root, c->user_id, c->utab_user, c->fstab ? &fs : NULL,
	    NULL};
	struct policy_request rq = {&caller, &m, c->flags};
	struct policy p = {0};
	struct policy_error err;
	struct policy_verdict v;

	if (c->policy)
		ck_assert_int_eq(policy_parse_buffer(&p, "p", c->policy, strlen(c->policy), &err),
				 0);
	policy_decide(&p, &rq, &v);
	ck_assert_msg(strcmp(policy_reason_code(&v), c->code) == 0, "#%d: got %s, want %s", _i,
		      policy_reason_code(&v), c->code);
	policy_free(&p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("decide");
	TCase *tc = tcase_create("decide");

	tcase_add_loop_test(tc, test_table, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_parse_uid);
	tcase_add_test(tc, test_flags_describe);
	tcase_add_test(tc, test_overlong_expansion);
	tcase_add_test(tc, test_fstab_mismatch_described);
	tcase_add_loop_test(tc, test_glob_table, 0, sizeof(glob_cases) / sizeof(glob_cases[0]));
	tcase_add_test(tc, test_glob_many_stars);
	tcase_add_test(tc, test_pattern_describe);
	tcase_add_loop_test(tc, test_reason_codes, 0,
			    sizeof(reason_cases) / sizeof(reason_cases[0]));
	tcase_add_loop_test(tc, test_examples, 0, sizeof(example_cases) / sizeof(example_cases[0]));
	suite_add_tcase(s, tc);
	return uu_run_suite(s);
}
