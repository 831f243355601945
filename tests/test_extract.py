"""Golden pages for article extraction, plus an evaluation gate: mean body token F1 must stay at 0.95 or above."""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sinowatch.fetch.decode import decode_html
from sinowatch.models import ArticleRules, Extracted
from sinowatch.parse.article import extract
from sinowatch.parse.headline import strip_site_suffix

CASES_DIR = Path(__file__).parent / "data" / "extract"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "page.html").is_file())
F1_GATE = 0.95


@dataclass(frozen=True)
class Case:
    """One golden page: its bytes, how it was served, and what extraction must find."""

    name: str
    body: bytes
    headers: dict[str, Any]
    expected: dict[str, Any]

    @classmethod
    def load(cls, name: str) -> Case:
        folder = CASES_DIR / name
        headers_file = folder / "headers.toml"
        headers = tomllib.loads(headers_file.read_text("utf-8")) if headers_file.is_file() else {}
        expected = tomllib.loads((folder / "expected.toml").read_text("utf-8"))
        return cls(name, (folder / "page.html").read_bytes(), headers, expected)

    def run(self) -> Extracted:
        text, encoding = decode_html(self.body, self.headers.get("content_type"))
        url = self.headers.get("url", f"https://example.com/{self.name}")
        return extract(text, url, timezone=self.headers.get("timezone", "Asia/Seoul"), encoding=encoding)


def token_f1(expected: str, found: str) -> float:
    """F1 of whitespace-split tokens, counted as multisets."""
    want, got = Counter(expected.split()), Counter(found.split())
    if not want and not got:
        return 1.0
    common = sum((want & got).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[Case, Extracted]]:
    return {name: (case, case.run()) for name, case in ((n, Case.load(n)) for n in CASES)}


def test_there_are_enough_golden_pages() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("name", CASES)
def test_metadata(name: str, results: dict[str, tuple[Case, Extracted]]) -> None:
    case, page = results[name]
    want = case.expected
    assert page.title == want["title"]
    assert (page.published.isoformat() if page.published else None) == want.get("published")
    if "updated" in want:
        assert (page.updated.isoformat() if page.updated else None) == want["updated"]
    for key in ("author", "canonical_url", "image", "site_name", "language", "encoding"):
        if key in want:
            assert getattr(page, key) == want[key], key


@pytest.mark.parametrize("name", CASES)
def test_body(name: str, results: dict[str, tuple[Case, Extracted]]) -> None:
    case, page = results[name]
    for junk in case.expected.get("absent", []):
        assert junk not in page.body, f"{junk!r} leaked into the body"
    assert token_f1("\n".join(case.expected["paragraphs"]), page.body) >= 0.8


def test_mean_body_f1_gate(results: dict[str, tuple[Case, Extracted]], capsys: pytest.CaptureFixture[str]) -> None:
    scores = {name: token_f1("\n".join(case.expected["paragraphs"]), page.body)
              for name, (case, page) in results.items()}
    mean = sum(scores.values()) / len(scores)
    with capsys.disabled():
        print()
        for name, score in scores.items():
            print(f"  body F1 {score:.3f}  {name}")
        print(f"  body F1 mean {mean:.3f} over {len(scores)} pages (gate {F1_GATE})")
    assert mean >= F1_GATE


# --- behaviour beyond the golden pages ------------------------------------------------------------------------


@pytest.mark.parametrize("html", [
    "", "   ", "\x00\x01\x02garbage<<<>>>", "<html><body></body></html>", "<p>짧다</p>", "<<<script>>>",
    "<html><head><script type='application/ld+json'>{\"@type\": [[[[</script></head></html>",
    "<div>" * 20000 + "깊은 곳의 글" + "</div>" * 20000,
    "<table>" + "<tr><td>칸</td></tr>" * 5000 + "</table>",
])
def test_hostile_pages_do_not_raise(html: str) -> None:
    page = extract(html, "https://example.com/x")
    assert page.url == "https://example.com/x"
    assert isinstance(page.paragraphs, list)


def test_empty_page_gives_empty_result_with_encoding_passed_through() -> None:
    page = extract("", "https://example.com/x", encoding="cp949")
    assert page.paragraphs == [] and page.title is None and page.encoding == "cp949"


def test_source_rules_win() -> None:
    longer = "이쪽이 더 길다. " * 6
    html = f"""<html><head><meta property="og:title" content="메타 제목"></head><body>
      <div class="x-head">규칙이 고른 제목</div><span class="x-when">2024.05.06 07:08</span>
      <div class="x-body"><p>규칙이 고른 본문 첫 문장이다. 충분히 긴 문장으로 만든다.</p>
        <div class="junk">빼야 할 상자 안의 긴 문장이다.</div></div>
      <div class="other"><p>{longer}</p></div>
      <span class="x-who">규칙 기자</span></body></html>"""
    rules = ArticleRules(title=".x-head", body=".x-body", date=".x-when", author=".x-who", remove=(".junk",))
    page = extract(html, "https://example.com/a", rules=rules)
    assert page.title == "규칙이 고른 제목"
    assert page.paragraphs == ["규칙이 고른 본문 첫 문장이다. 충분히 긴 문장으로 만든다."]
    assert page.published is not None and page.published.isoformat() == "2024-05-06T07:08:00+09:00"
    assert page.author == "규칙"


def test_canonical_resolves_against_base_href() -> None:
    html = ('<html><head><base href="https://cdn.example.com/kr/">'
            '<link rel="canonical" href="news/1.html"></head></html>')
    assert extract(html, "https://example.com/a").canonical_url == "https://cdn.example.com/kr/news/1.html"


def test_non_article_page_keeps_link_lists_out_of_the_body() -> None:
    items = "".join(f'<li><a href="/n/{i}">중국 AI 기업 소식 {i}번째 제목입니다</a></li>' for i in range(40))
    page = extract(f"<html><head><title>뉴스 목록 - 어느신문</title></head><body><ul>{items}</ul></body></html>",
                   "https://example.com/list")
    assert page.paragraphs == []
    assert page.title == "뉴스 목록"


@pytest.mark.parametrize(("title", "sites", "aggressive", "expected"), [
    ("바이두, 새 모델 공개 | 연합뉴스", [], False, "바이두, 새 모델 공개"),
    ("바이두, 새 모델 공개 - 에이아이뉴스", ["에이아이뉴스"], False, "바이두, 새 모델 공개"),
    ("바이두 - 화웨이 협력", [], False, "바이두 - 화웨이 협력"),
    ("제목입니다 < 산업 < 기사본문 - AI타임스", [], True, "제목입니다"),
    ("화웨이 칩 생산 확대--인민망 한국어판--人民网", [], True, "화웨이 칩 생산 확대"),
    (":::대구경북일보:::", [], True, "대구경북일보"),
    ("== 제목입니다 | 어느일보 ==", [], False, "제목입니다"),
])
def test_strip_site_suffix(title: str, sites: list[str], aggressive: bool, expected: str) -> None:
    assert strip_site_suffix(title, sites, aggressive) == expected


def test_a_title_that_only_names_the_outlet_is_no_headline() -> None:
    """og:title and <title> both say "어느일보" (og:site_name too): the headline is the big line above the date."""
    html = """<html><head><title>어느일보</title><meta property="og:title" content="어느일보">
      <meta property="og:site_name" content="어느일보"></head><body><table>
      <tr><td><font size="2">홈 &gt; 국제</font></td></tr>
      <tr><td><font size="5"><b>중국 전기차 업체, 한국에 첫 연구소</b></font></td></tr>
      <tr><td><font size="2">중국 업체의 한국 진출이 이어진다</font></td></tr>
      <tr><td>홍길동 기자 | 2024-05-06</td></tr>
      <tr><td>중국의 한 전기차 업체가 서울에 첫 해외 연구소를 열었다고 6일 밝혔다. 연구소에는 국내 연구 인력 50여 명이
        일하게 되며, 배터리와 자율주행 소프트웨어를 주로 개발한다.</td></tr></table></body></html>"""
    page = extract(html, "https://www.eoneu.example/news/1")
    assert page.title == "중국 전기차 업체, 한국에 첫 연구소"
    assert page.published is not None and page.published.isoformat() == "2024-05-06T00:00:00+09:00"


def test_date_rows_under_the_body_are_not_reader_comments() -> None:
    """Two date rows after the body ("입력 …", "수정 …") stay date sources; the comment rows below them do not."""
    html = """<html><body><h1>중국 AI 기업, 한국 연구소 개설</h1><div>
      <p>중국의 한 인공지능 기업이 서울에 연구소를 열었다고 6일 밝혔다. 연구소에는 50여 명이 일하게 된다.</p>
      <p>회사 관계자는 한국 시장이 중요하다고 말했다.</p></div>
      <div><div>입력 2024-05-06 10:00</div><div>수정 2024-05-06 11:30</div></div>
      <table><tr><td><b>독자1</b></td><td>좋은 소식이네요 기대됩니다 2024-05-07 09:00</td></tr>
        <tr><td><b>독자2</b></td><td>연구소가 어디에 있나요 2024-05-07 10:00</td></tr></table></body></html>"""
    page = extract(html, "https://www.eoneu.example/news/2")
    assert page.published is not None and page.published.isoformat() == "2024-05-06T10:00:00+09:00"
    assert page.updated is not None and page.updated.isoformat() == "2024-05-06T11:30:00+09:00"


def test_a_date_line_with_a_two_digit_year() -> None:
    """"입력 24.05.06 10:00" under the headline (a two-digit year, as some outlets' templates print it)."""
    html = """<html><body><div class="art_top"><h2>바이두, 새 언어모델 공개</h2>
      <ul class="art_info"><li>김하늘 기자</li><li>입력 24.05.06 10:00</li><li>수정 24.05.06 14:20</li></ul></div>
      <div class="art_txt"><p>중국 바이두가 6일 새 언어모델을 공개했다. 회사는 이 모델이 한국어도 잘 이해한다고 밝혔다.</p>
      <p>바이두는 올해 안에 기업용 서비스를 내놓을 계획이다.</p></div></body></html>"""
    page = extract(html, "https://www.eoneu.example/news/3")
    assert page.published is not None and page.published.isoformat() == "2024-05-06T10:00:00+09:00"
    assert page.updated is not None and page.updated.isoformat() == "2024-05-06T14:20:00+09:00"


_PARAS = ("<p>중국 바이두가 6일 새 언어모델을 공개했다. 회사는 이 모델이 한국어도 잘 이해한다고 밝혔다.</p>"
          "<p>바이두는 올해 안에 기업용 서비스를 내놓을 계획이다. 업계는 가격 경쟁이 붙을 것으로 본다.</p>")


def test_a_midnight_meta_time_is_a_day_the_page_gives_the_time_of() -> None:
    """article:published_time "…T00:00:00+09:00" from a CMS that keeps days only; the page shows "등록 오후 2:33"."""
    html = f"""<html><head><meta property="article:published_time" content="2025-11-19T00:00:00+09:00"></head>
      <body><h1>바이두, 새 언어모델 공개</h1><ul class="info"><li>등록 2025-11-19 오후 2:33:10</li></ul>
      <div class="art_txt">{_PARAS}</div></body></html>"""
    page = extract(html, "https://www.eoneu.example/news/4")
    assert page.published is not None and page.published.isoformat() == "2025-11-19T14:33:10+09:00"
    alone = extract(html.replace("등록 2025-11-19 오후 2:33:10", ""), "https://www.eoneu.example/news/4")
    assert alone.published is not None and alone.published.isoformat() == "2025-11-19T00:00:00+09:00"


def test_a_meta_time_that_is_the_pages_edit_time_gives_way_to_its_first_publication() -> None:
    html = f"""<html><head><meta property="article:published_time" content="2025-08-27T13:04:51+09:00"></head>
      <body><h1>바이두, 새 언어모델 공개</h1><p class="user_data">최종수정 2025.08.27 13:04</p>
      <p class="user_data">기사원문 입력2025.08.27 11:20</p><div class="art_txt">{_PARAS}</div></body></html>"""
    page = extract(html, "https://www.eoneu.example/news/5")
    assert page.published is not None and page.published.isoformat() == "2025-08-27T11:20:00+09:00"
    # a page whose "수정" time is not the meta's: the meta stands
    other = extract(html.replace("최종수정 2025.08.27 13:04", "최종수정 2025.08.27 15:00"), "https://www.eoneu.example/5")
    assert other.published is not None and other.published.isoformat() == "2025-08-27T13:04:51+09:00"


def test_a_labelled_date_under_the_headline_counts_inside_a_furniture_named_box() -> None:
    """"title_foot" reads as furniture (foot); a breaking-news ticker above the headline shows another date."""
    html = f"""<html><body><div class="breaking_news"><a href="/n/1">속보 제목</a><span class="date">2025-01-21 09:14</span>
      </div><div class="article_title"><h1 class="title">바이두, 새 언어모델 공개</h1><div class="title_foot">
      <span class="date01">입력 2025-01-23 03:00</span><span class="date01">업데이트 2025-01-23 05:00</span></div></div>
      <div class="article_txt">{_PARAS}</div></body></html>"""
    page = extract(html, "https://www.eoneu.example/news/6")
    assert page.published is not None and page.published.isoformat() == "2025-01-23T03:00:00+09:00"
    assert page.updated is not None and page.updated.isoformat() == "2025-01-23T05:00:00+09:00"


@pytest.mark.parametrize(("og_title", "heading", "expected"), [
    ("바이두 새 모델 공개", "바이두 새 모델 공개…'AI칩 국산화' 최대 수혜", "바이두 새 모델 공개…'AI칩 국산화' 최대 수혜"),
    ("중국 AI 굴기…바이두·화웨이...", "중국 AI 굴기…바이두·화웨이 반도체 자립 가속", "중국 AI 굴기…바이두·화웨이 반도체 자립 가속"),
    ("바이두 새 모델 공개", "바이두 새 모델 공개하며 밝힌 계획", "바이두 새 모델 공개"),  # goes on, but not after a cut
    ("AI...", "AI 반도체 전쟁의 승자는 누구인가", "AI..."),  # too short a start to say
])
def test_og_title_cut_short_gives_way_to_the_heading(og_title: str, heading: str, expected: str) -> None:
    html = f"""<html><head><meta property="og:title" content="{og_title}"></head><body>
      <h1 class="subject">{heading}</h1><div class="art_txt">{_PARAS}</div></body></html>"""
    assert extract(html, "https://www.eoneu.example/news/7").title == expected


def test_an_author_value_that_names_the_outlet_gives_way_to_the_reporter() -> None:
    html = f"""<html><head><meta name="twitter:creator" content="조선비즈"></head><body>
      <h1>바이두, 새 언어모델 공개</h1><div class="art_txt">{_PARAS}</div>
      <div class="byline"><p><span class="byline_s">이윤정 기자(yjlee@chosunbiz.example)</span></p></div></body></html>"""
    assert extract(html, "https://n.news.example/article/366/1").author == "이윤정"
    english = html.replace('"조선비즈"', '"Kim Minji"').replace("이윤정 기자(yjlee@chosunbiz.example)", "")
    assert extract(english, "https://n.news.example/article/366/1").author == "Kim Minji"


def test_reader_comments_are_never_the_body_however_long() -> None:
    comments = "".join(f"<li><span class='nick'>독자{i}</span><p class='desc_txt'>가격은 확실히 싸더라. 시승해보니 생각보다 "
                       f"마감도 괜찮았음. 문제는 AS 센터가 너무 적다는 거. {i}</p></li>" for i in range(30))
    html = f"""<html><head><title>BYD, 한국 진출 2년 만에 3만대 | 다음뉴스</title></head><body>
      <h1 class="doc-title"><a href="https://www.portal.example/"><span>Portal</span></a>
      <a href="https://news.portal.example/">뉴스</a></h1>
      <div class="box_cp"><strong class="tit_cp">연합뉴스 주요 뉴스</strong><ul><li><a href="/v/1">다른 기사</a></li></ul></div>
      <div class="article_view"><section>{_PARAS}</section></div>
      <div class="cmt_box"><ul class="list_comment">{comments}</ul></div></body></html>"""
    page = extract(html, "https://v.portal.example/v/20261119143200001")
    assert page.paragraphs[0].startswith("중국 바이두가") and "시승해보니" not in page.body
    # the logo's heading and the title-classed box heading give way to the <title>
    assert page.title == "BYD, 한국 진출 2년 만에 3만대"


def test_paragraphs_each_in_wrappers_are_read_together() -> None:
    """Each paragraph in div.p-wrap > div.p-inner > div.p: the element around the wrappers is the body."""
    lines = [f"{n}번째 문단이다. 중국 국가통계국이 발표한 자료에 따르면 산업용 로봇 생산량이 늘었다고 회사는 밝혔다." for n in range(7)]
    wrapped = "".join(f'<div class="p-wrap"><div class="p-inner"><div class="p"><span>{t[:20]}</span>'
                      f'<span>{t[20:]}</span></div></div></div>' for t in lines)
    html = f"""<html><body><h1>로봇 생산량 증가</h1><article class="main"><div class="detail">{wrapped}</div></article>
      <div class="aside-list"><div>{"다른 기사 제목이 여기에 길게 이어진다. " * 3}</div></div></body></html>"""
    assert extract(html, "https://kr.wire.example/20261117/c.html").paragraphs == lines


def test_summary_boxes_and_editors_notes_are_not_body() -> None:
    html = f"""<html><body><h1>바이두, 새 언어모델 공개</h1><div id="article-view-content-div">
      <div class="editor-note"><p>편집자주</p><p>중국 첨단산업의 최전선에서 뛰는 한국인들을 만나 현장의 목소리를 듣습니다.
      베이징 특파원이 격주 금요일 전합니다.</p></div>
      <div class="summary-box"><p><strong>3줄 요약</strong></p><ul><li>바이두가 새 언어모델을 공개하고 기업용 서비스를 내놓는다고 밝혔다.</li>
      <li>가격은 경쟁 서비스의 절반 이하로 책정해 국내 업계도 테스트에 나섰다.</li></ul></div>
      {_PARAS}</div></body></html>"""
    body = extract(html, "https://www.eoneu.example/news/8").body
    assert "격주 금요일" not in body and "3줄 요약" not in body and "절반 이하" not in body
    assert body.startswith("중국 바이두가")


def test_a_data_table_reads_a_row_to_a_line() -> None:
    html = f"""<html><body><h1>빅테크 설비투자</h1><div class="article_body">{_PARAS}
      <table><tr><th>기업</th><th>투자</th><th>증감</th></tr><tr><td>알리바바</td><td>386억 위안</td><td>+82%</td></tr>
      </table><p>투자의 상당 부분은 AI 학습과 추론용 서버, 데이터센터 건설에 쓰이고 있다고 업계는 전했다.</p></div></body></html>"""
    paragraphs = extract(html, "https://www.eoneu.example/news/9").paragraphs
    assert paragraphs[2:4] == ["기업 투자 증감", "알리바바 386억 위안 +82%"]


def test_an_organization_is_no_author_and_disagreeing_dates_are_settled_by_the_page() -> None:
    ld = ('{"@type": "NewsArticle", "headline": "바이두 새 모델", "datePublished": "2026-11-20T00:05:00+09:00", '
          '"author": {"@type": "Organization", "name": "딜사이트"}}')
    html = f"""<html><head><script type="application/ld+json">{ld}</script>
      <meta property="article:published_time" content="2026-11-20T09:05:00+09:00"></head><body>
      <h1>바이두 새 모델</h1><div class="info"><span class="date">2026.11.20. 오전 9:05</span></div>
      <div class="article_txt">{_PARAS}<p>권태윤 기자</p></div></body></html>"""
    page = extract(html, "https://www.eoneu.example/news/10")
    assert page.author == "권태윤"
    assert page.published is not None and page.published.isoformat() == "2026-11-20T09:05:00+09:00"


def test_arc_pages_keep_their_time_and_full_headline_elsewhere() -> None:
    """JSON-LD's headline cut short (og:title goes on); the only time is the Fusion story's first_publish_date."""
    story = '{"first_publish_date": "2026-11-20T00:05:03.117Z", "headlines": {"basic": "x"}, "content_elements": []}'
    ld = '{"@type": "NewsArticle", "headline": "딥시크 R3 공개에 빅테크 긴장"}'
    html = f"""<html><head><script type="application/ld+json">{ld}</script><meta property="og:title" content="딥시크 R3 공개에 빅테크 긴장… &quot;추론 비용 10분의 1&quot;">
      </head><body><h1 class="article-header__headline">딥시크 R3 공개에 빅테크 긴장… "추론 비용 10분의 1"</h1>
      <section class="article-body">{_PARAS}</section><script>Fusion.globalContent={story};</script></body></html>"""
    page = extract(html, "https://www.daily.example/economy/2026/11/20/R000/")
    assert page.title == '딥시크 R3 공개에 빅테크 긴장… "추론 비용 10분의 1"'
    assert page.published is not None and page.published.isoformat() == "2026-11-20T00:05:03+00:00"


def test_text_nodes_are_known_by_their_tag_id() -> None:
    """parse/dom.py tells text nodes by lexbor's tag id (cheaper than the tag name): the id must mean text."""
    from selectolax.lexbor import LexborHTMLParser

    from sinowatch.parse.dom import _TEXT_ID, TEXT, Dom

    tree = LexborHTMLParser("<body><!-- note --><p>본문 <b>굵게</b></p> 끝</body>")
    ids = {node.tag: node.tag_id for node in tree.body.traverse(include_text=True)}
    assert ids[TEXT] == _TEXT_ID and list(ids.values()).count(_TEXT_ID) == 1
    dom = Dom(tree)
    assert [t for t, tag in zip(dom.texts, dom.tags, strict=True) if tag == TEXT] == ["본문 ", "굵게", " 끝"]


def test_metadata_reads_the_head_elements_it_should() -> None:
    """<base href>, the canonical link among other links, the head's title (not an icon's), typed JSON-LD among
    scripts, meta and <time> dates."""
    from selectolax.lexbor import LexborHTMLParser

    from sinowatch.parse.metadata import read_metadata

    page = """<html lang="ko"><head><title>제목 | 신문</title><base href="https://m.example.com/news/">
    <link rel="stylesheet" href="/s.css"><link rel="canonical" href="view/1?x=1">
    <meta itemprop="datePublished" content="2024-05-06T10:00:00+09:00">
    <script>var a = 1;</script><script type="application/ld+json">{"@type": "NewsArticle", "headline": "JSON 제목",
    "dateModified": "2024-05-07T09:00:00+09:00"}</script></head>
    <body><svg><title>아이콘</title></svg><time itemprop="dateModified" datetime="2024-05-08T08:00:00+09:00">어제</time>
    <img src="a.jpg"></body></html>"""
    meta = read_metadata(LexborHTMLParser(page), "https://www.example.com/a")
    assert meta.base == "https://m.example.com/news/"
    assert meta.canonical_url == "https://m.example.com/news/view/1?x=1"
    assert meta.title_tag == "제목 | 신문"  # the head's title, not the icon's
    assert meta.headline == "JSON 제목" and meta.language == "ko"
    assert meta.published == ["2024-05-06T10:00:00+09:00"]
    assert meta.updated == ["2024-05-07T09:00:00+09:00", "2024-05-08T08:00:00+09:00"]


def test_the_first_base_and_title_count_even_when_empty() -> None:
    """One query reads the document's head (metadata._Head); what counts is still the first of each, as browsers
    take it: an empty <base href> means the page's own URL, an empty first <title> means no title."""
    from selectolax.lexbor import LexborHTMLParser

    from sinowatch.parse.metadata import read_metadata

    tree = LexborHTMLParser("<html><head><base href><base href='/b/'><title></title><title>둘째</title>"
                            "<link rel='stylesheet' href='/s.css'><link rel='Canonical' href='/c?id=1'></head></html>")
    meta = read_metadata(tree, "https://www.example.com/news/1")
    assert meta.base == "https://www.example.com/news/1" and meta.title_tag is None
    assert meta.canonical_url == "https://www.example.com/c?id=1"


@pytest.mark.parametrize(("line", "name"), [
    ("홍길동 기자 hong@example.com", "홍길동"), ("[인민망 은진호 기자]", "은진호"), ("홍길동·김철수 기자", "홍길동·김철수"),
    ("(베이징=연합뉴스) 김민준 특파원 = 중국 최대 검색업체", "김민준"), ("한경닷컴 이보배 기자", "이보배"),
    # the name, then the outlet: the outlet is no name, nor is a word that runs on from Latin letters
    ("김재호 MK스포츠 기자(greatnemo@example.com)  2023. 11. 1. 05:48", "김재호"),
    ("이보배 한경닷컴 객원기자 newsinfo@example.com", "이보배"), ("[강영국 스타투데이 기자]", "강영국"),
    ("김재호 조선 기자", "김재호"), ("[인민망 은진호 기자]", "은진호"), ("정치부 한경희 기자", "한경희"),
    ("조선영 기자", "조선영"),  # an outlet's short name inside a person's is still a person's
    ("MK스포츠 기자", None), ("그는 기자회견에서 말했다", None),
])
def test_reporter_names(line: str, name: str | None) -> None:
    from sinowatch.parse.byline import reporter_name

    assert reporter_name(line) == name
