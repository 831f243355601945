"""Stored article texts: the two real seeds, and texts shaped like them from other outlets."""

from __future__ import annotations

from pathlib import Path

import pytest

from sinowatch.errors import ParseError
from sinowatch.parse.textfile import find_outlet, parse_text
from sinowatch.text.boilerplate import is_boilerplate, is_stop_line

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
])
def test_article_lines_are_not_boilerplate(line: str) -> None:
    assert not is_boilerplate(line)


def test_stop_lines() -> None:
    assert is_stop_line("관련기사") and is_stop_line("최신뉴스") and is_stop_line("무단전재 및 재배포 금지")
    assert not is_stop_line("ⓒ 게티이미지뱅크") and not is_stop_line("관련 업계는 반발했다.")


def test_a_pathological_line_is_fast() -> None:
    assert is_boilerplate("가" * 79 + "x") is False
    assert is_boilerplate("맨 위" * 26 + "x") is False
