"""`tracuu webhook add|list|remove` and `tracuu notify`: agencies told of new tasks and overdue ones."""

from __future__ import annotations

import click

from tracuu.core.app import Tracuu
from tracuu.core.settings import Settings

from . import cli, echo_json


@cli.group()
def webhook() -> None:
    """Webhook của từng cơ quan: gọi khi có văn bản mới giao nhiệm vụ và khi nhiệm vụ quá hạn."""


@webhook.command("add")
@click.argument("agency")
@click.argument("url")
@click.option("--secret", help="Khóa ký HMAC (mặc định: tạo ngẫu nhiên, in ra một lần).")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON: {agency, url, secret, created}.")
@click.pass_obj
def add(settings: Settings, agency: str, url: str, secret: str | None, as_json: bool) -> None:
    """Đặt (hoặc thay) webhook của một cơ quan."""
    with Tracuu(settings) as app:
        out = app.add_webhook(agency, url, secret)
    if as_json:
        echo_json(out)
        return
    click.echo(f"Webhook của {out['agency']}: {out['url']}")
    click.echo(f"Khóa ký (X-Tracuu-Signature = sha256 HMAC của nội dung): {out['secret']}")


@webhook.command("list")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def list_(settings: Settings, as_json: bool) -> None:
    """Các webhook đã đặt (không in khóa)."""
    with Tracuu(settings) as app:
        out = app.list_webhooks()
    if as_json:
        echo_json(out)
        return
    if not out["webhooks"]:
        click.echo("Chưa có webhook nào.")
    for w in out["webhooks"]:
        click.echo(f"{w['agency']}  {w['url']}  (đặt {w['created']})")


@webhook.command("remove")
@click.argument("agency")
@click.pass_obj
def remove(settings: Settings, agency: str) -> None:
    """Bỏ webhook của một cơ quan."""
    with Tracuu(settings) as app:
        out = app.remove_webhook(agency)
    click.echo(f"Đã bỏ webhook của {out['agency']}.")


@cli.command()
@click.option("--at", help="Ngày xét quá hạn (mặc định hôm nay).")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def notify(settings: Settings, at: str | None, as_json: bool) -> None:
    """Báo cho các cơ quan có webhook những nhiệm vụ mới quá hạn (chạy hằng ngày, ví dụ bằng cron)."""
    with Tracuu(settings) as app:
        sent = app.notify_overdue(at)
    if as_json:
        echo_json({"sent": sent})
        return
    if not sent:
        click.echo("Không có nhiệm vụ mới quá hạn để báo.")
    for s in sent:
        state = "đã gửi" if s["ok"] else f"không gửi được ({s['error'] or s['status']}; sẽ gửi lại lần sau)"
        click.echo(f"{s['agency']}: {s['tasks']} nhiệm vụ quá hạn — {state} sau {s['attempts']} lần.")
