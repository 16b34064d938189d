"""Commands for a drafter: check every citation of a draft, the task report of an agency (md, csv, xlsx, docx)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tracuu.core.app import Tracuu
from tracuu.core.settings import Settings
from tracuu.ingest.readers import IngestError

from . import cli, echo_json


def read_draft(source: str, max_bytes: int) -> str:
    """A draft to check: a file (txt, md, docx, html, pdf) through the ingest readers, or stdin with "-"."""
    from tracuu.ingest.normalize import clean_text
    from tracuu.ingest.readers import read_file

    if source == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise click.ClickException("văn bản từ stdin quá lớn")
        try:
            return clean_text(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise click.ClickException("stdin: văn bản không phải UTF-8") from exc
    try:
        return read_file(Path(source), max_bytes=max_bytes).text
    except IngestError as exc:
        raise click.ClickException(f"{exc.path}: {exc.reason}") from exc


@cli.command()
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.option("--docx", "docx_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Ghi bản dự thảo có đánh dấu và nhận xét (.docx).")  # fmt: skip
@click.pass_obj
def check(settings: Settings, source: str, as_json: bool, docx_out: Path | None) -> None:
    """Kiểm tra mọi trích dẫn văn bản trong một dự thảo (tệp txt/md/docx hoặc "-" để đọc stdin)."""
    from tracuu.knowledge.check import TooManyCitations

    text = read_draft(source, settings.max_bytes)
    try:
        with Tracuu(settings) as app:
            result = app.check(text)
    except TooManyCitations as exc:
        raise click.ClickException(f"{'stdin' if source == '-' else source}: {exc}") from exc
    if docx_out is not None:
        from ..annotate import annotated_docx

        docx_out.write_bytes(annotated_docx(text, result["findings"]))
    if as_json:
        echo_json(result)
        return
    s = result["summary"]
    click.echo(f"{s['total']} trích dẫn: {s['ok']} đúng, {s['problem']} có vấn đề, "
               f"{s['unverifiable']} không kiểm chứng được.")  # fmt: skip
    for f in result["findings"]:
        mark = {"ok": click.style("✓", fg="green"), "problem": click.style("✗", fg="red")}.get(
            f["status"], "?"
        )
        click.echo(f"{mark} [{f['span'][0]}–{f['span'][1]}] {f['text']}")
        for p in f["problems"]:
            click.echo(click.style(f"    {p['message']}", fg="red"))
        if f["status"] != "ok" or f["citation"] != f["text"]:
            click.echo(f"    Trích dẫn chuẩn: {f['citation']}")
        if f["status"] == "unverifiable":
            click.echo(
                "    Văn bản không có trong kho và danh mục: không kiểm chứng được (không phải là sai)."
            )
        if f["unit"] and f["unit"].get("status") == "found":
            click.echo(f"    {f['unit']['citation']}: {f['unit']['text'][:200]}")
    if docx_out is not None:
        click.echo(f"Đã ghi {docx_out}")


@cli.command()
@click.option("--agency", required=True, help="Cơ quan (tên đầy đủ hoặc viết tắt, có hoặc không dấu).")
@click.option("--doc", "doc_ref", help="Chỉ một văn bản (mã hoặc số hiệu).")
@click.option(
    "--format", "fmt", type=click.Choice(["md", "csv", "xlsx", "docx"]), default="md", show_default=True
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp ghi ra (mặc định: tên theo cơ quan; md in ra màn hình).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="In dữ liệu báo cáo dạng JSON.")
@click.pass_obj
def report(
    settings: Settings, agency: str, doc_ref: str | None, fmt: str, output: Path | None, as_json: bool
) -> None:
    """Danh sách nhiệm vụ một cơ quan chủ trì và phối hợp, để báo cáo kết quả thực hiện (md, csv, xlsx, docx)."""
    from ..export import render_report, report_filename

    with Tracuu(settings) as app:
        data = app.report(agency, doc_ref)  # NotFound, InvalidArgument: exit 1 with the core's detail
    if as_json:
        echo_json(data)
        return
    body = render_report(data, fmt)
    if output is None and fmt == "md":
        click.echo(body.decode("utf-8"))
        return
    path = output or Path(report_filename(data, fmt))
    path.write_bytes(body)
    c = data["counts"]
    click.echo(
        f"Đã ghi {path}: {c['lead']} nhiệm vụ chủ trì, {c['cooperating']} nhiệm vụ phối hợp"
        + (f", {c['member']} nhiệm vụ cùng nhóm chủ trì" if c.get("member") else "")
        + f" của {data['agency']}."
    )
