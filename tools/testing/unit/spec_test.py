#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The netlink family is specified once (Documentation/netlink/specs/
cbu.yaml) and uapi/linux/cbu.h follows it: every command, attribute and
enum of the spec must be in the header under its derived C name with the
same value, and the header may define nothing the spec does not.  Prints
KTAP.  Needs python3-yaml (Debian's), hence /usr/bin/python3."""

import os
import re
import sys

import yaml

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
SPEC = os.path.join(TOP, "Documentation", "netlink", "specs", "cbu.yaml")
UAPI = os.path.join(TOP, "uapi", "linux", "cbu.h")


def c_name(*parts):
    return "_".join(p.replace("-", "_").upper() for p in parts if p)


def uapi_enums(text):
    """{enum name: [(constant, value)]} of the header's enums."""
    enums = {}
    for m in re.finditer(r"enum (\w+) \{(.*?)\};", text, re.S):
        body = re.sub(r"/\*.*?\*/", "", m.group(2), flags=re.S)
        value, out = -1, []
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            name, _, val = item.partition("=")
            name, val = name.strip(), val.strip()
            if name.startswith("__") or name.endswith("_MAX"):
                continue
            value = int(val, 0) if val else value + 1
            out.append((name, value))
        enums[m.group(1)] = out
    return enums


def spec_entries(entries, prefix, start=0):
    value, out = start - 1, []
    for e in entries:
        if isinstance(e, str):
            e = {"name": e}
        value = e.get("value", value + 1)
        out.append((c_name(prefix, e["name"]), value))
    return out


def checks(spec, enums):
    """Yield (name, ok, note) for every part of the spec."""
    ops = spec_entries(spec["operations"]["list"], "cbu-cmd")
    yield ("commands", enums.get("cbu_cmd", [])[1:] == ops,
           "%s vs %s" % (enums.get("cbu_cmd", [])[1:], ops))
    sets = {"cbu": "cbu_attr", "bce": "cbu_bce_attr", "params":
            "cbu_param_attr", "home": "cbu_home_attr", "mh": "cbu_mh_attr",
            "own": "cbu_own_attr", "map": "cbu_map_attr",
            "map-binding": "cbu_map_binding_attr"}
    for s in spec["attribute-sets"]:
        if s["name"] not in sets:
            continue
        want = spec_entries(s["attributes"], s["name-prefix"].rstrip("-"), 1)
        have = enums.get(sets[s["name"]], [])[1:]
        yield ("attribute set " + s["name"], have == want,
               "%s vs %s" % (have, want))
    # A subset names attributes of its parent only.
    by_name = {x["name"]: x for x in spec["attribute-sets"]}
    for x in spec["attribute-sets"]:
        if "subset-of" not in x:
            continue
        parent = {a["name"] for a in by_name[x["subset-of"]]["attributes"]}
        names = {a["name"] for a in x["attributes"]}
        yield ("attribute set %s: a subset of %s" % (x["name"], x["subset-of"]),
               names <= parent, str(names - parent))
    # The stats nest: padding, then every counter by name, at N + 2.
    stat_def = next(d for d in spec["definitions"] if d["name"] == "stat")
    stats = next(s for s in spec["attribute-sets"] if s["name"] == "stats")
    want = [("pad", 1)] + [(e["name"], i + 2) for i, e in
                           enumerate(stat_def["entries"])]
    have = spec_entries(stats["attributes"], "", 1)
    have = [(n.lower().replace("_", "-"), v) for n, v in have]
    yield ("attribute set stats: every counter by name", have == want,
           "%s vs %s" % (have, want))
    header = open(UAPI).read()
    yield ("CBU_A_STAT_PAD and CBU_A_STAT(n) as the spec's stats",
           re.search(r"#define CBU_A_STAT_PAD\s+1\b", header) is not None and
           re.search(r"#define CBU_A_STAT\(n\)\s+\(\(n\) \+ 2\)", header)
           is not None, "")
    defs = {"role": ("cbu_role", "cbu-role"),
            "bce-state": ("cbu_bce_state", "cbu-bce"),
            "stat": ("cbu_stat", "cbu-stat"),
            "event": ("cbu_event", "cbu-event"),
            "feature": ("cbu_feature", "cbu-f")}
    for d in spec["definitions"]:
        if d["name"] not in defs:
            continue
        enum, prefix = defs[d["name"]]
        want = spec_entries(d["entries"], prefix)
        have = enums.get(enum, [])
        yield ("definition " + d["name"], have == want,
               "%s vs %s" % (have, want))
    for s in spec["attribute-sets"]:
        if "subset-of" in s:
            continue  # documented in the set it comes from
        for a in s["attributes"]:
            yield ("doc of %s/%s" % (s["name"], a["name"]), bool(a.get("doc")),
                   "every attribute has a doc")


def main():
    with open(SPEC) as f:
        spec = yaml.safe_load(f)
    with open(UAPI) as f:
        enums = uapi_enums(f.read())
    results = list(checks(spec, enums))
    print("KTAP version 1")
    print("1..%d" % len(results))
    bad = 0
    for n, (name, ok, note) in enumerate(results, 1):
        if not ok:
            bad += 1
            print("# " + note)
        print("%s %d %s" % ("ok" if ok else "not ok", n, name))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
