"""Stored article texts: the two real seeds, and texts shaped like them from other outlets."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import pytest

from sinowatch.config import load_sources
from sinowatch.errors import ParseError
from sinowatch.parse.textfile import find_outlet, parse_text
from sinowatch.text.boilerplate import is_boilerplate, is_stop_line, squash

SEEDS = Path(__file__).parent / "data" / "seeds"
OUTLETS = {"인민망": "Asia/Shanghai", "인민망 한국어판": "Asia/Shanghai", "신화망": "Asia/Shanghai",
           "연합뉴스": "Asia/Seoul"}


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def test_people_daily_seed() -> None:
    page, outlet = parse_text(seed("people-kr-2019-07-05.txt"), path=str(SEEDS / "people-kr-2019-07-05.txt"),
                              outlets={"인민망": "Asia/Shanghai"})
    assert outlet == "인민망"
    assert page.title == "중국 인공지능 굴기, 미국과 빅2 체제 돌입…협력 나서는 기업들"
    assert page.published is not None and page.published.isoformat() == "2019-07-05T15:09:00+08:00"
    assert page.paragraphs[0] == "코트라, 중국 2-3선 도시 진출 위한 포럼 개최, 중국 AI 움직임 활발"
    assert page.paragraphs[-1].startswith("상하이인공지능연맹은 ‘데이터권한,")
    assert page.paragraphs[-1].endswith("목표다.")
    assert len(page.paragraphs) == 18
    body = page.body
    for junk in ("기자", "기획기사 더보기", "Web editor", "최신뉴스", "고객센터", ">>", "사진 출처", "2021년04월26일"):
        assert junk not in body, junk
    assert "AI 공룡 바이두, 중국 최대 통신장비업체 화웨이와 AI 분야 협력 선언" in page.paragraphs  # subheads stay
    assert page.author == "은진호"


def test_qingdao_seed() -> None:
    page, outlet = parse_text(seed("qingdao-declaration-2019-12-01.txt"), path="qingdao-declaration-2019-12-01.txt",
                              outlets=OUTLETS)
    assert outlet is None
    assert page.title == "中 인공지능(AI) 유명 기업 '인공지능산업공동체 칭다오 선언' 발표"
    assert page.published is not None and page.published.isoformat() == "2019-12-01T15:26:00+09:00"
    assert page.updated is not None and page.updated.isoformat() == "2019-12-02T15:30:00+09:00"
    assert page.author == "디지털팀"
    assert page.paragraphs[0] == "2019 인공지능 산업공동체 칭다오 회의가 29일 국제회의장에서 열렸다."
    assert page.paragraphs[-1].endswith("24개 업체가 계약하고 56개 업체가 협력했다.")
    assert "내가 본 뉴스" not in page.body and "디지털팀" not in page.body and "입력" not in page.body
    assert "01 인공지능: 국가전략 칭다오 미래 활성화" in page.paragraphs


def test_without_known_outlets_the_default_zone_applies() -> None:
    page, outlet = parse_text(seed("people-kr-2019-07-05.txt"), path="x.txt", outlets={})
    assert outlet is None
    assert page.published is not None and page.published.isoformat() == "2019-07-05T15:09:00+09:00"
    assert page.title == "중국 인공지능 굴기, 미국과 빅2 체제 돌입…협력 나서는 기업들"


def test_other_outlet_shape() -> None:
    text = """홈 > 국제 > 중국
연합뉴스
中 화웨이, AI 칩 출하 두 배로…"수요 급증"
송고시간 2025-04-18 15:09
(베이징=연합뉴스) 김민준 특파원 = 중국 화웨이가 자체 AI 칩 출하량을 내년에 두 배로 늘린다.

화웨이는 17일 선전에서 열린 행사에서 이같이 밝혔다고 현지 매체들이 전했다.
[화웨이 제공. 재판매 및 DB 금지]
업계는 중국 AI 칩 자급률이 빠르게 높아질 것으로 본다.
kmj@yna.example
제보는 카카오톡 okjebo
<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>
관련 뉴스
中 AI 서버 시장 30% 성장
"""
    page, outlet = parse_text(text, path="import/yna-1.txt", outlets=OUTLETS)
    assert outlet == "연합뉴스"
    assert page.title == '中 화웨이, AI 칩 출하 두 배로…"수요 급증"'
    assert page.published is not None and page.published.isoformat() == "2025-04-18T15:09:00+09:00"
    assert page.author == "김민준"
    assert page.paragraphs == [
        "(베이징=연합뉴스) 김민준 특파원 = 중국 화웨이가 자체 AI 칩 출하량을 내년에 두 배로 늘린다.",
        "화웨이는 17일 선전에서 열린 행사에서 이같이 밝혔다고 현지 매체들이 전했다.",
        "업계는 중국 AI 칩 자급률이 빠르게 높아질 것으로 본다.",
    ]


def test_outlet_from_file_name_and_url_line() -> None:
    text = "신화망 기사 제목이 여기에 있다\n2025-09-05 15:01:22\n본문 첫 문장이 여기에 있다고 한다.\n원문: http://kr.news.example/a.html\n"
    page, outlet = parse_text(text, path="/data/xinhua/신화망-20250905.txt", outlets=OUTLETS)
    assert outlet == "신화망"
    assert page.published is not None and page.published.isoformat() == "2025-09-05T15:01:22+08:00"
    assert page.canonical_url == "http://kr.news.example/a.html"
    assert page.paragraphs == ["본문 첫 문장이 여기에 있다고 한다."]


def test_windows_line_endings_and_bom_free_text() -> None:
    text = seed("qingdao-declaration-2019-12-01.txt").replace("\n", "\r\n")
    page, _ = parse_text(text, path="q.txt", outlets={})
    assert page.title == "中 인공지능(AI) 유명 기업 '인공지능산업공동체 칭다오 선언' 발표"


def test_empty_text_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_text(" \n\n\t", path="empty.txt", outlets={})


def test_find_outlet_prefers_header_segments() -> None:
    assert find_outlet(["인민망|인민망 한국채널", "제목"], {"인민망 한국채널": "Asia/Shanghai"}) == "인민망 한국채널"
    assert find_outlet(["제목", "본문"], {}) is None


@pytest.mark.parametrize("line", [
    "[인민망 은진호 기자 [email\u00a0protected]]", "인민망 한국어판 기획기사 더보기", "(Web editor: 吴三叶)",
    "최신뉴스",
    "인민망 소개|인민망 한국어판 소개| 피플닷컴 코리아(주) 소개|웹사이트 성명|광고안내|기사제보|제휴안내|고객센터",
    "인민망 한국어판>>칼럼>>기획기사", "내가 본 뉴스 맨 위로", "내가 본 뉴스 닫기", "[사진 출처: CCTV.COM]",
    "홍길동 기자 hong@example.com", "<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>",
    "Copyright ⓒ AI타임스 All rights reserved.", "저작권자 © 전자신문 무단전재 및 재배포 금지", "(사진=연합뉴스)",
    "▲ 바이두 본사 전경 (사진=바이두)", "[연합뉴스 자료사진]", "[AP=연합뉴스]", "제보는 카카오톡 okjebo",
    "인쇄 | 스크랩 | 글자크기", "페이스북 트위터 카카오톡 URL복사", "홈 > 국제 > 중국", "hong@example.com",
    "입력 2019.12.01 15:26 | 수정 2019.12.02 15:30", "등록번호: 서울 아 00000 | 발행인: 홍길동 | 편집인: 홍길동",
    "#바이두 #화웨이", "/홍길동 기자", "김철수 베이징 특파원", "ⓒ 게티이미지뱅크", "(끝)", "*재판매 및 DB 금지",
    "[피닉스(미국) =김재호 MK스포츠 특파원]", "[강영국 스타투데이 기자]",
    "영상취재 : 이규호", "영상편집: 박정란", "촬영기자·그래픽: 김민수", "※ '당신의 제보가 뉴스가 됩니다'",
    "※ 이 기사는 딜사이트 플러스 유료 콘텐츠로 2026년 11월 19일 17시 05분 먼저 게재된 기사입니다.",
    "※ 공부용으로 스크랩한 기사입니다. 문제가 될 경우 댓글 남겨주시면 바로 삭제하겠습니다.",
    "[편집자주] 중국 첨단산업의 최전선에서 뛰는 한국인들을 만나 현장의 목소리를 듣습니다.", "편집자주",
])
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", [
    "코트라, 중국 2-3선 도시 진출 위한 포럼 개최, 중국 AI 움직임 활발",
    "01 인공지능: 국가전략 칭다오 미래 활성화", "02. AI시대의 칭다오: 기회와 도전이 공존한다",
    "저작권자들은 AI 학습에 자신의 작품이 쓰이는 데 반발했다.", "그는 기자회견에서 이렇게 말했다.",
    "(베이징=연합뉴스) 김철수 특파원 = 중국 최대 검색업체 바이두가 새 모델을 공개했다.",
    "바이두 수석 엔지니어 왕하이펑(王海峰) 씨는 대회 현장에서 말했다.",
    "인공지능(AI) 분야 관련 기사를 보면 알 수 있다.",
    "영상 편집 도구를 공개한 바이트댄스는 이 기사에서 밝힌 대로 가격을 낮췄다.",
    "편집자들은 이 기사를 먼저 게재하지 않기로 했다.", "※ 2025년은 잠정치, 단위는 억 위안",
])
def test_article_lines_are_not_boilerplate(line: str) -> None:
    assert not is_boilerplate(line)


def test_stop_lines() -> None:
    assert is_stop_line("관련기사") and is_stop_line("최신뉴스") and is_stop_line("무단전재 및 재배포 금지")
    assert not is_stop_line("ⓒ 게티이미지뱅크") and not is_stop_line("관련 업계는 반발했다.")


def test_a_pathological_line_is_fast() -> None:
    assert is_boilerplate("가" * 79 + "x") is False
    assert is_boilerplate("맨 위" * 26 + "x") is False


# --- the labelled dedupe set, parsed as `sinowatch import` parses it ------------------------------------------------

ROOT = Path(__file__).parents[1]
DEDUPE = Path(__file__).parent / "data" / "dedupe"


def feed_outlets() -> dict[str, str]:
    """Every configured outlet name and alias → its zone, as `pipeline.importing._outlet_zones` builds it."""
    zones: dict[str, str] = {}
    for source in load_sources(ROOT / "feeds"):
        for name in (source.display_name, source.name, *source.aliases):
            zones.setdefault(name, source.timezone)
    return zones


def test_dedupe_texts_parse_to_their_labels() -> None:
    """Title, published (instant and offset) and a real body for every text in tests/data/dedupe/."""
    manifest = tomllib.loads((DEDUPE / "cases.toml").read_text(encoding="utf-8"))
    docs = manifest["original"] + manifest["case"]
    listed = {(DEDUPE / d["file"]).resolve() for d in docs}
    on_disk = {p.resolve() for folder in ("originals", "cases") for p in (DEDUPE / folder).glob("*.txt")}
    assert on_disk <= listed, f"texts without labels: {sorted(p.name for p in on_disk - listed)}"
    outlets = feed_outlets()
    right = {"title": 0, "published": 0, "body": 0}
    failures: list[str] = []
    for doc in docs:
        path = DEDUPE / doc["file"]
        page, outlet = parse_text(path.read_text(encoding="utf-8-sig"), path=str(path), outlets=outlets)
        want = datetime.fromisoformat(doc["published"])
        got = page.published
        checks = {
            "title": (page.title == doc["title"], f"{page.title!r}, want {doc['title']!r}"),
            "published": (got is not None and got == want and got.utcoffset() == want.utcoffset(),
                          f"{got.isoformat() if got else None}, want {doc['published']} (outlet {outlet!r})"),
            "body": (len(page.body) >= 200, f"{len(page.body)} characters: {page.body[:60]!r}"),
        }
        for field, (ok, detail) in checks.items():
            right[field] += ok
            if not ok:
                failures.append(f"{doc['file']}: {field}: {detail}")
    for field, count in right.items():
        print(f"{field:10} {count}/{len(docs)} = {count / len(docs):.1%}")
    print("\n".join(failures))
    assert not failures, "\n".join(failures)


# --- the rules behind it, on small texts -------------------------------------------------------------------------

KR_OUTLETS = {**OUTLETS, "인민망 한국어판": "Asia/Shanghai", "CRI 한국어": "Asia/Shanghai", "중앙일보": "Asia/Seoul",
              "차이나랩": "Asia/Seoul", "신화망 한국어판": "Asia/Shanghai", "人民网": "Asia/Shanghai"}
PROSE = ("중국 정부가 인공지능 산업을 키우기 위한 새 정책을 내놓았다고 현지 매체들이 26일 전했다.\n"
         "업계는 이번 조치로 중국 기업들의 대형모델 개발 경쟁이 한층 치열해질 것으로 보고 있다.\n"
         "전문가들은 다만 반도체 수급과 데이터 규제가 여전히 변수로 남아 있다고 지적했다.\n")


@pytest.mark.parametrize("crumb", ["국제 > 차이나랩", "뉴스 > 중국뉴스", "신화망 한국어판 > 과학·기술", "홈 > 국제",
                                   "뉴스모아 > 국제", "오피니언 > 차이나인사이트"])
def test_a_two_part_breadcrumb_is_not_the_headline(crumb: str) -> None:
    text = f"{crumb}\n中 국무원, AI+ 행동 의견 발표…\"2027년 보급률 70%\"\n2025-08-27 10:15\n{PROSE}"
    page, _ = parse_text(text, path="x.txt", outlets=KR_OUTLETS)
    assert page.title == '中 국무원, AI+ 행동 의견 발표…"2027년 보급률 70%"'
    assert page.paragraphs[0].startswith("중국 정부가") and crumb not in page.body


@pytest.mark.parametrize("masthead", ["차이나비즈뉴스", "데일리차이나", "로보틱스타임즈", "테크뉴스 브리핑",
                                      "KOTRA 해외시장뉴스"])
def test_an_unknown_outlet_line_is_not_the_headline_and_credits_do_not_set_the_zone(masthead: str) -> None:
    text = (f"{masthead}\n[{masthead}=인민망 한국어판 제공]\n"
            "중국 인공지능 굴기, 미국과 빅2 체제 돌입…협력 나서는 기업들\n"
            f"2019-07-06 09:30:12\n{PROSE}[인민망 은진호 기자]\n/CRI 한국어\n자료: 상하이시, 인민망 종합\n"
            "※ 이 기사는 인민망 한국어판과의 콘텐츠 제휴에 따라 게재됐습니다.\n")
    page, outlet = parse_text(text, path="x.txt", outlets=KR_OUTLETS)
    assert page.title == "중국 인공지능 굴기, 미국과 빅2 체제 돌입…협력 나서는 기업들"
    assert outlet is None
    assert page.published is not None and page.published.isoformat() == "2019-07-06T09:30:12+09:00"


def test_without_a_masthead_the_copyright_line_names_the_site() -> None:
    head = "中 국무원 'AI+' 의견…스마트 단말 보급률 70%\n2025-08-27 16:45\n"
    text = f"{head}{PROSE}/CRI 한국어\nⓒ 동북아신문 무단전재 및 재배포금지\n"
    page, outlet = parse_text(text, path="x.txt", outlets=KR_OUTLETS)
    assert outlet is None
    assert page.published is not None and page.published.isoformat() == "2025-08-27T16:45:00+09:00"
    text = f"{head}{PROSE}<저작권자(c) CRI 한국어, 무단 전재 금지>\n"
    assert parse_text(text, path="x.txt", outlets=KR_OUTLETS)[1] == "CRI 한국어"


def test_the_outlet_a_date_line_names_gives_the_zone() -> None:
    """An aggregator's "인민망 한국어판 | 2019.07.05 16:09", a Chinese site's "来源：人民网韩文版": whose date it is."""
    text = f"뉴스모아 > IT·과학\n중국 AI 굴기, 미국과 빅2 체제\n인민망 한국어판 | 2019.07.05 16:09\n{PROSE}"
    page, outlet = parse_text(text, path="x.txt", outlets=KR_OUTLETS)
    assert outlet == "인민망 한국어판" and page.title == "중국 AI 굴기, 미국과 빅2 체제"
    assert page.published is not None and page.published.isoformat() == "2019-07-05T16:09:00+08:00"
    text = "중화망 한국어판 | 首页 | 科技\n중국 AI 굴기, 미국과 빅2 체제\n"
    text += "2019-07-05 17:32   来源：人民网韩文版\n" + PROSE
    page, outlet = parse_text(text, path="x.txt", outlets=KR_OUTLETS)
    assert outlet == "人民网"
    assert page.published is not None and page.published.isoformat() == "2019-07-05T17:32:00+08:00"


def test_a_section_label_on_the_first_line_is_no_masthead() -> None:
    text = f"과학·기술\n커다쉰페이, 새 추론 모델 발표…\"국산 연산력\"\n2025-01-15 21:08:12\n{PROSE}"
    text += "신화망 한국어판>>과학기술\n"
    page, outlet = parse_text(text, path="x.txt", outlets=KR_OUTLETS)
    assert outlet == "신화망 한국어판" and page.title == '커다쉰페이, 새 추론 모델 발표…"국산 연산력"'
    assert page.published is not None and page.published.isoformat() == "2025-01-15T21:08:12+08:00"


def test_a_long_headline_ending_in_da_is_no_body_text() -> None:
    """Before, "…접었다" (≥ 40 characters) counted as prose, so the "댓글 0" below it ended the article."""
    text = ("AI타임스\n바이두, '어니 4.5' 시리즈 10종 오픈소스 공개…폐쇄형 전략을 완전히 접었다\n"
            f"최대 4240억 매개변수 MoE…아파치 2.0 라이선스\n정하늘 기자\n입력 2025.06.30 17:55\n댓글 0\n{PROSE}"
            "정하늘 기자 sky@aitimes.com\n저작권자 © AI타임스 무단전재 및 재배포 금지\n"
            "관련기사\n다른 기사의 제목이 여기에 있다\n")
    page, _ = parse_text(text, path="x.txt", outlets={"AI타임스": "Asia/Seoul"})
    assert page.title == "바이두, '어니 4.5' 시리즈 10종 오픈소스 공개…폐쇄형 전략을 완전히 접었다"
    assert page.paragraphs[0] == "최대 4240억 매개변수 MoE…아파치 2.0 라이선스"
    assert page.paragraphs[-1].startswith("전문가들은") and len(page.paragraphs) == 4


@pytest.mark.parametrize(("raw", "folded"), [
    ("바이두가 발표했다.", "바이두가 발표했다."),  # folded already: returned as it is
    ("  바이두가\n\t발표했다. ", "바이두가 발표했다."),
    ("바이두가  발표했다.", "바이두가 발표했다."),
    ("바이두가\u00a0발표\u3000했다.", "바이두가 발표 했다."),
    ("바이두\u200b가\ufeff 발표\u2060했다", "바이두 가 발표 했다"),  # zero-width characters are spaces here
    ("a\x1cb\x85c\u2029d\u202fe\u205ff\u1680g\u2009h", "a b c d e f g h"),  # every space str.split knows
    (" ", ""), ("", ""),
])
def test_squash_folds_every_kind_of_space(raw: str, folded: str) -> None:
    assert squash(raw) == folded
