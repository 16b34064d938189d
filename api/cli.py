"""`tracuu` command line: ingest files, list and show documents. Vietnamese output, `--json` for tools.

Exit codes: 0 ok, 1 user error (bad file, unknown document), 2 internal error.
"""

from __future__ import annotations

import hashlib
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import click
from tracuu.index.store import Store
from tracuu.ingest.pipeline import ingest_file, slugify
from tracuu.ingest.readers import SUPPORTED, IngestError

from .settings import Settings

SKIP_NAMES = {"readme.md", "readme.txt", "license", "license.md", "source.txt"}


def collect_files(paths: tuple[str, ...]) -> tuple[list[Path], list[str]]:
    """Files to ingest from files and folders (recursively; hidden files and READMEs skipped)."""
    files: list[Path] = []
    missing: list[str] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if (
                    f.is_file()
                    and f.suffix.lower() in SUPPORTED
                    and f.name.lower() not in SKIP_NAMES
                    and not any(part.startswith(".") for part in rel.parts)
                ):
                    files.append(f)
        elif p.is_file():
            files.append(p)
        else:
            missing.append(str(p))
    return files, missing


def _parse_job(path: str, doc_id: str, max_bytes: int, ocr: bool):
    """Runs in a worker process: a Document, or an error message that names the file."""
    try:
        return ingest_file(path, max_bytes=max_bytes, ocr=ocr, doc_id=doc_id)
    except IngestError as exc:
        return exc
    except Exception as exc:  # a bug must not stop the batch nor show a traceback to the user
        return IngestError(path, f"lỗi nội bộ khi xử lý tệp ({type(exc).__name__}: {exc})")


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
@click.pass_obj
def ingest(settings: Settings, paths: tuple[str, ...], as_json: bool, workers: int | None) -> None:
    """Nhập tệp hoặc thư mục (txt, md, pdf, docx, html) vào kho văn bản."""
    from tqdm import tqdm

    files, missing = collect_files(paths)
    errors: list[dict[str, str]] = [
        {"file": m, "code": "missing", "reason": "không tìm thấy tệp"} for m in missing
    ]
    store = Store.open(settings.home)
    todo: list[tuple[str, str]] = []
    unchanged = 0
    for f in files:
        source = str(f.resolve())
        try:
            digest = hashlib.sha256(f.read_bytes()).hexdigest()
        except OSError as exc:
            errors.append(
                {"file": str(f), "code": "unreadable", "reason": f"không đọc được tệp ({exc.strerror})"}
            )
            continue
        if store.file_hash_of(source) == digest:
            unchanged += 1
            continue
        todo.append((source, store.doc_id_for(source, slugify(f.stem))))

    added = {"documents": 0, "units": 0, "chunks": 0}
    n_workers = max(1, min(workers or settings.workers, len(todo)))
    args = [(src, did, settings.max_bytes, settings.ocr) for src, did in todo]
    with tqdm(total=len(todo), desc="Đang nhập", unit="tệp", file=sys.stderr, disable=not todo) as bar:
        if n_workers > 1:
            with ProcessPoolExecutor(max_workers=n_workers) as pool:
                results = pool.map(_parse_job, *zip(*args, strict=True), chunksize=1)
                _store_results(store, results, added, errors, bar)
        else:
            _store_results(store, (_parse_job(*a) for a in args), added, errors, bar)
    summary = {
        **added, "unchanged": unchanged, "errors": errors, "total": store.counts(),
    }  # fmt: skip
    store.close()
    if as_json:
        echo_json(summary)
    else:
        t = summary["total"]
        click.echo(
            f"Đã nhập {added['documents']} văn bản ({added['units']} đơn vị, {added['chunks']} đoạn); "
            f"{unchanged} không đổi; {len(errors)} lỗi."
        )
        click.echo(f"Kho hiện có {t['documents']} văn bản, {t['units']} đơn vị, {t['chunks']} đoạn.")
        for e in errors:
            click.echo(f"  Lỗi: {e['file']}: {e['reason']}", err=True)
    if errors:
        sys.exit(1)


def _store_results(store: Store, results, added: dict[str, int], errors: list[dict[str, str]], bar) -> None:
    for result in results:
        if isinstance(result, IngestError):
            errors.append({"file": result.path, "code": result.code, "reason": result.reason})
        else:
            store.put(result)
            added["documents"] += 1
            added["units"] += len(result.units)
            added["chunks"] += len(result.chunks)
        bar.update(1)


def doc_summary(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("doc_id", "number", "type", "date", "issuer", "title", "units", "chunks")
    return {k: row.get(k) for k in keys}


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def docs(settings: Settings, as_json: bool) -> None:
    """Liệt kê các văn bản trong kho."""
    store = Store.open(settings.home)
    rows = [doc_summary(r) for r in store.documents()]
    store.close()
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
    store = Store.open(settings.home)
    row = store.find(doc)
    if row is None:
        store.close()
        click.echo(f"Không tìm thấy văn bản '{doc}'. Xem danh sách: tracuu docs", err=True)
        sys.exit(1)
    units = store.units(row["doc_id"])
    n_chunks = len(store.chunks(row["doc_id"]))
    store.close()
    outline = [
        {
            k: u[k]
            for k in ("path", "kind", "label", "section", "heading", "level", "start", "end", "page_start")
        }
        for u in units
    ]
    meta = {k: row[k] for k in ("doc_id", "number", "type", "date", "issuer", "issuer_full", "place", "title",
                                "signer", "signer_title", "recipients", "kind", "source_path", "metadata", "warnings")}  # fmt: skip
    if as_json:
        echo_json({**meta, "units": len(units), "chunks": n_chunks, "outline": outline})
        return
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
    except SystemExit:
        raise
    except Exception as exc:
        click.echo(f"Lỗi nội bộ: {type(exc).__name__}: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
