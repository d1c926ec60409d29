"""Any insights table as CSV or XLSX, with formula-safe cells.

A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return, which
some strip first) as a formula: a member or title name like `=HYPERLINK(…)` would run on
the reader's machine. Such text is written as text with a leading quote (OWASP, "CSV
injection"); numbers stay numbers, so a negative net is still -12, not '-12.
"""

from __future__ import annotations

import csv
import io

import xlsxwriter

from onelibrary.insights.tables import Cell, Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Cell) -> Cell:
    """The cell as written: text that a spreadsheet would run gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe(h) for h in table.headers])
    for row in table.rows:
        writer.writerow(["" if v is None else safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM tells Excel it is UTF-8


def to_xlsx(table: Table) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(table.slug[:31])
    bold = book.add_format({"bold": True})
    for col, header in enumerate(table.headers):
        sheet.write_string(0, col, str(safe(header)), bold)
    for r, row in enumerate(table.rows, start=1):
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool | int | float):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, str(safe(value)))
    sheet.write_string(len(table.rows) + 2, 0, str(safe(table.takeaway)))
    book.close()
    return out.getvalue()
