#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read KTAP (KUnit) and TAP 13 (kselftest) results and report them.

    ktap.py report LABEL=FILE...   one line per test, then the totals;
                                   exit 1 if any test failed or is missing
    ktap.py extract [FILE]         cut the KTAP of a module's KUnit suites
                                   out of a kernel log (timestamps dropped),
                                   adding a "kernel_log" test that fails if
                                   the log shows a splat (BUG, WARNING,
                                   lockdep, KASAN, UBSAN, kmemleak...)
    ktap.py declared WHY SRC...    copy a KUnit KTAP document (stdin) and
                                   add to it every suite the C sources SRC
                                   register that it does not report, each
                                   case "not ok ... # not run: WHY"

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


KUNIT_CASES = re.compile(r"struct\s+kunit_case\s+(\w+)\s*\[\s*\]\s*=\s*"
                         r"\{(.*?)\};", re.S)
KUNIT_CASE = re.compile(r"\bKUNIT_CASE\w*\(\s*(\w+)")
KUNIT_SUITE = re.compile(r"struct\s+kunit_suite\s+(\w+)\s*=\s*\{(.*?)\};",
                         re.S)
KUNIT_REGISTER = re.compile(r"\bkunit_test_suites?\s*\((.*?)\)\s*;", re.S)


def declared_suites(sources):
    """[(suite name, [case names])] registered by KUnit C sources, in order."""
    found = []
    for text in sources:
        arrays = {m.group(1): KUNIT_CASE.findall(m.group(2))
                  for m in KUNIT_CASES.finditer(text)}
        suites = {}
        for m in KUNIT_SUITE.finditer(text):
            name = re.search(r"\.name\s*=\s*\"([^\"]+)\"", m.group(2))
            cases_of = re.search(r"\.test_cases\s*=\s*(\w+)", m.group(2))
            if name and cases_of:
                suites[m.group(1)] = (name.group(1),
                                      arrays.get(cases_of.group(1), []))
        for m in KUNIT_REGISTER.finditer(text):
            for var in re.findall(r"&?\s*(\w+)", m.group(1)):
                if var in suites:
                    found.append(suites[var])
    return found


def declared(why, sources, text, out=sys.stdout):
    """Copy a KUnit KTAP document, adding every declared suite it lacks,
    each case not ok "# not run: why".  The top-level plan grows to match;
    an empty document becomes one."""
    lines = text.splitlines()
    top = parse(lines)
    reported = {r.name for r in top.results}
    missing = [s for s in declared_suites(sources) if s[0] not in reported]
    if not lines or top.plan is None:
        lines = ["KTAP version 1", "1..0"]
        top = Frame(0)
        top.plan = 0
    if not missing:
        print("\n".join(lines), file=out)
        return
    planned = "1..%d" % top.plan
    grown = "1..%d" % (top.plan + len(missing))
    for i, l in enumerate(lines):
        if l.strip() == planned and not l.startswith(" "):
            lines[i] = grown
            break
    n = len(top.results)
    for name, case_names in missing:
        n += 1
        lines.append("    # Subtest: %s" % name)
        lines.append("    1..%d" % len(case_names))
        for k, case in enumerate(case_names, 1):
            lines.append("    not ok %d %s # not run: %s" % (k, case, why))
        lines.append("not ok %d %s # not run: %s" % (n, name, why))
    print("\n".join(lines), file=out)


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
    if len(argv) >= 4 and argv[1] == "declared":
        sources = []
        for path in argv[3:]:
            with open(path, encoding="utf-8") as f:
                sources.append(f.read())
        declared(argv[2], sources, sys.stdin.read())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
