/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * run.c — see run.h.
 */
#define _GNU_SOURCE
#include "run.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "allowed.h"
#include "byid.h"
#include "devices.h"
#include "facts.h"
#include "fstab.h"
#include "holders.h"
#include "pins.h"
#include "hygiene.h"
#include "privs.h"
#include "tags.h"
#include "target.h"
#include "tree.h"
#include "unmount.h"
#include "utab.h"

#define FORCE_RETRY_DELAY_NS (250 * 1000 * 1000L)

static void set(struct report *r, enum outcome o, enum exit_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void set(struct report *r, enum outcome o, enum exit_code code, const char *fmt, ...)
{
	va_list ap;

	r->outcome = o;
	r->exit_code = code;
	r->reason = NULL; /* from the outcome, unless the caller names one */
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
}

/* Append SEP and PATH (escaped) to BUF while it fits; "..." once it does not. */
static void append(char *buf, size_t size, const char *sep, const char *path)
{
	char esc[REPORT_TEXT_MAX];
	size_t len = strlen(buf);

	report_escape(path, esc, sizeof(esc));
	if (len + strlen(sep) + strlen(esc) + 4 < size)
		snprintf(buf + len, size - len, "%s%s", sep, esc);
	else if (len + 4 < size && !strstr(buf, "..."))
		snprintf(buf + len, size - len, "...");
}

static void append_path(struct report *r, const char *sep, const char *path)
{
	append(r->message, sizeof(r->message), sep, path);
}

void run_context_init(struct run_context *ctx, const struct options *o, const struct caller *c,
		      const struct policy *p)
{
	ctx->o = o;
	ctx->c = c;
	ctx->p = p;
	ctx->pc = (struct policy_caller){c->uid, c->name, (const char *const *)c->group_names,
					 c->ngroup_names};
}

static void resolve_failed(struct report *r, enum target_result tr, int err)
{
	if (tr == TARGET_ERRNO)
		return report_set_errno(r, err);
	r->err = tr == TARGET_FAILED ? err : 0;
	if (tr == TARGET_FAILED && err == EINTR) {
		set(r, OUTCOME_ERROR, EXIT_INTERRUPTED, "interrupted; nothing was unmounted");
		r->reason = "interrupted";
	} else if (tr == TARGET_SYMLINK || tr == TARGET_DOT) {
		set(r, OUTCOME_DENIED, EXIT_USAGE, "%s", target_strerror(tr));
		r->reason = tr == TARGET_SYMLINK ? "symlink" : "dot";
	} else if (tr == TARGET_NOT_MOUNTPOINT)
		set(r, OUTCOME_NOT_MOUNTED, EXIT_FAILED, "%s", target_strerror(tr));
	else
		set(r, OUTCOME_ERROR, EXIT_SYSERR, "%s: %s", target_strerror(tr), strerror(err));
}

static void facts_failed(struct report *r, enum facts_result fr, const struct facts *f, int err)
{
	r->err = err;
	if (fr == FACTS_OTHER_NAMESPACE)
		set(r, OUTCOME_DENIED, EXIT_USAGE,
		    "permission denied: not a mount of your mount namespace");
	else if (fr == FACTS_FSTAB_BROKEN)
		set(r, OUTCOME_ERROR, EXIT_SYSERR,
		    "%s:%u: syntax error; fstab is not trusted, nothing was unmounted",
		    UU_FSTAB_PATH, f->bad_line);
	else if (fr == FACTS_UTAB_UNSAFE)
		set(r, OUTCOME_ERROR, EXIT_SYSERR,
		    "%s is not owned by root or is writable by others; nothing was unmounted",
		    UU_UTAB_PATH);
	else if (fr == FACTS_UTAB_AMBIGUOUS)
		set(r, OUTCOME_ERROR, EXIT_SYSERR,
		    "%s has several lines for this mount (a stale one?); which one is its own "
		    "cannot be told, so nothing was unmounted",
		    UU_UTAB_PATH);
	else
		set(r, OUTCOME_ERROR, EXIT_SYSERR, "cannot read the mount table: %s",
		    strerror(err));
	r->reason = fr == FACTS_OTHER_NAMESPACE  ? "other-namespace"
		    : fr == FACTS_FSTAB_BROKEN   ? "fstab-broken"
		    : fr == FACTS_UTAB_UNSAFE    ? "utab-unsafe"
		    : fr == FACTS_UTAB_AMBIGUOUS ? "utab-ambiguous"
						 : NULL;
}

static struct policy_request request(const struct run_context *ctx, const struct facts *f,
				     unsigned flags)
{
	return (struct policy_request){&ctx->pc, &f->pm, flags};
}

static void denied(struct report *r, const struct policy_request *rq,
		   const struct policy_verdict *v)
{
	char why[REPORT_TEXT_MAX - 32];

	set(r, OUTCOME_DENIED, EXIT_USAGE, "permission denied: %s",
	    policy_denial_describe(rq, v, why, sizeof(why)));
}

static const char *tree_flag(const struct run_context *ctx, const struct report *r)
{
	if (r->flags & POLICY_LAZY)
		return "--lazy";
	return ctx->o->recursive ? "--recursive" : "the unmount";
}

/* Every mount of ROLE that blocks, listed after the message's head. */
static void list_blockers(const struct run_context *ctx, struct report *r,
			  const struct policy_request *rq, const struct tree *tr,
			  enum policy_tree_role role)
{
	bool first = true;

	for (size_t i = 0; i < tr->n; i++)
		if (tr->ms[i].role == role && policy_tree_blocks(ctx->p, rq, &tr->pt, i)) {
			append_path(r, first ? "" : ", ", tr->ms[i].target);
			first = false;
		}
}

/* Word the tree verdict; the decision itself is policy_decide_tree()'s. */
static void tree_refused(const struct run_context *ctx, struct report *r,
			 const struct policy_request *rq, const struct tree *tr,
			 const struct policy_tree_verdict *tv)
{
	const char *which = tv->index < tr->n ? tr->ms[tv->index].target
			    : tr->pt.unpinned ? tr->pt.unpinned
					      : "?";

	switch (tv->result) {
	case POLICY_TREE_UNKNOWN:
		if (tr->pt.incomplete) {
			r->err = tr->err;
			set(r, OUTCOME_ERROR, EXIT_SYSERR,
			    "cannot look up %s (%s); nothing was unmounted", tr->why,
			    strerror(tr->err));
		} else {
			set(r, OUTCOME_DENIED, EXIT_USAGE,
			    "permission denied: cannot check the mount at ");
			append_path(r, "", which);
			append_path(r, "",
				    ", which this unmount could reach; nothing was unmounted");
		}
		return;
	case POLICY_TREE_BELOW_DENIED:
		set(r, OUTCOME_DENIED, EXIT_USAGE,
		    "permission denied: %s would also unmount mounts you may not unmount: ",
		    tree_flag(ctx, r));
		return list_blockers(ctx, r, rq, tr, POLICY_TREE_BELOW);
	case POLICY_TREE_PROPAGATES:
		set(r, OUTCOME_DENIED, EXIT_USAGE,
		    "permission denied: %s would propagate to the copies under the shared peers "
		    "of ",
		    tree_flag(ctx, r));
		append_path(r, "", which);
		append_path(r, "", "; unmount it without it");
		return;
	case POLICY_TREE_TAKES_OTHER:
		set(r, OUTCOME_DENIED, EXIT_USAGE, "permission denied: %s would also take ",
		    tree_flag(ctx, r));
		append_path(r, "", which);
		append_path(r, "", "; nothing was unmounted");
		return;
	case POLICY_TREE_BENEATH_DENIED:
		set(r, OUTCOME_DENIED, EXIT_USAGE,
		    "permission denied: it is stacked on a mount you may not unmount (%s); if it "
		    "went away first, that one would be unmounted instead",
		    tr->e[tv->index].known && tr->e[tv->index].f->mount.source
			? tr->e[tv->index].f->mount.source
			: "?");
		return;
	case POLICY_TREE_NEIGHBOUR_DENIED:
		set(r, OUTCOME_DENIED, EXIT_USAGE,
		    "permission denied: --force would also reach a mount you may not force if it "
		    "were moved into its place (a rename in a directory you can change): ");
		return list_blockers(ctx, r, rq, tr, POLICY_TREE_NEIGHBOUR);
	case POLICY_TREE_STACK_UNPINNABLE:
		set(r, OUTCOME_DENIED, EXIT_USAGE, "permission denied: the mount at ");
		append_path(r, "", which);
		append_path(r, "",
			    " is covered by one you may remove, so it cannot be held while "
			    "this unmount runs; a rename could move it into its place");
		return;
	case POLICY_TREE_PARENT_FUSE:
		set(r, OUTCOME_DENIED, EXIT_USAGE,
		    "permission denied: its mount point is inside a FUSE file system, whose daemon "
		    "would be asked for the name during the unmount; unmount the outer one first");
		return;
	case POLICY_TREE_CLEAR:
		return;
	}
}

/* The stable reason code of a tree refusal (user-umount(8), REASON CODES). */
static const char *tree_reason(const struct policy_tree_verdict *tv, const struct policy_tree *t)
{
	switch (tv->result) {
	case POLICY_TREE_UNKNOWN:
		return t->incomplete ? "error" : "cannot-check";
	case POLICY_TREE_BELOW_DENIED:
		return "below-not-entitled";
	case POLICY_TREE_PROPAGATES:
		return "shared-peers";
	case POLICY_TREE_TAKES_OTHER:
		return "propagates";
	case POLICY_TREE_BENEATH_DENIED:
		return "stacked";
	case POLICY_TREE_NEIGHBOUR_DENIED:
		return "swappable-neighbour";
	case POLICY_TREE_STACK_UNPINNABLE:
		return "stacked-removable";
	case POLICY_TREE_PARENT_FUSE:
		return "parent-fuse";
	case POLICY_TREE_CLEAR:
		break;
	}
	return NULL;
}

/* Gather and decide every mount besides the target that this unmount can
 * reach, pinning the neighbours (held in PINS until the caller releases
 * them, after umount2(); a dry run only verifies them). True: nothing
 * blocks. */
static bool tree_allowed(const struct run_context *ctx, struct report *r, const struct target *t,
			 const struct facts *f, bool recursive, struct tree *tr, struct pins *pins)
{
	struct policy_request rq = request(ctx, f, r->flags);
	struct tree_request trq = {t, f, r->flags, recursive, recursive, ctx->c->uid};
	struct policy_tree_verdict tv;

	tree_gather(&trq, tr);
	pins_take(tr, !ctx->o->dry_run, pins);
	policy_decide_tree(ctx->p, &rq, &tr->pt, &tv);
	if (tv.result == POLICY_TREE_CLEAR)
		return true;
	pins_release(pins);
	tree_refused(ctx, r, &rq, tr, &tv);
	r->reason = tree_reason(&tv, &tr->pt);
	return false;
}

/* Busy: who holds it is looked up later, without privilege (run_finish). */
static void note_busy(struct report *r, const struct facts *f)
{
	set(r, OUTCOME_BUSY, EXIT_FAILED, "target is busy");
	r->err = EBUSY;
	r->find_holders = true;
	r->holder_id = f->mount.id;
	r->holder_dev = f->mount.dev;
}

/*
 * The utab line goes before the unmount, and comes back if the unmount
 * fails: a helper that dies half-way leaves a mount without its line (its
 * mounter loses the entitlement), never a line that outlives its mount
 * (which would entitle whoever mounts there next). fs uid 0 for the
 * rewrite only: utab and its lock belong to root.
 */
static int utab_edit(const struct run_context *ctx, const struct facts *f, int pin, bool take)
{
	int r = privs_fs_root();

	if (r == 0)
		r = take ? utab_take(UU_UTAB_PATH, &f->mount, f->utab.line)
			 : utab_restore(UU_UTAB_PATH, &f->mount, f->utab.line, pin);
	if (privs_fs_caller(ctx->c->uid) < 0)
		r = -EPERM;
	return r;
}

static void utab_take_failed(struct report *r, int err)
{
	r->err = err;
	if (err == ETIMEDOUT)
		set(r, OUTCOME_ERROR, EXIT_SYSERR,
		    "%s is locked by another process; nothing was unmounted", UU_UTAB_PATH);
	else if (err == ESTALE)
		set(r, OUTCOME_ERROR, EXIT_SYSERR,
		    "%s changed while this unmount was decided; nothing was unmounted",
		    UU_UTAB_PATH);
	else
		set(r, OUTCOME_ERROR, EXIT_SYSERR, "cannot update %s: %s; nothing was unmounted",
		    UU_UTAB_PATH, strerror(err));
	r->reason = err == ETIMEDOUT ? "utab-locked" : "utab-not-updated";
}

/* The child's verdict, worded. True if the mount is gone. */
static bool unmount_outcome(struct report *r, enum unmount_result ur, int err,
			    const struct facts *f)
{
	if (ur == UNMOUNT_OK) {
		set(r, OUTCOME_UNMOUNTED, EXIT_OK, "%s", "");
		return true;
	}
	if (ur == UNMOUNT_KERNEL && err == EBUSY)
		note_busy(r, f);
	else if (ur == UNMOUNT_KERNEL)
		report_set_errno(r, err);
	else {
		r->err = err;
		bool changed = ur == UNMOUNT_CHANGED || ur == UNMOUNT_WRONG_MOUNT;

		set(r, OUTCOME_ERROR, changed ? EXIT_FAILED : EXIT_INTERNAL, "%s",
		    unmount_strerror(ur));
		r->reason = changed ? "changed" : NULL;
	}
	return false;
}

/*
 * The unmount failed: the line goes back only while its mount is there,
 * pinned first (an fd on it: its owner can no longer unmount it but
 * lazily, and utab_restore() checks again under the lock). --expire has
 * no pin (opening the mount clears its mark); the lock-held checks remain.
 */
static int utab_put_back(const struct run_context *ctx, struct target *t, const struct facts *f)
{
	int r = t->table_only ? 0 : target_repin(t);

	if (r == 0)
		r = utab_edit(ctx, f, t->fd, false); /* t->fd stays open until target_close() */
	return r == -ESTALE ? 0 : r;                 /* gone: no line is right */
}

/* Is the mount with this ID still there, seen or not (a rename may have
 * taken its mount point out of sight)? Unknown counts as there: success
 * is only said of a mount known to be gone. */
static bool still_mounted(const struct mount_id *id)
{
	return mounts_exists(id) != 0;
}

/*
 * What the kernel did, checked by ID. A rename that brought a pinned
 * neighbour under the name makes umount2() fail with EBUSY, while the
 * target itself is no longer under its name: that is "the target
 * changed", not "busy". And success must mean the target is gone: if it
 * is still mounted, umount2() took something else, which is said as it is.
 */
static void swap_seen(struct report *r, struct target *t, const struct facts *f,
		      enum unmount_result *ur, int *err)
{
	if (*ur == UNMOUNT_KERNEL && *err == EBUSY && !(r->flags & POLICY_LAZY) &&
	    target_repin(t) == -ESTALE && still_mounted(&f->mount.id)) {
		*ur = UNMOUNT_CHANGED;
		*err = 0;
	} else if (*ur == UNMOUNT_OK && still_mounted(&f->mount.id)) {
		*ur = UNMOUNT_WRONG_MOUNT;
		*err = 0;
	}
}

/* Unmount one resolved, decided mount; fill r. True if gone. */
static bool unmount_decided(const struct run_context *ctx, struct report *r, struct target *t,
			    const struct facts *f)
{
	int kflags = unmount_kernel_flags(r->flags), err, u;
	enum unmount_result ur;
	bool gone;

	u = f->utab.found ? utab_edit(ctx, f, -1, true) : 0;
	if (u < 0) {
		utab_take_failed(r, -u);
		return false;
	}
	ur = unmount_run(t, ctx->c, kflags, &err);
	if (ur == UNMOUNT_KERNEL && err == EBUSY && (r->flags & POLICY_FORCE)) {
		/* MNT_FORCE aborted a hung FUSE connection; the processes that
		 * were blocked in it need a moment to let go. Retry once, in a
		 * new child that re-checks the name first. */
		nanosleep(&(struct timespec){0, FORCE_RETRY_DELAY_NS}, NULL);
		if (target_repin(t) == 0)
			ur = unmount_run(t, ctx->c, kflags, &err);
	}
	swap_seen(r, t, f, &ur, &err);
	gone = unmount_outcome(r, ur, err, f);
	if (gone)
		facts_after_unmount(f, r->message, sizeof(r->message));
	/* Only a mount that is still there gets its line back: a line must
	 * never outlive its mount, whatever the child's fate was. */
	if (!gone && f->utab.found) {
		u = utab_put_back(ctx, t, f);
		if (u < 0) {
			append_path(r, "", "; and its utab line could not be put back: ");
			append_path(r, "", strerror(-u));
			r->exit_code = EXIT_UTAB;
			r->reason = "utab-not-updated";
		}
	}
	return gone;
}

/* The decision for one mount on its own (no tree): true if permitted. */
static bool entitled(const struct run_context *ctx, struct report *r, const struct facts *f)
{
	struct policy_request rq = request(ctx, f, r->flags);
	struct policy_verdict v;

	policy_decide(ctx->p, &rq, &v);
	policy_rule_describe(&v, r->rule, sizeof(r->rule));
	r->entitlement = policy_reason_code(&v);
	if (v.result == POLICY_PERMIT)
		return true;
	denied(r, &rq, &v);
	return false;
}

/* --recursive: every mount below, deepest first, each resolved again as the
 * caller by its own path, checked to be the mount that was listed, and
 * decided with its own neighbours and stack. */
static bool unmount_one_below(const struct run_context *ctx, struct report *sub,
			      const struct mount_id *id, const char *path)
{
	enum target_result tr;
	enum facts_result fr;
	struct tree nt = {0};
	struct pins pins = {0};
	struct target t;
	struct facts f = {0};
	bool ok = false;
	int err;

	tr = target_resolve(path, ctx->c, &t, &err);
	if (tr != TARGET_OK)
		resolve_failed(sub, tr, err);
	else if (!mount_id_equal(&t.id, id)) {
		set(sub, OUTCOME_ERROR, EXIT_FAILED, "%s", unmount_strerror(UNMOUNT_CHANGED));
		sub->reason = "changed";
	} else if ((fr = facts_gather(&t.id, &t.root_id, &f, &err)) != FACTS_OK)
		facts_failed(sub, fr, &f, err);
	else if (entitled(ctx, sub, &f) && tree_allowed(ctx, sub, &t, &f, false, &nt, &pins))
		ok = unmount_decided(ctx, sub, &t, &f);
	pins_release(&pins);
	tree_free(&nt);
	facts_free(&f);
	target_close(&t);
	return ok;
}

static bool unmount_below(const struct run_context *ctx, struct report *r, const struct tree *tr)
{
	for (size_t i = tr->n; i-- > 0;) {
		struct report sub = {.target = tr->ms[i].target, .flags = r->flags};

		if (tr->ms[i].role != POLICY_TREE_BELOW)
			continue;
		if (!unmount_one_below(ctx, &sub, &tr->e[i].f->mount.id, tr->ms[i].target)) {
			set(r, sub.outcome, sub.exit_code, "stopped at a mount below it: ");
			r->reason = sub.reason;
			append_path(r, "", tr->ms[i].target);
			append_path(r, ": ", sub.message);
			r->err = sub.err;
			return false;
		}
	}
	return true;
}

/*
 * --dry-run says busy only when the unmount would certainly fail with
 * EBUSY: the caller's own processes hold the mount, or (without --lazy and
 * --recursive) mounts sit below it. Both are looked at in run_finish(),
 * after privileges are gone; others' processes are not seen.
 */
static void dry_run(struct report *r, const struct facts *f)
{
	set(r, OUTCOME_WOULD_UNMOUNT, EXIT_OK, "%s", "");
	r->holder_id = f->mount.id;
	r->holder_dev = f->mount.dev;
	r->dry_busy_check = !(r->flags & POLICY_LAZY);
}

/*
 * fusermount3 -u -z (libfuse ends every FUSE daemon with it) where this
 * kernel cannot see the other mount namespaces: -z under a shared parent
 * is refused (shared-peers), and a refusal there leaves a dead FUSE mount
 * behind. Asked that way, a plain unmount is decided instead, from the
 * start, and -v says so.
 */
static bool plain_instead(const struct run_context *ctx, struct report *r, struct target *t,
			  const struct facts *f, struct tree *tr, struct pins *pins)
{
	if (!ctx->o->fusermount || !(r->flags & POLICY_LAZY) || !r->reason ||
	    strcmp(r->reason, "shared-peers") != 0)
		return false;
	r->flags &= ~POLICY_LAZY;
	r->note = "-z done as a plain unmount: this kernel cannot list the other mount "
		  "namespaces that a lazy unmount would reach";
	tree_free(tr);
	return entitled(ctx, r, f) && tree_allowed(ctx, r, t, f, ctx->o->recursive, tr, pins);
}

/* Decide and unmount a resolved mount root. */
static void decide_and_unmount(const struct run_context *ctx, struct report *r, struct target *t)
{
	struct tree tr = {0};
	struct pins pins = {0};
	enum facts_result fr;
	struct facts f;
	int err;

	fr = facts_gather(&t->id, &t->root_id, &f, &err);
	if (fr != FACTS_OK) {
		facts_failed(r, fr, &f, err);
		goto out;
	}
	r->source = f.mount.source;
	r->fstype = f.mount.fstype;
	r->mount_point = f.mount.target;
	if (f.mount.id.unique || t->id.unique) /* else unknown (libmount, or -e by table) */
		r->mount_id = f.mount.id.unique ? f.mount.id.unique : t->id.unique;
	if (ctx->o->json)
		r->allowed = allowed_of_target(ctx->p, &ctx->pc, t, &f);
	if (!entitled(ctx, r, &f) || (!tree_allowed(ctx, r, t, &f, ctx->o->recursive, &tr, &pins) &&
				      !plain_instead(ctx, r, t, &f, &tr, &pins)))
		goto out;
	if (ctx->o->dry_run)
		dry_run(r, &f);
	else if (!ctx->o->recursive || unmount_below(ctx, r, &tr))
		unmount_decided(ctx, r, t, &f);
out:
	pins_release(&pins);
	tree_free(&tr);
	/* The report outlives f: keep copies of what it names. */
	r->source = r->source ? strdup(r->source) : NULL;
	r->fstype = r->fstype ? strdup(r->fstype) : NULL;
	r->mount_point = r->mount_point ? strdup(r->mount_point) : NULL;
	facts_free(&f);
}

static enum target_result resolve(const struct run_context *ctx, const char *path, struct target *t,
				  int *err)
{
	if (ctx->o->flags & POLICY_EXPIRE)
		return target_resolve_untouched(path, ctx->c, t, err);
	return target_resolve(path, ctx->c, t, err);
}

/* A device or a tag names the one place it is mounted; several are listed. */
static void run_places(const struct run_context *ctx, struct report *r, char **places, size_t n)
{
	enum target_result tr;
	struct target t;
	int err;

	if (n > 1) {
		set(r, OUTCOME_ERROR, EXIT_USAGE, "mounted at ");
		for (size_t i = 0; i < n; i++)
			append_path(r, i == 0 ? "" : (i + 1 == n ? " and " : ", "), places[i]);
		append_path(r, "", "; name one");
		r->reason = "ambiguous-device";
		return;
	}
	/* --expire: the mount point is found without touching the mount. */
	tr = resolve(ctx, places[0], &t, &err);
	if (tr == TARGET_OK)
		decide_and_unmount(ctx, r, &t);
	else
		resolve_failed(r, tr, err);
	target_close(&t);
}

/* A block device names the one place it is mounted, found by number. */
static void run_device(const struct run_context *ctx, struct report *r, dev_t dev)
{
	char **places;
	size_t n;
	int err = devices_mount_points(dev, &places, &n);

	if (err < 0)
		set(r, OUTCOME_ERROR, EXIT_SYSERR, "cannot read the mount table: %s",
		    strerror(-err));
	else if (n == 0)
		set(r, OUTCOME_NOT_MOUNTED, EXIT_FAILED, "block device is not mounted");
	else
		run_places(ctx, r, places, n);
	devices_free(places, n);
}

/* LABEL=, UUID=, PARTLABEL=, PARTUUID=: the mounts of the device carrying it. */
static void run_tag(const struct run_context *ctx, struct report *r, const char *name,
		    const char *value)
{
	char **places;
	size_t n;
	int err = tags_mount_points(name, value, &places, &n);

	if (err < 0)
		set(r, OUTCOME_ERROR, EXIT_SYSERR, "cannot read the mount table: %s",
		    strerror(-err));
	else if (n == 0)
		set(r, OUTCOME_NOT_MOUNTED, EXIT_FAILED, "no mounted file system carries this %s",
		    name);
	else
		run_places(ctx, r, places, n);
	devices_free(places, n);
}

int run_target(const struct run_context *ctx, struct report *r)
{
	struct tags_value tag_buf;
	enum target_result tr;
	const char *tag_value;
	struct target t;
	char tag[16];
	int err;

	r->flags = ctx->o->flags;
	if (hygiene_interrupted()) {
		set(r, OUTCOME_ERROR, EXIT_INTERRUPTED, "interrupted; not attempted");
		r->reason = "interrupted";
		return r->exit_code;
	}
	if (tags_parse(r->target, tag, sizeof(tag), &tag_value)) {
		run_tag(ctx, r, tag, tag_value);
		return r->exit_code;
	}
	tr = resolve(ctx, r->target, &t, &err);
	if (tr == TARGET_NOT_MOUNTPOINT && t.table_only) {
		/* Not a mount point in the table: a device node, or say why not. */
		target_close(&t);
		tr = target_resolve(r->target, ctx->c, &t, &err);
	}
	if (tr == TARGET_OK)
		decide_and_unmount(ctx, r, &t);
	else if (tr == TARGET_NOT_MOUNTPOINT && t.block_device)
		run_device(ctx, r, t.rdev);
	else if (tr == TARGET_ERRNO && err == ENOENT &&
		 tags_link_path_tag(r->target, tag, &tag_buf))
		run_tag(ctx, r, tag, tag_buf.value); /* a /dev/disk/by-* name, no udev */
	else
		resolve_failed(r, tr, err);
	target_close(&t);
	return r->exit_code;
}

/* The mounts below a busy mount, named in the answer. */
static void busy_below(struct report *r)
{
	struct mount_facts m;
	struct mount_id *ids = NULL;
	size_t n = 0;

	if (mounts_list_below(&r->holder_id, &ids, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (mounts_lookup(&ids[i], &m) < 0)
			continue;
		append_path(r, i ? ", " : "; mounts below it: ", m.target);
		mount_facts_free(&m);
	}
	free(ids);
}

/* A dry run that would certainly meet EBUSY says so. */
static void dry_run_finish(const struct run_context *ctx, struct report *r)
{
	struct mount_id *ids = NULL;
	size_t n = 0;

	if (!ctx->o->recursive && mounts_list_below(&r->holder_id, &ids, &n) < 0)
		n = 0;
	free(ids);
	if (n == 0) {
		holders_find(ctx->c->uid, r->holder_id.legacy, r->holder_dev, r);
		n = r->nholders;
		r->nholders = 0;
	}
	if (n == 0)
		return;
	set(r, OUTCOME_BUSY, EXIT_FAILED, "target is busy");
	r->err = EBUSY;
	r->find_holders = true;
}

/* Runs with no privilege left: /proc as the caller sees it. */
void run_finish(const struct run_context *ctx, struct report *r)
{
	if (r->dry_busy_check)
		dry_run_finish(ctx, r);
	if (!r->find_holders)
		return;
	holders_find(ctx->c->uid, r->holder_id.legacy, r->holder_dev, r);
	for (size_t i = 0; i < r->nholders; i++) {
		const struct report_holder *h = &r->holders[i];
		bool show = h->path[0] && strcmp(h->how, "working directory") != 0;
		char item[REPORT_TEXT_MAX];

		snprintf(item, sizeof(item), "%d %s (%s%s%s)", (int)h->pid, h->comm, h->how,
			 show ? " " : "", show ? h->path : "");
		append_path(r, i ? ", " : ": used by your processes ", item);
	}
	if (r->nholders == 0)
		append_path(r, "", ": none of your processes holds it (others' are not shown)");
	busy_below(r);
}

int run_target_id(const struct run_context *ctx, struct report *r)
{
	struct target t;

	r->flags = ctx->o->flags;
	if (hygiene_interrupted()) {
		set(r, OUTCOME_ERROR, EXIT_INTERRUPTED, "interrupted; not attempted");
		r->reason = "interrupted";
		return r->exit_code;
	}
	if (byid_resolve(r->target, ctx->c, r->flags, &t, r) == 0)
		decide_and_unmount(ctx, r, &t);
	target_close(&t);
	return r->exit_code;
}
