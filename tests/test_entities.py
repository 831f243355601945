"""The matcher on the two real seeds and on a labelled set of Korean news sentences."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest

from sinowatch.entities import Matcher, load_gazetteer
from sinowatch.models import EntityHit

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds"
SENTENCES = DATA / "entities" / "sentences.toml"
MIN_PRECISION, MIN_RECALL = 0.97, 0.95


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_gazetteer())


def _seed(name: str, title_line: int = 0) -> tuple[str, str]:
    """(title, body) of a seed: its headline line, and the whole text as the body."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    return text.splitlines()[title_line], text


def _by_id(hits: list[EntityHit]) -> dict[str, EntityHit]:
    return {hit.entity.id: hit for hit in hits}


def _texts(hit: EntityHit) -> set[str]:
    return {m.text for m in hit.mentions}


def test_people_kr_seed(matcher: Matcher) -> None:
    title, body = _seed("people-kr-2019-07-05.txt", title_line=3)
    assert title.startswith("중국 인공지능 굴기")
    hits = _by_id(matcher.tag(body, title))
    expected = {"kotra", "china", "united-states", "shaanxi", "xian", "beijing", "shanghai", "hangzhou",
                "shenzhen", "hefei", "baidu", "huawei", "paddlepaddle", "kirin", "wang-haifeng", "fudan",
                "sjtu", "donghua", "tongji", "iflytek", "sensetime", "xinhua", "china-news-service",
                "peoples-daily", "cctv"}
    assert expected <= hits.keys(), sorted(expected - hits.keys())
    assert not {"shanxi", "xjtu", "qingdao"} & hits.keys()
    assert _texts(hits["shaanxi"]) >= {"산시", "산시성"}
    assert _texts(hits["xian"]) == {"시안"}
    assert _texts(hits["iflytek"]) == {"커다쉰페이"}  # 科大訊飛 in the gloss is the same mention
    assert _texts(hits["sensetime"]) == {"상탕커지"}
    assert _texts(hits["paddlepaddle"]) == {"페이장"}
    assert _texts(hits["kirin"]) == {"치린", "치린칩"}
    assert _texts(hits["baidu"]) >= {"바이두", "Baidu"}
    assert hits["baidu"].count == 9 and hits["huawei"].count == 3
    assert hits["china"].in_headline and not hits["baidu"].in_headline


def test_qingdao_seed(matcher: Matcher) -> None:
    title, body = _seed("qingdao-declaration-2019-12-01.txt")
    hits = _by_id(matcher.tag(body, title))
    expected = {"qingdao", "china", "iflytek", "huawei", "sensetime", "shanghai", "wang-qingxian",
                "pearl-river-delta", "yangtze-river-delta", "belt-and-road", "miit"}
    assert expected <= hits.keys(), sorted(expected - hits.keys())
    assert _texts(hits["iflytek"]) == {"커따쉰페이", "과대신비"}
    assert _texts(hits["qingdao"]) == {"칭다오", "청도"}
    assert hits["qingdao"].count == 32 and hits["qingdao"].in_headline
    assert "中" in _texts(hits["china"])
    assert hits["huawei"].count == 1  # 화웨이(華为): the gloss does not count twice
    assert hits[next(iter(hits))].entity.id in {"qingdao", "china"}  # the story's subject ranks first


@pytest.mark.parametrize(("text", "entity_id", "mention"), [
    ("華为가 새 칩을 공개했다.", "huawei", "華为"),
    ("커다쉰페이(科大訊飛)가 상장했다.", "iflytek", "커다쉰페이"),
    ("科大訊飛는 음성 AI 기업이다.", "iflytek", "科大訊飛"),
    ("商湯科技는 홍콩에 상장했다.", "sensetime", "商湯科技"),
    ("復旦大學 연구팀", "fudan", "復旦大學"),
    ("칭따오에 공장을 세웠다.", "qingdao", "칭따오"),
    ("시안(西安)시의 반도체 공장", "xian", "시안"),
    ("산시(陝西)성 정부", "shaanxi", "산시"),
    ("항주에서 열린 포럼", "hangzhou", "항주"),
])
def test_variants(matcher: Matcher, text: str, entity_id: str, mention: str) -> None:
    hits = _by_id(matcher.tag(text))
    assert entity_id in hits
    assert mention in _texts(hits[entity_id])


def test_labelled_sentences(matcher: Matcher) -> None:
    cases = tomllib.loads(SENTENCES.read_text(encoding="utf-8"))["case"]
    negatives = [case for case in cases if "forbid" in case]
    assert len(cases) >= 150 and len(negatives) >= 0.2 * len(cases)
    true_pos = false_pos = false_neg = 0
    wrong: list[str] = []
    forbidden: list[str] = []
    for case in cases:
        found = {hit.entity.id for hit in matcher.tag(case["text"])}
        expected = set(case["expect"])
        true_pos += len(found & expected)
        false_pos += len(found - expected)
        false_neg += len(expected - found)
        if found != expected:
            wrong.append(f"{case['text']}  extra={sorted(found - expected)} missing={sorted(expected - found)}")
        if found & set(case.get("forbid", ())):
            forbidden.append(case["text"])
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    print(f"\nentities: {len(cases)} sentences ({len(negatives)} hard negatives): "
          f"precision {precision:.3f}, recall {recall:.3f}")
    for line in wrong:
        print("  ", line)
    assert not forbidden, forbidden
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL


@pytest.mark.parametrize(("text", "kept"), [
    ("선전(深圳)의 스타트업", True),
    ("선전(宣傳)에 동원됐다", False),
    ("深圳에 본사를 둔 이 회사는 지난해 선전에서 상장했다.", True),
    ("선전 활동을 강화하라는 지시가 내려왔다.", False),
    ("중국 선전과 광저우를 잇는 고속철", True),
])
def test_context_for_ambiguous_names(matcher: Matcher, text: str, kept: bool) -> None:
    assert ("shenzhen" in _by_id(matcher.tag(text))) is kept


def test_elsewhere_mention_confirms_every_ambiguous_one(matcher: Matcher) -> None:
    hits = _by_id(matcher.tag("深圳市는 AI 산업을 키운다. 선전은 올해 예산을 늘렸다. 선전의 기업들이 모였다."))
    assert _texts(hits["shenzhen"]) == {"深圳市", "선전"} and hits["shenzhen"].count == 3


def test_headline_only_entity_and_salience_order(matcher: Matcher) -> None:
    body = "첫 문단은 바이두 이야기다.\n\n" + "중간 문단. " * 80 + "\n\n끝에 가서야 텐센트가 나온다."
    hits = matcher.tag(body, title="화웨이, 새 칩 공개")
    by_id = _by_id(hits)
    assert by_id["huawei"].in_headline and by_id["huawei"].mentions == [] and by_id["huawei"].first_pos == -1
    assert [h.entity.id for h in hits] == ["huawei", "baidu", "tencent"]
    assert all(0.0 <= h.salience <= 1.0 for h in hits)
    assert by_id["baidu"].salience > by_id["tencent"].salience


def test_suggest_offers_unknown_glossed_names(matcher: Matcher) -> None:
    _, body = _seed("people-kr-2019-07-05.txt")
    suggestions = matcher.suggest(body)
    assert suggestions["텅쒀커지(騰梭科技)"] == 1
    assert not any(key.startswith(("인공지능(", "사물인터넷(", "페이장(", "커다쉰페이(")) for key in suggestions)
    text = ("신생 기업 모얼즈넝(墨尔智能)과 유니트리(宇树科技)가 협력한다. 모얼즈넝(墨尔智能)은 2023년 설립됐다. "
            "스타트업 링신(Lingxin AI)도 참여했다. 전야(前夜), 선전(宣傳), 대규모 언어모델(LLM)은 이름이 아니다.")
    assert matcher.suggest(text) == {"모얼즈넝(墨尔智能)": 2, "링신(Lingxin AI)": 1}


def test_speed(matcher: Matcher) -> None:
    """Reports throughput on ~1 MB of Korean text; does not assert a timing."""
    _, first = _seed("people-kr-2019-07-05.txt")
    _, second = _seed("qingdao-declaration-2019-12-01.txt")
    text = (first + second) * 90
    size = len(text.encode("utf-8")) / 1e6
    start = time.perf_counter()
    hits = matcher.tag(text)
    elapsed = time.perf_counter() - start
    print(f"\nentities: tagged {size:.2f} MB ({len(text)} chars) in {elapsed:.3f}s = {size / elapsed:.1f} MB/s")
    assert hits
