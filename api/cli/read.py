"""Commands that read: search (one query or a JSONL batch), ask, tasks, refs, docs, show — the core's JSON
with `--json`, Vietnamese text otherwise."""

from __future__ import annotations

import json
from typing import Any

import click

from tracuu.core.app import Tracuu
from tracuu.core.settings import Settings
from tracuu.index.citation import vn_date

from . import cli, echo_json


@cli.command()
@click.argument("query", required=False)
@click.option("-k", "k", type=click.IntRange(1, 100), default=10, show_default=True, help="Số kết quả.")
@click.option("--type", "doc_type", help="Loại văn bản (Kế hoạch, Nghị định, Luật…).")
@click.option("--issuer", help="Cơ quan ban hành (một phần tên, có hoặc không dấu).")
@click.option("--year", type=int, help="Năm ban hành.")
@click.option("--doc", help="Mã văn bản.")
@click.option("--number", help="Số hiệu văn bản.")
@click.option(
    "--mode", type=click.Choice(["hybrid", "dense", "lexical"]), default="hybrid", show_default=True
)
@click.option(
    "--in-force",
    "in_force",
    is_flag=False,
    flag_value="today",
    default=None,
    metavar="[NGÀY]",
    help="Chỉ văn bản còn hiệu lực (toàn bộ hoặc một phần) vào ngày này; không ghi ngày: hôm nay.",
)
@click.option("--batch", "batch", type=click.File("r", encoding="utf-8"), help='Tệp JSONL {"id", "query"}.')
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def search(settings: Settings, query: str | None, k: int, doc_type: str | None, issuer: str | None, year: int | None,
           doc: str | None, number: str | None, mode: str, in_force: str | None, batch, as_json: bool) -> None:  # fmt: skip
    """Tìm đoạn văn bản liên quan (có dấu hoặc không dấu)."""
    if in_force not in (None, "today") and query is None and not _is_date(in_force):
        query, in_force = in_force, "today"  # `--in-force "câu hỏi"`: the flag without a date, then the query
    if not query and batch is None:
        raise click.UsageError("cần câu truy vấn hoặc --batch TỆP.jsonl")
    if batch is None:
        with Tracuu(settings) as app:
            data = app.search(query, k, doc_type, issuer, year, number, doc, mode, in_force)
        _print_hits(data, as_json)
        return
    bad = 0
    with Tracuu(settings) as app:  # every line through the core: the same filters, checks and lookups
        for n, line in enumerate(batch, start=1):
            if not line.strip():
                continue
            item, error = _batch_line(line)
            if error:  # that line answered with its error; the rest of the batch still runs
                bad += 1
                out = {"id": item.get("id") if isinstance(item, dict) else None, "line": n, "results": [],
                       "error": f"dòng {n} của {batch.name} không hợp lệ: {error}"}  # fmt: skip
                click.echo(json.dumps(out, ensure_ascii=False))
                continue
            hits = app.search(item["query"], k, doc_type, issuer, year, number, doc, mode, in_force)[
                "results"
            ]
            click.echo(json.dumps({"id": item["id"], "results": hits}, ensure_ascii=False))
    if bad:
        raise click.ClickException(f'{bad} dòng của {batch.name} không hợp lệ (xem trường "error")')


def _is_date(text: str) -> bool:
    from tracuu.knowledge.validity import parse_at

    try:
        parse_at(text)
    except ValueError:
        return False
    return True


VALIDITY_BADGES = {"in_force": ("còn hiệu lực", "green"), "partly_expired": ("hết hiệu lực một phần", "yellow"),
                   "expired": ("hết hiệu lực", "red"), "not_yet_in_force": ("chưa có hiệu lực", "blue")}  # fmt: skip


def _print_hits(data: dict[str, Any], as_json: bool) -> None:
    if as_json:
        echo_json(data)
        return
    restored, hits = data["restored_query"], data["results"]
    if restored:
        click.echo(f"Hiểu là: {restored}")
    if not hits:
        click.echo("Không tìm thấy kết quả phù hợp.")
    terms = highlight_terms(restored or data["query"])
    for i, h in enumerate(hits, start=1):
        badge = VALIDITY_BADGES.get(h.get("validity") or "")
        click.echo(
            click.style(f"{i}. {h['citation']}", bold=True)
            + f"  [{h['score']:.3f}]"
            + (click.style(f"  ({badge[0]})", fg=badge[1]) if badge else "")
        )
        if h.get("section"):
            click.echo(f"   {h['section']}")
        click.echo("   " + highlight(h["text"][:600], terms))


def _batch_line(line: str) -> tuple[Any, str | None]:
    """One line of a search batch, or what is wrong with it (in Vietnamese)."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"không phải JSON ({exc.msg}, cột {exc.colno})"
    if not isinstance(item, dict):
        return item, 'cần một đối tượng {"id", "query"}'
    missing = [f for f in ("id", "query") if f not in item]
    if missing:
        return item, "thiếu trường " + ", ".join(f'"{f}"' for f in missing)
    if not isinstance(item["query"], str):
        return item, 'trường "query" phải là chuỗi'
    return item, None


_STOP = {"và", "của", "các", "cho", "với", "trong", "là", "có", "được", "theo", "về", "nào", "gì", "ai"}


def highlight_terms(query: str) -> set[str]:
    from tracuu.ingest.normalize import fold

    return {fold(t) for t in re_words(query) if len(t) > 1 and t.lower() not in _STOP}


def re_words(text: str) -> list[str]:
    import re

    return re.findall(r"\w+", text)


def highlight(text: str, terms: set[str]) -> str:
    """Matching syllables in bold yellow (accents ignored), so the reader sees why a passage matched."""
    import re

    from tracuu.ingest.normalize import fold

    return re.sub(r"\w+", lambda m: click.style(m.group(0), fg="yellow", bold=True)
                  if fold(m.group(0)) in terms else m.group(0), text)  # fmt: skip


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def ask(settings: Settings, question: str, as_json: bool) -> None:
    """Trả lời câu hỏi "cơ quan nào chủ trì …?", "văn bản nào quy định …?" kèm trích dẫn."""
    if not question.strip() or not any(c.isalnum() for c in question):
        raise click.UsageError("câu hỏi trống")
    with Tracuu(settings) as app:
        result = app.ask(question)
    if as_json:
        echo_json(result)
        return
    a = result["answer"]
    if result.get("scope", {}).get("documents"):
        click.echo(click.style("Trong văn bản của: ", bold=True) + ", ".join(result["scope"]["names"]))
    if a["lead"]:
        click.echo(click.style("Cơ quan chủ trì: ", bold=True) + a["lead"])
        if a["cooperating"]:
            click.echo("Phối hợp: " + "; ".join(a["cooperating"]))
    click.echo(a["text"])
    for note in a.get("validity_notes") or []:
        click.echo(click.style(f"⚠ {note}", fg="red"))
    if a["references"]:
        click.echo(click.style("Văn bản liên quan:", bold=True))
        for r in a["references"]:
            flag = "" if r["in_corpus"] else " (chưa có trong kho)"
            click.echo(f"  - {r['citation']}{flag}")
            for p in r.get("problems") or []:  # a citation the text itself gets wrong: say so
                click.echo(click.style(f"    ⚠ {p}", fg="yellow"))
    click.echo(click.style("Căn cứ:", bold=True))
    for i, e in enumerate(result["evidence"], start=1):
        click.echo(f"  {i}. {e['citation']}")
        click.echo("     " + e["text"][:300].replace("\n", " "))


@cli.command()
@click.option("--agency", help="Cơ quan (tên đầy đủ hoặc viết tắt, có hoặc không dấu).")
@click.option("--doc", "doc_ref", help="Mã hoặc số hiệu văn bản.")
@click.option("--due-before", help="Chỉ nhiệm vụ có hạn trước ngày này (2026-12-31 hoặc 31/12/2026).")
@click.option("--overdue", is_flag=True, help="Chỉ nhiệm vụ đã quá hạn (vào ngày --at, mặc định hôm nay).")
@click.option("--at", help="Ngày xét hạn (mặc định hôm nay).")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def tasks(settings: Settings, agency: str | None, doc_ref: str | None, due_before: str | None, overdue: bool,
          at: str | None, as_json: bool) -> None:  # fmt: skip
    """Liệt kê nhiệm vụ được giao: cơ quan chủ trì, phối hợp, thời hạn, trích dẫn."""
    with Tracuu(settings) as app:
        rows = app.tasks(agency, doc_ref, due_before, overdue, at)["tasks"]
    if as_json:
        echo_json({"tasks": rows})
        return
    if not rows:
        click.echo("Không có nhiệm vụ nào phù hợp.")
    for t in rows:
        click.echo(click.style(t["lead"] or "(chưa rõ)", bold=True) + f" — {t['citation']}")
        if t["cooperating"]:
            click.echo("   Phối hợp: " + "; ".join(t["cooperating"]))
        if t["deadline"]:
            click.echo(f"   Thời hạn: {t['deadline']}" + deadline_note(t["deadline_parsed"]))
        if t.get("progress"):
            p = t["progress"]
            click.echo(
                f"   Tiến độ: {p['state_vi']}"
                + (f" (kỳ {p['period']})" if p["period"] else "")
                + (f" — {p['note']}" if p["note"] else "")
            )
        click.echo(f"   Mã: {t['task_id']}")
        click.echo("   " + t["task"][:300].replace("\n", " "))


@cli.command()
@click.argument("agency")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Ghi ra tệp .ics (mặc định: in ra).",
)
@click.pass_obj
def calendar(settings: Settings, agency: str, output: str | None) -> None:
    """Lịch hạn nhiệm vụ một cơ quan chủ trì, dạng iCalendar (.ics) cho Outlook, Thunderbird, Google Calendar."""
    with Tracuu(settings) as app:
        text = app.calendar(agency)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        click.echo(f"Đã ghi {text.count('BEGIN:VEVENT')} sự kiện vào {output}.")
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("task_id")
@click.option(
    "--set",
    "state",
    help="Trạng thái mới: not_started, in_progress, done (hoặc chưa thực hiện, đang thực hiện, hoàn thành).",
)
@click.option("--note", default="", help="Ghi chú, kết quả thực hiện.")
@click.option(
    "--period", help="Kỳ báo cáo của việc định kỳ (2025, 2025-Q3, 2025-H1, 2025-07); mặc định kỳ hiện tại."
)
@click.option(
    "--evidence", type=click.Path(dir_okay=False), help="Tệp minh chứng (lưu trong thư mục dữ liệu)."
)
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def progress(settings: Settings, task_id: str, state: str | None, note: str, period: str | None,
             evidence: str | None, as_json: bool) -> None:  # fmt: skip
    """Tiến độ một nhiệm vụ: xem lịch sử, hoặc ghi trạng thái mới với --set (giữ toàn bộ lịch sử)."""
    with Tracuu(settings) as app:
        if state is not None:
            out = app.record_progress(task_id, state, note, period, evidence=evidence)
        else:
            out = app.task_progress(task_id)
    if as_json:
        echo_json(out)
        return
    t = out["task"]
    click.echo(click.style(t["lead"] or "(chưa rõ)", bold=True) + f" — {t['citation']}")
    click.echo("   " + t["task"][:300].replace("\n", " "))
    if not out["history"]:
        click.echo("Chưa có bản ghi tiến độ.")
    for e in out["history"]:
        period_text = f" kỳ {e['period']}" if e["period"] else ""
        kept = f" [minh chứng: {e['evidence']['name']}]" if e.get("evidence") else ""
        click.echo(
            f"  {e['at']}{period_text}: {e['state_vi']}" + (f" — {e['note']}" if e["note"] else "") + kept
        )


_EVERY_VI = {"year": "hằng năm", "half_year": "6 tháng một lần", "quarter": "hằng quý", "month": "hằng tháng",
             "week": "hằng tuần"}  # fmt: skip


def deadline_note(d: dict[str, Any] | None) -> str:
    """What the deadline's structure adds to its words: the due day, the period, the recurrence."""
    if not d:
        return ""
    if d["kind"] == "recurrence":
        return f" (định kỳ {_EVERY_VI.get(d['every'] or '', '')})".replace(" )", ")")
    if d["kind"] == "continuous":
        return " (thường xuyên)"
    if d["start"] and d["due"]:
        return f" (từ {vn_date(d['start'])} đến {vn_date(d['due'])})"
    if d["due"]:
        return f" (hạn {vn_date(d['due'])})"
    if d["start"]:
        return f" (từ {vn_date(d['start'])})"
    return ""


@cli.command()
@click.argument("number", required=False)
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def refs(settings: Settings, number: str | None, as_json: bool) -> None:
    """Văn bản được viện dẫn (mọi cách viết số hiệu) và nơi viện dẫn; có trong kho hay chưa."""
    with Tracuu(settings) as app:
        result = app.references(number)
    if as_json:
        echo_json(result)
        return
    if not result["references"]:
        click.echo("Không có văn bản nào được viện dẫn" + (f" với số hiệu {number}." if number else "."))
    for r in result["references"]:
        where = "có trong kho" if r["in_corpus"] else "chưa có trong kho"
        click.echo(click.style(r["label"], bold=True) + f" ({where}; viện dẫn {len(r['cited_in'])} lần)")
        for p in r["problems"]:
            click.echo(click.style(f"   ! {p}", fg="red"))
        for c in r["cited_in"][:5]:
            click.echo(f"   - {c['citation']}")
        if r["cites"]:
            click.echo(f"   Văn bản này viện dẫn: {', '.join(x['label'] for x in r['cites'])}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def docs(settings: Settings, as_json: bool) -> None:
    """Liệt kê các văn bản trong kho."""
    with Tracuu(settings) as app:
        rows = app.documents()
    if as_json:
        echo_json({"documents": rows})
        return
    if not rows:
        click.echo("Kho chưa có văn bản nào. Dùng: tracuu ingest THƯ_MỤC")
        return
    for r in rows:
        date = r["date"] or "—"
        number = r["number"] or "(không số)"
        click.echo(f"{r['doc_id']}\n  {r['type'] or 'Văn bản'} {number}, {date}, {r['issuer'] or '—'}")
        click.echo(
            f"  {(r['title'] or '')[:110]}\n  {r['units']} đơn vị, {r['chunks']} đoạn"
            + (f"; {VALIDITY_BADGES[r['validity']][0]}" if r.get("validity") in VALIDITY_BADGES else "")
        )
    click.echo(f"Tổng cộng {len(rows)} văn bản.")


@cli.command()
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def show(settings: Settings, doc: str, as_json: bool) -> None:
    """Xem thông tin và dàn ý của một văn bản (mã, số hiệu hoặc đường dẫn)."""
    with Tracuu(settings) as app:
        row = app.document_info(doc)  # NotFound: exit 1 with its detail
    if as_json:
        echo_json(row)
        return
    units, n_chunks = row["outline"], row["chunks"]
    click.echo(f"{row['type'] or 'Văn bản'} {row['number'] or '(không số)'} — {row['issuer_full'] or '—'}")
    click.echo(f"Ngày: {row['date'] or '—'}   Nơi ban hành: {row['place'] or '—'}")
    click.echo(f"Trích yếu: {row['title'] or '—'}")
    dates = [
        f"từ {vn_date(row['effective_from'])}" if row.get("effective_from") else "",
        f"hết từ {vn_date(row['expired_from'])}" if row.get("expired_from") else "",
    ]
    click.echo(
        f"Hiệu lực: {row.get('validity_label') or '—'}"
        + (f" ({', '.join(d for d in dates if d)})" if any(dates) else "")
        + (
            f"; {len(row['relations'])} quan hệ (xem `tracuu validity {row['number']}`)"
            if row.get("relations")
            else ""
        )
    )
    if row["signer"]:
        click.echo(f"Người ký: {row['signer']} ({row['signer_title'] or ''})")
    click.echo(f"Dàn ý ({len(units)} đơn vị, {n_chunks} đoạn):")
    for u in units:
        if u["kind"] in {"paragraph", "plus"} or u["level"] > 3:
            continue
        click.echo(f"{'  ' * (u['level'] + 1)}{u['heading'][:100]}")
