"""`tracuu` command line: ingest files, list and show documents. Vietnamese output, `--json` for tools.

Exit codes: 0 ok, 1 user error (bad file, unknown document), 2 internal error.

Commands live in `write`, `read`, `drafts` and `run`; this module holds the group, its error table and `main`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from tracuu.core.errors import TracuuError
from tracuu.core.settings import Settings


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


# This door's one table: each core error code → exit status (0 success; 2 is an internal error, in `main`).
EXIT_CODES = {"not-found": 1, "invalid-argument": 1, "busy": 1, "no-store": 1, "no-index": 1, "index-broken": 1,
              "index-mismatch": 1, "no-model": 1, "schema-too-new": 1, "too-many-citations": 1, "vectors-pending": 1,
              "database-unavailable": 1, "forbidden": 1}  # fmt: skip


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


def bars(description: str, total: int, unit: str) -> Any:
    """Progress on stderr (the core's `progress`), hidden when there is nothing to do."""
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit=unit, file=sys.stderr, disable=not total)


def _waiting(holder: str) -> None:
    click.echo(f"Kho đang được ghi bởi {holder}; đang chờ…", err=True)


def main() -> None:
    """Entry point: user errors exit 1 with a message; unexpected errors exit 2 without a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Đã hủy.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code if isinstance(exc, UserError) else 1)  # a core error: its code's exit status
    except TracuuError as exc:  # raised outside a command (the group maps those inside)
        click.echo(f"Lỗi: {exc.detail}", err=True)
        sys.exit(EXIT_CODES.get(exc.code, 1))
    except SystemExit:
        raise
    except Exception as exc:
        click.echo(f"Lỗi nội bộ: {type(exc).__name__}: {exc}", err=True)
        sys.exit(2)


from . import drafts, notify, pg, read, run, tokens, validity, write  # noqa: E402,F401  (registers the commands)
