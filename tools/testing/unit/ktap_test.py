#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of tools/testing/ktap.py, the parser every result of `make
check` goes through: a parser that misses a failure hides it.  Prints KTAP."""

import io
import os
import sys
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ktap  # noqa: E402

KUNIT_61 = """\
[    5.100000] cbu: version 0.1.0 loaded
[    5.200000]     KTAP version 1
[    5.200001]     # Subtest: cbu_netlink
[    5.200002]     1..3
[    5.300000]     ok 1 cbu_nl_version_reply
[    5.300001]     # cbu_nl_no_room: EXPECTATION FAILED at kernel/tests/netlink_kunit.c:60
[    5.300002]     Expected skb->len == 0U, but
[    5.300003]     not ok 2 cbu_nl_no_room
[    5.300004]         KTAP version 1
[    5.300005]         # Subtest: cbu_param
[    5.300006]         ok 1 vector 0
[    5.300007]         ok 2 vector 1
[    5.300008]     # cbu_param: pass:2 fail:0 skip:0 total:2
[    5.300009]     ok 3 cbu_param
[    5.400000] # cbu_netlink: pass:2 fail:1 skip:0 total:3
[    5.400001] # Totals: pass:2 fail:1 skip:0 total:3
[    5.400002] not ok 1 cbu_netlink
[    5.500000]     KTAP version 1
[    5.500001]     # Subtest: cbu_other
[    5.500002]     1..1
[    5.500003]     ok 1 skipped_case # SKIP needs hardware
[    5.500004] ok 2 cbu_other
"""

KSELFTEST = """\
TAP version 13
1..4
# selftests: cbu: cbu_basic.sh
# PASS: family answers in every namespace
ok 1 selftests: cbu: cbu_basic.sh
ok 2 selftests: cbu: cbu_skip.sh # SKIP no tshark
not ok 3 selftests: cbu: cbu_fail.sh # exit=1
"""


def run_report(docs):
    out = io.StringIO()
    paths = []
    for i, (label, text) in enumerate(docs):
        path = "/tmp/ktap_test.%d.%d" % (os.getpid(), i)
        with open(path, "w") as f:
            f.write(text)
        paths.append("%s=%s" % (label, path))
    try:
        rc = ktap.report(paths, out)
    finally:
        for p in paths:
            os.unlink(p.split("=", 1)[1])
    return rc, out.getvalue().splitlines()


def extracted(text):
    out = io.StringIO()
    ktap.extract(text.splitlines(True), out)
    return out.getvalue()


def test_kunit_cases_counted_once():
    rc, lines = run_report([("kunit", extracted(KUNIT_61))])
    assert rc == 1, rc
    assert "PASS  kunit/cbu_netlink/cbu_nl_version_reply" in lines, lines
    assert "FAIL  kunit/cbu_netlink/cbu_nl_no_room" in lines, lines
    # The parameterised case counts once, not once per parameter.
    assert "PASS  kunit/cbu_netlink/cbu_param" in lines, lines
    assert not any("vector" in l for l in lines), lines
    assert "PASS  kunit/kernel_log" in lines, lines
    assert lines[-1] == "3 passed, 1 failed", lines
    assert lines[-2] == "1 skipped", lines


def test_kselftest_results_and_missing():
    rc, lines = run_report([("k", KSELFTEST)])
    assert rc == 1
    assert "PASS  k/selftests: cbu: cbu_basic.sh" in lines, lines
    assert "SKIP  k/selftests: cbu: cbu_skip.sh  # SKIP no tshark" in lines, lines
    assert "FAIL  k/selftests: cbu: cbu_fail.sh  # exit=1" in lines, lines
    # The plan said 4: the fourth never came and is a failure.
    assert "FAIL  k/#4  # missing" in lines, lines
    assert lines[-1] == "1 passed, 2 failed", lines


def test_missing_says_why_the_runner_gave():
    doc = KSELFTEST + "# cbu: the VM ended early (vm-run exit 125): Kernel panic\n"
    rc, lines = run_report([("k", doc)])
    assert rc == 1
    assert ("FAIL  k/#4  # missing: the VM ended early (vm-run exit 125): "
            "Kernel panic") in lines, lines


def test_crashed_suite_is_a_failure():
    text = KUNIT_61.split("[    5.300003]")[0]
    doc = extracted(text)
    assert "not ok 1 cbu_netlink # crashed: no result" in doc, doc
    rc, lines = run_report([("kunit", doc)])
    assert rc == 1
    # One case passed, the failed one never reported: both plans' gaps fail.
    assert "PASS  kunit/cbu_netlink/cbu_nl_version_reply" in lines, lines
    assert "FAIL  kunit/cbu_netlink/#2  # missing" in lines, lines
    assert lines[-1] == "2 passed, 3 failed", lines


def test_splat_in_kernel_log_fails():
    text = KUNIT_61 + (
        "[    6.000000] WARNING: CPU: 0 PID: 1 at kernel/foo.c:1 bar+0x1/0x2\n"
        "[    6.000001] ------------[ cut here ]------------\n")
    rc, lines = run_report([("kunit", extracted(text))])
    assert "FAIL  kunit/kernel_log" in lines, lines


def test_no_suite_ran_fails():
    doc = extracted("[    1.0] cbu: version 0.1.0 loaded\n")
    rc, lines = run_report([("kunit", doc)])
    assert rc == 1
    assert "FAIL  kunit/kunit  # no KUnit suite ran" in lines, lines


def test_empty_document_fails():
    rc, lines = run_report([("empty", "")])
    assert rc == 1
    assert lines[-1] == "0 passed, 1 failed", lines


def test_explicit_empty_plan_passes():
    rc, lines = run_report([("none", "TAP version 13\n1..0\n")])
    assert rc == 0
    assert lines[-1] == "0 passed, 0 failed", lines


def test_suite_not_ok_with_passing_cases():
    doc = ("KTAP version 1\n1..1\n    # Subtest: s\n    1..1\n"
           "    ok 1 a\nnot ok 1 s\n")
    rc, lines = run_report([("x", doc)])
    assert rc == 1
    assert "PASS  x/s/a" in lines, lines
    assert "FAIL  x/s  # failed after its cases" in lines, lines


def test_all_pass():
    doc = ("KTAP version 1\n1..2\n    # Subtest: s\n    1..2\n"
           "    ok 1 a\n    ok 2 b\nok 1 s\nok 2 t\n")
    rc, lines = run_report([("x", doc)])
    assert rc == 0
    assert lines[-1] == "3 passed, 0 failed", lines


KUNIT_SRC = """\
static struct kunit_case a_cases[] = {
\tKUNIT_CASE(a_one),
\tKUNIT_CASE_PARAM(a_two, two_gen_params),
\t{}
};

static struct kunit_suite a_suite = {
\t.name = "cbu_a",
\t.test_cases = a_cases,
};

static struct kunit_case b_cases[] = {
\tKUNIT_CASE(b_one),
\t{}
};

static struct kunit_suite b_suite = {
\t.name = "cbu_b",
\t.test_cases = b_cases,
};

static struct kunit_suite unregistered_suite = {
\t.name = "cbu_unregistered",
\t.test_cases = b_cases,
};

kunit_test_suites(&a_suite, &b_suite);
"""


def declared(why, text):
    out = io.StringIO()
    ktap.declared(why, [KUNIT_SRC], text, out)
    return out.getvalue()


def test_declared_suites_from_source():
    assert ktap.declared_suites([KUNIT_SRC]) == [
        ("cbu_a", ["a_one", "a_two"]), ("cbu_b", ["b_one"])]


def test_no_boot_names_every_case_not_run():
    # The kernel never booted: no KTAP at all.  Every declared case is
    # named, failed, with the reason.
    rc, lines = run_report([("kunit", declared("no boot: panic", ""))])
    assert rc == 1
    assert "FAIL  kunit/cbu_a/a_one  # not run: no boot: panic" in lines, lines
    assert "FAIL  kunit/cbu_a/a_two  # not run: no boot: panic" in lines, lines
    assert "FAIL  kunit/cbu_b/b_one  # not run: no boot: panic" in lines, lines
    assert not any("unregistered" in l for l in lines), lines
    assert lines[-1] == "0 passed, 3 failed", lines


def test_declared_adds_only_missing_suites():
    doc = ("KTAP version 1\n1..2\n    # Subtest: cbu_a\n    1..2\n"
           "    ok 1 a_one\n    ok 2 a_two\nok 1 cbu_a\nok 2 kernel_log\n")
    rc, lines = run_report([("kunit", declared("crashed", doc))])
    assert rc == 1
    assert "PASS  kunit/cbu_a/a_one" in lines, lines
    assert "FAIL  kunit/cbu_b/b_one  # not run: crashed" in lines, lines
    # The plan grew with the added suite: nothing reported missing.
    assert not any("missing" in l for l in lines), lines
    assert lines[-1] == "3 passed, 1 failed", lines


def test_declared_all_reported_unchanged():
    doc = ("KTAP version 1\n1..3\n    # Subtest: cbu_a\n    1..2\n"
           "    ok 1 a_one\n    ok 2 a_two\nok 1 cbu_a\n"
           "    # Subtest: cbu_b\n    1..1\n    ok 1 b_one\nok 2 cbu_b\n"
           "ok 3 kernel_log")
    assert declared("x", doc) == doc + "\n"


def main():
    tests = [(n, f) for n, f in sorted(globals().items())
             if n.startswith("test_") and callable(f)]
    print("KTAP version 1")
    print("1..%d" % len(tests))
    failed = 0
    for i, (name, fn) in enumerate(tests, 1):
        try:
            fn()
            print("ok %d %s" % (i, name))
        except Exception:  # noqa: BLE001 - any failure is reported
            failed += 1
            for l in traceback.format_exc().splitlines():
                print("# " + l)
            print("not ok %d %s" % (i, name))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
