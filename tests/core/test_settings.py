"""One settings object: every `TRACUU_*` variable is a field of it, and the README's table documents each."""

from __future__ import annotations

import re

from click.testing import CliRunner

from conftest import ROOT
from tracuu.core.settings import Settings


def test_every_setting_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = set(re.findall(r"^\| `(TRACUU_\w+)` \|", readme, re.M))
    fields = {f"TRACUU_{name.upper()}" for name in Settings.model_fields}
    assert fields == table


def test_serve_reads_its_address_from_the_settings(monkeypatch):
    """TRACUU_HOST / TRACUU_PORT / TRACUU_SERVE_WORKERS come through the settings object (the options win)."""
    import tracuu.api.server as server
    from tracuu.api.cli import cli

    seen = {}
    monkeypatch.setattr(server, "serve", lambda settings, **kw: seen.update(kw))
    monkeypatch.setenv("TRACUU_PORT", "8123")
    monkeypatch.setenv("TRACUU_SERVE_WORKERS", "3")
    run = CliRunner().invoke(cli, ["serve"])
    assert run.exit_code == 0, run.output
    assert seen == {"host": "127.0.0.1", "port": 8123, "workers": 3}
    run = CliRunner().invoke(cli, ["serve", "--port", "9000", "--workers", "1"])
    assert seen == {"host": "127.0.0.1", "port": 9000, "workers": 1}
