"""The deployment files say what the operator guide promises: checked as text here (CI also runs
systemd-analyze and a compose schema check where it can), and the container health probe for real."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[1]


def instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per logical line, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", dockerfile)
    lines = [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def test_dockerfile_is_multi_stage_non_root_with_healthcheck_and_data_volume() -> None:
    steps = instructions((ROOT / "Dockerfile").read_text())
    stages = [args for op, args in steps if op == "FROM"]
    assert len(stages) >= 2 and "COPY" in {op for op, _ in steps}
    assert any("--from=build" in args for op, args in steps if op == "COPY")
    final = steps[max(i for i, (op, _) in enumerate(steps) if op == "FROM") :]
    users = [args for op, args in final if op == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert any(op == "HEALTHCHECK" and "bot.healthcheck" in args for op, args in final)
    assert any(op == "VOLUME" and "/data" in args for op, args in final)
    assert any(op == "ENV" and "DATA_DIR=/data" in args for op, args in final)


def test_compose_runs_the_bot_in_webhook_mode_on_postgresql() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    bot, db = compose["services"]["bot"], compose["services"]["db"]
    assert db["image"].startswith("postgres:")
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql://")
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert bot["env_file"] == ".env" and any("/data" in volume for volume in bot["volumes"])
    assert any(port.startswith("127.0.0.1:") for port in bot["ports"])  # only the reverse proxy reaches it


def test_systemd_unit_restarts_on_failure_and_reads_an_environment_file() -> None:
    unit = (ROOT / "deploy" / "talksbot.service").read_text()
    settings = dict(line.split("=", 1) for line in unit.splitlines() if "=" in line and not line.startswith("#"))
    assert settings["Restart"] == "on-failure"
    assert settings["EnvironmentFile"].startswith("/etc/talksbot/")
    assert settings["ExecStart"].endswith("talksbot run")
    assert settings.get("DynamicUser") == "yes" or settings.get("User") not in (None, "root")


def test_operator_guide_covers_botfather_modes_proxy_backups_upgrades_and_watching() -> None:
    guide = (ROOT / "docs" / "operating.md").read_text()
    for topic in (
        "/newbot",
        "/setinline",
        "/setprivacy",
        "/setjoingroups",
        "/setdescription",
        "polling",
        "webhook",
        "reverse proxy",
        "client_max_body_size",
        "backup",
        "upgrad",
        "/metrics",
        "/readyz",
    ):
        assert topic.lower() in guide.lower(), topic
