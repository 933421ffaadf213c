#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Collect the findings of one static-analysis tool, drop the ones listed in
suppressions.txt, print the rest, and fail if any remain.

  findings.py TOOL text  < output      "file:line:col: severity: message [check]"
                                       (cppcheck with the template below, clang-tidy)
  findings.py TOOL plist DIR           scan-build's -plist-html/-plist reports

A suppression names the tool, the check, the file (a glob) and a piece of
text that must occur in the finding's message or on the flagged source line,
so it follows the code when lines and functions move and stops matching when
the code changes.
Exit: 0 clean, 1 findings (or the tool produced output we cannot read).
"""
import fnmatch
import os
import plistlib
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SUPP = os.path.join(TOP, "tools", "quality", "suppressions.txt")
TEXT = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): "
                  r"(?P<sev>warning|error|style|performance|portability|information): "
                  r"(?P<msg>.*) \[(?P<check>[^\]\s]+)\]$")


def rel(path):
    path = os.path.normpath(os.path.join(TOP, path))
    return os.path.relpath(path, TOP) if path.startswith(TOP + os.sep) else path


def source_line(path, line):
    try:
        with open(os.path.join(TOP, path), encoding="utf-8", errors="replace") as f:
            for i, text in enumerate(f, 1):
                if i == line:
                    return text.strip()
    except OSError:
        pass
    return ""


def load_suppressions(tool):
    out = []
    with open(SUPP, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            parts = [p.strip() for p in raw.rstrip("\n").split(" | ")]
            if len(parts) != 5 or not parts[4]:
                sys.exit(f"{SUPP}:{n}: expected 'tool | check | file | text | reason'")
            if parts[0] == tool:
                out.append({"n": n, "check": parts[1], "file": parts[2], "text": parts[3],
                            "used": 0})
    return out


def suppressed(f, supps):
    for s in supps:
        if s["check"] not in ("*", f["check"]) or not fnmatch.fnmatchcase(f["file"], s["file"]):
            continue
        if s["text"] == "*" or s["text"] in f["msg"] or s["text"] in f["src"]:
            s["used"] += 1
            return True
    return False


def from_text(stream):
    seen = set()
    for raw in stream:
        m = TEXT.match(raw.rstrip("\n"))
        if not m:
            continue
        # clang-tidy appends ",-warnings-as-errors" to the check name.
        check = m["check"].split(",")[0]
        f = {"file": rel(m["file"]), "line": int(m["line"]), "col": int(m["col"]),
             "check": check, "msg": m["msg"]}
        key = (f["file"], f["line"], f["col"], check)
        if key not in seen:  # a header's finding repeats once per includer
            seen.add(key)
            yield f


def from_plists(directory):
    for root, _, files in os.walk(directory):
        for name in sorted(files):
            if not name.endswith(".plist"):
                continue
            with open(os.path.join(root, name), "rb") as fh:
                data = plistlib.load(fh)
            for d in data.get("diagnostics", []):
                loc = d["location"]
                yield {"file": rel(data["files"][loc["file"]]), "line": loc["line"],
                       "col": loc["col"], "check": d.get("check_name", "?"),
                       "msg": d.get("description", "") + " (in " +
                       d.get("issue_context", "?") + ")"}


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in ("text", "plist"):
        sys.exit(__doc__)
    tool, kind = sys.argv[1], sys.argv[2]
    supps = load_suppressions(tool)
    found = from_text(sys.stdin) if kind == "text" else from_plists(sys.argv[3])
    bad = nsupp = 0
    for f in found:
        f["src"] = source_line(f["file"], f["line"])
        if suppressed(f, supps):
            nsupp += 1
            continue
        bad += 1
        print(f"{f['file']}:{f['line']}:{f['col']}: {f['check']}: {f['msg']}")
        if f["src"]:
            print(f"    {f['src']}")
    for s in supps:
        if not s["used"]:
            print(f"{tool}: note: suppressions.txt:{s['n']} matched nothing (remove it?)")
    print(f"{tool}: {bad} finding(s), {nsupp} suppressed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
