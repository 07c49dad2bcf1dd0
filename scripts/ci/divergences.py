#!/usr/bin/env python3
"""Review and accept a target's divergences (snapshots/<case>@<target>.snap.new).

    scripts/ci/divergences.py review TARGET [--new] [--by-rule]  # pending divergences, grouped
    scripts/ci/divergences.py approve TARGET [GLOB]   # add exact rules for facets no rule covers
    scripts/ci/divergences.py accept TARGET           # accept every pending divergence the rules explain
    scripts/ci/divergences.py reword TARGET           # rewrite accepted reasons after the rules changed
    scripts/ci/divergences.py prune TARGET NDJSON     # delete resolved and orphaned @TARGET.snap files
    scripts/ci/divergences.py summary TARGET          # accepted divergences per phrase, most first
    scripts/ci/divergences.py facets TARGET CASE      # the facets of one pending or accepted divergence
    scripts/ci/divergences.py check LISTING           # every @target.snap has a case (LISTING: the
                                                      # output of `conform list`), a golden, a reason

A divergence is described by its *facets*: each way the target's answer departs from the golden,
abstracted from the case. For each exchange (each step of a case with steps):
  status|OP|AWS|TARGET          both succeed, with other statuses
  value|PATH|AWS|TARGET         a member with another value; adds|PATH, omits|PATH; items|PATH|more
  content-type|success|AWS|T    (or error)
  accepts|OP|AWS error|AWS message|TARGET status    the target accepts what AWS rejects
  rejects|OP|TARGET error|TARGET message            the target rejects what AWS accepts
  error|OP|AWS error|AWS message|TARGET error|TARGET message
  message|OP|error|AWS message|TARGET message; message key|AWS|TARGET; error adds|M, error omits|M
  not sent|OP                   a later step could not be sent (a member to capture was missing)
Messages are templates: quoted values become '…', numbers of two digits or more N.

The reviewed rules of a target live in scripts/ci/divergences/<target>.json: [glob, phrase]
pairs, where only `*` is special in the glob, and the first rule that matches a facet explains
it. A pending divergence whose every facet is explained is accepted with the one-line reason
`<target>: phrase; phrase; …` (its phrases in rule order); one with a facet no rule explains
stays pending for a person. Re-recording after the suite grows therefore carries the reasons
forward: a divergence of a reviewed kind is accepted again with the same words, and only new
kinds need review (`review TARGET --new`).

Only the standard library is used (PyYAML, when present, reads goldens that `cargo insta accept`
rewrote in block style; without it only their bodies are read, which is all that is compared).
"""

import fnmatch
import json
import os
import re
import sys
from collections import OrderedDict, defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SNAPSHOTS = os.path.join(REPO, "snapshots")
REVIEWED_DIR = os.path.join(REPO, "scripts", "ci", "divergences")
TARGETS = ("moto", "localstack", "ministack")

# --- snapshots ---------------------------------------------------------------------------------


class Snap:
    """An insta snapshot as the harness writes it: a header, then the JSON body."""

    def __init__(self, path):
        self.path = path
        text = open(path, encoding="utf-8").read()
        if not text.startswith("---\n"):
            raise ValueError(f"{path}: not an insta snapshot")
        end = text.index("\n---\n", 3)
        self.header = text[4:end]
        self.body_text = text[end + 5 :]
        self.body = json.loads(self.body_text)
        self.info = self._info()

    def _info(self):
        for line in self.header.split("\n"):
            if line.startswith("info: {"):
                return json.loads(line[len("info: ") :], object_pairs_hook=OrderedDict)
        try:
            import yaml  # block style, as `cargo insta accept` writes it

            return (yaml.safe_load(self.header) or {}).get("info") or {}
        except ImportError:
            return {}

    def with_reason(self, reason):
        """The file's text with info.reason set (the body is kept byte for byte)."""
        info = OrderedDict(self.info)
        info["reason"] = reason
        line = "info: " + json.dumps(info, ensure_ascii=False, separators=(",", ":"))
        lines = self.header.split("\n")
        idx = [i for i, l in enumerate(lines) if l.startswith("info: {")]
        if not idx:
            raise ValueError(f"{self.path}: info is not on one line (not written by conform record)")
        lines[idx[0]] = line
        return "---\n" + "\n".join(lines) + "\n---\n" + self.body_text


def golden_path(case):
    return os.path.join(SNAPSHOTS, f"{case}.snap")


def divergence_path(case, target):
    return os.path.join(SNAPSHOTS, f"{case}@{target}.snap")


def case_of(path, target):
    name = os.path.basename(path)
    suffix = f"@{target}.snap.new" if name.endswith(".new") else f"@{target}.snap"
    return name[: -len(suffix)]


def pending(target):
    suffix = f"@{target}.snap.new"
    return sorted(os.path.join(SNAPSHOTS, n) for n in os.listdir(SNAPSHOTS) if n.endswith(suffix))


def accepted(target):
    suffix = f"@{target}.snap"
    return sorted(os.path.join(SNAPSHOTS, n) for n in os.listdir(SNAPSHOTS) if n.endswith(suffix))


# --- facets ------------------------------------------------------------------------------------

QUOTED_VALUE = re.compile(r"Value '(?:[^']|'(?! at '))*' at '")
LIST_VALUE = re.compile(r"Value \[[^\]]*\] at '")
NUMBERS = re.compile(r"\b\d{2,}\b")


def template(message):
    """AWS's (or the target's) message with the case's values taken out."""
    if message is None:
        return None
    m = str(message)
    m = QUOTED_VALUE.sub("Value '…' at '", m)
    m = LIST_VALUE.sub("Value […] at '", m)
    m = NUMBERS.sub("N", m)
    m = re.sub(r"<uuid:\d+>", "<uuid>", m)
    m = re.sub(r"\s+", " ", m).strip()
    m = m.replace("|", "¦")  # `|` separates the parts of a facet
    if len(m) > 200:
        m = m[:199] + "…"
    return m


def error_of(answer):
    err = answer.get("error") or {}
    code = err.get("code")
    key = err.get("message_key")
    body = answer.get("body") if isinstance(answer.get("body"), dict) else {}
    message = body.get(key) if key else None
    if message is None and code is None and "body_text" in answer:
        message = answer["body_text"]
    return code, message


def generalise(path):
    return re.sub(r"\[\d+\]", "[*]", path)


def member_diffs(golden, actual, path=""):
    """(path, golden, actual) for each difference, lists compared item by item."""
    out = []
    if isinstance(golden, dict) and isinstance(actual, dict):
        for k in sorted(set(golden) | set(actual)):
            p = f"{path}.{k}" if path else k
            if k not in golden:
                out.append((p, "<absent>", actual[k]))
            elif k not in actual:
                out.append((p, golden[k], "<absent>"))
            else:
                out += member_diffs(golden[k], actual[k], p)
    elif isinstance(golden, list) and isinstance(actual, list):
        if len(golden) != len(actual):
            # A list of another length: which items are which is a guess, so say only that.
            out.append((path, "<items>", "more" if len(actual) > len(golden) else "fewer"))
        else:
            for i, (g, a) in enumerate(zip(golden, actual)):
                out += member_diffs(g, a, f"{path}[{i}]")
    elif golden != actual and not (
        isinstance(golden, (int, float)) and isinstance(actual, (int, float)) and golden == actual
    ):
        out.append((path, golden, actual))
    return out


def short(value):
    if value == "<absent>":
        return value
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 120 else text[:119] + "…"


def step_facets(op, golden, actual):
    """The facets of one exchange."""
    facets = []
    if "not_sent" in actual:
        return [f"not sent|{op}"]
    gs, as_ = golden.get("status"), actual.get("status")
    gcode, gmsg = error_of(golden)
    acode, amsg = error_of(actual)
    g_ok, a_ok = gs is not None and gs < 300, as_ is not None and as_ < 300
    gct = (golden.get("headers") or {}).get("content-type")
    act = (actual.get("headers") or {}).get("content-type")
    if gct != act:
        facets.append(f"content-type|{'success' if a_ok else 'error'}|{gct}|{act}")
    if g_ok and a_ok:
        if gs != as_:
            facets.append(f"status|{op}|{gs}|{as_}")
        for path, g, a in member_diffs(golden.get("body"), actual.get("body")):
            path = generalise(path)
            if g == "<items>":
                facets.append(f"items|{path}|{a}")
            elif g == "<absent>":
                facets.append(f"adds|{path}")
            elif a == "<absent>":
                facets.append(f"omits|{path}")
            else:
                facets.append(f"value|{path}|{short(g)}|{short(a)}")
        if "body_text" in actual or "body_text" in golden:
            facets.append(f"body text|{op}")
        return facets
    if not g_ok and a_ok:
        facets.append(f"accepts|{op}|{gs} {gcode}|{template(gmsg)}|{as_}")
        return facets
    if g_ok and not a_ok:
        facets.append(f"rejects|{op}|{as_} {acode}|{template(amsg)}")
        return facets
    # Both errors.
    if (gs, gcode) != (as_, acode):
        facets.append(f"error|{op}|{gs} {gcode}|{template(gmsg)}|{as_} {acode}|{template(amsg)}")
    elif template(gmsg) != template(amsg) or gmsg != amsg:
        facets.append(f"message|{op}|{gs} {gcode}|{template(gmsg)}|{template(amsg)}")
    gbody = golden.get("body") if isinstance(golden.get("body"), dict) else {}
    abody = actual.get("body") if isinstance(actual.get("body"), dict) else {}
    gkey = (golden.get("error") or {}).get("message_key")
    akey = (actual.get("error") or {}).get("message_key")
    if gkey != akey and gcode and acode:
        facets.append(f"message key|{gkey}|{akey}")
    for k in sorted(set(gbody) | set(abody)):
        if k in (gkey, akey):
            continue
        if k not in abody:
            facets.append(f"error omits|{k}")
        elif k not in gbody:
            facets.append(f"error adds|{k}")
        elif gbody[k] != abody[k]:
            facets.append(f"error value|{k}|{short(gbody[k])}|{short(abody[k])}")
    if "body_text" in actual and "body_text" not in golden:
        facets.append(f"error body not JSON|{as_}")
    return facets


def operations(snap):
    """Step name → operation, from the recorded requests."""
    ops = {}
    for r in snap.info.get("requests") or []:
        if isinstance(r, dict) and r.get("step"):
            ops[r["step"]] = r.get("operation")
    return ops


def facets_of(golden, actual, ops, default_op):
    g, a = golden.body, actual.body
    if "steps" not in g or "steps" not in a:
        out = step_facets(default_op, g, a)
    else:
        out = []
        gsteps, asteps = g["steps"], a["steps"]
        for i in range(max(len(gsteps), len(asteps))):
            if i >= len(asteps):
                break  # steps after one not sent
            if i >= len(gsteps):
                out.append("extra step")
                continue
            name = gsteps[i].get("step")
            op = ops.get(name) or default_op
            out += step_facets(op, gsteps[i], asteps[i])
    seen = OrderedDict()
    for f in out:
        seen.setdefault(f, None)
    return list(seen)


def load_pair(case, target, path=None):
    actual = Snap(path or pending_or_accepted(case, target))
    golden = Snap(golden_path(case))
    ops = operations(actual)
    default_op = actual.info.get("operation") or golden.info.get("operation") or "?"
    return golden, actual, facets_of(golden, actual, ops, default_op)


def pending_or_accepted(case, target):
    p = divergence_path(case, target)
    return p + ".new" if os.path.exists(p + ".new") else p


# --- phrases -----------------------------------------------------------------------------------

OPS = {
    "CreateEventSourceMapping": "Create",
    "GetEventSourceMapping": "Get",
    "UpdateEventSourceMapping": "Update",
    "DeleteEventSourceMapping": "Delete",
    "ListEventSourceMappings": "List",
    "TagResource": "TagResource",
    "UntagResource": "UntagResource",
    "ListTags": "ListTags",
}


def op_name(op):
    return OPS.get(op, op)


def default_phrase(facet):
    """A first draft, in words, for a reviewer to keep or rewrite."""
    parts = facet.split("|")
    kind = parts[0]
    if kind == "status":
        return f"{op_name(parts[1])} answers {parts[3]} (AWS {parts[2]})"
    if kind == "content-type":
        return f"{parts[1]} content-type {parts[3]} (AWS {parts[2]})"
    if kind == "adds":
        return f"adds {parts[1]}"
    if kind == "omits":
        return f"leaves out {parts[1]}"
    if kind == "value":
        return f"{parts[1]} {parts[3]} (AWS {parts[2]})"
    if kind == "items":
        return f"{parts[2]} items in {parts[1]} than AWS"
    if kind == "accepts":
        return f"{op_name(parts[1])} accepts with {parts[4]} what AWS rejects: {parts[2]} `{parts[3]}`"
    if kind == "rejects":
        return f"{op_name(parts[1])} rejects what AWS accepts: {parts[2]} `{parts[3]}`"
    if kind == "error":
        return f"{op_name(parts[1])} gives {parts[4]} `{parts[5]}` where AWS gives {parts[2]} `{parts[3]}`"
    if kind == "message":
        return f"{op_name(parts[1])} {parts[2]} says `{parts[4]}` (AWS `{parts[3]}`)"
    if kind == "message key":
        return f"error message under `{parts[2]}` (AWS `{parts[1]}`)"
    if kind == "error omits":
        return f"errors lack `{parts[1]}`"
    if kind == "error adds":
        return f"errors add `{parts[1]}`"
    if kind == "error value":
        return f"error `{parts[1]}` {parts[3]} (AWS {parts[2]})"
    if kind == "error body not JSON":
        return f"error {parts[1]} with a body that is not JSON"
    if kind == "not sent":
        return ""  # follows from the step before: a member to capture was missing
    if kind == "extra step":
        return "more steps than the golden"
    return facet


def reviewed_path(target):
    return os.path.join(REVIEWED_DIR, f"{target}.json")


def glob_regex(pattern):
    """Only `*` is special (facets hold brackets, which fnmatch would read as classes)."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.S)


class Rules:
    """The reviewed facets of a target: [glob, phrase] pairs, the first match wins."""

    def __init__(self, target):
        self.target = target
        self.path = reviewed_path(target)
        self.rules = []
        if os.path.exists(self.path):
            with open(self.path, encoding="utf-8") as f:
                self.rules = [tuple(r) for r in json.load(f)["rules"]]
        self.compiled = [(glob_regex(g), g, p) for g, p in self.rules]

    def match(self, facet):
        """(index, glob, phrase) of the first rule that matches, else None."""
        for i, (rx, g, p) in enumerate(self.compiled):
            if rx.fullmatch(facet):
                return i, g, p
        return None

    def add(self, facet, phrase):
        self.rules.append((facet, phrase))
        self.compiled.append((glob_regex(facet), facet, phrase))

    def save(self):
        os.makedirs(REVIEWED_DIR, exist_ok=True)
        with open(self.path, encoding="utf-8") as f:
            data = json.load(f, object_pairs_hook=OrderedDict) if os.path.exists(self.path) else OrderedDict()
        data["rules"] = [list(r) for r in self.rules]
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(dump_rules(data))


def dump_rules(data):
    """One rule a line, so that diffs of the file are readable."""
    out = ["{"]
    for key, value in data.items():
        if key == "rules":
            continue
        out.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    out.append('  "rules": [')
    rows = [f"    {json.dumps(list(r), ensure_ascii=False)}" for r in data["rules"]]
    out.append(",\n".join(rows))
    out.append("  ]")
    out.append("}")
    return "\n".join(out) + "\n"


def reason(target, facets, rules):
    """`<target>: phrase; phrase; …`, the phrases in the order of their rules."""
    found = []
    for f in facets:
        m = rules.match(f)
        if m and m[2] and m[2] not in [p for _, p in found]:
            found.append((m[0], m[2]))
    found.sort()
    if not found:  # only facets whose rules say nothing on their own
        found = [(0, default_phrase(f)) for f in facets if default_phrase(f)]
    text = f"{target}: " + "; ".join(p for _, p in found) if found else f"{target}: differs"
    return re.sub(r"\s+", " ", text)


# --- commands ----------------------------------------------------------------------------------


def pending_facets(target, pattern=None):
    """case → facets, for each pending divergence with a golden."""
    out = OrderedDict()
    for path in pending(target):
        case = case_of(path, target)
        if pattern and not fnmatch.fnmatchcase(case, pattern):
            continue
        if not os.path.exists(golden_path(case)):
            continue
        out[case] = load_pair(case, target, path)[2]
    return out


def cmd_review(target, only_new, by_rule):
    rules = Rules(target)
    by_facet = defaultdict(list)
    for case, facets in pending_facets(target).items():
        for f in facets:
            by_facet[f].append(case)
    if by_rule:
        groups = defaultdict(lambda: defaultdict(list))
        for facet, cases in by_facet.items():
            m = rules.match(facet)
            groups[m[:2] if m else (len(rules.rules), "(no rule)")][facet] += cases
        for (i, glob), facets in sorted(groups.items()):
            n = len({c for cs in facets.values() for c in cs})
            phrase = rules.rules[i][1] if i < len(rules.rules) else ""
            print(f"{n:4} cases  rule {glob}\n            → {phrase}")
            for facet, cases in sorted(facets.items(), key=lambda kv: -len(kv[1]))[:6]:
                print(f"      {len(cases):4}  {facet[:200]}  (e.g. {', '.join(cases[:3])})")
            if len(facets) > 6:
                print(f"            … and {len(facets) - 6} more facets")
        return 0
    for facet, cases in sorted(by_facet.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        m = rules.match(facet)
        if only_new and m:
            continue
        phrase = m[2] if m else default_phrase(facet)
        mark = "  " if m else "+ "
        print(f"{mark}{len(cases):4}  {facet}\n        → {phrase}\n        e.g. {', '.join(cases[:5])}")
    return 0


def cmd_approve(target, pattern):
    """Adds each pending facet no rule matches, as an exact rule with its first-draft phrase."""
    rules = Rules(target)
    added = 0
    for facets in pending_facets(target, pattern).values():
        for f in facets:
            if not rules.match(f):
                rules.add(f, default_phrase(f))
                added += 1
    rules.save()
    print(f"{target}: {added} rules added to {os.path.relpath(rules.path, REPO)}; reword them there")
    return 0


def cmd_accept(target):
    rules = Rules(target)
    done, left, no_golden = 0, defaultdict(list), []
    for path in pending(target):
        case = case_of(path, target)
        if not os.path.exists(golden_path(case)):
            no_golden.append(case)
            continue
        _, actual, facets = load_pair(case, target, path)
        new = [f for f in facets if not rules.match(f)]
        if new:
            for f in new:
                left[f].append(case)
            continue
        text = actual.with_reason(reason(target, facets, rules))
        with open(divergence_path(case, target), "w", encoding="utf-8") as f:
            f.write(text)
        os.remove(path)
        done += 1
    print(f"{target}: accepted {done} divergences")
    if no_golden:
        print(f"{target}: {len(no_golden)} pending without a golden (record the reference first): {', '.join(no_golden[:5])}")
    if left:
        cases = sorted({c for cs in left.values() for c in cs})
        print(f"{target}: {len(cases)} left pending, with facets no rule covers yet (scripts/ci/divergences.py review {target} --new):")
        for facet, cs in sorted(left.items(), key=lambda kv: -len(kv[1]))[:40]:
            print(f"  {len(cs):4}  {facet[:200]}  (e.g. {', '.join(cs[:3])})")
    return 1 if left or no_golden else 0


def cmd_reword(target):
    """Rewrites the reason of every accepted divergence from the current rules."""
    rules = Rules(target)
    changed, uncovered = 0, []
    for path in accepted(target):
        case = case_of(path, target)
        if not os.path.exists(golden_path(case)):
            continue
        _, actual, facets = load_pair(case, target, path)
        if any(not rules.match(f) for f in facets):
            uncovered.append(case)
            continue
        text = actual.with_reason(reason(target, facets, rules))
        if text != open(path, encoding="utf-8").read():
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            changed += 1
    print(f"{target}: reworded {changed} accepted divergences")
    if uncovered:
        print(f"{target}: {len(uncovered)} accepted divergences have facets no rule covers: {', '.join(uncovered[:10])}")
        return 1
    return 0


def cmd_summary(target):
    """How many accepted divergences each phrase explains, most first (for docs/conformance.md)."""
    rules = Rules(target)
    counts = defaultdict(set)
    used = set()
    for path in accepted(target):
        case = case_of(path, target)
        if not os.path.exists(golden_path(case)):
            continue
        for f in load_pair(case, target, path)[2]:
            m = rules.match(f)
            if m:
                used.add(m[0])
            if m and m[2]:
                counts[m[2]].add(case)
    print(f"{target}: {len(accepted(target))} accepted divergences")
    for phrase, cases in sorted(counts.items(), key=lambda kv: -len(kv[1])):
        print(f"{len(cases):5}  {phrase}")
    for i, (glob, _) in enumerate(rules.rules):
        if i not in used:
            print(f"unused rule: {glob}")
    return 0


def cmd_prune(target, ndjson):
    """Deletes @target.snap files the run says are resolved, and those of cases that are gone."""
    resolved, seen = [], set()
    with open(ndjson, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("type") != "case":
                continue
            seen.add(r["id"])
            if r["status"] == "resolved":
                resolved.append(r["id"])
    removed = []
    for case in resolved:
        p = divergence_path(case, target)
        if os.path.exists(p):
            os.remove(p)
            removed.append(f"{case} (resolved)")
    for path in accepted(target) + pending(target):
        case = case_of(path, target)
        if case not in seen or not os.path.exists(golden_path(case)):
            os.remove(path)
            removed.append(f"{case} (no such case or no golden)")
    for r in removed:
        print(f"{target}: deleted the divergence of {r}")
    return 0


def cmd_facets(target, case):
    rules = Rules(target)
    _, _, facets = load_pair(case, target)
    for f in facets:
        m = rules.match(f)
        print(f"{'  ' if m else '+ '}{f}\n    → {m[2] if m else default_phrase(f)}" + (f"   [rule {m[1]}]" if m else ""))
    print(reason(target, facets, rules))
    return 0


def cmd_check(listing):
    """Every accepted divergence belongs to a case with a golden and has a one-line reason."""
    with open(listing, encoding="utf-8") as f:
        ids = {line.split()[0] for line in f if line.strip()}
    problems = []
    for target in TARGETS:
        for path in accepted(target):
            case = case_of(path, target)
            name = os.path.relpath(path, REPO)
            if case not in ids:
                problems.append(f"{name}: no case `{case}`")
            elif not os.path.exists(golden_path(case)):
                problems.append(f"{name}: no golden snapshots/{case}.snap")
            else:
                r = str(Snap(path).info.get("reason") or "").strip()
                if not r or "\n" in r:
                    problems.append(f"{name}: the reason must be one line")
    for p in problems:
        print(f"divergences: {p}", file=sys.stderr)
    counts = ", ".join(f"{t} {len(accepted(t))}" for t in TARGETS)
    print(f"accepted divergences: {counts}; {len(problems)} problems")
    return 1 if problems else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "check":
        return cmd_check(argv[2])
    if len(argv) < 3 or argv[1] not in ("review", "approve", "accept", "reword", "prune", "facets", "summary"):
        print(__doc__, file=sys.stderr)
        return 2
    command, target = argv[1], argv[2]
    if target not in TARGETS:
        print(f"divergences.py: unknown target {target!r} (expected {', '.join(TARGETS)})", file=sys.stderr)
        return 2
    if command == "review":
        return cmd_review(target, "--new" in argv[3:], "--by-rule" in argv[3:])
    if command == "approve":
        return cmd_approve(target, argv[3] if len(argv) > 3 else None)
    if command == "accept":
        return cmd_accept(target)
    if command == "summary":
        return cmd_summary(target)
    if command == "reword":
        return cmd_reword(target)
    if command == "prune":
        return cmd_prune(target, argv[3])
    return cmd_facets(target, argv[3])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
