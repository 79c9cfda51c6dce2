#!/usr/bin/python3
"""report_check.py - reads tether-report's workbook back with openpyxl and
compares it with tether-analyze --format json of the same period.

usage: report_check.py WORKBOOK ANALYZE.json
Prints "ok - NAME" or "not ok - NAME" per check, like tests/cli/lib.sh.
"""
import datetime
import json
import sys

import openpyxl


def check(name, actual, expected):
    if actual == expected or (
        isinstance(expected, float)
        and isinstance(actual, (int, float))
        and abs(actual - expected) < 1e-9
    ):
        print(f"ok - {name}")
    else:
        print(f"not ok - {name}")
        print(f"    expected: {expected!r}")
        print(f"    actual:   {actual!r}")


def rows_by(ws, key):
    """The sheet's rows as dicts keyed by the header row, indexed by key."""
    it = ws.iter_rows(values_only=True)
    head = next(it)
    out = {}
    for r in it:
        d = dict(zip(head, r))
        out[d[key]] = d
    return head, out


def main():
    wb = openpyxl.load_workbook(sys.argv[1])
    ref = json.load(open(sys.argv[2]))
    check(
        "sheet names",
        wb.sheetnames,
        ["Summary", "Pairs", "Inclusion", "Surveys", "Impact", "Practices",
         "Time zones", "Trends", "Data quality"],
    )
    # Practices: human headers on row 4, one row per practice test, the
    # figures of the run's impact object.
    pr = wb["Practices"]
    heads = [c.value for c in pr[4]]
    check("practices: human headers", heads[:3] + heads[-4:],
          ["Practice", "Scope", "Followed pairs", "Hazard ratio", "p-value",
           "Holm-adjusted p", "Small group"])
    want = ref["impact"]["practices"]
    got = [[c.value for c in row] for row in pr.iter_rows(min_row=5,
                                                           max_row=4 + len(want))]
    check("practices: one row per test, as the run",
          [(g[0], g[1], g[2]) for g in got],
          [(w["practice"], w["scope"], w["followed_pairs"]) for w in want])
    check("practices: hazard ratios as the run",
          [g[8] for g in got], [w.get("hazard_ratio") for w in want])
    im = wb["Impact"]
    check("impact: the first table is retention",
          [im.cell(3, 1).value, im.cell(4, 6).value], ["Retention", "Retention rate"])
    pairs = wb["Pairs"]
    head, by_pair = rows_by(pairs, "pair_id")
    check("one row per pair", pairs.max_row - 1, len(ref["pairs"]))
    check("pairs header frozen", pairs.freeze_panes, "B2")
    check("pairs autofilter", pairs.auto_filter.ref is not None, True)
    check("status colours", len(pairs.conditional_formatting) > 0, True)
    want = {p["pair_id"]: p for p in ref["pairs"]}
    for pid, name in (("P1", "engagement"), ("P3", "days_quiet"),
                      ("P5", "off_hours_mentor"), ("P1", "cadence_adherence"),
                      ("P4", "status")):
        check(f"pairs {pid} {name}", by_pair[pid][name], want[pid][name])
    check("a date is a date", by_pair["P1"]["last_meeting"],
          datetime.datetime(2025, 9, 15))
    # The row of P3 as cells, to see types and formats.
    row = [c for c in pairs[list(by_pair).index("P3") + 2]]
    cells = dict(zip(head, row))
    check("formula-like name stays a string cell",
          (cells["mentee_name"].data_type, cells["mentee_name"].value),
          ("s", '=HYPERLINK("x")'))
    check("date format", cells["started_on"].number_format, "yyyy-mm-dd")
    check("share format", cells["cadence_adherence"].number_format, "0.0%")

    inc = wb["Inclusion"]
    _, by_seg = rows_by(inc, "segment")
    for seg in ref["inclusion"]["work_mode"]:
        s = seg["segment"]
        for name in ("headcount", "participants", "participation_rate",
                     "inclusion_ratio", "flagged", "p_value"):
            check(f"inclusion {s} {name}", by_seg[s][name], seg[name])
    rate_col = [c.value for c in inc[1]].index("participation_rate") + 1
    check("percent format", inc.cell(2, rate_col).number_format, "0.0%")

    surveys = {}
    rows = list(wb["Surveys"].iter_rows(values_only=True))
    head = rows[1]
    for r in rows[2:]:
        if r[0] is None:
            break
        d = dict(zip(head, r))
        surveys[(d["construct"], d["segment"])] = d
    for s in ref["surveys"]:
        if s["dimension"] != "work_mode" or s["suppressed"]:
            continue
        got = surveys[(s["construct"], s["segment"])]
        check(f"survey {s['construct']} {s['segment']} mean", got["mean"],
              s["mean"])
        check(f"survey {s['construct']} {s['segment']} n", got["n"], s["n"])
    props = wb.properties
    check("document title", props.title, "Mentoring program report 2025Q3")


main()
