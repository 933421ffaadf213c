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
	const char *rule; /* expected policy_rule_describe(), "" for none */
	const char *why;  /* expected substring of the denial text, or NULL */
};

#define TMP  "/mnt/t", "tmpfs", "tmpfs"
#define FUSE "/home/alice/m", "host:/x", "fuse.sshfs"

/* clang-format off: one case a line reads best as a table */
static const struct dcase cases[] = {
    /* fstab users: anyone; plain, lazy, expire; never force */
    {"users plain", NULL, 4100, "uualice", "", TMP, "users", NULL, NULL, 0, NONE, PERMIT,
     "/etc/fstab:7 users", NULL},
    {"users other user", NULL, 4200, "uubob", "", TMP, "users", NULL, NULL, 0, NONE, PERMIT,
     "/etc/fstab:7 users", NULL},
    {"users lazy", NULL, 4200, "uubob", "", TMP, "users", NULL, NULL, 0, L, PERMIT,
     "/etc/fstab:7 users", NULL},
    {"users expire", NULL, 4200, "uubob", "", TMP, "users", NULL, NULL, 0, E, PERMIT,
     "/etc/fstab:7 users", NULL},
    {"users force denied", NULL, 4200, "uubob", "", TMP, "users", NULL, NULL, 0, F, DENY,
     "/etc/fstab:7 users", "force not granted by /etc/fstab:7 users"},
    {"users lazy+force denied", NULL, 4200, "uubob", "", TMP, "users", NULL, NULL, 0, L | F, DENY,
     "/etc/fstab:7 users", "force not granted"},
    {"nousers after users", NULL, 4200, "uubob", "", TMP, "users,nousers", NULL, NULL, 0, NONE,
     DENY, "", "fstab entry has no user/users option"},
    /* fstab user/owner/group: only the recorded mounter, whole name */
    {"user mounter", NULL, 4100, "uualice", "", TMP, "user", "uualice", NULL, 0, NONE, PERMIT,
     "/etc/fstab:7 user", NULL},
    {"user mounter force", NULL, 4100, "uualice", "", TMP, "user", "uualice", NULL, 0, F, PERMIT,
     "/etc/fstab:7 user", NULL},
    {"user mounter lazy", NULL, 4100, "uualice", "", TMP, "user", "uualice", NULL, 0, L, PERMIT,
     "/etc/fstab:7 user", NULL},
    {"user mounter expire", NULL, 4100, "uualice", "", TMP, "user", "uualice", NULL, 0, E, PERMIT,
     "/etc/fstab:7 user", NULL},
    {"user alice2 vs alice", NULL, 41000, "uualice2", "", TMP, "user", "uualice", NULL, 0, NONE,
     DENY, "", "mounted by another user"},
    {"user alice vs alice2", NULL, 4100, "uualice", "", TMP, "user", "uualice2", NULL, 0, NONE,
     DENY, "", "mounted by another user"},
    {"user prefix of name", NULL, 4100, "uualic", "", TMP, "user", "uualice", NULL, 0, NONE, DENY,
     "", NULL},
    {"user no mounter recorded", NULL, 4100, "uualice", "", TMP, "user", NULL, NULL, 0, NONE, DENY,
     "", "no mounter is recorded"},
    {"owner mounter", NULL, 4100, "uualice", "", TMP, "owner", "uualice", NULL, 0, NONE, PERMIT,
     "/etc/fstab:7 owner", NULL},
    {"owner other", NULL, 4200, "uubob", "", TMP, "owner", "uualice", NULL, 0, NONE, DENY, "",
     NULL},
    {"group mounter", NULL, 4100, "uualice", "", TMP, "group", "uualice", NULL, 0, F, PERMIT,
     "/etc/fstab:7 group", NULL},
    {"group other", NULL, 4200, "uubob", "users", TMP, "group", "uualice", NULL, 0, NONE, DENY, "",
     NULL},
    {"user,nouser", NULL, 4100, "uualice", "", TMP, "user,nouser", "uualice", NULL, 0, NONE, DENY,
     "", NULL},
    {"utab without fstab", NULL, 4100, "uualice", "", TMP, NULL, "uualice", NULL, 0, NONE, DENY, "",
     "no fstab entry with user/users"},
    {"fstab defaults only", NULL, 4100, "uualice", "", TMP, "defaults", "uualice", NULL, 0, NONE,
     DENY, "", "no user/users option"},
    {"caller without name", NULL, 4100, NULL, "", TMP, "user", "uualice", NULL, 0, NONE, DENY, "",
     NULL},
    /* FUSE: user_id= as a number */
    {"fuse owner", NULL, 4100, "uualice", "", FUSE, NULL, NULL, "4100", 0, NONE, PERMIT,
     "FUSE user_id", NULL},
    {"fuse owner all flags", NULL, 4100, "uualice", "", FUSE, NULL, NULL, "4100", 0, L | F, PERMIT,
     "FUSE user_id", NULL},
    {"fuse owner expire", NULL, 4100, "uualice", "", FUSE, NULL, NULL, "4100", 0, E, PERMIT,
     "FUSE user_id", NULL},
    {"fuse uid 41000 vs 4100", NULL, 41000, "uualice2", "", FUSE, NULL, NULL, "4100", 0, NONE, DENY,
     "", "not your FUSE mount"},
    {"fuse uid 4100 vs 41000", NULL, 4100, "uualice", "", FUSE, NULL, NULL, "41000", 0, NONE, DENY,
     "", NULL},
    {"fuse leading zero", NULL, 4100, "uualice", "", FUSE, NULL, NULL, "04100", 0, NONE, DENY, "",
     NULL},
    {"fuse plus sign", NULL, 4100, "uualice", "", FUSE, NULL, NULL, "+4100", 0, NONE, DENY, "",
     NULL},
    {"fuse trailing space", NULL, 4100, "uualice", "", FUSE, NULL, NULL, "4100 ", 0, NONE, DENY, "",
     NULL},
    {"fuse empty", NULL, 4100, "uualice", "", FUSE, NULL, NULL, "", 0, NONE, DENY, "", NULL},
    {"fuse -1", NULL, 4294967295u, "x", "", FUSE, NULL, NULL, "4294967295", 0, NONE, DENY, "",
     NULL},
    {"fuse overflow wraps", NULL, 4100, "uualice", "", FUSE, NULL, NULL, "4294971396", 0, NONE,
     DENY, "", NULL},
    {"fuse no user_id", NULL, 4100, "uualice", "", FUSE, NULL, NULL, NULL, 0, NONE, DENY, "",
     "records no owner"},
    {"fuse root uid 0", NULL, 0, "root", "", FUSE, NULL, NULL, "0", 0, NONE, PERMIT, "FUSE user_id",
     NULL},
    {"fuseblk owner", NULL, 4100, "uualice", "", "/m", "/dev/sdb1", "fuseblk", NULL, NULL, "4100",
     0, NONE, PERMIT, "FUSE user_id", NULL},
    {"plain fuse owner", NULL, 4100, "uualice", "", "/m", "x", "fuse", NULL, NULL, "4100", 0, NONE,
     PERMIT, "FUSE user_id", NULL},
    {"fusectl is not fuse", NULL, 4100, "uualice", "", "/m", "x", "fusectl", NULL, NULL, "4100", 0,
     NONE, DENY, "", NULL},
    {"tmpfs with user_id", NULL, 4100, "uualice", "", TMP, NULL, NULL, "4100", 0, NONE, DENY, "",
     NULL},
    /* never */
    {"root mount users", NULL, 4100, "uualice", "", "/", "/dev/vda", "ext4", "users", NULL, NULL, 1,
     NONE, DENY, "never: root mount", "root mount"},
    {"root mount permit", "permit * on /\n", 4100, "uualice", "", "/", "/dev/vda", "ext4", NULL,
     NULL, NULL, 1, NONE, DENY, "never: root mount", NULL},
    {"nothing", NULL, 4100, "uualice", "", TMP, NULL, NULL, NULL, 0, NONE, DENY, "",
     "no fstab entry with user/users, no policy rule, not your FUSE mount"},
    /* policy rules */
    {"permit on", "permit * on /srv/scratch\n", 4200, "uubob", "", "/srv/scratch", "tmpfs", "tmpfs",
     NULL, NULL, NULL, 0, NONE, PERMIT, "policy.conf:1 permit", NULL},
    {"permit lazy asked lazy", "permit lazy * on /srv/scratch\n", 4200, "uubob", "", "/srv/scratch",
     "tmpfs", "tmpfs", NULL, NULL, NULL, 0, L, PERMIT, "policy.conf:1 permit", NULL},
    {"permit plain asked lazy", "permit * on /srv/scratch\n", 4200, "uubob", "", "/srv/scratch",
     "tmpfs", "tmpfs", NULL, NULL, NULL, 0, L, DENY, "policy.conf:1 permit",
     "lazy not granted by policy.conf:1 permit"},
    {"permit lazy asked force", "permit lazy * on /srv/scratch\n", 4200, "uubob", "",
     "/srv/scratch", "tmpfs", "tmpfs", NULL, NULL, NULL, 0, F, DENY, "policy.conf:1 permit",
     "force not granted"},
    {"deny overrides fstab users", "deny * on /home\n", 4100, "uualice", "", "/home", "/dev/sdc1",
     "ext4", "users", NULL, NULL, 0, NONE, DENY, "policy.conf:1 deny",
     "denied by policy.conf:1 deny"},
    {"deny overrides own fuse", "deny * type fuse.sshfs\n", 4100, "uualice", "", FUSE, NULL, NULL,
     "4100", 0, NONE, DENY, "policy.conf:1 deny", NULL},
    {"last rule wins deny", "permit * on /a\ndeny * on /a\n", 4100, "uualice", "", "/a", "tmpfs",
     "tmpfs", NULL, NULL, NULL, 0, NONE, DENY, "policy.conf:2 deny", NULL},
    {"last rule wins permit", "deny * on /a\npermit * on /a\n", 4100, "uualice", "", "/a", "tmpfs",
     "tmpfs", NULL, NULL, NULL, 0, NONE, PERMIT, "policy.conf:2 permit", NULL},
    {"no match falls back", "permit * on /other\n", 4100, "uualice", "", TMP, "users", NULL, NULL,
     0, NONE, PERMIT, "/etc/fstab:7 users", NULL},
    {"user who", "permit uualice on /a\n", 4100, "uualice", "", "/a", "t", "tmpfs", NULL, NULL,
     NULL, 0, NONE, PERMIT, "policy.conf:1 permit", NULL},
    {"user who prefix", "permit uualice on /a\n", 41000, "uualice2", "", "/a", "t", "tmpfs", NULL,
     NULL, NULL, 0, NONE, DENY, "", NULL},
    {"group who member", "permit :plugdev on /a\n", 4100, "uualice", "users,plugdev", "/a", "t",
     "tmpfs", NULL, NULL, NULL, 0, NONE, PERMIT, "policy.conf:1 permit", NULL},
    {"group who not member", "permit :plugdev on /a\n", 4100, "uualice", "users,plugdev2", "/a",
     "t", "tmpfs", NULL, NULL, NULL, 0, NONE, DENY, "", NULL},
    {"%u expands", "permit * on /run/media/%u/*\n", 4100, "uualice", "", "/run/media/uualice/USB",
     "/dev/sdb1", "vfat", NULL, NULL, NULL, 0, NONE, PERMIT, "policy.conf:1 permit", NULL},
    {"%u other user", "permit * on /run/media/%u/*\n", 4200, "uubob", "", "/run/media/uualice/USB",
     "/dev/sdb1", "vfat", NULL, NULL, NULL, 0, NONE, DENY, "", NULL},
    {"%u glob chars literal", "permit * on /run/media/%u/*\n", 4100, "uual?ce", "",
     "/run/media/uualice/USB", "/dev/sdb1", "vfat", NULL, NULL, NULL, 0, NONE, DENY, "", NULL},
    {"%u star literal", "permit * on /run/media/%u/*\n", 4100, "*", "", "/run/media/uualice/USB",
     "/dev/sdb1", "vfat", NULL, NULL, NULL, 0, NONE, DENY, "", NULL},
    {"%U expands", "permit * on /run/user/%U/*\n", 4100, "uualice", "", "/run/user/4100/x", "t",
     "tmpfs", NULL, NULL, NULL, 0, NONE, PERMIT, "policy.conf:1 permit", NULL},
    {"%U other uid", "permit * on /run/user/%U/*\n", 41000, "uualice2", "", "/run/user/4100/x", "t",
     "tmpfs", NULL, NULL, NULL, 0, NONE, DENY, "", NULL},
    {"star does not cross slash", "permit * on /run/media/*\n", 4100, "uualice", "",
     "/run/media/a/b", "t", "tmpfs", NULL, NULL, NULL, 0, NONE, DENY, "", NULL},
    {"type list match", "permit * type vfat,exfat\n", 4100, "uualice", "", "/m", "/dev/sdb1",
     "exfat", NULL, NULL, NULL, 0, NONE, PERMIT, "policy.conf:1 permit", NULL},
    {"type exact only", "permit * type vfat\n", 4100, "uualice", "", "/m", "/dev/sdb1", "fuse.vfat",
     NULL, NULL, NULL, 0, NONE, DENY, "", NULL},
    {"from match", "permit * from /dev/sd*\n", 4100, "uualice", "", "/m", "/dev/sdb1", "vfat", NULL,
     NULL, NULL, 0, NONE, PERMIT, "policy.conf:1 permit", NULL},
    {"from no cross", "permit * from /dev/sd*\n", 4100, "uualice", "", "/m", "/dev/sd/x", "vfat",
     NULL, NULL, NULL, 0, NONE, DENY, "", NULL},
    {"from fsname pattern", "permit * from *@backup:*\n", 4100, "uualice", "", "/m",
     "me@backup:dir", "fuse.sshfs", NULL, NULL, NULL, 0, NONE, PERMIT, "policy.conf:1 permit",
     NULL},
    {"all conditions", "permit force :plugdev on /media/* type vfat from /dev/sd*\n", 4100,
     "uualice", "plugdev", "/media/x", "/dev/sdb1", "vfat", NULL, NULL, NULL, 0, F, PERMIT,
     "policy.conf:1 permit", NULL},
    {"all conditions type miss", "permit force :plugdev on /media/* type vfat from /dev/sd*\n",
     4100, "uualice", "plugdev", "/media/x", "/dev/sdb1", "ext4", NULL, NULL, NULL, 0, F, DENY, "",
     NULL},
};
/* clang-format on */

static size_t split_groups(const char *list, char *buf, size_t buflen, const char **out, size_t max)
{
	size_t n = 0;
	char *save = NULL;

	snprintf(buf, buflen, "%s", list);
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
				 c->user_id, c->utab_user, NULL};
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
	if (c->expect == PERMIT || c->rule[0])
		ck_assert_msg(strcmp(policy_rule_describe(&v, rule, sizeof(rule)), c->rule) == 0,
			      "%s: rule '%s', expected '%s'", c->name, rule, c->rule);
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
	struct policy_mount m = {"/x", "s", "tmpfs", false, NULL, NULL, NULL};
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
	{"desktop.conf", 4100, "uualice", "users,plugdev", "/run/media/uualice/STICK", "vfat", NULL, NULL, NONE, PERMIT},
	{"desktop.conf", 4100, "uualice", "users,plugdev", "/run/media/uualice/DVD", "iso9660", NULL, NULL, NONE, PERMIT},
	{"desktop.conf", 4100, "uualice", "users,plugdev", "/run/media/uualice/STICK", "vfat", NULL, NULL, L, DENY},
	{"desktop.conf", 4100, "uualice", "users,plugdev", "/run/media/uubob/STICK", "vfat", NULL, NULL, NONE, DENY},
	{"desktop.conf", 4100, "uualice", "users,plugdev", "/run/media/uualice/a/b", "vfat", NULL, NULL, NONE, DENY},
	{"desktop.conf", 4100, "uualice", "users,plugdev", "/run/media/uualice/DISK", "ext4", NULL, NULL, NONE, DENY},
	{"desktop.conf", 4200, "uubob", "users", "/run/media/uubob/STICK", "vfat", NULL, NULL, NONE, DENY},
	{"lab-scratch.conf", 4200, "uubob", "users", "/srv/scratch", "tmpfs", NULL, NULL, NONE, PERMIT},
	{"lab-scratch.conf", 4200, "uubob", "users", "/srv/scratch", "tmpfs", NULL, NULL, L, PERMIT},
	{"lab-scratch.conf", 4200, "uubob", "users", "/srv/scratch", "tmpfs", NULL, NULL, F, DENY},
	{"lab-scratch.conf", 4200, "uubob", "users", "/srv/scratch/sub", "tmpfs", NULL, NULL, NONE, DENY},
	{"locked-server.conf", 4200, "uubob", "users", "/mnt/t", "tmpfs", "users", NULL, NONE, DENY},
	{"locked-server.conf", 4200, "uubob", "users", "/mnt/usb", "vfat", "users", NULL, NONE, DENY},
	{"locked-server.conf", 4100, "uualice", "users", "/home/uualice/srv", "fuse.sshfs", NULL, "4100", F, PERMIT},
	{"locked-server.conf", 4200, "uubob", "users", "/home/uualice/srv", "fuse.sshfs", NULL, "4100", NONE, DENY},
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
	    c->target, "src", c->fstype, false, c->user_id, NULL, c->fstab ? &fs : NULL};
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
	    "/m", "src", c->fstype, c->is_root, c->user_id, c->utab_user, c->fstab ? &fs : NULL};
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
	tcase_add_loop_test(tc, test_reason_codes, 0,
			    sizeof(reason_cases) / sizeof(reason_cases[0]));
	tcase_add_loop_test(tc, test_examples, 0, sizeof(example_cases) / sizeof(example_cases[0]));
	suite_add_tcase(s, tc);
	return uu_run_suite(s);
}
