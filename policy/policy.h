/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * policy.h — who may unmount what.
 *
 * The contract of this module: facts in, verdict out. Nothing here does I/O,
 * reads the environment, allocates on the decision path or needs privilege.
 * The helper gathers the facts (mount table, fstab, utab, caller identity);
 * policy_decide() only compares them. That is what makes it table-testable
 * and fuzzable.
 */
#ifndef USER_UMOUNT_POLICY_H
#define USER_UMOUNT_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Unmount flags a caller asks for and a rule grants (not the kernel's bits). */
enum policy_flag {
	POLICY_LAZY = 1u << 0,
	POLICY_FORCE = 1u << 1,
	POLICY_EXPIRE = 1u << 2,
};
#define POLICY_ALL_FLAGS (POLICY_LAZY | POLICY_FORCE | POLICY_EXPIRE)

/* Named limits of the policy language (user-umount.conf(5)). */
#define POLICY_MAX_LINE  4096
#define POLICY_MAX_RULES 10000
#define POLICY_MAX_TYPES 64

enum policy_who {
	POLICY_WHO_ANY = 0, /* "*" */
	POLICY_WHO_USER,    /* "name" */
	POLICY_WHO_GROUP,   /* ":group" */
};

/* One line of a policy file, as the parser found it. */
struct policy_rule {
	bool permit;    /* false: deny */
	unsigned flags; /* enum policy_flag bits granted; permit only */
	enum policy_who who_kind;
	char *who;        /* user or group name, NULL for "*" */
	char *on;         /* glob over the mount point, NULL: any */
	char *from;       /* glob over the mounted source, NULL: any */
	char **types;     /* exact file system type names */
	size_t ntypes;    /* 0: any type */
	const char *file; /* points into struct policy's file list */
	unsigned line;
};

struct policy {
	struct policy_rule *rules;
	size_t nrules;
	char **files; /* names of the files the rules came from, owned */
	size_t nfiles;
};

/*
 * Where and why the parser refused its input. message may quote bytes of
 * the file as they are (control bytes too): escape it before printing.
 * kind holds no text of the file.
 */
struct policy_error {
	char file[256];
	unsigned line;
	unsigned column;
	char message[256];
	char kind[256]; /* the message without any text of the file */
};

/*
 * Parse one file's bytes and append its rules to *p. Returns 0, or -1 with
 * *err filled in (the rules of this buffer are then not appended). The
 * parser refuses NUL bytes, lines over POLICY_MAX_LINE bytes and more than
 * POLICY_MAX_RULES rules in the whole policy.
 */
int policy_parse_buffer(struct policy *p, const char *file, const char *buf, size_t len,
			struct policy_error *err);

/* Told one refused line by policy_check_buffer(). */
typedef void policy_error_fn(const struct policy_error *err, void *arg);

/*
 * policy_parse_buffer() that goes on after a refused line (--check-policy):
 * the first error of each refused line goes to report(err, arg), and
 * parsing resumes at the next line; it stops only at the rule limit or when
 * out of memory. Returns how many errors were reported; only with 0 are
 * the buffer's rules appended to *p.
 */
size_t policy_check_buffer(struct policy *p, const char *file, const char *buf, size_t len,
			   policy_error_fn *report, void *arg);
void policy_free(struct policy *p);

/* The fstab entry that matches the mounted (source, target) pair. */
struct policy_fstab {
	const char *file;
	unsigned line;
	bool users;              /* any user may unmount */
	bool user;               /* "user", "owner" or "group": only the recorded mounter */
	const char *user_option; /* which of user/owner/group it was, for messages */
};

struct policy_caller {
	uid_t uid;
	const char *name;          /* the caller's user name */
	const char *const *groups; /* names of the caller's groups */
	size_t ngroups;
};

/* Facts about one mount, gathered by the helper. Strings are unescaped. */
struct policy_mount {
	const char *target;               /* mount point as the caller's mount table shows it */
	const char *source;               /* mounted source as the mount table shows it */
	const char *fstype;               /* kernel's type name, "fuse.sshfs" etc. */
	bool is_root;                     /* the caller's root mount or the mount of / */
	const char *fuse_user_id;         /* "user_id=" value of a FUSE super block, or NULL */
	const char *utab_user;            /* "user=" recorded by mount(8) in utab, or NULL */
	const struct policy_fstab *fstab; /* matching fstab entry, or NULL */
	/* without one: "fstab:7 is for LABEL=X; /dev/loop3 is mounted here" */
	const char *fstab_mismatch;
};

struct policy_request {
	const struct policy_caller *caller;
	const struct policy_mount *mount;
	unsigned flags; /* enum policy_flag bits asked for */
};

/* Deny is the zero value. */
enum policy_result {
	POLICY_DENY = 0,
	POLICY_PERMIT,
};

enum policy_reason {
	POLICY_NO_ENTITLEMENT = 0, /* nothing allowed it */
	POLICY_ROOT_MOUNT,         /* never: the caller's root or / */
	POLICY_RULE,               /* a policy rule decided (permit or deny) */
	POLICY_FLAG_NOT_GRANTED,   /* entitled, but not to these flags */
	POLICY_FSTAB_USERS,        /* fstab "users" */
	POLICY_FSTAB_USER,         /* fstab user/owner/group + utab user= */
	POLICY_FUSE_OWNER,         /* FUSE user_id= equals the caller's uid */
};

struct policy_verdict {
	enum policy_result result;
	enum policy_reason reason;
	const struct policy_rule *rule;   /* POLICY_RULE, or the rule lacking flags */
	const struct policy_fstab *fstab; /* POLICY_FSTAB_* */
	unsigned missing_flags;           /* POLICY_FLAG_NOT_GRANTED */
	enum policy_reason missing_from;  /* which entitlement lacked them */
};

void policy_decide(const struct policy *p, const struct policy_request *rq,
		   struct policy_verdict *v);

/*
 * Propagation into the mount namespaces that receive from the target's
 * parent (docs/DESIGN.md, "The namespace scan"). The helper lists every
 * mount of every namespace (helper/privileged/nsscan.c);
 * policy_propagate_decide() applies the kernel's rules (fs/pnode.c) to
 * that table and only compares.
 */
struct policy_ns_mount {
	uint64_t id;         /* unique mount ID; the table is sorted by it */
	uint64_t parent;     /* the parent's unique ID; its own for a namespace's root */
	uint64_t ns;         /* mount namespace ID */
	uint64_t peer_group; /* its shared peer group, 0: not shared */
	uint64_t master;     /* the peer group it receives from (a slave), 0: none */
	uint64_t dev;        /* super block: device number */
	uint64_t magic;      /* super block: file system type */
	const char *root;    /* its root inside the file system; NULL: not known */
	const char *point;   /* its mount point; NULL: cannot be placed (hidden, off the root) */
};

enum policy_propagate_mode {
	POLICY_PROPAGATE_PLAIN = 0, /* the target alone (plain, --force, --expire) */
	POLICY_PROPAGATE_TREE,      /* the target and its whole subtree (--lazy, --recursive) */
};

/* Deny is the zero value. */
enum policy_propagate_result {
	POLICY_PROPAGATE_UNKNOWN = 0, /* a mount it reaches cannot be placed, or the table
				       * disagrees with itself or with the request */
	POLICY_PROPAGATE_NOT_COPY,    /* it would take a mount that is no copy of the one it
				       * stands for */
	POLICY_PROPAGATE_ON_COPY,     /* a mount that is no such copy sits on or inside a
				       * copy it would take */
	POLICY_PROPAGATE_CLEAR,
};

#define POLICY_PROPAGATE_NONE ((size_t)-1)
/* Peer groups one propagation tree may span; more: unknown. */
#define POLICY_PROPAGATE_GROUPS_MAX 1024

struct policy_propagate_verdict {
	enum policy_propagate_result result;
	size_t index;   /* the mount that blocks (index into the table), or _NONE */
	size_t copy_of; /* NOT_COPY, ON_COPY: the mount of the set it stands for, or _NONE */
};

/* Scratch for one decision, one per table entry; the caller's memory. */
struct policy_propagate_slot {
	size_t parent; /* index of the parent */
	size_t of;     /* a candidate: the mount of the set it stands for */
	unsigned flags;
};

/*
 * What an unmount of SET (unique IDs; SET[0] the target, mounted on
 * PARENT; with POLICY_PROPAGATE_TREE also its whole subtree) would take in
 * every namespace, checked against the kernel's rules: CLEAR only if each
 * mount it takes is a copy of the member of SET it stands for (same super
 * block, type and root) and nothing else sits on or inside those copies.
 * V: every mount of every namespace, sorted by ID; WORK: N slots.
 */
void policy_propagate_decide(const struct policy_ns_mount *v, size_t n, uint64_t parent,
			     const uint64_t *set, size_t nset, enum policy_propagate_mode mode,
			     struct policy_propagate_slot *work,
			     struct policy_propagate_verdict *out);

/*
 * The mounts other than the target that an unmount can reach (see
 * docs/DESIGN.md, "Which mount umount2() reaches"). The helper gathers
 * them; policy_decide_tree() only compares.
 */
enum policy_tree_role {
	POLICY_TREE_BELOW,     /* in the target's subtree: --lazy and --recursive take it */
	POLICY_TREE_BENEATH,   /* under the target at the same mount point */
	POLICY_TREE_NEIGHBOUR, /* another child of the parent mount, in a stack of its own */
	POLICY_TREE_SHARED,    /* a shared mount the unmount propagates from */
};

struct policy_tree_mount {
	enum policy_tree_role role;
	const struct policy_mount *mount; /* NULL: its facts could not be gathered */
	const char *target;               /* for the message, even when mount is NULL */
	/* POLICY_TREE_NEIGHBOUR: its stack (entries of one stack share the
	 * number), its level in it (0 is the one on the parent mount), whether
	 * it is that stack's top (the one a swap brings under the name, and
	 * pins), and whether its mount point's directory is fixed (no user but
	 * root can change it: the stack cannot be swapped in at all). */
	unsigned stack, level;
	bool top, fixed;
};

struct policy_tree {
	const struct policy_tree_mount *mounts;
	size_t n;
	bool incomplete; /* a lookup failed or a limit was hit: nothing is known */
	bool recursive;  /* --recursive (not a policy flag: each mount decided alone) */
	/* The mount point's directory is on a FUSE file system: looking the
	 * name up inside umount2() could wait for its daemon. */
	bool parent_asks_daemon;
	/* A neighbour that could not be opened and verified by mount ID, so
	 * not pinned (its mount point for the message): nothing is allowed. */
	const char *unpinned;
	/* Every mount namespace was scanned (policy_propagate_decide()): its
	 * verdict decides the SHARED mounts. Not scanned (this kernel cannot):
	 * a SHARED mount refuses --lazy and --recursive, whatever is there. */
	bool scanned;
	enum policy_propagate_result propagation;
};

/* Deny is the zero value: an unknown tree blocks. */
enum policy_tree_result {
	POLICY_TREE_UNKNOWN = 0,  /* facts missing (at index, or none when incomplete) */
	POLICY_TREE_BELOW_DENIED, /* a mount below may not be unmounted by the caller */
	POLICY_TREE_PROPAGATES,   /* --lazy/--recursive would propagate to unseen shared peers */
	POLICY_TREE_TAKES_OTHER,  /* propagation would take a mount that is no copy (scanned) */
	POLICY_TREE_BENEATH_DENIED,
	POLICY_TREE_NEIGHBOUR_DENIED, /* --force: a pinned neighbour would still be forced */
	/* a mount the caller may remove sits on one they may not, in a
	 * neighbour's stack: the pin on the top would not hold the one beneath */
	POLICY_TREE_STACK_UNPINNABLE,
	POLICY_TREE_PARENT_FUSE, /* the lookup in umount2() could wait for a FUSE daemon */
	POLICY_TREE_CLEAR,
};

struct policy_tree_verdict {
	enum policy_tree_result result;
	size_t index; /* the first mount that blocked; n: tree.unpinned */
};

/* Whether this one mount blocks the request (the target's own verdict is
 * policy_decide()'s). Used for the verdict and to list every blocker. */
bool policy_tree_blocks(const struct policy *p, const struct policy_request *rq,
			const struct policy_tree *t, size_t i);

void policy_decide_tree(const struct policy *p, const struct policy_request *rq,
			const struct policy_tree *t, struct policy_tree_verdict *v);

/*
 * "fstab:12 users", "/etc/user-umount/policy.conf:3 permit", "FUSE user_id":
 * the deciding rule, for -v, --json and syslog. Returns buf.
 */
const char *policy_rule_describe(const struct policy_verdict *v, char *buf, size_t len);

/* Why a denial was reached, in plain words, for the one-line message. */
const char *policy_denial_describe(const struct policy_request *rq, const struct policy_verdict *v,
				   char *buf, size_t len);

/*
 * The verdict as a stable reason code for --json, --list and syslog:
 * "fstab-users", "fstab-user", "fuse-owner", "policy-permit" (permitted),
 * "policy-deny", "flag-not-granted", "never-root", "not-entitled" (denied).
 * Documented in user-umount(8); never renamed.
 */
const char *policy_reason_code(const struct policy_verdict *v);

/*
 * What a double star does in a pattern, for --check-policy -v: for
 * "/home" followed by "/" and the double star, "'**' is zero or more
 * components: also matches /home"; a note for a double star inside a
 * component (it is one '*'); "" when the pattern has none. Returns buf.
 */
const char *policy_pattern_describe(const char *pattern, char *buf, size_t len);

/* Names of flag bits ("lazy", "force", "expire"), joined with ", ". */
const char *policy_flags_describe(unsigned flags, char *buf, size_t len);

/*
 * Strict numeric parse of a uid as the kernel prints it: decimal digits only,
 * no sign, no spaces, no leading zeros, within uid_t and not (uid_t)-1.
 * Returns 0 or -1.
 */
int policy_parse_uid(const char *s, uid_t *out);

/* FUSE by kernel type name: "fuse", "fuseblk", "fuse.*". */
bool policy_is_fuse(const char *fstype);

#endif
