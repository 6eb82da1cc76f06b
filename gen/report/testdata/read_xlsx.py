"""Reads a workbook with openpyxl (an independent reader) and prints what
gen/report's system test compares with the model, as JSON: the document
properties, and per sheet its title, frozen panes, autofilter, column widths,
row heights and every cell's value, type ("s" string, "n" number, "f"
formula) and format (bold, solid fill colour, wrap, vertical alignment)."""
import json
import sys

import openpyxl
from openpyxl.utils import get_column_letter


def when(d):
    return d.strftime("%Y-%m-%dT%H:%M:%SZ") if d else ""


wb = openpyxl.load_workbook(sys.argv[1])
p = wb.properties
props = {
    "Title": p.title or "",
    "Creator": p.creator or "",
    "Description": p.description or "",
    "Language": p.language or "",
    "Created": when(p.created),
    "Modified": when(p.modified),
}
sheets = []
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows():
        cells = []
        for c in row:
            fill = ""
            if c.fill is not None and c.fill.fill_type == "solid" and c.fill.fgColor is not None and c.fill.fgColor.type == "rgb":
                fill = c.fill.fgColor.rgb.upper()
            fmt = {
                "Bold": bool(c.font and c.font.b),
                "Fill": fill,
                "Wrap": bool(c.alignment and c.alignment.wrap_text),
                "VAlign": (c.alignment and c.alignment.vertical) or "",
            }
            if c.value is None:
                cells.append(dict(V="", T="", **fmt))
                continue
            t = c.data_type
            v = c.value
            if t == "n":
                v = str(int(v)) if float(v).is_integer() else str(v)
            cells.append(dict(V=str(v), T=t, **fmt))
        rows.append(cells)
    widths = {}
    for d in ws.column_dimensions.values():
        # One dimension may stand for a run of columns of the same width.
        for i in range(d.min or 1, (d.max or d.min or 1) + 1):
            if d.width:
                widths[get_column_letter(i)] = d.width
    heights = {}
    for r, d in ws.row_dimensions.items():
        if d.height:
            heights[str(r)] = d.height
    sheets.append({
        "Title": ws.title,
        "Freeze": ws.freeze_panes or "",
        "Filter": (ws.auto_filter.ref or "").replace("$", ""),
        "Widths": widths,
        "Heights": heights,
        "Rows": rows,
    })
json.dump({"Props": props, "Sheets": sheets}, sys.stdout, ensure_ascii=False)
