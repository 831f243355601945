"""The store on SQLite and PostgreSQL: migrations, identity, near-duplicates, races, the ledger."""

from __future__ import annotations

import contextlib
import random
import threading
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, inspect, select

from sinowatch.dedupe import identify
from sinowatch.models import Article, Status
from sinowatch.pipeline.core import store_article
from sinowatch.store import Store, queries
from sinowatch.store import schema as t
from sinowatch.store.driver import Driver
from sinowatch.store.migrations import MIGRATIONS, schema_version
from sinowatch.text.fingerprint import from_bytes, sketch

KST = timezone(timedelta(hours=9))
BODY = ("중국 인공지능 기업 바이두가 새로운 대규모 언어모델을 공개했다. 회사는 이번 모델이 추론 능력과 "
        "중국어 이해에서 이전 세대보다 크게 나아졌다고 밝혔다.\n\n업계에서는 화웨이의 어센드 칩과의 협력이 "
        "성능 향상에 도움이 됐다는 분석이 나온다. 바이두는 올해 안에 기업용 서비스를 확대할 계획이다.\n\n"
        "베이징의 한 애널리스트는 중국 AI 산업이 미국과의 격차를 빠르게 좁히고 있다고 평가했다.")


def article(url: str, body: str = BODY, title: str = "바이두, 새 언어모델 공개", outlet: str = "A") -> Article:
    return Article(url=url, source=outlet.lower(), outlet=outlet, title=title, body=body,
                   published=datetime(2025, 3, 14, 9, 12, tzinfo=KST), on_topic=True, relevance=0.9)


def put(store: Store, a: Article, urls: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    ident = identify(a.body)
    a.content_hash = ident.content_hash
    return store_article(store, a, ident, urls)


def test_migrations_are_recorded_and_idempotent(db_url: str) -> None:
    store = Store.open(db_url)
    Store.open(db_url).close()  # a second open applies nothing new
    with store.read() as conn:
        assert schema_version(conn) == MIGRATIONS[-1][0]
        assert len(conn.execute(select(t.migrations)).all()) == len(MIGRATIONS)
    store.close()


def test_band_rows_move_to_the_key_ordered_table(db_url: str) -> None:
    """A database whose lsh_bands has the 0001 shape (rowid table, (band, key, article_id) key, key index)
    is rebuilt by 0005 with every row, and copies are still found through it."""
    store = Store.open(db_url)
    first = put(store, article("https://a.example/1"))
    with store.transaction() as tx:  # put the table back the way 0001-0004 left it
        conn = tx.conn
        rows = conn.execute(select(t.lsh_bands.c.band, t.lsh_bands.c.key, t.lsh_bands.c.article_id)).all()
        conn.exec_driver_sql("DROP TABLE lsh_bands")
        conn.exec_driver_sql("CREATE TABLE lsh_bands (band INTEGER NOT NULL, key BIGINT NOT NULL, article_id INTEGER "
                             "NOT NULL REFERENCES articles (id), PRIMARY KEY (band, key, article_id))")
        conn.exec_driver_sql("CREATE INDEX ix_lsh_bands_key ON lsh_bands (key)")
        conn.execute(t.lsh_bands.insert(), [dict(band=b, key=k, article_id=a) for b, k, a in rows])
        conn.execute(t.migrations.delete().where(t.migrations.c.name == "0005_band_rows_by_key"))
    store.close()
    assert len(rows) == 64

    store = Store.open(db_url)
    with store.read() as conn:
        assert inspect(conn).get_pk_constraint("lsh_bands")["constrained_columns"] == ["key", "article_id"]
        assert "ix_lsh_bands_key" not in {i["name"] for i in inspect(conn).get_indexes("lsh_bands")}
        moved = conn.execute(select(t.lsh_bands.c.band, t.lsh_bands.c.key, t.lsh_bands.c.article_id)).all()
        assert sorted(moved) == sorted(rows)
    edited = BODY.replace("베이징의 한 애널리스트는", "한 애널리스트는") + "\n\n(사진=연합뉴스)"
    near = put(store, article("https://c.example/x", body=edited, outlet="C"))
    assert near.status is Status.NEAR_DUPLICATE and near.duplicate_of == first.article_id
    store.close()


def test_sketches_are_derived_from_stored_signatures(db_url: str) -> None:
    """A database from before 0007 (no sketches table) gets one row per original, derived from the signature on
    its article row, and copies are still found through it."""
    store = Store.open(db_url)
    first = put(store, article("https://a.example/1"))
    other = put(store, article("https://b.example/2", body=BODY.replace("바이두", "알리바바") + "\n\n추가 문단이다."))
    copy = put(store, article("https://c.example/3", outlet="C"))
    assert [first.status, other.status, copy.status] == [Status.NEW, Status.NEAR_DUPLICATE, Status.DUPLICATE]
    with store.transaction() as tx:
        tx.conn.exec_driver_sql("DROP TABLE sketches")
        tx.conn.execute(t.migrations.delete().where(t.migrations.c.name == "0007_sketches"))
    store.close()

    store = Store.open(db_url)
    with store.read() as conn:
        rows = conn.execute(select(t.sketches.c.article_id, t.sketches.c.sketch)).all()
        signature = conn.execute(select(t.articles.c.signature).where(t.articles.c.id == first.article_id)).scalar()
    assert [r.article_id for r in rows] == [first.article_id]  # originals only
    assert rows[0].sketch == sketch(from_bytes(signature)) and len(rows[0].sketch) == 128
    edited = BODY.replace("베이징의 한 애널리스트는", "한 애널리스트는") + "\n\n(사진=연합뉴스)"
    near = put(store, article("https://d.example/x", body=edited, outlet="D"))
    assert near.status is Status.NEAR_DUPLICATE and near.duplicate_of == first.article_id
    store.close()


def test_identity_new_known_duplicate_near(db_url: str) -> None:
    store = Store.open(db_url)
    first = put(store, article("https://a.example/1"))
    assert first.status is Status.NEW
    again = put(store, article("https://a.example/1"))
    assert again.status is Status.KNOWN and again.article_id == first.article_id
    copy = put(store, article("https://b.example/77", outlet="B"))  # identical text, other site
    assert copy.status is Status.DUPLICATE and copy.duplicate_of == first.article_id
    edited = BODY.replace("베이징의 한 애널리스트는", "한 애널리스트는").replace("화웨이", "華為") + "\n\n(사진=연합뉴스)"
    near = put(store, article("https://c.example/x", body=edited, outlet="C"))
    assert near.status is Status.NEAR_DUPLICATE and near.duplicate_of == first.article_id
    other = put(store, article("https://d.example/y", outlet="D", body=(
        "서울 아파트 매매가격이 3주 연속 상승했다. 한국부동산원에 따르면 강남 3구의 상승 폭이 가장 컸다.\n\n"
        "전문가들은 금리 인하 기대가 매수 심리를 자극했다고 분석했다. 정부는 추가 대책을 검토하고 있다.")))
    assert other.status is Status.NEW
    stories = queries.undelivered_stories(store, "s", None)
    by_head = {s.head.id: s for s in stories}
    assert set(by_head) == {first.article_id, other.article_id}
    assert sorted(by_head[first.article_id].also_in) == ["B", "C"]
    store.close()


def test_a_fetched_alias_url_is_known(db_url: str) -> None:
    store = Store.open(db_url)
    first = put(store, article("https://a.example/1"), urls=("http://127.0.0.1:5555/a/1?utm_source=rss",))
    with store.transaction() as tx:
        assert tx.article_by_urls(["http://127.0.0.1:5555/a/1"]) == first.article_id
    store.close()


def test_ledger_hides_delivered_stories(db_url: str) -> None:
    store = Store.open(db_url)
    first = put(store, article("https://a.example/1"))
    queries.record_digest(store, subscription="s", period="2025-03-14", message_id="<m1@x>",
                          story_ids=[first.article_id], sent=True)
    assert queries.undelivered_stories(store, "s", None) == []
    assert [s.head.id for s in queries.undelivered_stories(store, "other", None)] == [first.article_id]
    assert queries.last_digest_at(store, "s") is not None
    store.close()


def test_writers_racing_make_exactly_one_new(db_url: str) -> None:
    stores = [Store.open(db_url) for _ in range(4)]
    barrier = threading.Barrier(len(stores))
    results: list[Status] = []

    def worker(i: int) -> None:
        a = article(f"https://site{i}.example/same-story", outlet=f"S{i}")
        ident = identify(a.body)
        a.content_hash = ident.content_hash
        barrier.wait()
        results.append(store_article(stores[i], a, ident).status)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(stores))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == sorted([Status.NEW] + [Status.DUPLICATE] * 3)
    for s in stores:
        s.close()


def test_driver_sql_reads_back_as_sqlalchemy_writes_and_fails_as_it_does(db_url: str) -> None:
    """The per-article statements run on the driver's own cursor (store/driver.py): what they write reads back
    through SQLAlchemy as its own writes do (datetimes above all: SQLite keeps them as text), and a driver's
    unique-constraint refusal is a Conflict, any other driver error a StoreError, the store usable after both."""
    from sinowatch.errors import StoreError
    from sinowatch.store import Conflict

    store = Store.open(db_url)
    a = _tagged("https://a.example/driver", datetime(2025, 3, 14, 9, 12, tzinfo=KST))
    first = put(store, a)
    with store.read() as conn:
        row = conn.execute(select(t.articles).where(t.articles.c.id == first.article_id)).one()
        mention = conn.execute(select(t.article_entities.c.published_at)
                               .where(t.article_entities.c.article_id == first.article_id)).scalars().first()
    assert row.published == "2025-03-14T09:12:00+09:00" and row.story_id == first.article_id
    assert isinstance(row.published_at, datetime) and isinstance(row.created_at, datetime)
    assert row.published_at.replace(tzinfo=UTC) == datetime(2025, 3, 14, 0, 12, tzinfo=UTC)
    assert abs(row.created_at.replace(tzinfo=UTC) - datetime.now(UTC)) < timedelta(minutes=5)
    assert mention == row.published_at and row.on_topic is True and bytes(row.signature)
    for pipelined in (False, True):  # PostgreSQL's pipeline mode reports the refusal at the block's end
        with pytest.raises(Conflict), store.transaction() as tx, \
                tx.driver.pipelined() if pipelined else contextlib.nullcontext():  # the same text's hash again
            tx.driver.execute("INSERT INTO content_hashes (hash, article_id) VALUES (?, ?)",
                              (a.content_hash, first.article_id))
    with pytest.raises(StoreError) as failed, store.transaction() as tx:
        tx.driver.execute("SELECT no_such_column FROM articles")
    assert not isinstance(failed.value, Conflict) and "no_such_column" in failed.value.message
    with pytest.raises(StoreError), store.transaction() as tx:  # one of several queries asked together
        tx.driver.gather([("SELECT 1", ()), ("SELECT no_such_column FROM articles", ())])
    assert put(store, article("https://b.example/driver", body=BODY + " 추가 문장.")).status is Status.NEAR_DUPLICATE
    store.close()


def test_unreachable_database_is_a_store_error() -> None:
    from sinowatch.errors import StoreError

    with pytest.raises(StoreError) as info:
        Store.open("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")
    assert "cannot open the database" in info.value.message


def test_a_pooled_connection_used_for_reading_still_writes_safely(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """SQLite connections are pooled: one that served a read must take the write lock up front when it next
    serves a writer. Otherwise a writer that read first and wrote after another commit fails at once with
    'database is locked' (a stale snapshot cannot be upgraded), instead of waiting its turn."""
    store = Store.open(f"sqlite:///{tmp_path / 'pool.db'}")
    with store.read(), store.read():  # both pooled connections have served readers
        pass
    other_committed = threading.Event()
    errors: list[BaseException] = []

    def read_then_write() -> None:
        try:
            with store.transaction() as tx:
                tx.article_by_urls(["https://a.example/none"])  # reads first
                other_committed.wait(timeout=1.0)  # the other writer commits meanwhile, if it can
                tx.save_validators("https://a.example/feed", '"v1"', None)  # then writes
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    def write() -> None:
        try:
            put(store, article("https://c.example/1", body=BODY + " 추가 문장."))
            other_committed.set()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    first = threading.Thread(target=read_then_write)
    first.start()
    second = threading.Thread(target=write)
    second.start()
    first.join(60)
    second.join(60)
    assert errors == []
    store.close()


def _tagged(url: str, published: datetime) -> Article:
    from sinowatch.models import Entity, EntityHit, Mention

    a = article(url)
    a.published = published
    baidu = Entity("baidu", "company", "Baidu", "바이두", "百度", "CN")
    a.entities = [EntityHit(baidu, [Mention(0, 3, "바이두")], True, 0.9)]
    return a


def test_entity_rows_carry_the_articles_time(db_url: str) -> None:
    """0006 and 0009: entity rows copy their article's published_at and whether it is an open story (old rows
    filled in by the migrations), and the same-event look-up finds a report through that index only inside
    the window."""
    store = Store.open(db_url)
    when = datetime(2025, 3, 14, 9, 12, tzinfo=KST)
    first = put(store, _tagged("https://a.example/1", when))
    with store.transaction() as tx:  # back to the 0005 shape: no time on entity rows
        tx.conn.exec_driver_sql("DROP INDEX ix_article_entities_open_story")
        tx.conn.exec_driver_sql("ALTER TABLE article_entities DROP COLUMN open_story")
        tx.conn.exec_driver_sql("ALTER TABLE article_entities DROP COLUMN published_at")
        tx.conn.exec_driver_sql("CREATE INDEX ix_article_entities_entity ON article_entities (entity_id)")
        tx.conn.execute(t.migrations.delete().where(t.migrations.c.name.in_(["0006_entity_time",
                                                                              "0009_open_mentions"])))
    store.close()

    store = Store.open(db_url)
    with store.read() as conn:
        [(stamp, is_open)] = conn.execute(select(t.article_entities.c.published_at,
                                                 t.article_entities.c.open_story)).all()
        assert stamp is not None and stamp.replace(tzinfo=None) == when.astimezone(UTC).replace(tzinfo=None)
        assert is_open is True
        indexes = {i["name"] for i in inspect(conn).get_indexes("article_entities")}
        assert "ix_article_entities_open_story" in indexes
        assert not indexes & {"ix_article_entities_entity", "ix_article_entities_entity_time"}
    with store.transaction() as tx:
        near = tx.event_candidates(["baidu"], when + timedelta(hours=30), 72)
        far = tx.event_candidates(["baidu"], when + timedelta(hours=100), 72)
    assert near == [first.article_id] and far == []
    second = put(store, _tagged("https://b.example/2", when + timedelta(days=1)))
    with store.read() as conn:
        stamps = conn.execute(select(t.article_entities.c.published_at)
                              .where(t.article_entities.c.article_id == second.article_id)).scalars().all()
    assert stamps and stamps[0] is not None
    store.close()


def _event_look_up_plan(store: Store, monkeypatch) -> str:  # type: ignore[no-untyped-def]  # noqa: ANN001
    statements: list[tuple[str, tuple]] = []
    run = Driver.execute

    def record(self, sql, params=()):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
        statements.append((sql, params))
        return run(self, sql, params)
    with monkeypatch.context() as patched:
        patched.setattr(Driver, "execute", record)
        with store.transaction() as tx:
            tx.event_candidates(["baidu", "huawei"], datetime(2025, 3, 14, tzinfo=UTC), 72)
            grouped, parameters = next((s, p) for s, p in statements if "count(*)" in s)
            plan = " ".join(str(r[-1]) for r in tx.driver.rows("EXPLAIN QUERY PLAN " + grouped, parameters))
    return plan


def test_same_event_look_up_reads_one_index(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Tx.event_candidates reads each entity's open stories near the report's time off one covering index
    (entity, open_story, published_at, article_id) and touches no article rows (Tx.event_reports reads the
    candidates' own, by id) — also in a database given that index by migration 0009."""
    url = f"sqlite:///{tmp_path / 'plan.db'}"
    store = Store.open(url)
    with store.transaction() as tx:  # the 0008 shape
        tx.conn.exec_driver_sql("DROP INDEX ix_article_entities_open_story")
        tx.conn.exec_driver_sql("ALTER TABLE article_entities DROP COLUMN open_story")
        tx.conn.exec_driver_sql("CREATE INDEX ix_article_entities_entity_time ON article_entities "
                                "(entity_id, published_at)")
        tx.conn.exec_driver_sql("CREATE INDEX ix_articles_open_story ON articles (id, on_topic, status)")
        tx.conn.execute(t.migrations.delete().where(t.migrations.c.name == "0009_open_mentions"))
    store.close()
    store = Store.open(url)
    plan = _event_look_up_plan(store, monkeypatch)
    entity_reads = [step for step in plan.split("SEARCH ")[1:] if step.startswith("article_entities")]
    assert len(entity_reads) == 4, plan  # two entities, each read on both sides of the report's time
    assert all("COVERING INDEX ix_article_entities_open_story" in step for step in entity_reads), plan
    assert "articles" not in plan.replace("article_entities", ""), plan
    store.close()


def test_same_event_look_up_cost_follows_its_bound_not_the_window(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """However many open stories a busy 72 hours holds on an entity, the look-up reads at most EVENT_POSTINGS
    on each side of the report's time: counted in SQLite virtual-machine steps (deterministic, not a timing),
    four times the stories in the window cost about the same."""
    from sinowatch.store.tx import EVENT_POSTINGS, MAX_CANDIDATES

    def steps(store: Store, when: datetime) -> tuple[int, list[int]]:
        counted = [0]

        def tick() -> int:
            counted[0] += 1
            return 0
        raw = store.engine.raw_connection()
        raw.driver_connection.set_progress_handler(tick, 100)  # type: ignore[union-attr]
        raw.close()  # back to the pool (StaticPool for this in-memory store: the same connection)
        with store.transaction() as tx:
            found = tx.event_candidates(["baidu"], when, 72)
        return counted[0], found

    base = datetime(2025, 3, 14, 0, 0, tzinfo=UTC)
    costs = []
    for stories in (3 * EVENT_POSTINGS, 12 * EVENT_POSTINGS):
        store = Store.open("sqlite://")
        for i in range(stories):  # spread over the 72 hours before the report
            a = _tagged(f"https://busy.example/{i}", base - timedelta(minutes=(i + 1) * 4000 // stories))
            rnd = random.Random(i)  # a report of its own, not a copy of the others
            a.body = "바이두 " + " ".join("".join(chr(0xAC00 + rnd.randrange(11172)) for _ in range(3))
                                         for _ in range(120))
            put(store, a)
        cost, found = steps(store, base)
        assert len(found) == MAX_CANDIDATES
        costs.append(cost)
        store.close()
    assert costs[1] < 1.5 * costs[0], costs


def test_warm_reads_every_band_row(db_url: str) -> None:
    """Store.warm walks the whole LSH band index (the daemon calls it at start), on both backends."""
    store = Store.open(db_url)
    assert store.warm()[0] == 0
    put(store, article("https://a.example/warm"))
    put(store, article("https://b.example/warm", body=BODY.replace("바이두", "알리바바") + "\n\n추가 문단입니다."))
    with store.read() as conn:
        stored = conn.execute(select(func.count()).select_from(t.lsh_bands)).scalar_one()
    rows, seconds = store.warm()
    assert rows == stored > 0 and seconds >= 0
    store.close()


def test_sqlite_connections_checkpoint_the_wal_in_large_steps(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every pooled SQLite connection gets the store's settings: WAL, its page cache, and checkpoints every
    SQLITE_AUTOCHECKPOINT pages rather than SQLite's 1,000 (which made every ~14th article's commit slow)."""
    from sqlalchemy import text

    from sinowatch.store.db import SQLITE_AUTOCHECKPOINT, SQLITE_CACHE_KB

    store = Store.open(f"sqlite:///{tmp_path / 'a.db'}")
    with store.read() as first, store.read() as second:  # two connections of the pool
        for conn in (first, second):
            assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar_one() == SQLITE_AUTOCHECKPOINT > 1000
            assert conn.execute(text("PRAGMA cache_size")).scalar_one() == -SQLITE_CACHE_KB
    store.close()


def test_postgresql_statistics_follow_the_archive_as_it_grows(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store filled from empty gets planner statistics without autovacuum (off on some servers, late on
    others): after ANALYZE_MIN new articles the store runs ANALYZE itself, and not before."""
    from sqlalchemy import text

    from sinowatch.store import db

    monkeypatch.setattr(db, "ANALYZE_MIN", 3)
    store = Store.open(pg_url)

    def counted() -> float:
        with store.read() as conn:
            return conn.execute(text("SELECT reltuples FROM pg_class WHERE oid = 'lsh_bands'::regclass")).scalar_one()

    before = counted()
    for i in range(2):
        put(store, article(f"https://grow.example/{i}", body=f"{BODY}\n\n{'가나다라마바사' * (i + 3)} {i}"))
    assert counted() == before  # not yet
    put(store, article("https://grow.example/2", body=BODY.replace("바이두", "텐센트") + "\n\n세 번째 기사."))
    assert counted() > 0
    store.close()


def test_a_re_score_moves_an_article_in_and_out_of_the_same_event_look_up(db_url: str) -> None:
    """Entity rows follow their article's relevance (`sinowatch retag` re-scores through set_relevance): an
    article re-scored off topic is no longer an open story for clustering, and back on topic it is again."""
    store = Store.open(db_url)
    when = datetime(2025, 3, 14, 9, 12, tzinfo=KST)
    stored = put(store, _tagged("https://a.example/rescored", when))

    def found() -> list[int]:
        with store.transaction() as tx:
            return tx.event_candidates(["baidu"], when, 72)

    assert found() == [stored.article_id]
    with store.transaction() as tx:
        tx.set_relevance(stored.article_id, 0.1, False)
    assert found() == []
    with store.transaction() as tx:
        tx.set_relevance(stored.article_id, 0.9, True)
    assert found() == [stored.article_id]
    store.close()


def test_a_retag_rewrites_entity_rows_keeping_the_articles_time(db_url: str) -> None:
    """`sinowatch retag` replaces an article's entity rows (Tx.set_entities): the new rows carry the article's
    time and open-story flag as stored, so the same-event look-up finds it by its new entities only."""
    from sinowatch.models import Entity, EntityHit, Mention

    store = Store.open(db_url)
    when = datetime(2025, 3, 14, 9, 12, tzinfo=KST)
    stored = put(store, _tagged("https://a.example/retagged", when))
    e = t.article_entities.c
    with store.read() as conn:
        before = conn.execute(select(e.published_at).where(e.article_id == stored.article_id)).scalar_one()
    tencent = Entity("tencent", "company", "Tencent", "텐센트", "腾讯", "CN")
    with store.transaction() as tx:
        tx.set_entities(stored.article_id, [EntityHit(tencent, [Mention(0, 3, "텐센트")], False, 0.8)])
    with store.read() as conn:
        rows = conn.execute(select(e.entity_id, e.published_at, e.open_story)
                            .where(e.article_id == stored.article_id)).all()
    assert [tuple(r) for r in rows] == [("tencent", before, True)] and before is not None
    with store.transaction() as tx:
        assert tx.event_candidates(["tencent"], when, 72) == [stored.article_id]
        assert tx.event_candidates(["baidu"], when, 72) == []
    store.close()


def _report(n: int, when: datetime, run: int) -> Article:
    """Another outlet's own report (its own words, so no copy) on the same Baidu launch."""
    a = _tagged(f"https://outlet{n}.example/baidu-{run}", when + timedelta(hours=n))
    rnd = random.Random(f"{run}-{n}")
    a.body = "바이두 새 언어모델 공개. " + " ".join("".join(chr(0xAC00 + rnd.randrange(11172)) for _ in range(3))
                                             for _ in range(80))
    a.source, a.outlet = f"outlet{n}", f"Outlet {n}"
    return a


def test_a_runs_memo_reads_each_candidate_once_and_clusters_alike(  # type: ignore[no-untyped-def]
        db_url: str, monkeypatch) -> None:  # noqa: ANN001
    """store_article with an EventMemo (one per fetch or import run) reads each stored report's clustering
    features once, not once per new report it is a candidate for, and puts every report in the same story as
    without one."""
    from sinowatch.pipeline.core import EventMemo

    store = Store.open(db_url)
    read: list[int] = []

    gather = Driver.gather

    def count(self, queries):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
        read.extend(len(params) for sql, params in queries if "substr(body" in sql)  # Tx.event_reports: their ids
        return gather(self, queries)
    monkeypatch.setattr(Driver, "gather", count)
    stories: list[list[int]] = []
    reads: list[int] = []
    for run, memo in enumerate((None, EventMemo())):
        when = datetime(2025, 3, 14, 9, 0, tzinfo=KST) + timedelta(days=30 * run)  # two events, far apart
        read.clear()
        results = []
        for n in range(6):
            a = _report(n, when, run)
            ident = identify(a.body)
            a.content_hash = ident.content_hash
            results.append(store_article(store, a, ident, weight=lambda _: 1.0, memo=memo))
        assert [r.status for r in results] == [Status.NEW] * 6
        with store.read() as conn:
            ids = [r.article_id for r in results]
            story = dict(conn.execute(select(t.articles.c.id, t.articles.c.story_id)).all())
        stories.append([ids.index(story[i]) for i in ids])  # each report's story, as its first report's place
        reads.append(sum(read))
    store.close()
    assert stories == [[0] * 6, [0] * 6]  # one event, one story, with and without
    assert reads == [1 + 2 + 3 + 4 + 5, 5]  # the candidates read: all of them for every report, or each once


def test_a_memo_keeps_what_a_transaction_saw_only_once_it_commits() -> None:
    """SQLite may give a rolled-back row's id to the next article: the features a failed transaction read or
    wrote must not outlive it. And the memo holds at most `size` reports, the least recently used going first."""
    from sinowatch.dedupe import event_features
    from sinowatch.pipeline.core import EventMemo

    memo = EventMemo(size=2)
    f = event_features(1, "바이두 새 모델", "본문", None, {"baidu": 0.9})
    memo.stage(1, f)
    assert memo.get(1) is f  # the transaction sees what it staged
    memo.rollback()
    assert memo.get(1) is None
    for i in (1, 2):
        memo.stage(i, f)
    memo.commit()
    memo.get(1)  # 1 used last: 2 goes first
    memo.stage(3, f)
    memo.commit()
    assert [i for i in (1, 2, 3) if memo.get(i)] == [1, 3]


def test_a_busy_writer_does_not_starve_the_others_in_its_process(  # type: ignore[no-untyped-def]
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One thread writing transactions back to back (the fetch's batch writer) while others make small writes
    (a source's validators and fetch record): SQLite's busy handler polls with sleeps, so the small writers
    could lose every race until the busy timeout ("database is locked"; bench/pipeline.py stopped so with 200
    sources). The store queues its own writers; here the busy timeout is cut to 0.3 s and none may fail."""
    from sinowatch.store import db
    from sinowatch.models import SourceConfig, SourceKind

    monkeypatch.setattr(db, "SQLITE_BUSY_S", 0.3)
    store = Store.open(f"sqlite:///{tmp_path / 'busy.db'}")
    store.sync_sources([SourceConfig(f"s{i}", f"https://s{i}.example/feed", SourceKind.FEED) for i in range(4)])
    stop = threading.Event()
    failures: list[str] = []

    def hog() -> None:
        n = 0
        while not stop.is_set():
            try:
                with store.transaction() as tx:  # holds the write lock ~20 ms at a time, back to back
                    for _ in range(20):
                        n += 1
                        tx.save_validators(f"https://hog.example/{n}", f'"{n}"', None)
                    time.sleep(0.02)
            except Exception as exc:  # noqa: BLE001
                failures.append(f"hog: {exc}")

    def small(i: int) -> None:
        for k in range(8):
            try:
                store.save_validators(f"https://s{i}.example/feed", f'"{k}"', None)
                store.record_fetch(f"s{i}", interval=60.0)
            except Exception as exc:  # noqa: BLE001
                failures.append(f"s{i}: {exc}")

    hogs = [threading.Thread(target=hog) for _ in range(2)]
    smalls = [threading.Thread(target=small, args=(i,)) for i in range(4)]
    for th in hogs + smalls:
        th.start()
    for th in smalls:
        th.join()
    stop.set()
    for th in hogs:
        th.join()
    store.close()
    assert failures == []
