"""`tracuu token create|list|revoke`: named API tokens with scopes (read, agency:<cơ quan>, admin)."""

from __future__ import annotations

import click

from tracuu.core.app import Tracuu
from tracuu.core.settings import Settings

from . import cli, echo_json


@cli.group()
def token() -> None:
    """Mã truy cập API có tên và phạm vi: read, agency:<cơ quan>, admin."""


@token.command("create")
@click.argument("name")
@click.option(
    "--scope", "scopes", multiple=True, help="read (mặc định), admin hoặc agency:<tên cơ quan>; lặp lại được."
)
@click.option("--expires", help="Ngày hết hạn (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON: {name, token, scopes, expires}.")
@click.pass_obj
def create(
    settings: Settings, name: str, scopes: tuple[str, ...], expires: str | None, as_json: bool
) -> None:
    """Tạo một mã; mã chỉ in ra một lần (kho chỉ giữ giá trị băm)."""
    with Tracuu(settings) as app:
        out = app.create_token(name, list(scopes), expires)
    if as_json:
        echo_json(out)
        return
    until = f", hết hạn {out['expires']}" if out["expires"] else ""
    click.echo(f"Mã '{out['name']}' ({', '.join(out['scopes'])}{until}) — lưu lại ngay, sẽ không in lại:")
    click.echo(out["token"])


@token.command("list")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def list_(settings: Settings, as_json: bool) -> None:
    """Các mã đã tạo (không bao giờ in mã)."""
    with Tracuu(settings) as app:
        out = app.list_tokens()
    if as_json:
        echo_json(out)
        return
    if not out["tokens"]:
        click.echo("Chưa có mã truy cập nào.")
    for t in out["tokens"]:
        state = "đang dùng" if t["active"] else ("đã thu hồi" if t["revoked"] else "hết hạn")
        until = f", hết hạn {t['expires']}" if t["expires"] else ""
        click.echo(f"{t['name']}  {', '.join(t['scopes'])}  {state}{until}  (tạo {t['created']})")


@token.command("revoke")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def revoke(settings: Settings, name: str, as_json: bool) -> None:
    """Thu hồi một mã: mọi yêu cầu dùng nó bị từ chối từ nay."""
    with Tracuu(settings) as app:
        out = app.revoke_token(name)
    if as_json:
        echo_json(out)
    else:
        click.echo(f"Đã thu hồi mã '{out['name']}'.")
