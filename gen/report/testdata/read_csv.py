"""Reads a CSV with Python's csv module, after its one "#" comment line,
and prints the records as JSON: what gen/report's system test compares
with the model."""
import csv
import json
import sys

with open(sys.argv[1], newline="", encoding="utf-8") as f:
    first = f.readline()
    if not first.startswith("# "):
        sys.exit("the first line is not the comment line: %r" % first)
    records = list(csv.reader(f, strict=True))
json.dump(records, sys.stdout, ensure_ascii=False)
