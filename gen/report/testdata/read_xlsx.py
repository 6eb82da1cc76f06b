"""Reads a workbook with openpyxl (an independent reader) and prints what
gen/report's system test compares with the model, as JSON: per sheet its
title, frozen panes, autofilter, column widths and every cell's value and
type ("s" string, "n" number, "f" formula)."""
import json
import sys

import openpyxl
from openpyxl.utils import get_column_letter

wb = openpyxl.load_workbook(sys.argv[1])
out = []
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows():
        cells = []
        for c in row:
            if c.value is None:
                cells.append({"V": "", "T": ""})
                continue
            t = c.data_type
            v = c.value
            if t == "n":
                v = str(int(v)) if float(v).is_integer() else str(v)
            cells.append({"V": str(v), "T": t})
        rows.append(cells)
    widths = {}
    for d in ws.column_dimensions.values():
        # One dimension may stand for a run of columns of the same width.
        for i in range(d.min or 1, (d.max or d.min or 1) + 1):
            if d.width:
                widths[get_column_letter(i)] = d.width
    out.append({
        "Title": ws.title,
        "Freeze": ws.freeze_panes or "",
        "Filter": (ws.auto_filter.ref or "").replace("$", ""),
        "Widths": widths,
        "Rows": rows,
    })
json.dump(out, sys.stdout, ensure_ascii=False)
