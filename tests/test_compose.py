"""docker-compose.yml, Dockerfile, .dockerignore and the example config, checked by reading them."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
EXAMPLE = ROOT / "sinowatch.example.toml"


# --- small readers ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def env_of(service: dict[str, Any]) -> dict[str, str]:
    """`environment` in either Compose form (mapping or list of KEY=VALUE), values as strings."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


def mounts_of(service: dict[str, Any]) -> list[dict[str, Any]]:
    """`volumes` in either Compose form, as long-syntax mappings (type, source, target, read_only)."""
    out = []
    for vol in service.get("volumes") or []:
        if isinstance(vol, dict):
            out.append({"read_only": False, **vol})
            continue
        parts = vol.split(":")
        source, target = parts[0], parts[1]
        mode = parts[2] if len(parts) > 2 else "rw"
        kind = "bind" if source.startswith((".", "/", "~")) else "volume"
        out.append({"type": kind, "source": source, "target": target, "read_only": "ro" in mode.split(",")})
    return out


def published(service: dict[str, Any]) -> dict[int, int | None]:
    """Container port -> host port for `ports` in short or long syntax."""
    out: dict[int, int | None] = {}
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            out[int(port["target"])] = int(port["published"]) if port.get("published") else None
            continue
        parts = str(port).split("/")[0].split(":")
        container = int(parts[-1])
        out[container] = int(parts[-2]) if len(parts) >= 2 else None
    return out


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        instruction, _, args = line.partition(" ")
        out.append((instruction.upper(), args.strip()))
    return out


# --- docker-compose.yml -------------------------------------------------------------------------


def test_compose_follows_the_spec(compose: dict[str, Any]) -> None:
    assert "version" not in compose, "the Compose Specification has no top-level version key"
    assert set(compose) <= {"services", "volumes", "networks", "configs", "secrets", "name", "include"}
    assert set(compose["services"]) == {"sinowatch", "postgres", "mailpit"}


def test_app_service(compose: dict[str, Any]) -> None:
    app = compose["services"]["sinowatch"]
    build = app["build"]
    assert (build if isinstance(build, str) else build.get("context", ".")) in {".", "./"}
    command = app["command"]
    assert (command if isinstance(command, list) else command.split()) == ["run"]
    assert app["restart"] == "unless-stopped"
    # `docker compose up --scale sinowatch=3` needs both of these absent.
    assert "container_name" not in app
    assert "ports" not in app


def test_app_environment(compose: dict[str, Any]) -> None:
    env = env_of(compose["services"]["sinowatch"])
    assert env["SINOWATCH_CONFIG"] == "/config/sinowatch.toml"
    assert env["SINOWATCH_DATABASE_URL"] == "postgresql://sinowatch:sinowatch@postgres:5432/sinowatch"
    assert env["SINOWATCH_SMTP_HOST"] == "mailpit"
    assert env["SINOWATCH_SMTP_PORT"] == "1025"
    assert not any("PASSWORD" in key and value for key, value in env.items() if key.startswith("SINOWATCH_SMTP"))


def test_database_url_matches_postgres_service(compose: dict[str, Any]) -> None:
    url = urlsplit(env_of(compose["services"]["sinowatch"])["SINOWATCH_DATABASE_URL"])
    pg = env_of(compose["services"]["postgres"])
    assert url.scheme.split("+")[0] in {"postgresql", "postgres"}
    assert url.hostname in compose["services"]
    assert url.port == 5432
    assert url.username == pg["POSTGRES_USER"]
    assert url.password == pg["POSTGRES_PASSWORD"]
    assert url.path.lstrip("/") == pg["POSTGRES_DB"]


def test_app_mounts_config_and_feeds_from_the_repo(compose: dict[str, Any]) -> None:
    app = compose["services"]["sinowatch"]
    mounts = {m["target"]: m for m in mounts_of(app)}
    config_target = env_of(app)["SINOWATCH_CONFIG"]

    config = mounts[config_target]
    assert config["type"] == "bind" and config["read_only"]
    config_file = ROOT / config["source"]
    assert config_file.is_file(), f"{config['source']} is mounted as the config but is not in the repo"

    # feeds_dir is relative to the config file, so the feeds mount must sit where it points.
    feeds_dir = tomllib.loads(config_file.read_text(encoding="utf-8")).get("feeds_dir", "feeds")
    feeds_target = str(PurePosixPath(config_target).parent / feeds_dir)
    feeds = mounts[feeds_target]
    assert feeds["type"] == "bind" and feeds["read_only"]
    assert (ROOT / feeds["source"]).is_dir()
    assert list((ROOT / feeds["source"]).glob("*.toml"))


def test_app_waits_for_its_dependencies(compose: dict[str, Any]) -> None:
    services = compose["services"]
    depends = services["sinowatch"]["depends_on"]
    assert isinstance(depends, dict), "use the long depends_on form to state conditions"
    assert depends["postgres"]["condition"] == "service_healthy"
    assert "healthcheck" in services["postgres"], "service_healthy needs a healthcheck on postgres"
    assert "mailpit" in depends
    assert depends["mailpit"].get("condition", "service_started") in {"service_started", "service_healthy"}


def test_postgres_service(compose: dict[str, Any]) -> None:
    pg = compose["services"]["postgres"]
    assert pg["image"] == "postgres:16" or pg["image"].startswith(("postgres:16.", "postgres:16-"))
    env = env_of(pg)
    assert env["POSTGRES_USER"] == env["POSTGRES_PASSWORD"] == env["POSTGRES_DB"] == "sinowatch"

    data = [m for m in mounts_of(pg) if m["target"] == "/var/lib/postgresql/data"]
    assert len(data) == 1 and data[0]["type"] == "volume", "keep the database in a named volume"

    check = pg["healthcheck"]
    test = check["test"]
    text = " ".join(test) if isinstance(test, list) else test
    assert "pg_isready" in text
    if isinstance(test, list):
        assert test[0] in {"CMD", "CMD-SHELL"}
    for key in ("interval", "timeout"):
        assert re.fullmatch(r"\d+(ms|s|m)", str(check[key])), f"healthcheck {key} needs a unit"
    assert int(check["retries"]) >= 3


def test_mailpit_service(compose: dict[str, Any]) -> None:
    mp = compose["services"]["mailpit"]
    assert mp["image"].split(":")[0] == "axllent/mailpit"
    ports = published(mp)
    assert ports.get(8025) == 8025, "the web inbox should be on host port 8025"
    exposed = {int(str(p).split("/")[0]) for p in mp.get("expose") or []}
    assert 1025 in exposed or 1025 in ports, "the SMTP port 1025 must be reachable by the app"
    env = env_of(compose["services"]["sinowatch"])
    assert env["SINOWATCH_SMTP_HOST"] == "mailpit" and env["SINOWATCH_SMTP_PORT"] == "1025"


def test_named_volumes_are_declared(compose: dict[str, Any]) -> None:
    declared = set(compose.get("volumes") or {})
    used = {
        m["source"]
        for service in compose["services"].values()
        for m in mounts_of(service)
        if m["type"] == "volume"
    }
    assert used <= declared, f"volumes used but not declared: {sorted(used - declared)}"
    assert declared <= used, f"volumes declared but not used: {sorted(declared - used)}"


# --- Dockerfile and .dockerignore ---------------------------------------------------------------


def test_dockerfile_base_and_install() -> None:
    steps = dockerfile_instructions()
    froms = [args for ins, args in steps if ins == "FROM"]
    assert froms and froms[-1].split()[0] == "python:3.11-slim"

    installs = [args for ins, args in steps if ins == "RUN" and re.search(r"\bpip3? install\b", args)]
    assert installs, "the image must install the package with pip"
    for args in installs:
        assert not re.search(r"(^|\s)(-e|--editable)(\s|$)", args), "install non-editable, not with -e"
    built = [i for i, (ins, args) in enumerate(steps)
             if ins == "RUN" and re.search(r"\bpip3? (install|wheel)\b.*\s\.(\s|$|&|;)", args)]
    assert built, "expected the package built from the context: `pip install .` or `pip wheel ... .`"
    # the hot modules are compiled where the wheel is built (hatch_build.py): that stage needs a C compiler
    start = max(i for i, (ins, _) in enumerate(steps[: built[0]]) if ins == "FROM")
    assert any(ins == "RUN" and re.search(r"\bgcc\b", args) for ins, args in steps[start: built[0]]), (
        "no C compiler in the stage that builds the wheel"
    )


def test_dockerfile_runs_sinowatch_as_non_root() -> None:
    steps = dockerfile_instructions()
    names = [ins for ins, _ in steps]
    users = [args for ins, args in steps if ins == "USER"]
    assert users, "drop root with a USER instruction"
    assert users[-1].split(":")[0] not in {"root", "0"}
    assert names.index("ENTRYPOINT") > max(i for i, n in enumerate(names) if n == "USER")

    entrypoint = [args for ins, args in steps if ins == "ENTRYPOINT"][-1]
    cmd = [args for ins, args in steps if ins == "CMD"][-1]
    assert json.loads(entrypoint) == ["sinowatch"], "exec-form ENTRYPOINT so signals reach sinowatch"
    assert json.loads(cmd) == ["run"]

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert "sinowatch" in scripts, "the entrypoint relies on the `sinowatch` console script"


def test_dockerfile_copies_what_the_build_needs() -> None:
    copied: list[str] = []
    for ins, args in dockerfile_instructions():
        if ins == "COPY" and not args.startswith("--from"):
            copied += [a for a in args.split()[:-1] if not a.startswith("--")]
    for needed in ("pyproject.toml", "README.md", "hatch_build.py", "src", "templates", "feeds"):
        assert needed in copied or "." in copied, f"the build needs {needed} (see pyproject.toml)"
        assert (ROOT / needed).exists()

    ignored = {
        line.strip().rstrip("/")
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert not ignored & {"pyproject.toml", "README.md", "hatch_build.py", "src", "templates", "feeds"}
    assert {".venv", "var", "out", ".git", ".pytest_cache"} <= ignored
    # modules compiled on the host are for the host: the image compiles its own
    assert {"**/*.so", "**/_native.json"} <= ignored


# --- the example config the compose file mounts -------------------------------------------------


def test_example_config_parses_with_expected_defaults() -> None:
    cfg = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert cfg["database_url"] == "sqlite:///var/sinowatch.db"
    assert cfg["feeds_dir"] == "feeds" and cfg["timezone"] == "Asia/Seoul" and cfg["out_dir"] == "out"
    assert cfg["fetch"] == {
        "concurrency": 16,
        "per_host": 2,
        "host_delay": 1.0,
        "timeout": 20.0,
        "max_bytes": 5_000_000,
        "user_agent": "sinowatch/0.1 (+https://github.com/sinowatch/sinowatch; contact: you@example.org)",
        "allow_private_addresses": False,
    }
    assert 0.0 < cfg["relevance"]["threshold"] <= 1.0
    assert "password" not in cfg["smtp"], "the SMTP password comes from SINOWATCH_SMTP_PASSWORD only"
    assert {"host", "port", "from", "starttls", "ssl", "username"} <= set(cfg["smtp"])
    assert not (cfg["smtp"]["starttls"] and cfg["smtp"]["ssl"])
    subs = cfg["subscription"]
    assert subs and len({s["name"] for s in subs}) == len(subs)
    for sub in subs:
        assert isinstance(sub["to"], list) and sub["to"]
        assert len(sub["schedule"].split()) == 5, "schedule is a five-field cron expression"


def test_example_config_documents_every_key() -> None:
    """The first time a key appears in a table, a comment explains it (on the line or just above)."""
    active = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=")
    shown = re.compile(r"^# ([a-z_]+) = \S")  # an optional key shown commented out
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    table, seen, missing = "", set(), []
    for i, raw in enumerate(lines):
        line = raw.strip()
        if line.startswith("["):
            table = line.strip("[]")
            continue
        m = active.match(line) or shown.match(line)
        if not m or (table, m.group(1)) in seen:
            continue
        seen.add((table, m.group(1)))
        above = lines[i - 1].strip() if i else ""
        inline = active.match(line) is not None and "#" in line.split("=", 1)[1]
        if not (inline or (above.startswith("#") and not shown.match(above))):
            missing.append(f"[{table}] {m.group(1)}")
    assert not missing, f"undocumented keys in {EXAMPLE.name}: {missing}"
    keys = {key for _, key in seen}
    for key in ("entities", "templates_dir", "china_keywords", "ai_keywords", "keywords", "sources"):
        assert key in keys, f"{key} should be shown (at least commented out) in {EXAMPLE.name}"


def test_example_config_names_its_environment_overrides() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for var in (
        "SINOWATCH_CONFIG",
        "SINOWATCH_DATABASE_URL",
        "SINOWATCH_SMTP_HOST",
        "SINOWATCH_SMTP_PORT",
        "SINOWATCH_SMTP_USERNAME",
        "SINOWATCH_SMTP_PASSWORD",
    ):
        assert var in text, f"{var} is not mentioned in {EXAMPLE.name}"
