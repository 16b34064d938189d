"""Commands that write the knowledge base: ingest files, bring the index in line, check and repair."""

from __future__ import annotations

import sys

import click

from tracuu.core.app import Tracuu
from tracuu.core.settings import Settings

from . import _waiting, bars, cli, echo_json


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="In tóm tắt dạng JSON.")
@click.option("--workers", type=int, default=None, help="Số tiến trình xử lý song song.")
@click.option("--no-index", is_flag=True, help="Không cập nhật chỉ mục tìm kiếm sau khi nhập.")
@click.option("--visibility", type=click.Choice(["public", "internal"]),
              help="public: mọi người xem; internal: chỉ các cơ quan nêu ở --agency (và quản trị).")  # fmt: skip
@click.option("--agency", "agencies", multiple=True, help="Cơ quan được xem văn bản nội bộ; lặp lại được.")
@click.pass_obj
def ingest(
    settings: Settings,
    paths: tuple[str, ...],
    as_json: bool,
    workers: int | None,
    no_index: bool,
    visibility: str | None,
    agencies: tuple[str, ...],
) -> None:
    """Nhập tệp hoặc thư mục (txt, md, pdf, docx, html) vào kho văn bản."""
    with Tracuu(settings) as app:
        summary = app.ingest(paths, workers=workers, index=not no_index, progress=bars, on_wait=_waiting,
                             visibility=visibility, agencies=agencies)  # fmt: skip
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


@cli.command("index")
@click.option("--rebuild", is_flag=True, help="Xây lại toàn bộ chỉ mục (vẫn dùng lại vector đã tính).")
@click.option("--lexical-first", is_flag=True,
              help="Chỉ mục từ khóa ngay (vài giây); vector được `tracuu serve` tính dần trong nền.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="In tóm tắt dạng JSON.")
@click.pass_obj
def index_cmd(settings: Settings, rebuild: bool, lexical_first: bool, as_json: bool) -> None:
    """Cập nhật chỉ mục tìm kiếm (vector + BM25) theo kho văn bản."""

    with Tracuu(settings) as app:  # a rebuild re-uses cached vectors
        summary = app.reindex(rebuild, progress=bars, on_wait=_waiting, lexical_first=lexical_first)
    stats = summary
    if as_json:
        echo_json(summary)
    else:
        click.echo(
            f"Chỉ mục: {summary['rows']} đoạn của {summary['documents']} văn bản "
            f"(thêm {stats['added_docs']}, bỏ {stats['removed_docs']}, nhúng mới {stats['embedded']} đoạn); "
            f"mô hình {summary['model']}."
        )
        if stats["pending"]:
            click.echo(f"{stats['pending']} đoạn chưa có vector: `tracuu serve` tính dần trong nền (tìm theo từ khóa "
                       "trong lúc chờ), hoặc chạy `tracuu index` để tính ngay.")  # fmt: skip


@cli.command()
@click.option("--repair", is_flag=True, help="Sửa những gì sửa được (dựng lại chỉ mục, dọn tệp thừa).")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def doctor(settings: Settings, repair: bool, as_json: bool) -> None:
    """Kiểm tra kho và chỉ mục có khớp nhau không (sau sự cố, mất điện…); --repair để sửa.

    Thoát 0 khi mọi thứ khớp (sau khi sửa, nếu có --repair), 1 khi còn vấn đề."""
    with Tracuu(settings) as app:
        out = app.doctor(repair, on_wait=_waiting)
    if as_json:
        echo_json(out)
    else:
        for f in out["repaired"]:
            click.echo(f"  Đã sửa: {f['detail']}")
        for f in out["findings"]:
            hint = " (sửa được bằng --repair)" if f["repairable"] and not repair else ""
            click.echo(f"  Vấn đề [{f['code']}]: {f['detail']}{hint}")
        click.echo("Kho và chỉ mục khớp nhau." if out["ok"] else f"Còn {len(out['findings'])} vấn đề.")
        click.echo(f"Nhận dạng chữ (OCR) cho PDF scan: {out['ocr']['detail']}.")
        adapter = out["model"]["adapter"]
        said = "không (TRACUU_ADAPTER=none)" if adapter == "none" else adapter
        click.echo(f"Mô hình nhúng: {out['model']['key']}; bộ điều hợp pháp lý: {said}.")
    if not out["ok"]:
        sys.exit(1)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="In bản kê dạng JSON.")
@click.pass_obj
def backup(settings: Settings, file: str, as_json: bool) -> None:
    """Sao lưu toàn bộ kho (văn bản, nhiệm vụ, tiến độ, chỉ mục, tệp tải lên) vào một tệp .tar.gz."""
    with Tracuu(settings) as app:
        manifest = app.backup(file)
    if as_json:
        echo_json(manifest)
    else:
        c = manifest["counts"]
        click.echo(f"Đã sao lưu {c['documents']} văn bản, {c['chunks']} đoạn, {c['progress']} bản ghi tiến độ "
                   f"vào {file}.")  # fmt: skip


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Thay kho đang có (kho cũ được giữ lại bên cạnh).")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_obj
def restore(settings: Settings, file: str, force: bool, as_json: bool) -> None:
    """Khôi phục kho từ một tệp sao lưu (`tracuu backup`)."""
    with Tracuu(settings) as app:
        out = app.restore(file, force)
    if as_json:
        echo_json(out)
    else:
        c = out["counts"]
        click.echo(f"Đã khôi phục {c['documents']} văn bản (sao lưu lúc {out['created']}) vào {out['restored']}."
                   + (f" Kho cũ giữ ở {out['kept']}." if out["kept"] else ""))  # fmt: skip


@cli.command()
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True, help="Số dòng.")
@click.option("--action", help="Chỉ một loại: ingest, upload, delete, index, repair, restore, progress.")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def audit(settings: Settings, limit: int, action: str | None, as_json: bool) -> None:
    """Nhật ký ghi: ai ghi gì vào kho, từ đâu, lúc nào (mới nhất trước)."""
    with Tracuu(settings) as app:
        out = app.audit_log(limit, action)
    if as_json:
        echo_json(out)
        return
    if not out["entries"]:
        click.echo("Nhật ký ghi trống.")
    for e in out["entries"]:
        origin = f" từ {e['origin']}" if e["origin"] else ""
        click.echo(f"{e['at']}  {e['actor']}{origin}  {e['action']}  {e['target']}")
