#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Summarise uubench CSV (n,tool,round,ns,maxrss_kb,cpu_us,minflt,exit) into markdown.

report.py CSV [META-LINE...]  -> markdown on stdout
"""
import csv
import sys
from collections import defaultdict

UU = "user-umount tmpfs"
UUF = "user-umount FUSE"
UUL = "user-umount[libmount] tmpfs"
UULF = "user-umount[libmount] FUSE"
UMOUNT = "umount(8)"
FUSERMOUNT = "fusermount3 -u"
MINIMAL = "minimal umount2 (root)"
UUB = "user-umount[base] tmpfs"
UUBF = "user-umount[base] FUSE"
UUV = "user-umount -V"
UUD = "user-umount denied"
UUC = "user-umount tmpfs (user's cgroup)"
ORDER = [UMOUNT, FUSERMOUNT, UU, UUF, UUV, UUD, UUC, UUL, UULF, UUB, UUBF, MINIMAL]
WHO = {
    UMOUNT: "util-linux umount TARGET, as uubob (fstab `users`)",
    FUSERMOUNT: "fusermount3 -u TARGET, as uualice (her tinyfuse mount)",
    UU: "user-umount TARGET, as uubob (fstab `users`), statmount path",
    UUF: "user-umount TARGET, as uualice (her tinyfuse mount), statmount path",
    UUL: "same as user-umount tmpfs, built with -DUU_FORCE_LIBMOUNT=ON",
    UULF: "same as user-umount FUSE, built with -DUU_FORCE_LIBMOUNT=ON",
    UUV: "user-umount -V, as uubob: setuid exec, process hygiene, every privilege dropped (a lone -V needs no more)",
    UUD: "user-umount TARGET, as uubob, on a tmpfs of root's with no fstab entry: exit 1 "
         "(denied), still mounted",
    UUC: "user-umount tmpfs, started in a cgroup v2 delegated to uubob as systemd delegates "
         "user@UID.service: it moves out of it first",
    MINIMAL: "bench/minimal_umount TARGET as root: exec + umount2() only (the floor)",
    UUB: "user-umount tmpfs, built from the --base revision (before/after)",
    UUBF: "user-umount FUSE, built from the --base revision (before/after)",
}


def pct(sorted_v, q):
    if not sorted_v:
        return float("nan")
    pos = (len(sorted_v) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(sorted_v) - 1)
    return sorted_v[lo] + (sorted_v[hi] - sorted_v[lo]) * (pos - lo)


def main():
    ms = defaultdict(list)
    rss = defaultdict(list)
    cpu = defaultdict(list)
    fails = defaultdict(int)
    ns_seen = set()
    with open(sys.argv[1], newline="") as f:
        for row in csv.DictReader(f):
            if row["n"] == "n":
                continue
            n = int(row["n"])
            key = (n, row["tool"])
            ns_seen.add(n)
            if row["exit"] != "0":
                fails[key] += 1
                continue
            ms[key].append(int(row["ns"]) / 1e6)
            rss[key].append(int(row["maxrss_kb"]))
            cpu[key].append(int(row["cpu_us"]) / 1e3)
    ns = sorted(ns_seen)
    tools = [t for t in ORDER if any((n, t) in ms or (n, t) in fails for n in ns)]
    stat = {}
    for key, v in ms.items():
        v.sort()
        r = sorted(rss[key])
        c = sorted(cpu[key])
        stat[key] = dict(med=pct(v, 0.5), p10=pct(v, 0.1), p90=pct(v, 0.9),
                         q1=pct(v, 0.25), q3=pct(v, 0.75), cnt=len(v),
                         rss=pct(r, 0.5), rssmax=r[-1], cpu=pct(c, 0.5))

    def med(n, t):
        return stat[(n, t)]["med"] if (n, t) in stat else float("nan")

    out = []
    for line in sys.argv[2:]:
        out.append(line)
    out.append("")
    out.append("### Per-unmount latency, ms: median [p10 – p90]")
    out.append("")
    out.append("| tool | " + " | ".join(f"N={n}" for n in ns) + " |")
    out.append("|---|" + "---:|" * len(ns))
    for t in tools:
        cells = []
        for n in ns:
            s = stat.get((n, t))
            c = "–" if not s else f"{s['med']:.2f} [{s['p10']:.2f} – {s['p90']:.2f}]"
            if fails.get((n, t)):
                c += f" ({fails[(n, t)]} failed)"
            cells.append(c)
        out.append(f"| {t} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("Samples per cell: " + ", ".join(
        f"N={n}: {min(stat[(n, t)]['cnt'] for t in tools if (n, t) in stat)}" for n in ns)
        + ". N = background tmpfs mounts; the table holds N + ~30 more.")
    out.append("")
    out.append("### CPU time per unmount, ms: median (user + system, children included)")
    out.append("")
    out.append("| tool | " + " | ".join(f"N={n}" for n in ns) + " |")
    out.append("|---|" + "---:|" * len(ns))
    for t in tools:
        cells = []
        for n in ns:
            s = stat.get((n, t))
            cells.append("–" if not s else f"{s['cpu']:.2f}")
        out.append(f"| {t} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("### Peak RSS, KiB (wait4 ru_maxrss: median, max)")
    out.append("")
    out.append("| tool | " + " | ".join(f"N={n}" for n in ns) + " |")
    out.append("|---|" + "---:|" * len(ns))
    for t in tools:
        cells = []
        for n in ns:
            s = stat.get((n, t))
            cells.append("–" if not s else f"{s['rss']:.0f} (max {s['rssmax']})")
        out.append(f"| {t} | " + " | ".join(cells) + " |")
    out.append("")
    lo, hi = ns[0], ns[-1]
    out.append(f"### Ratios (of wall-time medians unless marked; big N = {hi}, small N = {lo})")
    out.append("")
    out.append("| ratio | value | target |")
    out.append("|---|---:|---|")

    def ratio(label, a, b, target=""):
        v = a / b if b else float("nan")
        verdict = ""
        if target:
            limit = float(target.split()[-1])
            verdict = " ✔" if v <= limit else " ✘"
        out.append(f"| {label} | {v:.3f} | {target}{verdict} |")

    def cpu(n, t):
        return stat[(n, t)]["cpu"] if (n, t) in stat else float("nan")

    ratio(f"user-umount({hi}) / umount({hi}), tmpfs", med(hi, UU), med(hi, UMOUNT), "≤ 0.1")
    ratio(f"user-umount({hi}) / fusermount3({hi}), FUSE", med(hi, UUF), med(hi, FUSERMOUNT))
    ratio(f"user-umount({hi}) / user-umount({lo}), tmpfs", med(hi, UU), med(lo, UU), "≤ 1.5")
    ratio(f"user-umount({hi}) / user-umount({lo}), FUSE", med(hi, UUF), med(lo, UUF), "≤ 1.5")
    ratio(f"fallback: user-umount[libmount]({hi}) / umount({hi}), tmpfs",
          med(hi, UUL), med(hi, UMOUNT))
    ratio(f"fallback: user-umount[libmount]({hi}) / user-umount[libmount]({lo}), tmpfs",
          med(hi, UUL), med(lo, UUL))
    ratio(f"umount({hi}) / umount({lo})", med(hi, UMOUNT), med(lo, UMOUNT))
    ratio(f"CPU time: user-umount({hi}) / umount({hi}), tmpfs", cpu(hi, UU), cpu(hi, UMOUNT),
          "≤ 0.1")
    ratio(f"CPU time: user-umount({hi}) / user-umount({lo}), tmpfs", cpu(hi, UU), cpu(lo, UU),
          "≤ 1.5")
    for n in ns:
        ratio(f"user-umount({n}) / minimal umount2({n}) (the floor), tmpfs", med(n, UU),
              med(n, MINIMAL), "≤ 2.0")
        ratio(f"user-umount({n}) / the floor, FUSE", med(n, UUF), med(n, MINIMAL), "≤ 2.0")
        ratio(f"CPU time: user-umount({n}) / the floor, tmpfs", cpu(n, UU), cpu(n, MINIMAL))
        ratio(f"user-umount -V({n}) / the floor", med(n, UUV), med(n, MINIMAL))
        ratio(f"user-umount denied({n}) / the floor", med(n, UUD), med(n, MINIMAL))
        if (n, UUC) in stat:
            ratio(f"user-umount from the user's cgroup({n}) / the floor, tmpfs", med(n, UUC),
                  med(n, MINIMAL))
            ratio(f"the move out of it({n}): from the user's cgroup / plain, tmpfs",
                  med(n, UUC), med(n, UU))
        ratio(f"umount({n}) / the floor", med(n, UMOUNT), med(n, MINIMAL))
        ratio(f"fusermount3({n}) / the floor", med(n, FUSERMOUNT), med(n, MINIMAL))
        if (n, UUB) in stat:
            ratio(f"before: user-umount[base]({n}) / the floor, tmpfs", med(n, UUB),
                  med(n, MINIMAL))
    for n in ns:
        if (n, UUB) in stat:
            ratio(f"after / before ({n}), wall, tmpfs", med(n, UU), med(n, UUB))
            ratio(f"after / before ({n}), CPU, tmpfs", cpu(n, UU), cpu(n, UUB), "≤ 1.1")
            ratio(f"after / before ({n}), wall, FUSE", med(n, UUF), med(n, UUBF))
            ratio(f"after / before ({n}), CPU, FUSE", cpu(n, UUF), cpu(n, UUBF), "≤ 1.1")
            ratio(f"before: user-umount[base]({n}) / umount({n}), tmpfs", med(n, UUB),
                  med(n, UMOUNT))
    if (lo, UU) in stat and (hi, UU) in stat:
        a, b = stat[(lo, UU)]["rss"], stat[(hi, UU)]["rss"]
        out.append(f"| user-umount peak RSS({hi}) / ({lo}), tmpfs | {b / a:.3f} | flat (≈ 1) |")
    if (lo, UUL) in stat and (hi, UUL) in stat:
        a, b = stat[(lo, UUL)]["rss"], stat[(hi, UUL)]["rss"]
        out.append(f"| fallback peak RSS({hi}) / ({lo}), tmpfs | {b / a:.3f} | (info) |")
    out.append("")
    out.append("Tools:")
    out.append("")
    for t in tools:
        out.append(f"- **{t}**: {WHO[t]}")
    print("\n".join(out))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
