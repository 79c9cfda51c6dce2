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


def table_of(ws, name):
    """The Excel table name of sheet ws: its ref, or None."""
    return ws.tables[name].ref if name in ws.tables else None


def main():
    wb = openpyxl.load_workbook(sys.argv[1])
    ref = json.load(open(sys.argv[2]))
    check(
        "sheet names",
        wb.sheetnames,
        ["Summary", "Pairs", "Inclusion", "Surveys", "Impact", "Practices",
         "Time zones", "Trends", "Data quality"],
    )
    # Every sheet prints one page wide, its header row on every page.
    for ws in wb:
        check(f"{ws.title} fits one page wide",
              (ws.sheet_properties.pageSetUpPr.fitToPage,
               ws.page_setup.fitToWidth in (None, 1), ws.page_setup.fitToHeight),
              (True, True, 0))
    for title, rows, orient in (("Pairs", "$1:$1", "landscape"),
                                ("Inclusion", "$1:$1", "landscape"),
                                ("Surveys", "$2:$2", "landscape"),
                                ("Trends", "$1:$1", "portrait"),
                                ("Data quality", "$2:$2", "landscape")):
        check(f"{title} print setup",
              (wb[title].print_title_rows, wb[title].page_setup.orientation),
              (rows, orient))

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
    head, by_pair = rows_by(pairs, "Pair")
    n = len(ref["pairs"])
    check("one row per pair", pairs.max_row - 1, n)
    check("pairs are an Excel table", table_of(pairs, "Pairs"),
          f"A1:{openpyxl.utils.get_column_letter(len(head))}{n + 1}")
    check("pairs header frozen", pairs.freeze_panes, "B2")
    check("pairs table filters", pairs.tables["Pairs"].autoFilter is not None,
          True)
    check("status colours", len(pairs.conditional_formatting) > 0, True)
    check("pairs headers in words", head[:16],
          ("Pair", "Program", "Mentor ID", "Mentor", "Mentor e-mail",
           "Mentor work mode", "Mentor department", "Mentor site",
           "Mentor level", "Mentee ID", "Mentee", "Mentee e-mail",
           "Mentee work mode", "Mentee department", "Mentee site",
           "Mentee level"))
    check("no code name left in a header",
          [h for h in head if h is None or "_" in h], [])
    want = {p["pair_id"]: p for p in ref["pairs"]}
    for pid, name, col in (("P1", "engagement", "Engagement (0-100)"),
                           ("P3", "days_quiet", "Days quiet"),
                           ("P5", "off_hours_mentor",
                            "Off hours for the mentor"),
                           ("P1", "cadence_adherence", "Cadence adherence"),
                           ("P4", "status", "Status")):
        check(f"pairs {pid} {name}", by_pair[pid][col], want[pid][name])
    check("department beside the names",
          (by_pair["P4"]["Mentor department"], by_pair["P4"]["Mentee department"]),
          ("IT", "Sales"))
    check("yes/no as text", (by_pair["P1"]["Mentee chose the mentor"],
                             by_pair["P2"]["Mentee chose the mentor"],
                             by_pair["P4"]["Remote with on-site"]),
          ("yes", "no", "yes"))
    check("a date is a date", by_pair["P1"]["Last meeting"],
          datetime.datetime(2025, 9, 15))
    # The row of P3 as cells, to see types and formats.
    row = [c for c in pairs[list(by_pair).index("P3") + 2]]
    cells = dict(zip(head, row))
    check("formula-like name stays a string cell",
          (cells["Mentee"].data_type, cells["Mentee"].value),
          ("s", '=HYPERLINK("x")'))
    check("date format", cells["Started"].number_format, "yyyy-mm-dd")
    check("share format", cells["Cadence adherence"].number_format, "0.0%")
    p1 = dict(zip(head, pairs[list(by_pair).index("P1") + 2]))
    check("minutes are whole numbers",
          (p1["Minutes"].value, p1["Minutes"].number_format), (120, "0"))

    inc = wb["Inclusion"]
    ihead, by_seg = rows_by(inc, "Segment")
    check("inclusion is an Excel table", "Inclusion" in inc.tables, True)
    for seg in ref["inclusion"]["work_mode"]:
        s = seg["segment"]
        for name, col in (("headcount", "Headcount"),
                          ("participants", "Participants"),
                          ("participation_rate", "Participation rate"),
                          ("inclusion_ratio", "Inclusion ratio"),
                          ("p_value", "p-value"),
                          ("shortfall", "Participants short of four-fifths"),
                          ("reference", "Reference segment")):
            check(f"inclusion {s} {name}", by_seg[s][col], seg[name])
        check(f"inclusion {s} flagged", by_seg[s]["Below four-fifths"],
              "yes" if seg["flagged"] else "no")
    rate_col = list(ihead).index("Participation rate") + 1
    check("percent format", inc.cell(2, rate_col).number_format, "0.0%")

    surveys = {}
    ws = wb["Surveys"]
    check("surveys and comparisons are Excel tables",
          sorted(ws.tables.keys()), ["SurveyComparisons", "Surveys"])
    rows = list(ws.iter_rows(values_only=True))
    head = rows[1]
    for r in rows[2:]:
        if r[0] is None:
            break
        d = dict(zip(head, r))
        surveys[(d["Construct"], d["Segment"])] = d
    for s in ref["surveys"]:
        if s["dimension"] != "work_mode" or s["suppressed"]:
            continue
        got = surveys[(s["construct"], s["segment"])]
        check(f"survey {s['construct']} {s['segment']} mean", got["Mean"],
              s["mean"])
        check(f"survey {s['construct']} {s['segment']} n", got["Respondents"],
              s["n"])

    trends = wb["Trends"]
    thead = [c.value for c in trends[1]]
    check("trends in long format", thead,
          ["Period", "Figure", "Segment", "Value"])
    trows = list(trends.iter_rows(min_row=2, values_only=True))
    check("trends hold every quarter",
          sorted({r[0] for r in trows}), [t["period"]["label"] for t in ref["trend"]])
    last = ref["trend"][-1]
    got = {(r[1], r[2]): r[3] for r in trows if r[0] == last["period"]["label"]}
    check("trend: pairs", got[("Pairs", "all")], last["pairs"])
    remote = [p for p in last["participation"] if p["segment"] == "remote"][0]
    check("trend: remote participation", got[("Participation rate", "remote")],
          remote["participation_rate"])
    check("no list text in trends",
          [r for r in trows if any(isinstance(v, str) and "[" in v for v in r)],
          [])
    check("trends are an Excel table", "Trends" in trends.tables, True)
    check("impact and practices tables are Excel tables",
          (sorted(wb["Impact"].tables.keys())[:1],
           len(wb["Practices"].tables)), (["Impact1"], 1))

    dq = wb["Data quality"]
    dq_head = [c.value for c in dq[2]]
    at = dq.cell(3, dq_head.index("Imported at") + 1)
    check("imported_at is a date and time",
          (type(at.value).__name__, at.number_format),
          ("datetime", "yyyy-mm-dd hh:mm:ss"))
    props = wb.properties
    check("document title", props.title, "Mentoring program report 2025Q3")


main()
