"""Digests over a real aiosmtpd server: MIME shape, Korean subject, the ledger, failures, hostile titles."""

from __future__ import annotations

import re
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import pytest

from sinowatch.config import SmtpSettings, Subscription, load_settings
from sinowatch.errors import DeliveryError
from sinowatch.pipeline import Context, run_digest
from tests.helpers.smtp import SmtpSink, free_port
from tests.test_store import article, put

SUB = Subscription(name="morning", to=("kim@example.org", "lee@example.org"))


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Context:
    monkeypatch.chdir(tmp_path)
    settings = replace(load_settings(None, env={}), database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
                       subscriptions=(SUB,))
    context = Context.open(settings)
    first = article("https://people.example/1", outlet="인민망 한국어판")
    first.entities = context.matcher.tag(first.body, first.title)
    put(context.store, first)
    put(context.store, article("https://yonhap.example/9", outlet="연합뉴스"))  # the syndicated copy
    yield context
    context.close()


def with_smtp(ctx: Context, sink: SmtpSink) -> Context:
    smtp = SmtpSettings(host=sink.host, port=sink.port, sender="sinowatch <digest@example.org>", timeout=5,
                        backoff=0.1)
    return replace(ctx, settings=replace(ctx.settings, smtp=smtp))


def html_part(msg: EmailMessage) -> str:
    part = msg.get_body(("html",))
    assert part is not None
    return part.get_content()


def test_sent_once_with_outlets_entities_and_korean_subject(ctx: Context, smtp: SmtpSink) -> None:
    c = with_smtp(ctx, smtp)
    outcome = run_digest(c, SUB)
    assert outcome.sent and outcome.stories == 1
    [(rcpts, msg)] = smtp.messages
    assert sorted(rcpts) == ["kim@example.org", "lee@example.org"]
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert "중국 AI 뉴스" in str(msg["Subject"])
    assert msg["Message-ID"] and msg["Date"] and msg["List-Unsubscribe"]
    html, text = html_part(msg), msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert html.count("바이두, 새 언어모델 공개") == 1 and "연합뉴스" in html
    assert "바이두" in text and "함께 보도: 연합뉴스" in text
    assert "<style" not in html and 'style="' in html  # CSS inlined for mail clients
    second = run_digest(c, SUB)
    assert not second.sent and len(smtp.messages) == 1  # nothing new: nothing sent


def test_server_down_marks_nothing_and_the_next_run_delivers(ctx: Context, smtp: SmtpSink) -> None:
    down = replace(ctx, settings=replace(ctx.settings, smtp=SmtpSettings(host="127.0.0.1", port=free_port(),
                                                                        timeout=2, retries=1, backoff=0.1)))
    with pytest.raises(DeliveryError):
        run_digest(down, SUB)
    c = with_smtp(ctx, smtp)
    assert run_digest(c, SUB).sent
    assert len(smtp.messages) == 1 and "바이두" in html_part(smtp.messages[0][1])


def test_one_refused_recipient_does_not_block_the_others(ctx: Context, smtp: SmtpSink) -> None:
    smtp.refuse["lee@example.org"] = "550 no such user"
    outcome = run_digest(with_smtp(ctx, smtp), SUB)
    assert outcome.sent and "lee@example.org" in outcome.refused
    assert smtp.messages[0][0] == ["kim@example.org"]


def test_hostile_title_is_harmless(ctx: Context, smtp: SmtpSink) -> None:
    evil = article("https://evil.example/1", body="완전히 다른 기사 본문이다. 중국 인공지능 업체 화웨이가 칩을 발표했다. " * 5,
                   title="중국 AI\r\nBcc: victim@example.org <script>alert(1)</script> {{ 7*7 }}")
    put(ctx.store, evil)
    run_digest(with_smtp(ctx, smtp), SUB)
    [(rcpts, msg)] = smtp.messages
    assert "victim@example.org" not in rcpts and msg["Bcc"] is None
    html = html_part(msg)
    assert "<script>" not in html and "&lt;script&gt;" in html
    # the template did not evaluate the title (clock times such as "14:49" in the header do not count)
    assert "{{ 7*7 }}" in html and "49" not in re.sub(r"\d{1,2}:\d{2}", "", html)


def test_dry_run_writes_files_and_records_nothing(ctx: Context, tmp_path: Path) -> None:
    outcome = run_digest(ctx, SUB, dry_run=True, out_dir=tmp_path / "out")
    assert sorted(p.suffix for p in outcome.files) == [".eml", ".html", ".txt"]
    assert all(p.stat().st_size > 0 for p in outcome.files)
    again = run_digest(ctx, SUB, dry_run=True, out_dir=tmp_path / "out")
    assert again.stories == outcome.stories == 1  # the ledger is untouched: the same story renders again


def test_killed_between_accept_and_ledger_resends_once_with_the_same_message_id(
        tmp_path: Path, smtp: SmtpSink) -> None:
    """At-least-once by design: the server accepted, the process died before the ledger write, so the next
    run sends the same stories again under the same Message-ID (recipients' clients thread or drop it)."""
    import os
    import subprocess
    import sys

    from tests.conftest import SEEDS
    config = tmp_path / "sinowatch.toml"
    config.write_text(f'database_url = "sqlite:///var/c.db"\n[smtp]\nhost = "{smtp.host}"\nport = {smtp.port}\n'
                      '[[subscription]]\nname = "daily"\nto = ["reader@example.org"]\n', encoding="utf-8")

    def sinowatch(*args: str, fault: str | None = None) -> int:
        env = {k: v for k, v in os.environ.items() if k != "SINOWATCH_FAULT"}
        if fault:
            env["SINOWATCH_FAULT"] = fault
        return subprocess.run([sys.executable, "-m", "sinowatch", "--config", str(config), *args], env=env,
                              cwd=tmp_path, capture_output=True, timeout=120).returncode
    assert sinowatch("import", str(SEEDS)) == 0
    assert sinowatch("digest", fault="digest:after-send") == 75  # killed after the server said 250
    assert len(smtp.messages) == 1
    assert sinowatch("digest") == 0  # nothing was recorded: the same stories go again
    assert sinowatch("digest") == 0  # now they are in the ledger: nothing more
    ids = [m["Message-ID"] for m in smtp.parsed()]
    assert len(ids) == 2 and ids[0] == ids[1]


def test_entity_trend_against_the_previous_period(ctx: Context, smtp: SmtpSink) -> None:
    from datetime import UTC, datetime, timedelta

    from sinowatch.digest.render import build_view
    from sinowatch.store import queries
    now = datetime.now(UTC)
    this = queries.entity_mentions(ctx.store, now - timedelta(days=1), now + timedelta(seconds=1))
    before = queries.entity_mentions(ctx.store, now - timedelta(days=2), now - timedelta(days=1))
    assert this["baidu"] >= 2 and before == {}
    stories = queries.undelivered_stories(ctx.store, SUB.name, None)
    view = build_view(stories, subscription="s", period="p", now=now, timezone="Asia/Seoul",
                      entities=ctx.entities, mentions=this, previous={"baidu": this["baidu"] + 5})
    trend = {t.tag.id: t for t in view.top_entities}
    assert trend["baidu"].direction == "down"
    assert all(t.direction == "new" for i, t in trend.items() if i != "baidu")


def test_a_transient_refusal_is_retried_with_backoff(ctx: Context, smtp: SmtpSink) -> None:
    smtp.fail_data = ["451 4.3.0 try again later"]
    outcome = run_digest(with_smtp(ctx, smtp), SUB)
    assert outcome.sent and len(smtp.messages) == 1 and smtp.data_attempts == 2


def test_a_permanent_refusal_is_not_retried(ctx: Context, smtp: SmtpSink) -> None:
    smtp.fail_data = ["554 5.7.1 rejected"]
    with pytest.raises(DeliveryError) as info:
        run_digest(with_smtp(ctx, smtp), SUB)
    assert not info.value.transient and smtp.data_attempts == 1 and not smtp.messages


def test_auth_login_with_the_password_from_the_environment(ctx: Context, tmp_path: Path) -> None:
    from tests.helpers.smtp import smtp_sink
    with smtp_sink(users={"digest": "s3cret"}) as sink:
        smtp = SmtpSettings(host=sink.host, port=sink.port, sender="sinowatch <digest@example.org>", timeout=5,
                            username="digest", password="s3cret", retries=0)
        assert run_digest(replace(ctx, settings=replace(ctx.settings, smtp=smtp)), SUB).sent
        assert sink.logins == ["digest"]
        wrong = replace(smtp, password="nope")
        with pytest.raises(DeliveryError):
            run_digest(replace(ctx, settings=replace(ctx.settings, smtp=wrong)), replace(SUB, name="other"))


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    import shutil
    import subprocess
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed: no certificate for the TLS tests")
    tmp = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(tmp / "key.pem"),
                    "-out", str(tmp / "cert.pem"), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return tmp / "cert.pem", tmp / "key.pem"


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "implicit-tls"])
def test_tls_with_the_servers_ca(ctx: Context, certificate: tuple[Path, Path], implicit: bool) -> None:
    import ssl

    from tests.helpers.smtp import smtp_sink
    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    with smtp_sink(users={"digest": "s3cret"}, tls=server_tls, implicit_tls=implicit) as sink:
        smtp = SmtpSettings(host=sink.host, port=sink.port, sender="sinowatch <digest@example.org>", timeout=5,
                            starttls=not implicit, ssl=implicit, username="digest", password="s3cret", retries=0,
                            ca_file=cert)
        assert run_digest(replace(ctx, settings=replace(ctx.settings, smtp=smtp)), SUB).sent
        assert len(sink.messages) == 1 and sink.logins == ["digest"]
        untrusted = replace(smtp, ca_file=None)  # a certificate nobody vouches for is refused
        with pytest.raises(DeliveryError):
            run_digest(replace(ctx, settings=replace(ctx.settings, smtp=untrusted)), replace(SUB, name="other"))
