#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read KTAP (KUnit) and TAP 13 (kselftest) results and report them.

    ktap.py report LABEL=FILE...   one line per test, then the totals;
                                   exit 1 if any test failed or is missing
    ktap.py extract [FILE]         cut the KTAP of a module's KUnit suites
                                   out of a kernel log (timestamps dropped),
                                   adding a "kernel_log" test that fails if
                                   the log shows a splat (BUG, WARNING,
                                   lockdep, KASAN, UBSAN...)

A test is a "case": for a result with subtests (a KUnit suite) each of its
direct subtests counts once (parameterised subtests below them do not); for
a result without (a kselftest script) the result itself counts.  Results a
plan announced but that never came are failures, as is a result that has
passing subtests but is itself "not ok", and a document with no results.
The last line of a report is exactly "N passed, N failed"; skips are
reported on the line before it and are never counted as passes.
"""

import re
import sys

TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
VERSION = re.compile(r"^(KTAP|TAP) version \d+$")
PLAN = re.compile(r"^1\.\.(\d+)")
RESULT = re.compile(r"^(ok|not ok) (\d+)(?: -)?(?: ([^#]*?))?\s*(?:#\s*(.*))?$")
SUBTEST = re.compile(r"^# Subtest: (.*)$")


class Result:
    def __init__(self, ok, number, name, directive):
        self.ok = ok
        self.number = number
        self.name = name or "#%d" % number
        self.directive = directive or ""
        self.children = []
        self.plan = None
        self.diag = []

    @property
    def skipped(self):
        return self.directive.upper().startswith("SKIP")


class Frame:
    def __init__(self, indent):
        self.indent = indent
        self.plan = None
        self.results = []
        self.diag = []


def strip(line):
    line = line.rstrip("\n").rstrip("\r")
    return TIMESTAMP.sub("", line)


def parse(lines):
    """Return the top-level frame of a KTAP document."""
    stack = [Frame(0)]

    def frame_at(indent):
        while stack[-1].indent > indent:
            closing = stack.pop()
            # Subtests whose parent result never came: keep them visible.
            parent = Result(False, len(stack[-1].results) + 1, None, "")
            parent.name = "(unterminated subtest)"
            parent.children = closing.results
            parent.plan = closing.plan
            stack[-1].results.append(parent)
        if stack[-1].indent < indent:
            stack.append(Frame(indent))
        return stack[-1]

    for raw in lines:
        line = strip(raw)
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        text = line.strip()
        if VERSION.match(text) or SUBTEST.match(text):
            if indent > stack[-1].indent:
                stack.append(Frame(indent))
            continue
        m = PLAN.match(text)
        if m:
            if indent > stack[-1].indent:
                stack.append(Frame(indent))
            frame_at(indent).plan = int(m.group(1))
            continue
        m = RESULT.match(text)
        if m:
            res = Result(m.group(1) == "ok", int(m.group(2)),
                         (m.group(3) or "").strip(), m.group(4))
            if stack[-1].indent > indent:
                child = stack.pop()
                while stack[-1].indent > indent:
                    # A deeper frame closed without its own result.
                    inner = child
                    child = stack.pop()
                    child.results.extend(inner.results)
                res.children = child.results
                res.plan = child.plan
                res.diag = child.diag
            frame_at(indent).results.append(res)
            continue
        if text.startswith("#"):
            stack[-1].diag.append(text)
    while len(stack) > 1:
        frame_at(stack[-2].indent)
    return stack[0]


def cases(label, top):
    """Yield (name, status, note) for every case of a document."""
    if not top.results:
        if top.plan == 0:
            return
        yield label, "FAIL", "no results"
        return
    for r in top.results:
        base = "%s/%s" % (label, r.name)
        if r.children:
            for c in r.children:
                yield ("%s/%s" % (base, c.name), status(c), c.directive)
            if r.plan is not None and r.plan > len(r.children):
                for n in range(len(r.children) + 1, r.plan + 1):
                    yield "%s/#%d" % (base, n), "FAIL", "missing"
            if not r.ok and all(c.ok for c in r.children):
                yield base, "FAIL", r.directive or "failed after its cases"
        else:
            yield base, status(r), r.directive
    if top.plan is not None and top.plan > len(top.results):
        # Why they are missing, if the runner said (run-tests: "# cbu: ...").
        why = [d[len("# cbu: "):] for d in top.diag if d.startswith("# cbu: ")]
        for n in range(len(top.results) + 1, top.plan + 1):
            yield ("%s/#%d" % (label, n), "FAIL",
                   "missing" + (": " + why[-1] if why else ""))


def status(r):
    if r.skipped:
        return "SKIP"
    return "PASS" if r.ok else "FAIL"


def report(args, out=sys.stdout):
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    for arg in args:
        label, sep, path = arg.partition("=")
        if not sep:
            label, path = arg, arg
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                top = parse(f)
        except OSError as e:
            top = Frame(0)
            print("%s: %s" % (label, e), file=out)
        for name, st, note in cases(label, top):
            counts[st] += 1
            print("%-4s  %s%s" % (st, name, "  # " + note if note else ""),
                  file=out)
    print("%d skipped" % counts["SKIP"], file=out)
    print("%d passed, %d failed" % (counts["PASS"], counts["FAIL"]), file=out)
    return 1 if counts["FAIL"] else 0


SPLAT = re.compile(r"(BUG:|WARNING:|Oops|general protection fault|"
                   r"KASAN:|UBSAN:|possible recursive locking|"
                   r"possible circular locking|suspicious RCU usage|"
                   r"inconsistent lock state|unreferenced object|"
                   r"Call Trace:|Kernel panic)")


def splats(lines):
    """The lines of a kernel log that show something went wrong."""
    return [l for l in lines if SPLAT.search(l)]


def extract(lines, out=sys.stdout):
    """Keep a kernel log's KUnit lines: nested KTAP and the suite results."""
    lines = [strip(l) for l in lines]
    suites = []
    i = 0
    while i < len(lines):
        m = SUBTEST.match(lines[i].strip())
        if m and lines[i].startswith(" "):
            indent = len(lines[i]) - len(lines[i].lstrip(" "))
            body = []
            j = i + 1
            while j < len(lines):
                s = lines[j]
                if s.startswith(" " * indent):
                    body.append(s)
                elif RESULT.match(s.strip()) and not s.startswith(" "):
                    suites.append((m.group(1), body, s.strip()))
                    break
                j += 1
            else:
                suites.append((m.group(1), body, None))
            i = j + 1
            continue
        i += 1
    bad = splats(lines)
    if not suites:
        # A module built with suites that ran none has failed.
        suites.append(("kunit", [], "not ok 1 kunit # no KUnit suite ran"))
    print("KTAP version 1", file=out)
    print("1..%d" % (len(suites) + 1), file=out)
    for n, (name, body, result) in enumerate(suites, 1):
        print("    # Subtest: %s" % name, file=out)
        for s in body:
            print(s, file=out)
        if result is None:
            print("not ok %d %s # crashed: no result" % (n, name), file=out)
        else:
            m = RESULT.match(result)
            rest = " # " + m.group(4) if m.group(4) else ""
            print("%s %d %s%s" % (m.group(1), n, name, rest), file=out)
    for l in bad:
        print("# " + l.strip(), file=out)
    print("%s %d kernel_log" % ("not ok" if bad else "ok", len(suites) + 1),
          file=out)


def main(argv):
    if len(argv) >= 2 and argv[1] == "report":
        return report(argv[2:])
    if len(argv) in (2, 3) and argv[1] == "extract":
        if len(argv) == 3:
            with open(argv[2], encoding="utf-8", errors="replace") as f:
                extract(f.readlines())
        else:
            extract(sys.stdin.readlines())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
