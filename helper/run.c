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
#include "target.h"
#include "unmount.h"
#include "utab.h"

#define FORCE_RETRY_DELAY_NS (250 * 1000 * 1000L)

/* The mounts below a target, with their facts, parent before child. */
struct below {
	struct mount_id *ids;
	struct facts *facts;
	size_t n;
};

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

static void resolve_failed(struct report *r, enum target_result tr, int err)
{
	if (tr == TARGET_ERRNO)
		return report_set_errno(r, err);
	r->err = tr == TARGET_FAILED ? err : 0;
	if (tr == TARGET_SYMLINK || tr == TARGET_DOT) {
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
	if (fr == FACTS_OTHER_NAMESPACE || fr == FACTS_FSTAB_BROKEN || fr == FACTS_UTAB_UNSAFE) {
		r->reason = fr == FACTS_OTHER_NAMESPACE ? "other-namespace"
			    : fr == FACTS_FSTAB_BROKEN  ? "fstab-broken"
							: "utab-unsafe";
		return;
	}
	set(r, OUTCOME_ERROR, EXIT_SYSERR, "cannot read the mount table: %s", strerror(err));
}

static bool decide(const struct run_context *ctx, const struct facts *f, unsigned flags,
		   struct policy_verdict *v)
{
	const struct caller *c = ctx->c;
	struct policy_caller pc = {c->uid, c->name, (const char *const *)c->group_names,
				   c->ngroup_names};
	struct policy_request rq = {&pc, &f->pm, flags};

	policy_decide(ctx->p, &rq, v);
	return v->result == POLICY_PERMIT;
}

static void denied(const struct run_context *ctx, struct report *r, const struct facts *f,
		   const struct policy_verdict *v)
{
	const struct caller *c = ctx->c;
	struct policy_caller pc = {c->uid, c->name, (const char *const *)c->group_names,
				   c->ngroup_names};
	struct policy_request rq = {&pc, &f->pm, r->flags};
	char why[REPORT_TEXT_MAX - 32];

	set(r, OUTCOME_DENIED, EXIT_USAGE, "permission denied: %s",
	    policy_denial_describe(&rq, v, why, sizeof(why)));
}

static void below_free(struct below *b)
{
	for (size_t i = 0; b->facts && i < b->n; i++)
		facts_free(&b->facts[i]);
	free(b->facts);
	free(b->ids);
	memset(b, 0, sizeof(*b));
}

static int below_load(const struct target *t, struct below *b)
{
	int r = mounts_list_below(&t->id, &b->ids, &b->n), err;

	if (r < 0)
		return r;
	b->facts = calloc(b->n + 1, sizeof(*b->facts));
	if (!b->facts)
		return -ENOMEM;
	for (size_t i = 0; i < b->n; i++)
		if (facts_gather(&b->ids[i], &t->root_id, &b->facts[i], &err) != FACTS_OK)
			return err ? -err : -EPERM;
	return 0;
}

/* Append ", PATH" to the message while it fits. */
static void append_path(struct report *r, const char *sep, const char *path)
{
	char esc[REPORT_TEXT_MAX];
	size_t len = strlen(r->message);

	report_escape(path, esc, sizeof(esc));
	if (len + strlen(sep) + strlen(esc) + 4 < sizeof(r->message))
		snprintf(r->message + len, sizeof(r->message) - len, "%s%s", sep, esc);
	else if (len + 4 < sizeof(r->message) && !strstr(r->message, "..."))
		snprintf(r->message + len, sizeof(r->message) - len, "...");
}

/*
 * A lazy detach takes the whole tree below the target with it (after
 * `mount --rbind / X`, `umount -l X` would empty /proc, /sys and /dev of
 * the namespace), and --recursive unmounts it. Either is allowed only if
 * the caller could unmount every mount below on its own.
 */
static bool below_allowed(const struct run_context *ctx, const struct below *b, struct report *r)
{
	unsigned each = r->flags & ~POLICY_LAZY;
	struct policy_verdict v;
	bool ok = true;

	for (size_t i = 0; i < b->n; i++) {
		if (decide(ctx, &b->facts[i], each, &v))
			continue;
		if (ok)
			set(r, OUTCOME_DENIED, EXIT_USAGE,
			    "permission denied: %s would also unmount mounts you may not unmount: ",
			    (r->flags & POLICY_LAZY) ? "--lazy" : "--recursive");
		append_path(r, ok ? "" : ", ", b->facts[i].mount.target);
		r->reason = "below-not-entitled";
		ok = false;
	}
	return ok;
}

/*
 * An unmount below a shared mount propagates to the copies under its peers
 * (Linux seed: "umount() of any peer in a set of shared mounts will cause
 * all of its peers to be unmounted"). A lazy detach takes those copies
 * whether they are busy or not, so --lazy and --recursive are refused when
 * the parent of the target has peers; a plain unmount, like umount(8)'s,
 * only reaches copies that are not in use.
 */
static bool no_peers(const struct facts *f, struct report *r)
{
	struct mount_facts parent;
	bool shared = true;
	char **peers;
	size_t n;
	int err;

	/* Cheap first (one statmount): a parent that is not shared has no peers. */
	if (mounts_lookup(&f->mount.parent, &parent) == 0)
		shared = parent.shared;
	mount_facts_free(&parent);
	if (!shared)
		return true;
	err = devices_peers(&f->mount.parent, &peers, &n);
	if (err < 0) {
		set(r, OUTCOME_ERROR, EXIT_SYSERR, "cannot read the mount table: %s",
		    strerror(-err));
		return false;
	}
	if (n > 0) {
		set(r, OUTCOME_DENIED, EXIT_USAGE,
		    "permission denied: %s would propagate to copies of it under the shared peers ",
		    (r->flags & POLICY_LAZY) ? "--lazy" : "--recursive");
		for (size_t i = 0; i < n; i++)
			append_path(r, i ? ", " : "", peers[i]);
		append_path(r, "", "; unmount it without it");
		r->reason = "shared-peers";
	}
	devices_free(peers, n);
	return n == 0;
}

static void busy(const struct run_context *ctx, struct report *r, const struct target *t,
		 const struct facts *f, const struct below *b)
{
	struct below own = {0};

	set(r, OUTCOME_BUSY, EXIT_FAILED, "target is busy");
	r->err = EBUSY;
	holders_find(ctx->c->uid, &t->id, f->mount.dev, r);
	if (!b && below_load(t, &own) == 0)
		b = &own;
	for (size_t i = 0; i < r->nholders; i++) {
		const struct report_holder *h = &r->holders[i];
		char item[REPORT_TEXT_MAX];

		snprintf(item, sizeof(item), "%d %s (%s%s%s)", (int)h->pid, h->comm, h->how,
			 h->path[0] && strcmp(h->how, "working directory") ? " " : "",
			 h->path[0] && strcmp(h->how, "working directory") ? h->path : "");
		append_path(r, i ? ", " : ": used by your processes ", item);
	}
	if (r->nholders == 0)
		append_path(r, "", ": none of your processes holds it (others' are not shown)");
	for (size_t i = 0; b && i < b->n; i++)
		append_path(r, i ? ", " : "; mounts below it: ", b->facts[i].mount.target);
	below_free(&own);
}

/*
 * --dry-run says busy only when the unmount would certainly fail with
 * EBUSY: the caller's own processes hold the mount, or (without --lazy
 * and --recursive) mounts sit below it. Others' processes are not seen.
 */
static void dry_run(const struct run_context *ctx, struct report *r, const struct target *t,
		    const struct facts *f, const struct below *b)
{
	struct mount_id *ids = NULL;
	size_t n = 0;

	set(r, OUTCOME_WOULD_UNMOUNT, EXIT_OK, "%s", "");
	if (r->flags & POLICY_LAZY)
		return;
	if (!ctx->o->recursive && mounts_list_below(&t->id, &ids, &n) < 0)
		n = 0;
	free(ids);
	if (n == 0) {
		holders_find(ctx->c->uid, &t->id, f->mount.dev, r);
		n = r->nholders;
		r->nholders = 0; /* busy() finds them again, with the message */
	}
	if (n > 0)
		busy(ctx, r, t, f, b);
}

/* Deeper stacks are refused: each level costs a lookup (a mountinfo parse
 * on the fallback path), and nobody stacks this many mounts by accident. */
#define STACK_MAX 16

/*
 * umount2() takes a path and unmounts whatever is on top there. If the
 * decided mount sits on other mounts at the same mount point and goes away
 * between the re-check and umount2() (its owner can unmount it: a FUSE
 * mount stacked on someone's media), the call hits the mount beneath. So a
 * stacked mount is unmounted only if the caller could unmount every mount
 * beneath it as well. Cheap when nothing is stacked: one lookup.
 */
static bool beneath_allowed(const struct run_context *ctx, const struct target *t,
			    const struct facts *f, struct report *r)
{
	struct mount_id cur = f->mount.parent;
	struct policy_verdict v;
	struct mount_facts m;
	struct facts pf;
	bool stacked;
	int err;

	for (int depth = 0; depth < STACK_MAX; depth++) {
		if (mounts_lookup(&cur, &m) < 0)
			return true; /* no parent we can see: nothing beneath */
		stacked = strcmp(m.target, f->mount.target) == 0;
		mount_facts_free(&m);
		if (!stacked)
			return true;
		if (facts_gather(&cur, &t->root_id, &pf, &err) != FACTS_OK ||
		    !decide(ctx, &pf, r->flags, &v)) {
			set(r, OUTCOME_DENIED, EXIT_USAGE,
			    "permission denied: it is stacked on a mount you may not unmount (%s); "
			    "if it went away first, that one would be unmounted instead",
			    pf.mount.source ? pf.mount.source : "?");
			r->reason = "stacked";
			facts_free(&pf);
			return false;
		}
		cur = pf.mount.parent;
		facts_free(&pf);
	}
	set(r, OUTCOME_DENIED, EXIT_USAGE, "permission denied: more than %d mounts stacked here",
	    STACK_MAX);
	r->reason = "stacked";
	return false;
}

/* Unmount one resolved, decided mount; fill r on failure. True if gone. */
static bool unmount_decided(const struct run_context *ctx, struct report *r, struct target *t,
			    const struct facts *f, const struct below *b)
{
	enum unmount_result ur;
	int err, u;

	ur = unmount_run(t, ctx->c, unmount_kernel_flags(r->flags), &err);
	if (ur == UNMOUNT_KERNEL && err == EBUSY && (r->flags & POLICY_FORCE)) {
		/* MNT_FORCE aborted a hung FUSE connection; the processes that
		 * were blocked in it need a moment to let go. Retry once. */
		nanosleep(&(struct timespec){0, FORCE_RETRY_DELAY_NS}, NULL);
		ur = unmount_run(t, ctx->c, unmount_kernel_flags(r->flags), &err);
	}
	if (ur == UNMOUNT_KERNEL && err == EBUSY) {
		busy(ctx, r, t, f, b);
		return false;
	}
	if (ur == UNMOUNT_KERNEL) {
		report_set_errno(r, err);
		return false;
	}
	if (ur != UNMOUNT_OK) {
		r->err = err;
		set(r, OUTCOME_ERROR, ur == UNMOUNT_CHANGED ? EXIT_FAILED : EXIT_INTERNAL, "%s",
		    unmount_strerror(ur));
		r->reason = ur == UNMOUNT_CHANGED ? "changed" : NULL;
		return false;
	}
	set(r, OUTCOME_UNMOUNTED, EXIT_OK, "%s", "");
	u = f->has_utab_entry ? utab_remove(f->mount.target) : 0;
	if (u < 0) {
		r->err = -u;
		set(r, OUTCOME_UNMOUNTED, EXIT_UTAB, "unmounted, but %s could not be updated: %s",
		    UU_UTAB_PATH, strerror(-u));
		r->reason = "utab-not-updated";
	}
	return true;
}

static bool same_mount(const struct mount_id *a, const struct mount_id *b)
{
	if (a->unique && b->unique)
		return a->unique == b->unique;
	return a->legacy && a->legacy == b->legacy;
}

/* --recursive: every mount below, deepest first, each resolved again as the
 * caller by its own path and checked to be the mount that was decided. */
static bool unmount_below(const struct run_context *ctx, struct report *r, const struct below *b)
{
	for (size_t i = b->n; i-- > 0;) {
		const struct facts *f = &b->facts[i];
		struct report sub = {.target = f->mount.target, .flags = r->flags};
		enum target_result tr;
		struct target t;
		bool ok = false;
		int err;

		tr = target_resolve(f->mount.target, ctx->c, &t, &err);
		if (tr != TARGET_OK)
			resolve_failed(&sub, tr, err);
		else if (!same_mount(&t.id, &b->ids[i]))
			set(&sub, OUTCOME_ERROR, EXIT_FAILED, "%s",
			    unmount_strerror(UNMOUNT_CHANGED));
		else
			ok = unmount_decided(ctx, &sub, &t, f, NULL);
		target_close(&t);
		if (!ok) {
			set(r, sub.outcome, sub.exit_code, "stopped at a mount below it: ");
			r->reason = sub.reason;
			append_path(r, "", f->mount.target);
			append_path(r, ": ", sub.message);
			r->err = sub.err;
			return false;
		}
	}
	return true;
}

/* Steps 3-6 for a resolved mount root. */
static void decide_and_unmount(const struct run_context *ctx, struct report *r, struct target *t)
{
	bool tree = (r->flags & POLICY_LAZY) || ctx->o->recursive, permitted;
	struct below b = {0};
	struct policy_verdict v;
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
	if (f.mount.id.unique || t->id.unique) /* else what --id asked for, or unknown */
		r->mount_id = f.mount.id.unique ? f.mount.id.unique : t->id.unique;
	if (ctx->style.json)
		r->allowed = allowed_of_target(ctx->p, ctx->c, &f, &t->root_id);
	permitted = decide(ctx, &f, r->flags, &v);
	r->entitlement = policy_reason_code(&v);
	if (!permitted) {
		policy_rule_describe(&v, r->rule, sizeof(r->rule));
		denied(ctx, r, &f, &v);
		goto out;
	}
	policy_rule_describe(&v, r->rule, sizeof(r->rule));
	/* Listing the tree costs a walk of the whole namespace in the kernel:
	 * only --lazy and --recursive need it before the unmount. */
	err = tree ? below_load(t, &b) : 0;
	if (err < 0) {
		set(r, OUTCOME_ERROR, EXIT_SYSERR, "cannot list the mounts below it: %s",
		    strerror(-err));
		goto out;
	}
	if (tree && (!below_allowed(ctx, &b, r) || !no_peers(&f, r)))
		goto out;
	if (!beneath_allowed(ctx, t, &f, r))
		goto out;
	if (ctx->o->dry_run)
		dry_run(ctx, r, t, &f, tree ? &b : NULL);
	else if (!ctx->o->recursive || unmount_below(ctx, r, &b))
		unmount_decided(ctx, r, t, &f, tree ? &b : NULL);
out:
	below_free(&b);
	/* The report outlives f: keep copies of what it names. */
	r->source = r->source ? strdup(r->source) : NULL;
	r->fstype = r->fstype ? strdup(r->fstype) : NULL;
	r->mount_point = r->mount_point ? strdup(r->mount_point) : NULL;
	facts_free(&f);
}

/* A block device names the one place it is mounted, found by number. */
static void run_device(const struct run_context *ctx, struct report *r, dev_t dev)
{
	enum target_result tr;
	struct target t;
	char **places;
	size_t n;
	int err = devices_mount_points(dev, &places, &n);

	if (err < 0) {
		set(r, OUTCOME_ERROR, EXIT_SYSERR, "cannot read the mount table: %s",
		    strerror(-err));
		return;
	}
	if (n == 0)
		set(r, OUTCOME_NOT_MOUNTED, EXIT_FAILED, "block device is not mounted");
	if (n > 1) {
		set(r, OUTCOME_ERROR, EXIT_USAGE, "mounted at ");
		for (size_t i = 0; i < n; i++)
			append_path(r, i == 0 ? "" : (i + 1 == n ? " and " : ", "), places[i]);
		append_path(r, "", "; name one");
		r->reason = "ambiguous-device";
	}
	if (n == 1) {
		tr = target_resolve(places[0], ctx->c, &t, &err);
		if (tr == TARGET_OK)
			decide_and_unmount(ctx, r, &t);
		else
			resolve_failed(r, tr, err);
		target_close(&t);
	}
	devices_free(places, n);
}

int run_target(const struct run_context *ctx, const char *arg)
{
	struct report r = {.target = arg, .flags = ctx->o->flags};
	enum target_result tr;
	struct target t;
	int err;

	if (r.flags & POLICY_EXPIRE)
		tr = target_resolve_untouched(arg, ctx->c, &t, &err);
	else
		tr = target_resolve(arg, ctx->c, &t, &err);
	if (tr == TARGET_NOT_MOUNTPOINT && t.table_only)
		tr = target_resolve(arg, ctx->c, &t, &err); /* a device, or to say why not */
	if (tr == TARGET_OK)
		decide_and_unmount(ctx, &r, &t);
	else if (tr == TARGET_NOT_MOUNTPOINT && t.block_device)
		run_device(ctx, &r, t.rdev);
	else
		resolve_failed(&r, tr, err);
	target_close(&t);
	report_result(&ctx->style, &r);
	free((char *)r.source);
	free((char *)r.fstype);
	free((char *)r.mount_point);
	return r.exit_code;
}

int run_target_id(const struct run_context *ctx, const char *arg)
{
	struct report r = {.target = arg, .flags = ctx->o->flags};
	struct target t;

	if (byid_resolve(arg, ctx->c, r.flags, &t, &r) == 0)
		decide_and_unmount(ctx, &r, &t);
	target_close(&t);
	report_result(&ctx->style, &r);
	free((char *)r.source);
	free((char *)r.fstype);
	free((char *)r.mount_point);
	return r.exit_code;
}
