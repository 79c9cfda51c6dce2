#!/usr/bin/env python3
"""attacker.py - a determined reader of tether's survey figures.

usage: attacker.py DB MIN_GROUP RUN.json [RUN.json ...]

Takes what the runs published (the `surveys` list of each, and its trend
entries) and the database (to know which answers fall in each segment, as
an HR insider who knows the roster but not the answers would), and solves
with exact fractions, per construct, whether any of these is a linear
combination of the published sums:
  - a segment that was not shown (suppressed, or homogeneous);
  - a cell (answers in exactly the same shown segments) of 1 to
    MIN_GROUP - 1 respondents;
  - A - B for two shown segments whose symmetric difference holds 1 to
    MIN_GROUP - 1 respondents.
Every exposure is printed, with the value it gives when the target is a
single answer, then "exposed N". Segments are recomputed here from the
roster (version in force on the period's last day, the first one before
it), independently of tether's code. Periods are taken in UTC.
"""
import json
import sqlite3
import sys
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction


def utc_ts(day):
    return int(datetime(day.year, day.month, day.day,
                        tzinfo=timezone.utc).timestamp())


def segment_of(db, dim):
    """person id -> {as_of: value} computed lazily."""
    rows = {}
    builtin = dim in ("work_mode", "site", "department")
    for pid, vid, vfrom, mode, site, dept in db.execute(
            "SELECT person, id, valid_from, work_mode, site, department "
            "FROM person_versions ORDER BY person, valid_from"):
        rows.setdefault(pid, []).append((vfrom, vid, mode, site, dept))
    attrs = {}
    if not builtin:
        for vid, val in db.execute(
                "SELECT version, value FROM person_attributes WHERE name = ?",
                (dim,)):
            attrs[vid] = val

    def value(pid, as_of):
        vs = rows.get(pid)
        if not vs:
            return "(unknown)"
        chosen = vs[0]
        for v in vs:
            if v[0] <= as_of:
                chosen = v
        if dim == "work_mode":
            val = chosen[2]
        elif dim == "site":
            val = chosen[3]
        elif dim == "department":
            val = chosen[4]
        else:
            val = attrs.get(chosen[1])
        return val if val else "(unknown)"
    return value


def views_of(run):
    """(start, end, [(construct, dim, segment, shown)]) per published
    period of a run: its own and its trend entries."""
    p = run["period"]
    yield p["start"], p["end"], [
        (s["construct"], s["dimension"], s["segment"],
         not s.get("suppressed") and not s.get("homogeneous"))
        for s in run["surveys"]]
    for t in run.get("trend", [])[:-1]:
        yield t["period"]["start"], t["period"]["end"], [
            (s["construct"], "work_mode", s["segment"],
             not s.get("suppressed") and not s.get("homogeneous"))
            for s in t.get("survey_means", [])]


def in_span(rows, target):
    """Exact: is target a rational combination of rows?"""
    basis = []  # (pivot, row)
    for r in rows:
        r = list(r)
        for p, b in basis:
            if r[p]:
                f = r[p] / b[p]
                r = [x - f * y for x, y in zip(r, b)]
        nz = next((i for i, x in enumerate(r) if x), None)
        if nz is not None:
            basis.append((nz, r))
    t = list(target)
    for p, b in basis:
        if t[p]:
            f = t[p] / b[p]
            t = [x - f * y for x, y in zip(t, b)]
    return not any(t)


def main():
    db = sqlite3.connect(sys.argv[1])
    min_group = int(sys.argv[2])
    runs = [json.load(open(f)) for f in sys.argv[3:]]
    construct_of = dict(db.execute(
        "SELECT id, construct FROM questions"))
    answers = db.execute(
        "SELECT id, question, respondent, submitted_at, value FROM responses "
        "WHERE value IS NOT NULL").fetchall()
    dims = {}
    sets = {}  # construct -> list of (label, frozenset of answer ids, shown)
    for k, run in enumerate(runs):
        for start, end, entries in views_of(run):
            lo = utc_ts(date.fromisoformat(start))
            hi = utc_ts(date.fromisoformat(end) + timedelta(days=1))
            inside = [a for a in answers if lo <= a[3] < hi]
            for construct, dim, seg, shown in entries:
                if dim != "all" and dim not in dims:
                    dims[dim] = segment_of(db, dim)
                members = frozenset(
                    a[0] for a in inside
                    if construct_of[a[1]] == construct and
                    (dim == "all" or dims[dim](a[2], end) == seg))
                label = "run %d %s..%s %s %s=%s" % (
                    k + 1, start, end, construct, dim, seg)
                sets.setdefault(construct, []).append(
                    (label, members, shown))
    who = {a[0]: a[2] for a in answers}
    value = {a[0]: a[4] for a in answers}
    exposed = 0
    for construct, ss in sorted(sets.items()):
        shown = [s for s in ss if s[2]]
        universe = sorted(set().union(*[s[1] for s in ss]))
        # cells of the shown sets
        sig = {}
        for a in universe:
            sig.setdefault(tuple(a in s[1] for s in shown), []).append(a)
        # columns: the finest cells (shown and hidden sets)
        fine = {}
        for a in universe:
            fine.setdefault(tuple(a in s[1] for s in ss), []).append(a)
        cols = list(fine.values())

        def vec(members):
            v = []
            for c in cols:
                k = sum(1 for a in c if a in members)
                if k not in (0, len(c)):
                    return None  # splits a cell: not a combination
                v.append(Fraction(1 if k else 0))
            return v
        rows = [vec(s[1]) for s in shown]
        def respondents(members):
            return len({who[a] for a in members})
        targets = []
        for label, m, sh in ss:
            if not sh and m:
                targets.append(("suppressed " + label, m, None))
        for key, members in sig.items():
            n = respondents(members)
            if 1 <= n < min_group:
                names = [s[0] for s, b in zip(shown, key) if b]
                targets.append(("cell of %d in [%s]" % (n, "; ".join(names)),
                                set(members), None))
        for i in range(len(shown)):
            for j in range(i + 1, len(shown)):
                a, b = shown[i][1], shown[j][1]
                d = a ^ b
                if d and 1 <= respondents(d) < min_group:
                    print("exposed: %s minus %s differ by %d respondent(s)"
                          % (shown[i][0], shown[j][0], respondents(d)))
                    exposed += 1
        for label, m, _ in targets:
            v = vec(m)
            if v is not None and in_span(rows, v):
                one = " = %g" % value[next(iter(m))] if len(m) == 1 else ""
                print("exposed: %s%s" % (label, one))
                exposed += 1
    print("exposed %d" % exposed)


main()
