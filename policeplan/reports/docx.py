"""A report as a Word document (DOCX), from its snapshot only, for those who must edit or
reuse it: the same sections and headings as the page and the PDF (Word's built-in heading
styles, so its navigation pane and a screen reader's headings list work), every figure in a
table with a header row, the document's title and language set. Charts are not drawn: each
chart's table is there, as on the page.
"""

from __future__ import annotations

import html
import io
import re
from typing import Any

from policeplan.reports.assemble import measures_of

_BLOCK = re.compile(r"</(p|li|h[1-6])>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{0,2000}>")


def _paragraphs(markup: str) -> list[str]:
    """Sanitised HTML (rendered Markdown) as plain paragraphs."""
    text = _BLOCK.sub("\n", markup or "")
    text = html.unescape(_TAG.sub("", text))
    return [line.strip() for line in text.split("\n") if line.strip()]


def _table(doc: Any, header: list[str], rows: list[list[str]], caption: str) -> None:
    doc.add_paragraph(caption, style="Caption")
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)


def _repeat_header(row: Any) -> None:
    """Mark the first row as the table's header (repeated on each page, read as headers)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _text_section(doc: Any, title: str, markup: str, level: int = 1) -> None:
    doc.add_heading(title, level=level)
    lines = _paragraphs(markup) or ["Not written yet."]
    for line in lines:
        doc.add_paragraph(line)


def build(snapshot: dict[str, Any]) -> bytes:
    from docx import Document

    r = snapshot
    doc = Document()
    doc.core_properties.title = r["title"]
    doc.core_properties.author = r["office"]
    doc.core_properties.language = "en-GB"
    doc.add_heading(r["title"], level=0)
    doc.add_paragraph(r["office"])
    doc.add_paragraph(
        f"Published {r['published_on']}. The figures are as they stood when it was published."
        if r.get("published_on")
        else f"Draft assembled {r['assembled_on']} from the latest figures: not published."
    )
    doc.add_paragraph(f"It reports on the {r['plan']['version']}.")
    if r["texts"]["foreword"]:
        _text_section(doc, "Foreword", r["texts"]["foreword"])
    measures = measures_of(r)
    doc.add_heading("Summary of the measures", level=1)
    _table(
        doc,
        ["Status", "Measures"],
        [[s["label"], str(s["count"])] for s in r["rag"]],
        "Measures by status",
    )
    _table(
        doc,
        ["Measure", "Figure", "Period", "Status"],
        [
            [
                m["title"] + (" (made-up figures for the demonstration)" if m["made_up"] else ""),
                m["figure"],
                (m["period"] or "–") + (" (latest available)" if m.get("stale") else ""),
                m["status"] or "No figure",
            ]
            for m in measures
        ],
        "Every measure",
    )
    annual = r["kind"] == "annual"
    if annual:
        _text_section(doc, "How the office exercised its functions", r["texts"]["functions"])
    doc.add_heading("Progress against the plan's measures", level=1)
    for p in r["priorities"]:
        doc.add_heading(p["title"], level=2)
        for o in p["outcomes"]:
            for m in o["measures"]:
                doc.add_heading(m["title"], level=3)
                doc.add_paragraph(f"Outcome: {o['title']}")
                if m["period"]:
                    interval = f" (95% interval {m['interval']})" if m["interval"] else ""
                    doc.add_paragraph(f"{m['area']}, {m['period']}: {m['figure']}{interval}.")
                    doc.add_paragraph(f"Status: {m['status']}. {m['rule']}")
                    if m["change"]:
                        doc.add_paragraph(f"Change on a year before: {m['change']}.")
                    own = m.get("own_period")
                    if own:
                        doc.add_paragraph(f"{own['label']} itself: {own['figure']}.")
                else:
                    doc.add_paragraph(m["no_figures"])
                if m["commentary"]:
                    doc.add_heading("Commentary", level=4)
                    for line in _paragraphs(m["commentary"]):
                        doc.add_paragraph(line)
                if m["trend_rows"]:
                    _table(
                        doc,
                        ["Period", m["figure_column"], "95% interval or reason"],
                        [[t["period"], t["figure"], t["interval"]] for t in m["trend_rows"]],
                        f"{m['title']}, {m['area']}: the latest periods",
                    )
                if len(m["areas"]) > 1:
                    _table(
                        doc,
                        ["Area", "Kind of area", m["figure_column"], "95% interval"],
                        [[a["name"], a["level"], a["figure"], a["interval"]] for a in m["areas"]],
                        f"{m['title']}: every area, {m['period']}",
                    )
                d = m["definition"]
                doc.add_paragraph(f"What it counts: {d['methodology']} Source: {d['source']}.")
                for c in m["caveats"]:
                    doc.add_paragraph(f"Caveat from {c['from']}: {c['title']}. {c['text']}")
    doc.add_heading("Commitments", level=1)
    if r["commitments"]:
        _table(
            doc,
            ["Commitment", "Who", "Due", "Status"],
            [[c["text"], c["owner"], c["due"] or "–", c["status"]] for c in r["commitments"]],
            "The plan's commitments and their status",
        )
    else:
        doc.add_paragraph("None recorded.")
    doc.add_heading("Recommendations and responses", level=1)
    for rec in r["recommendations"] or []:
        doc.add_heading(f"Recommendation {rec['number']} of ‘{rec['report']}’", level=3)
        doc.add_paragraph(rec["text"])
        doc.add_paragraph(f"Status: {rec['status']}. {rec['progress']}".strip())
        if rec["reasons"]:
            doc.add_paragraph(f"The office's response: {rec['reasons']}")
        if rec["will_do"]:
            doc.add_paragraph(f"What the office will do: {rec['will_do']}")
    if not r["recommendations"]:
        doc.add_paragraph("None recorded.")
    doc.add_heading("What people told us", level=1)
    for c in r["consultations"] or []:
        doc.add_heading(c["title"], level=2)
        for t in c["themes"]:
            doc.add_heading(t["label"], level=3)
            doc.add_paragraph(f"You said: {t['you_said']}")
            doc.add_paragraph("We did: " + " ".join(_paragraphs(t["we_did"])))
    if not r["consultations"]:
        doc.add_paragraph(f"No consultation's results were published in {r['period']['label']}.")
    f = r["finance"]
    doc.add_heading(f"Finance, {f['year']}", level=1)
    if f["resources"]:
        _table(
            doc,
            ["Heading", "Amount"],
            [[x["heading"], x["amount"]] for x in f["resources"]]
            + [["Total", f["resources_total"]]],
            f"Resources the plan sets out for {f['year']}",
        )
    if f["grants"]:
        _table(
            doc,
            ["Recipient", "Purpose", "Amount"],
            [[g["recipient"], g["purpose"], g["amount"]] for g in f["grants"]]
            + [["Total", "", f["grants_total"]]],
            f"Crime and disorder reduction grants, {f['year']}",
        )
    if not f["resources"] and not f["grants"]:
        doc.add_paragraph(f"The plan sets out no resources or grants for {f['year']}.")
    if annual:
        _text_section(
            doc,
            "The force's contribution to national policing priorities",
            r["texts"]["national_priorities"],
        )
        _text_section(doc, "The latest inspection (PEEL) findings", r["texts"]["inspection"])
        _text_section(doc, "How complaints are handled", r["texts"]["complaints"])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
