"""Commands that run something: the HTTP server, the MCP server, the evaluations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from tracuu.core.app import Tracuu
from tracuu.core.settings import Settings

from . import _waiting, bars, cli, echo_json


@cli.command()
@click.option("--host", help="Địa chỉ lắng nghe (mặc định TRACUU_HOST hoặc 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Cổng (mặc định TRACUU_PORT hoặc 8000).")
@click.option("--workers", type=click.IntRange(1, 16),
              help="Số tiến trình phục vụ, mỗi tiến trình nạp mô hình và chỉ mục riêng (mặc định TRACUU_SERVE_WORKERS "
                   "hoặc 1).")  # fmt: skip
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None, workers: int | None) -> None:
    """Chạy API HTTP và trang tra cứu (mặc định http://127.0.0.1:8000)."""
    from ..server import serve as run_server

    host, port = host or settings.host, port or settings.port
    workers = workers or settings.serve_workers
    click.echo(f"Trang tra cứu: http://{host}:{port}/   API: http://{host}:{port}/docs", err=True)
    run_server(settings, host=host, port=port, workers=workers)


@cli.command("mcp")
@click.pass_obj
def mcp_cmd(settings: Settings) -> None:
    """Chạy máy chủ MCP qua stdio (công cụ search_documents, who_leads, lookup_reference, get_unit)."""
    from ..mcp import run

    run(settings)


@cli.command("worker")
@click.option("--until-done", is_flag=True, help="Dừng khi không còn đoạn nào chờ vector.")
@click.option("--batch", type=click.IntRange(1, 4096), default=64, show_default=True,
              help="Số đoạn nhận mỗi lần.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def worker_cmd(settings: Settings, until_done: bool, batch: int, as_json: bool) -> None:
    """Tính vector cho các đoạn đang chờ trong chỉ mục PostgreSQL (chạy bao nhiêu tiến trình, trên bao nhiêu
    máy cũng được; Ctrl-C để dừng, phần đang làm dở được trả lại hàng đợi)."""

    def said(done: int, left: int) -> None:
        click.echo(f"Đã tính {done} vector; còn {left} đoạn chờ.", err=True)

    with Tracuu(settings) as app:
        try:
            out = app.work(until_done=until_done, batch=batch, on_batch=None if as_json else said,
                           on_error=lambda detail: click.echo(f"Lỗi: {detail}; sẽ thử lại.", err=True))  # fmt: skip
        except KeyboardInterrupt:
            click.echo("Đã dừng; các đoạn đang làm dở được trả lại hàng đợi.", err=True)
            return
    if as_json:
        echo_json(out)
    else:
        click.echo(f"Đã tính {out['embedded']} vector trong {out['seconds']} giây.")


@cli.command("eval")
@click.argument(
    "dataset",
    type=click.Choice(["seed", "alqac", "zalo", "knowledge", "plans", "relations", "validity", "deadlines"]),
)
@click.option(
    "--split",
    type=click.Choice(["dev", "validation", "test"]),
    default="dev",
    show_default=True,
    help="Zalo: dev (mã câu 0–7), validation (4–7, trên tập con cố định của Pháp điển), test (8–f).",
)
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
@click.option("--eval-database", metavar="URL",
              help="Giữ kho và chỉ mục đánh giá trong cơ sở dữ liệu PostgreSQL này (không phải kho chính).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def eval_cmd(settings: Settings, dataset: str, split: str, modes: str, alphas: str, eval_home: Path | None,
             shared: Path, eval_database: str | None, as_json: bool) -> None:  # fmt: skip
    """Đánh giá truy hồi trên ALQAC, Zalo/Pháp điển hoặc câu hỏi phát triển của kế hoạch mẫu."""
    from tracuu.evaluation import evaluate as ev

    with Tracuu(settings) as app:
        out = app.evaluate(dataset, split=split, modes=[m.strip() for m in modes.split(",") if m.strip()],
                           alphas=[float(a) for a in alphas.split(",") if a.strip()], eval_home=eval_home,
                           shared=shared, progress=bars, on_wait=_waiting, eval_database=eval_database)  # fmt: skip
    if as_json:
        echo_json(out)
    elif dataset == "plans":
        _print_plans(out)
    elif dataset == "knowledge":
        _print_knowledge(out)
    elif dataset == "relations":
        _print_relations(out)
    elif dataset == "validity":
        _print_validity(out)
    elif dataset == "deadlines":
        _print_deadlines(out)
    else:
        click.echo(ev.table(out["results"]))
        if answers := out.get("ask"):
            click.echo(f"\nask (câu trả lời, đơn vị pháp lý đầu tiên): đúng điều {answers['ask_top1_article']:.3f} "
                       f"trên {answers['queries']} câu hỏi")  # fmt: skip


def _print_plans(out: dict[str, Any]) -> None:
    """The real plans of other provinces and ministries against their complete gold: lead recall and
    precision, co-leads, partners, deadlines, per layout family, development and held-out documents apart."""
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


def _print_deadlines(report: dict[str, Any]) -> None:
    """Deadlines as data: accuracy per field on each hand-annotated set, then the misses."""
    for name, label in (("development", "phát triển (20 kế hoạch thật)"), ("written", "viết riêng")):
        out = report[name]
        a = out["accuracy"]
        click.echo(f"[{label}] {out['phrases']} thời hạn; đúng mọi trường {a['all']:.1%} — loại {a['kind']:.1%}, "
                   f"bắt đầu {a['start']:.1%}, hạn {a['due']:.1%}, chu kỳ {a['every']:.1%}, ngày trong kỳ {a['on']:.1%}, "
                   f"tiếp diễn {a['ongoing']:.1%}")  # fmt: skip
        for m in out["misses"]:
            click.echo(f"  sai: {m['text']!r}: cần {m['want']}, được {m['got']}")


def _print_relations(report: dict[str, Any]) -> None:
    """Typed relations between documents against the clause gold (development, then held out): recall and
    precision, then per type."""
    for name, label in (("development", "phát triển"), ("held_out", "giữ riêng (chưa ai xem lỗi)")):
        if name in report:
            click.echo(f"[{label}]")
            _print_relation_scores(report[name])


def _print_relation_scores(out: dict[str, Any]) -> None:
    click.echo(f"Quan hệ giữa văn bản: {out['clauses']} điều khoản, {out['relations']} quan hệ; độ phủ "
               f"{out['recall']:.1%}, độ chính xác {out['precision']:.1%}; đúng phạm vi {out['scope_accuracy']:.1%}, "
               f"đúng ngày {out['date_accuracy']:.1%} (trên các quan hệ tìm đúng)")  # fmt: skip
    for kind, r in out["by_type"].items():
        recall = "—" if r["recall"] is None else f"{r['recall']:.1%}"
        precision = "—" if r["precision"] is None else f"{r['precision']:.1%}"
        click.echo(
            f"  {kind}: độ phủ {recall} ({r['gold']}), độ chính xác {precision} ({r['found']} tìm thấy)"
        )


def _print_validity(out: dict[str, Any]) -> None:
    """Validity facts and drafts written independently (development, then held out): accuracy per field,
    codes per draft citation; the development set's misses."""
    for name, label in (("development", "phát triển"), ("held_out", "giữ riêng (chưa ai xem lỗi)")):
        if name not in out:
            continue
        f, d = out[name]["facts"], out[name]["drafts"]
        click.echo(f"[{label}]")
        click.echo(f"Hiệu lực: {f['facts']} câu hỏi; đúng tình trạng {f['validity_accuracy']:.1%}, ngày có hiệu lực "
                   f"{f['effective_from_accuracy']:.1%}, ngày hết hiệu lực {f['expired_from_accuracy']:.1%}, văn bản "
                   f"thay thế {f['replaced_by_accuracy']:.1%}; đúng mọi trường {f['all_accuracy']:.1%}")  # fmt: skip
        click.echo(
            "  " + ", ".join(f"{s} {c.get('right', 0)}/{c['gold']}" for s, c in f["by_status"].items())
        )
        click.echo(f"Dự thảo: {d['drafts']}; mã lỗi hiệu lực độ chính xác {d['precision']}, độ phủ {d['recall']}; "
                   f"{d['exact_drafts']} dự thảo đúng hoàn toàn")  # fmt: skip
        for m in f.get("misses", []) + d.get("misses", []):
            click.echo(f"  ✗ {json.dumps(m, ensure_ascii=False)[:400]}")


def _print_knowledge(out: dict[str, Any]) -> None:
    """Seed plan: gold assignments (III.1–III.3) and the lead_agency/reference questions, with and without
    diacritics."""
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
