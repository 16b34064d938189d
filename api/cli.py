"""`tracuu` command line: ingest files, list and show documents. Vietnamese output, `--json` for tools.

Exit codes: 0 ok, 1 user error (bad file, unknown document), 2 internal error.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import click

from tracuu.core.app import Tracuu
from tracuu.core.errors import TracuuError
from tracuu.core.settings import Settings
from tracuu.index.store import Store
from tracuu.ingest.pipeline import ingest_file, slugify
from tracuu.ingest.readers import IngestError
from tracuu.ops.jobs import pool as worker_pool
from tracuu.ops.lock import writer_lock


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


# This door's one table: each core error code → exit status (0 success; 2 is an internal error, in `main`).
EXIT_CODES = {"not-found": 1, "invalid-argument": 1, "busy": 1, "no-store": 1, "no-index": 1, "index-broken": 1,
              "index-mismatch": 1, "no-model": 1, "schema-too-new": 1, "too-many-citations": 1}  # fmt: skip


class CoreErrors(click.Group):
    """The command group: a core error (`tracuu.core.errors`) is its Vietnamese detail and an exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TracuuError as exc:
            raise UserError(exc.detail, EXIT_CODES.get(exc.code, 1)) from exc


class UserError(click.ClickException):
    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"Lỗi: {self.format_message()}", err=True)


@click.group(cls=CoreErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), envvar="TRACUU_HOME",
              help="Thư mục dữ liệu (mặc định .tracuu, biến môi trường TRACUU_HOME).")  # fmt: skip
@click.pass_context
def cli(ctx: click.Context, home: Path | None) -> None:
    """tracuu — tra cứu văn bản hành chính và pháp luật Việt Nam."""
    settings = Settings()
    if home is not None:
        settings.home = home
    ctx.obj = settings


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="In tóm tắt dạng JSON.")
@click.option("--workers", type=int, default=None, help="Số tiến trình xử lý song song.")
@click.option("--no-index", is_flag=True, help="Không cập nhật chỉ mục tìm kiếm sau khi nhập.")
@click.pass_obj
def ingest(
    settings: Settings, paths: tuple[str, ...], as_json: bool, workers: int | None, no_index: bool
) -> None:
    """Nhập tệp hoặc thư mục (txt, md, pdf, docx, html) vào kho văn bản."""
    with Tracuu(settings) as app:
        summary = app.ingest(paths, workers=workers, index=not no_index, progress=bars, on_wait=_waiting)
    if as_json:
        echo_json(summary)
    else:
        t, added, errors = summary["total"], summary, summary["errors"]
        click.echo(
            f"Đã nhập {added['documents']} văn bản ({added['units']} đơn vị, {added['chunks']} đoạn, "
            f"{added['tasks']} nhiệm vụ được giao); "
            f"{summary['unchanged']} không đổi; {len(errors)} lỗi."
        )
        click.echo(f"Kho hiện có {t['documents']} văn bản, {t['units']} đơn vị, {t['chunks']} đoạn.")
        for n in summary["notices"]:
            click.echo(f"  Lưu ý: {n['file']}: {n['notice']}")
        for e in errors:
            click.echo(f"  Lỗi: {e['file']}: {e['reason']}", err=True)
    if summary["errors"]:
        sys.exit(1)


def bars(description: str, total: int, unit: str) -> Any:
    """Progress on stderr (the core's `progress`), hidden when there is nothing to do."""
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit=unit, file=sys.stderr, disable=not total)


def _waiting(holder: str) -> None:
    click.echo(f"Kho đang được ghi bởi {holder}; đang chờ…", err=True)


@cli.command("index")
@click.option("--rebuild", is_flag=True, help="Xây lại toàn bộ chỉ mục (vẫn dùng lại vector đã tính).")
@click.option("--json", "as_json", is_flag=True, help="In tóm tắt dạng JSON.")
@click.pass_obj
def index_cmd(settings: Settings, rebuild: bool, as_json: bool) -> None:
    """Cập nhật chỉ mục tìm kiếm (vector + BM25) theo kho văn bản."""

    with Tracuu(settings) as app:
        summary = app.reindex(rebuild, progress=bars, on_wait=_waiting)  # a rebuild re-uses cached vectors
    stats = summary
    if as_json:
        echo_json(summary)
    else:
        click.echo(
            f"Chỉ mục: {summary['rows']} đoạn của {summary['documents']} văn bản "
            f"(thêm {stats['added_docs']}, bỏ {stats['removed_docs']}, nhúng mới {stats['embedded']} đoạn); "
            f"mô hình {summary['model']}."
        )


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
@click.option("--batch", "batch", type=click.File("r", encoding="utf-8"), help='Tệp JSONL {"id", "query"}.')
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def search(settings: Settings, query: str | None, k: int, doc_type: str | None, issuer: str | None, year: int | None,
           doc: str | None, number: str | None, mode: str, batch, as_json: bool) -> None:  # fmt: skip
    """Tìm đoạn văn bản liên quan (có dấu hoặc không dấu)."""
    from tracuu.index.backend import Filters

    if not query and batch is None:
        raise click.UsageError("cần câu truy vấn hoặc --batch TỆP.jsonl")
    if batch is None:
        with Tracuu(settings) as app:
            data = app.search(query, k, doc_type, issuer, year, number, doc, mode)
        _print_hits(data, as_json)
        return
    searcher = open_searcher(settings, mode)
    filters = Filters(doc_type, issuer, year, number, doc)
    bad = 0
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
        hits = searcher.search(item["query"], k=k, filters=filters, mode=mode)
        click.echo(json.dumps({"id": item["id"], "results": [h.to_dict() for h in hits]}, ensure_ascii=False))
    if bad:
        raise click.ClickException(f'{bad} dòng của {batch.name} không hợp lệ (xem trường "error")')


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
        click.echo(click.style(f"{i}. {h['citation']}", bold=True) + f"  [{h['score']:.3f}]")
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


def open_searcher(settings: Settings, mode: str = "hybrid"):
    """The searcher behind `search`-like commands: the core's, over a connection that lives as long as
    the command (IndexUnavailable, ModelMissing: exit 1 with the core's detail)."""
    return Tracuu(settings).searcher(Store.open(settings.home), mode)


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
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def tasks(settings: Settings, agency: str | None, doc_ref: str | None, as_json: bool) -> None:
    """Liệt kê nhiệm vụ được giao: cơ quan chủ trì, phối hợp, thời hạn, trích dẫn."""
    with Tracuu(settings) as app:
        rows = app.tasks(agency, doc_ref)["tasks"]
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
            click.echo(f"   Thời hạn: {t['deadline']}")
        click.echo("   " + t["task"][:300].replace("\n", " "))


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
        from .annotate import annotated_docx

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
@click.option("--repair", is_flag=True, help="Sửa những gì sửa được (dựng lại chỉ mục, dọn tệp thừa).")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def doctor(settings: Settings, repair: bool, as_json: bool) -> None:
    """Kiểm tra kho và chỉ mục có khớp nhau không (sau sự cố, mất điện…); --repair để sửa.

    Thoát 0 khi mọi thứ khớp (sau khi sửa, nếu có --repair), 1 khi còn vấn đề."""
    from tracuu.ops import doctor as doc

    if repair:
        embedder = Tracuu(settings).embedder()
        with writer_lock(settings.home, settings.lock_timeout, on_wait=_waiting):
            result = doc.repair(settings.home, embedder)
        before, after = result["before"], result["after"]
    else:
        before = after = doc.diagnose(settings.home)
    from tracuu.ingest.readers import ocr_status

    ocr_on, ocr_said = ocr_status()
    if settings.ocr is not None:
        ocr_on = settings.ocr and ocr_on
        ocr_said = ocr_said if settings.ocr else "tắt (TRACUU_OCR=0)"
    out = {
        "home": str(settings.home), "ok": not after,
        "findings": [f._asdict() for f in after],
        "repaired": [f._asdict() for f in before if f not in after] if repair else [],
        "ocr": {"enabled": ocr_on, "detail": ocr_said},
    }  # fmt: skip
    if as_json:
        echo_json(out)
    else:
        for f in out["repaired"]:
            click.echo(f"  Đã sửa: {f['detail']}")
        for f in after:
            hint = " (sửa được bằng --repair)" if f.repairable and not repair else ""
            click.echo(f"  Vấn đề [{f.code}]: {f.detail}{hint}")
        click.echo("Kho và chỉ mục khớp nhau." if not after else f"Còn {len(after)} vấn đề.")
        click.echo(f"Nhận dạng chữ (OCR) cho PDF scan: {ocr_said}.")
    if after:
        sys.exit(1)


@cli.command()
@click.option("--host", help="Địa chỉ lắng nghe (mặc định TRACUU_HOST hoặc 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Cổng (mặc định TRACUU_PORT hoặc 8000).")
@click.option("--workers", type=click.IntRange(1, 16),
              help="Số tiến trình phục vụ, mỗi tiến trình nạp mô hình và chỉ mục riêng (mặc định TRACUU_SERVE_WORKERS "
                   "hoặc 1).")  # fmt: skip
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None, workers: int | None) -> None:
    """Chạy API HTTP và trang tra cứu (mặc định http://127.0.0.1:8000)."""
    from .server import serve as run_server

    host, port = host or settings.host, port or settings.port
    workers = workers or settings.serve_workers
    click.echo(f"Trang tra cứu: http://{host}:{port}/   API: http://{host}:{port}/docs", err=True)
    run_server(settings, host=host, port=port, workers=workers)


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
    from .export import render_report, report_filename

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


@cli.command("mcp")
@click.pass_obj
def mcp_cmd(settings: Settings) -> None:
    """Chạy máy chủ MCP qua stdio (công cụ search_documents, who_leads, lookup_reference, get_unit)."""
    from .mcp import run

    run(settings)


@cli.command("eval")
@click.argument("dataset", type=click.Choice(["seed", "alqac", "zalo", "knowledge", "plans"]))
@click.option("--split", type=click.Choice(["dev", "test"]), default="dev", show_default=True)
@click.option(
    "--modes", default="lexical,dense,hybrid", show_default=True, help="Các chế độ, cách nhau bởi dấu phẩy."
)
@click.option(
    "--alphas", default="0.2,0.3,0.4,0.5", show_default=True, help="Trọng số dense của phép trộn lồi."
)
@click.option(
    "--eval-home", type=click.Path(file_okay=False, path_type=Path), help="Thư mục dữ liệu đánh giá."
)
@click.option("--shared", type=click.Path(file_okay=False, path_type=Path), default=Path("../shared"),
              show_default=True, help="Thư mục dữ liệu chung (benchmarks).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def eval_cmd(settings: Settings, dataset: str, split: str, modes: str, alphas: str, eval_home: Path | None,
             shared: Path, as_json: bool) -> None:  # fmt: skip
    """Đánh giá truy hồi trên ALQAC, Zalo/Pháp điển hoặc câu hỏi phát triển của kế hoạch mẫu."""
    from tqdm import tqdm

    from tracuu.evaluation import evaluate as ev
    from tracuu.index.search import Searcher, index_dir, sync

    if dataset == "plans":
        _eval_plans(shared, as_json)
        return
    mode_list = [m.strip() for m in modes.split(",") if m.strip()]
    alpha_list = [float(a) for a in alphas.split(",") if a.strip()]
    home = eval_home or Path(".tracuu-eval") / ("seed" if dataset == "knowledge" else dataset)
    store = Store.open(home)
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    if dataset == "knowledge":
        ds, files = None, sorted(p for p in corpus.glob("*.md") if p.name != "README.md")
    elif dataset == "seed":
        ds, files = ev.seed(shared), sorted(p for p in corpus.glob("*.md") if p.name != "README.md")
    elif dataset == "alqac":
        ds, files = (
            ev.alqac(shared),
            sorted(corpus.glob("luat-*.md")) + [corpus / "bo-luat-dan-su.md", corpus / "hien-phap.md"],
        )
    else:
        ds, files = ev.zalo(shared, split), []
        _load_phapdien(store, shared)
    for f in files:
        source = str(f.resolve())
        if not store.is_current(source, hashlib.sha256(f.read_bytes()).hexdigest()):
            store.put(ingest_file(f, doc_id=store.doc_id_for(source, slugify(f.stem))))
    embedder = Tracuu(settings).embedder() if {"dense", "hybrid"} & set(mode_list) else None
    from tracuu.index.backend import LocalIndex

    index = LocalIndex.load(index_dir(home))
    if index is not None and embedder is not None and index.model != embedder.name:
        index = None  # built by another model or lexical-only: rebuild (vectors stay cached)
    with (
        writer_lock(home, settings.lock_timeout, on_wait=_waiting),
        tqdm(total=store.counts()["chunks"], desc="Đang lập chỉ mục", unit="đoạn", file=sys.stderr) as bar,
    ):
        index, _ = sync(store, index, embedder, progress=bar.update)
        index.save(index_dir(home))
    if dataset == "knowledge":
        _eval_knowledge(store, Searcher(store, index, embedder), shared, as_json)
        store.close()
        return
    searcher = Searcher(store, index, embedder)
    results = ev.evaluate(searcher, ds, mode_list, alpha_list)
    answers = ev.ask_top1(searcher, ds) if dataset == "alqac" and embedder is not None else None
    store.close()
    if as_json:
        echo_json({"dataset": ds.name, "notes": ds.notes, "results": results,
                   **({"ask": answers} if answers else {})})  # fmt: skip
    else:
        click.echo(ev.table(results))
        if answers:
            click.echo(f"\nask (câu trả lời, đơn vị pháp lý đầu tiên): đúng điều {answers['ask_top1_article']:.3f} "
                       f"trên {answers['queries']} câu hỏi")  # fmt: skip


def _eval_plans(shared: Path, as_json: bool) -> dict:
    """The real plans of other provinces and ministries (../shared/data/incoming/plans) against their complete
    gold (tests/data/gold): lead recall and precision, co-leads, partners, deadlines, per layout family."""
    from tracuu.evaluation.evaluate_tasks import real_plans_eval

    plans = shared / "data" / "incoming" / "plans"
    if not plans.is_dir():
        raise click.ClickException(f"không thấy {plans}: cần thư mục dữ liệu chung (--shared)")
    out = real_plans_eval(plans)
    if as_json:
        echo_json(out)
        return out
    p, m = out["pooled"], out["mean_per_document"]
    click.echo(f"Văn bản thật: {out['documents']} văn bản có nhãn đầy đủ ({p['gold']} phân công), "
               f"{len(out['files'])} văn bản đọc trong {out['seconds']} giây")  # fmt: skip
    click.echo(f"  Cơ quan chủ trì: độ phủ {p['lead_recall']:.1%}, độ chính xác {p['lead_precision']:.1%} (gộp); "
               f"trung bình theo văn bản {m['lead_recall']:.1%} / {m['lead_precision']:.1%}")  # fmt: skip
    click.echo(f"  Đồng chủ trì {p['leads_accuracy']:.1%}, phối hợp {p['cooperating_accuracy']:.1%}, "
               f"thời hạn {p['deadline_recall']:.1%} (trên các mục đúng cơ quan chủ trì / có thời hạn)")  # fmt: skip
    for layout, r in p["by_layout"].items():
        click.echo(f"  {layout}: {r['recall']:.1%} ({r['n']})")
    for name, label in (
        ("development", "văn bản phát triển"),
        ("held_out", "văn bản giữ riêng (chưa ai xem lỗi)"),
    ):
        s = out["splits"][name]
        if s["documents"]:
            click.echo(f"  {label}: {s['documents']} văn bản, độ phủ {s['pooled']['lead_recall']:.1%}, độ chính xác "
                       f"{s['pooled']['lead_precision']:.1%}; trung bình {s['mean_per_document']['lead_recall']:.1%} / "
                       f"{s['mean_per_document']['lead_precision']:.1%}; "
                       + ", ".join(f"{k} {v['recall']:.0%} ({v['n']})" for k, v in s["by_layout"].items()))  # fmt: skip
    for d in out["per_document"]:
        click.echo(f"  {d['file']}: độ phủ {d['lead_recall']:.1%}, độ chính xác {d['lead_precision']:.1%} "
                   f"({d['gold']} nhãn, {d['extracted']} trích xuất)")  # fmt: skip
    return out


def _eval_knowledge(store: Store, searcher, shared: Path, as_json: bool) -> None:
    """Seed plan: gold assignments (III.1–III.3) and the lead_agency/reference questions, as written and
    with diacritics stripped."""
    from tracuu.evaluation import evaluate as ev

    seed = store.find("1212/KH-UBND")
    if seed is None:
        raise click.ClickException("kế hoạch mẫu 1212/KH-UBND chưa có trong kho đánh giá")
    gold = shared / "eval"
    out = {
        "assignments": ev.assignments_eval(
            store.tasks(doc_id=seed["doc_id"]), gold / "seed_assignments_dev.jsonl"
        ),
        "qa": ev.qa_eval(searcher, gold / "seed_qa_dev.jsonl"),
        "qa_unaccented": ev.qa_eval(searcher, gold / "seed_qa_dev.jsonl", unaccented=True),
    }
    if as_json:
        echo_json(out)
        return
    a = out["assignments"]
    click.echo(f"Phân công (III.1–III.3): {a['lead_accuracy']:.1%} đúng cơ quan chủ trì trên {a['n']} mục; "
               f"phối hợp {a['cooperating_accuracy']:.1%}")  # fmt: skip
    for key, label in (("qa", "có dấu"), ("qa_unaccented", "không dấu")):
        q = out[key]
        kinds = ", ".join(f"{k} {v['accuracy']:.0%} ({v['n']})" for k, v in q["by_kind"].items())
        click.echo(f"Hỏi đáp {label}: chính xác {q['exact']:.1%} (chủ trì + văn bản); {kinds}; "
                   f"nhận dạng loại câu hỏi {q['kind_detection']:.0%}")  # fmt: skip
    misses = [i for i in a["items"] if not i["ok"]] + [i for i in out["qa"]["items"] if not i["ok"]]
    for m in misses:
        click.echo(f"  ✗ {m.get('id')}: cần {m.get('gold')}, được {m.get('got', m.get('lead'))}")


def _load_phapdien(store: Store, shared: Path) -> None:
    """The Pháp điển articles as one small legal document each (parsed and segmented once, then kept)."""
    from tqdm import tqdm

    from tracuu.evaluation import evaluate as ev

    if store.counts()["documents"] >= 42_000:
        return
    items = list(ev.phapdien_raw(shared))
    with worker_pool(2) as pool:
        docs = pool.map(_phapdien_doc, items, chunksize=64)
        for doc in tqdm(docs, total=len(items), desc="Pháp điển", unit="điều", file=sys.stderr):
            store.put(doc)


def _phapdien_doc(item: tuple[str, str, dict[str, str]]):
    from tracuu.ingest.pipeline import build_document
    from tracuu.ingest.readers import RawText

    pd_id, text, meta = item
    raw = RawText(text=text, fmt="jsonl", metadata={**meta, "pd_id": pd_id})
    return build_document(raw, f"phapdien:{pd_id}", pd_id, slugify(pd_id))


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
        click.echo(f"  {(r['title'] or '')[:110]}\n  {r['units']} đơn vị, {r['chunks']} đoạn")
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
    if row["signer"]:
        click.echo(f"Người ký: {row['signer']} ({row['signer_title'] or ''})")
    click.echo(f"Dàn ý ({len(units)} đơn vị, {n_chunks} đoạn):")
    for u in units:
        if u["kind"] in {"paragraph", "plus"} or u["level"] > 3:
            continue
        click.echo(f"{'  ' * (u['level'] + 1)}{u['heading'][:100]}")


def main() -> None:
    """Entry point: user errors exit 1 with a message; unexpected errors exit 2 without a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Đã hủy.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(1)
    except TracuuError as exc:  # raised outside a command (the group maps those inside)
        click.echo(f"Lỗi: {exc.detail}", err=True)
        sys.exit(EXIT_CODES.get(exc.code, 1))
    except SystemExit:
        raise
    except Exception as exc:
        click.echo(f"Lỗi nội bộ: {type(exc).__name__}: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
