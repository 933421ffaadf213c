/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_fstabparse.c — the helper reads fstab and option strings as
 * libmount 2.38 does (fuzz/fstab_oracle.h): fixed cases for every rule of
 * fstabparse.h and optstr.h, then generated files from the tokens those
 * rules turn on. Also the path and type comparisons against libmount's.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <libmount/libmount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fstab_oracle.h"
#include "fstabparse.h"
#include "optstr.h"
#include "suite.h"

static const char *const fixed[] = {
    "",
    "\n",
    "# only a comment\n",
    "/dev/sda1 /mnt/a ext4 defaults 0 2\n",
    "/dev/sda1\t/mnt/a\text4\tdefaults\t0\t2\n",
    "   /dev/sda1 /mnt/a ext4\n",
    "/dev/sda1 /mnt/a\n",              /* no type: bad */
    "/dev/sda1\n",                     /* no target: bad */
    "ok /a tmpfs\nbad\nok /b tmpfs\n", /* the first bad line, 2 */
    "/dev/sda1 /mnt/a ext4 defaults 0 2 extra words\n",
    "/dev/sda1 /mnt/a ext4 defaults x\n",
    "/dev/sda1 /mnt/a ext4 defaults 1x\n",
    "/dev/sda1 /mnt/a ext4 defaults 0 x\n",
    "/dev/sda1 /mnt/a ext4 defaults 99999999999999999999\n",
    "/dev/sda1 /mnt/a ext4 defaults 99999999999999999999 0\n",
    "/dev/sda1 /mnt/a ext4 defaults -1 +2\n",
    "/dev/sda1 /mnt/a ext4 defaults \v1\n",
    "/dev/sda1 /mnt/a ext4 defaults 1\v\n",
    "/dev/sda1 /mnt/a ext4 defaults 0 2",     /* no final newline */
    "/dev/sda1 /mnt/a ext4 defaults 0 2\r\n", /* CRLF */
    "/dev/sda1 /mnt/a ext4 defaults\r\r\n",
    "/dev/my\\040stick /mnt/my\\040stick vfat users\n",
    "a /m\\0 tmpfs\n",
    "a /m\\000x tmpfs\n",
    "a /m\\777 tmpfs\n",
    "a /m\\08 tmpfs\n",
    "a /m\\118 tmpfs\n",
    "a /m\\181x tmpfs\n",
    "a /m\\8111 tmpfs\n",
    "a /m\\ tmpfs\n",
    "a \\000 tmpfs\n",
    "\\000 /m tmpfs\n",
    "LABEL=STICK /media/stick vfat users,noauto\n",
    "LABEL=\"My Stick\" /media/stick vfat users\n",
    "LABEL=\"My\\040Stick\" /media/stick vfat users\n",
    "LABEL='x' /m vfat\n",
    "LABEL=\"x /m vfat\n",
    "LABEL=\"x\"y\" /m vfat\n",
    "LABEL= /m vfat\n",
    "LABEL=\"\" /m vfat\n",
    "UUID=1234-ABCD /m vfat\n",
    "PARTUUID=p /m vfat\nPARTLABEL=q /n vfat\nID=r /o vfat\n",
    "label=x /m vfat\n",
    "FOO=bar /m vfat\n",
    "=x /m vfat\n",
    "LABEL==x /m vfat\n",
    "a /m tmpfs users,\"quoted,comma\",x=1\n",
    "a /m tmpfs \"open,quote\n",
    "a /m tmpfs ,,users,,\n",
    "a /m tmpfs =x,users\n",
    "a /m tmpfs user=alice,uid=1\n",
    "#x\n  # indented comment\n\t\n \n/dev/sdb /m ext4\n",
    "Filename\tType\n/dev/sda2 /m ext4\n", /* a swaps header is an fstab line here */
    "1 2 3 4\n",                           /* mountinfo-looking */
};

START_TEST(test_fixed_files_agree)
{
	const char *why = fstab_oracle_check(fixed[_i], strlen(fixed[_i]));

	ck_assert_msg(!why, "case %d (%s): %s differs", _i, fixed[_i], why);
}
END_TEST

START_TEST(test_line_numbers_and_fields)
{
	static const char text[] =
	    "# intro\n\n"
	    "LABEL=\"My\\040Stick\" /media/my\\040stick vfat users,noauto 0 0\n"
	    "  # indented\n"
	    "/dev/sdb1 /mnt/b ext4\n";
	struct fstab_table t;
	unsigned bad;

	ck_assert_int_eq(fstab_parse(text, sizeof(text) - 1, &t, &bad), 0);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.v[0].line, 3);
	ck_assert_str_eq(t.v[0].source, "LABEL=\"My Stick\"");
	ck_assert_str_eq(t.v[0].tag, "LABEL");
	ck_assert_str_eq(t.v[0].tag_value, "My Stick");
	ck_assert_str_eq(t.v[0].target, "/media/my stick");
	ck_assert_str_eq(t.v[0].options, "users,noauto");
	ck_assert_uint_eq(t.v[1].line, 5);
	ck_assert_ptr_null(t.v[1].tag);
	ck_assert_ptr_null(t.v[1].options);
	fstab_table_free(&t);

	/* A blank inside quotes still ends the field, as in libmount. */
	ck_assert_int_eq(fstab_parse("LABEL=\"a b\" /m vfat\n", 20, &t, &bad), 0);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_str_eq(t.v[0].source, "LABEL=\"a");
	ck_assert_ptr_null(t.v[0].tag); /* no closing quote */
	ck_assert_str_eq(t.v[0].target, "b\"");
	fstab_table_free(&t);

	ck_assert_int_eq(fstab_parse("a /a tmpfs\n\nb\n", 14, &t, &bad), -EINVAL);
	ck_assert_uint_eq(bad, 3);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_int_eq(fstab_parse("a /a tmp\0fs\n", 12, &t, &bad), -EINVAL);
	ck_assert_uint_eq(bad, 1);
	/* Documented: after a comment, a last line without newline is read. */
	ck_assert_int_eq(fstab_parse("#c\na /a tmpfs", 13, &t, &bad), 0);
	ck_assert_uint_eq(t.n, 1);
	fstab_table_free(&t);
}
END_TEST

/* Files from the tokens the rules turn on, reproducibly. */
static const char *const tokens[] = {
    "/dev/sda1",
    "/mnt/a",
    "/mnt//a/",
    "/",
    "LABEL=x",
    "LABEL=\"a b\"",
    "UUID='u'",
    "ID=",
    "FOO=bar",
    "=",
    "\\040",
    "\\0",
    "\\000",
    "\\777",
    "\\12",
    "\\",
    "tmpfs",
    "auto",
    "users",
    "users,noauto",
    "\"q,uo\"te",
    ",",
    ",,",
    "0",
    "8",
    "9",
    "1",
    "-1",
    "99999999999999999999",
    "x",
    "1x",
    " ",
    " ",
    " ",
    "\t",
    "#",
    "\r",
    "\v",
    "\n",
    "\n",
    "\n",
    "user=bob",
    "\"",
    "'",
    "a=b=c",
};

static unsigned long lcg(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

START_TEST(test_generated_files_agree)
{
	unsigned long seed = 20261203;
	char buf[512];

	for (int n = 0; n < 30000; n++) {
		size_t len = 0, want = lcg(&seed) % 24;
		const char *why;

		for (size_t k = 0; k < want; k++) {
			const char *t = tokens[lcg(&seed) % (sizeof(tokens) / sizeof(tokens[0]))];
			size_t tl = strlen(t);

			if (len + tl >= sizeof(buf))
				break;
			memcpy(buf + len, t, tl);
			len += tl;
		}
		if (lcg(&seed) % 2 && len + 1 < sizeof(buf))
			buf[len++] = '\n';
		why = fstab_oracle_check(buf, len);
		ck_assert_msg(!why, "generated file %d (%.*s): %s differs", n, (int)len, buf, why);
	}
}
END_TEST

START_TEST(test_options_agree)
{
	static const char *const opts[] = {
	    "",        ",",       "users",          "user=alice",      "user=alice,users",
	    "fuser=x", "user2=x", "x,user=\"a,b\"", "user=\"open",     "\"user=x\"",
	    "=user",   "user==x", ",,user=y,",      "a=\"b\"c=d,user",
	};
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		char *a = NULL, *b = NULL;
		size_t al = 0, bl = 0;
		int ra = optstr_get(opts[i], "user", &a, &al);
		int rb = mnt_optstr_get_option(opts[i], "user", &b, &bl);

		ck_assert_msg(ra == rb && (ra != 0 || (a == b && al == bl)), "get in '%s'",
			      opts[i]);
		ck_assert_msg(!fstab_oracle_options(opts[i]), "items of '%s'", opts[i]);
	}
}
END_TEST

START_TEST(test_paths_and_types_agree)
{
	static const char *const paths[] = {"/mnt/a",   "/mnt/a/", "/mnt//a", "//mnt/a",
					    "/mnt/a//", "/mnt/ab", "/mnt",    "/",
					    "//",       "",        "mnt/a",   "/mnt/a/."};
	static const char *const types[] = {"ext4", "vfat", "EXT4", "fuse.sshfs", "nfs", ""};
	static const char *const patterns[] = {
	    "ext4",       "ext4,vfat", "vfat,ext4", "noext4", "noext4,vfat", "vfat,noext4", "no",
	    "nonfs,ext4", "ext",       "ext4x",     "",       "fuse.sshfs,", ",ext4"};
	struct libmnt_fs *fs = mnt_new_fs();

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		ck_assert_int_eq(mnt_fs_set_target(fs, paths[i]), 0);
		for (size_t j = 0; j < sizeof(paths) / sizeof(paths[0]); j++)
			ck_assert_msg(fstab_same_path(paths[i], paths[j]) ==
					  (mnt_fs_streq_target(fs, paths[j]) == 1),
				      "'%s' and '%s'", paths[i], paths[j]);
	}
	mnt_unref_fs(fs);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		for (size_t j = 0; j < sizeof(patterns) / sizeof(patterns[0]); j++)
			ck_assert_msg(fstab_type_matches(types[i], patterns[j]) ==
					  (mnt_match_fstype(types[i], patterns[j]) == 1),
				      "type '%s' pattern '%s'", types[i], patterns[j]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fstabparse");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_fixed_files_agree, 0, (int)(sizeof(fixed) / sizeof(fixed[0])));
	tcase_add_test(tc, test_line_numbers_and_fields);
	tcase_add_test(tc, test_generated_files_agree);
	tcase_add_test(tc, test_options_agree);
	tcase_add_test(tc, test_paths_and_types_agree);
	suite_add_tcase(s, tc);
	return uu_run_suite(s);
}
