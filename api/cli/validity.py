"""`tracuu validity NUMBER [--at DATE] [--json]`: is a document in force, and which clauses say so."""

from __future__ import annotations

from typing import Any

import click

from tracuu.core.app import Tracuu
from tracuu.core.settings import Settings
from tracuu.index.citation import vn_date

from . import cli, echo_json

COLOURS = {"in_force": "green", "partly_expired": "yellow", "expired": "red", "not_yet_in_force": "blue",
           "unknown": None}  # fmt: skip
RELATION_WORDS = {
    "replaces": "thay thế", "expires": "tuyên bố hết hiệu lực", "repeals_part": "bãi bỏ một phần",
    "amends": "sửa đổi, bổ sung", "guides": "quy định chi tiết, hướng dẫn", "based_on": "căn cứ",
    "replaced_by": "bị thay thế bởi", "expired_by": "bị tuyên bố hết hiệu lực bởi",
    "part_repealed_by": "bị bãi bỏ một phần bởi", "amended_by": "được sửa đổi, bổ sung bởi",
    "guided_by": "được hướng dẫn bởi", "basis_for": "là căn cứ của",
}  # fmt: skip


@cli.command()
@click.argument("number")
@click.option("--at", "at", help="Ngày xét (2021-07-01 hoặc 01/07/2021); mặc định hôm nay.")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def validity(settings: Settings, number: str, at: str | None, as_json: bool) -> None:
    """Tình trạng hiệu lực của một văn bản (số hiệu hoặc tên) vào một ngày, kèm điều khoản làm căn cứ."""
    with Tracuu(settings) as app:
        result = app.validity(number, at)
    if as_json:
        echo_json(result)
        return
    _print(result)


def _print(r: dict[str, Any]) -> None:
    number, kind = r["number"], r["type"] or ""
    name = number if not kind or number.lower().startswith(kind.lower()) else f"{kind} {number}"
    title = r["title"] if r["title"] and r["title"].lower() not in name.lower() else None
    click.echo(click.style(name, bold=True) + (f" — {title}" if title else ""))
    state = click.style(r["label"], fg=COLOURS[r["validity"]], bold=True)
    click.echo(f"Ngày {vn_date(r['at'])}: {state} ({r['reason']})")
    if r["effective_from"]:
        ev = r["effective_evidence"] or {}
        cited = f" — {ev['citation']}" if ev.get("citation") else ""
        click.echo(f"Có hiệu lực từ: {vn_date(r['effective_from'])}{cited}")
    if r["expired_from"]:
        click.echo(f"Hết hiệu lực từ: {vn_date(r['expired_from'])}")
    if r["replaced_by"]:
        click.echo(f"Được thay thế bởi: {r['replaced_by']}")
    for e in r["evidence"]:
        click.echo(f"  ▸ {e['citation']}:")
        click.echo(f"    “{e['quote'][:400]}”")
    for c in r["conflicts"]:
        click.echo(
            click.style(f"  ! Mâu thuẫn: {c['citation']} ({c['type']}, từ {c['from'] or '?'})", fg="red")
        )
    if r["relations"]:
        click.echo("Quan hệ:")
        for rel in r["relations"]:
            scope = "" if rel["scope"] == "whole" else f" ({rel['scope']})"
            click.echo(
                f"  - {RELATION_WORDS.get(rel['type'], rel['type'])} {rel['other']}{scope} — {rel['citation']}"
            )
