"""A deterministic loopback news site for the pipeline bench (bench/pipeline.py) and its correctness twin
(tests/test_pipeline_twin.py).

    site = generate(outlets=200, articles=50, seed=1)       # cached under $TMPDIR, keyed by every input
    with serve(site) as running:                             # a separate process, one port per address
        write_config(site, running, workdir)                 # sinowatch.toml + feeds/*.toml

What it builds, from one seed:

- `outlets` Korean outlets, each with its own chrome (five layouts modelled on the bundled demo outlets:
  an NDSOFT CMS, a wire service, a Chinese state-media Korean edition, a newspaper CMS and a legacy table
  layout), its own canonical domain (https://www.<slug>-….example/…) and an RSS 2.0 feed (every fifth
  outlet Atom) listing all its `articles` articles, newest first.
- article pages of 30-150 KB: head metadata (og:, JSON-LD, rel=canonical), a big inline <style>, analytics
  and ad scripts, an inline JSON state blob, navigation, breadcrumbs, share buttons, the body (5-15
  paragraphs of Korean news prose naming China-AI entities of the shipped gazetteer — companies, models,
  chips, people, places, ministries — with Hanja glosses now and then, a photo caption, a byline and a
  copyright line), related and most-read lists, section headline boxes, a comment thread and a footer.
  About 80 % of the originals are China + AI; the rest are China without AI or Korean domestic news, so
  relevance has something to reject.
- a controlled share (`copies`, default 10 %) of syndicated copies: another outlet's original in the
  copier's chrome and under the copier's canonical URL, a quarter verbatim and three quarters with one
  sentence dropped. `Site.groups()` is the ground truth: original canonical -> its copies.
- every tenth outlet EUC-KR: the page (and its feed) are CP949 bytes, declared in a meta tag (and the XML
  declaration); Hanja CP949 lacks become numeric character references, as such sites emit them. Half of
  those send `Content-Type: text/html` with no charset.
- outlets spread over the loopback addresses 127.0.0.2 ... 127.0.0.9, several outlets per address.

`serve()` starts `python bench/sitegen.py serve DIR`: one ThreadingHTTPServer per address (one port
each), keep-alive, gzip when the client accepts it, ETag + Last-Modified on every answer and
If-None-Match / If-Modified-Since -> 304, a permissive robots.txt. The pages are generated once into
the cache directory (gzipped, one file per page); generation is never part of a measurement.
"""

from __future__ import annotations

import ast
import bisect
import gzip
import hashlib
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

GEN_VERSION = 3
HOSTS = tuple(f"127.0.0.{i}" for i in range(2, 10))
KST = timezone(timedelta(hours=9))
ANCHOR = datetime(2025, 3, 20, 18, 0, tzinfo=KST)  # the newest article; a fixed date keeps output stable
STYLES = ("ndsoft", "wire", "statemedia", "newspaper", "legacy")
MIN_BYTES, MAX_BYTES = 30_000, 150_000


# -- the model -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outlet:
    slug: str  # also the source name and the first path segment: "o017"
    name: str  # display name, e.g. "한빛일보"
    domain: str  # canonical domain
    host: str  # loopback address it is served on
    style: str  # chrome layout, one of STYLES
    encoding: str  # "utf-8" or "cp949"
    feed: str  # "rss" or "atom"
    feed_path: str
    charset_header: bool  # whether the Content-Type header names the charset


@dataclass(frozen=True)
class Page:
    outlet: str
    index: int
    path: str  # served path, query included
    canonical: str
    title: str
    published: str  # ISO 8601, +09:00
    topic: str  # "china_ai" | "china" | "korea"
    copy_of: str | None = None  # canonical of the original this page syndicates
    copy_kind: str | None = None  # "exact" | "dropped"
    first: str = ""  # the body's first and last sentences, to check nothing of it was lost
    last: str = ""
    size: int = 0  # uncompressed bytes
    etag: str = ""
    file: str = ""  # gzip file, relative to the site root


@dataclass
class Site:
    root: Path
    seed: int
    outlets: list[Outlet]
    pages: list[Page]
    feeds: dict[str, str] = field(default_factory=dict)  # slug -> feed file (with {{BASE}}), relative

    def __post_init__(self) -> None:
        self._by_slug = {o.slug: o for o in self.outlets}

    def outlet(self, slug: str) -> Outlet:
        return self._by_slug[slug]

    def pages_of(self, slug: str) -> list[Page]:
        return [p for p in self.pages if p.outlet == slug]

    def groups(self) -> dict[str, list[str]]:
        """Ground truth: each copied original's canonical -> the canonicals of its copies."""
        out: dict[str, list[str]] = {}
        for p in self.pages:
            if p.copy_of:
                out.setdefault(p.copy_of, []).append(p.canonical)
        return out

    @property
    def copies(self) -> list[Page]:
        return [p for p in self.pages if p.copy_of]


# -- Korean text ------------------------------------------------------------------------------------------

def _has_batchim(word: str) -> bool:
    """Whether the word's last sound ends in a consonant (picks 이/가, 은/는, 을/를 …)."""
    tail = word.rstrip("'\"’”)]》」 ")
    if not tail:
        return False
    c = tail[-1]
    if "가" <= c <= "힣":
        return (ord(c) - 0xAC00) % 28 != 0
    if c.isdigit():
        return c in "013678"
    if c.isalpha() and c.isascii():
        return c.lower() in "lmnr"
    return False


def _rieul(word: str) -> bool:
    tail = word.rstrip("'\"’”)]》」 ")
    return bool(tail) and "가" <= tail[-1] <= "힣" and (ord(tail[-1]) - 0xAC00) % 28 == 8


JOSA = {"이": ("이", "가"), "은": ("은", "는"), "을": ("을", "를"), "과": ("과", "와"), "이라고": ("이라고", "라고"),
        "이다": ("이다", "다"), "으로": ("으로", "로"),
        "도": ("도", "도"), "의": ("의", "의")}


def josa(word: str, kind: str) -> str:
    with_, without = JOSA[kind]
    if kind == "으로" and _rieul(word):
        return word + "로"
    return word + (with_ if _has_batchim(word) else without)


SLOT = re.compile(r"\{(\w+)(?::(\w+))?\}")
ALT = re.compile(r"\(([^()]*\|[^()]*)\)")


def fill(template: str, slots: dict[str, str], rng: random.Random) -> str:
    """Expand (a|b|c) alternatives, then {slot} and {slot:josa}; numbers are drawn fresh per use."""
    text = _alternatives(template, rng)

    def one(m: re.Match[str]) -> str:
        name, kind = m.group(1), m.group(2)
        value = _number(name, rng) if name in NUMBERS else slots[name]
        return josa(value, kind) if kind else value
    return SLOT.sub(one, text)


PARTICLE = re.compile(r"(으로|로|을|를|이|가|은|는|과|와)(?=[\s.,\"'])")
FORMS = {"으로": "으로", "로": "으로", "을": "을", "를": "을", "이": "이", "가": "이", "은": "은", "는": "은", "과": "과", "와": "과"}


def _alternatives(template: str, rng: random.Random) -> str:
    """(a|b|c) -> one of them; a particle right after the group is made to agree with the choice."""
    out, pos = [], 0
    for m in ALT.finditer(template):
        choice = rng.choice(m.group(1).split("|"))
        out.append(template[pos:m.start()])
        pos = m.end()
        particle = PARTICLE.match(template, pos)
        if particle:
            choice = josa(choice, FORMS[particle.group(1)])
            pos = particle.end()
        out.append(choice)
    out.append(template[pos:])
    return "".join(out)


def _number(name: str, rng: random.Random) -> str:
    if name == "n":
        return str(rng.randint(2, 98))
    if name == "big":
        return f"{rng.randint(1, 9)}천{rng.randint(1, 9)}백" if rng.random() < 0.5 else f"{rng.randint(11, 990)}"
    if name == "pct":
        return f"{rng.randint(1, 89)}.{rng.randint(0, 9)}%"
    if name == "money":
        unit = rng.choice(["억 위안", "억 달러", "조 원", "억 원", "만 위안"])
        return f"{rng.randint(2, 990)}{unit}"
    if name == "year":
        return str(rng.randint(2025, 2030))
    if name == "month":
        return str(rng.randint(1, 12))
    if name == "day":
        return str(rng.randint(1, 28))
    if name == "q":
        return str(rng.randint(1, 4))
    if name == "ver":
        return rng.choice([f"{rng.randint(1, 5)}.{rng.randint(0, 9)}", f"V{rng.randint(2, 6)}", f"{rng.randint(2, 9)}",
                           f"Pro {rng.randint(1, 3)}", f"{rng.randint(7, 400)}B"])
    raise KeyError(name)


NUMBERS = {"n", "big", "pct", "money", "year", "month", "day", "q", "ver"}

FIELDS = ["생성형 AI", "대규모 언어모델", "AI 반도체", "자율주행", "휴머노이드 로봇", "스마트 제조", "AI 클라우드",
          "의료 AI", "AI 에이전트", "컴퓨터 비전", "음성인식", "스마트시티", "AI 데이터센터", "엣지 컴퓨팅",
          "산업용 로봇", "AI 교육", "금융 AI", "멀티모달 모델", "오픈소스 모델", "추론 모델"]
TITLES_P = ["회장", "최고경영자(CEO)", "창업자", "대표", "최고기술책임자(CTO)", "부총재", "수석과학자"]
QUOTES = ["기술 자립이 가장 중요한 과제", "내년에는 상용화 속도가 훨씬 빨라질 것", "가격 경쟁력에서는 이미 앞서 있다",
          "데이터와 연산 자원이 승부를 가른다", "오픈소스 생태계가 성패를 좌우할 것", "규제 불확실성이 가장 큰 변수",
          "해외 시장 진출을 서두르겠다", "인재 확보 경쟁이 갈수록 치열해지고 있다", "수출 통제는 오히려 자극제가 됐다",
          "산업 현장 적용이 진짜 시험대", "추론 비용을 10분의 1로 낮추는 것이 목표", "한국 기업과의 협력 여지도 크다",
          "단기 수익보다 기초 연구에 투자하겠다", "고객 수요가 예상보다 훨씬 많다", "반도체 공급이 병목으로 남아 있다"]
ANALYSTS = ["업계 관계자", "현지 애널리스트", "한 증권사 연구원", "베이징의 한 투자업계 인사", "국내 반도체 업계 관계자",
            "중국 매체", "시장조사업체 관계자", "한국무역협회 베이징지부 관계자", "한 벤처캐피털 파트너", "현지 소식통"]

# on topic: China and AI. {co} is the article's main Chinese company, {co2}/{co3} others.
CHINA_AI = [
    "{co_g:이} {day}일 {place}에서 열린 (발표회|개발자 행사|기자간담회|온라인 설명회)에서 {field} (모델|플랫폼|솔루션) {modelq:을} (공개했다|선보였다|발표했다).",
    "회사 측은 새 모델이 (추론|코딩|수학|중국어 이해) 성능에서 기존 버전보다 {pct} (향상됐다|개선됐다|높아졌다)고 (설명했다|밝혔다|강조했다).",
    "{co:은} 올해 {field} 분야에 {money:을} (투자할|쏟아부을|투입할) 계획이라고 (밝혔다|전했다).",
    "{person} {ptitle:은} \"{quote}\"(라고 말했다|라고 강조했다|고 밝혔다|라고 내다봤다).",
    "{analyst:은} \"{co:이} {field} 시장에서 (주도권을 잡을|입지를 굳힐|추격에 속도를 낼) 가능성이 (크다|높다|있다)\"고 (평가했다|분석했다|전망했다).",
    "{co:은} {chip} 칩 {big}개를 (탑재한|묶은|연결한) (AI 서버|연산 클러스터|데이터센터)를 {place}에 (구축했다|가동하기 시작했다|짓고 있다).",
    "미국의 (대중 수출 통제|첨단 반도체 규제|제재) 이후 중국 기업들은 엔비디아 (GPU|H20 칩|가속기) 대신 {chip} 같은 (국산 칩|자국산 반도체)으로 눈을 돌리고 있다.",
    "{gov:은} 지난 {month}월 {programmeq:을} (발표하고|내놓고|확정하고) {field} 산업에 대한 지원을 (확대하겠다|강화하겠다)고 밝혔다.",
    "(시장조사업체|현지 컨설팅업체|중국 정보통신연구원) 자료에 따르면 중국 {field} 시장 규모는 {year}년 {money}에 이를 것으로 (보인다|예상된다|추산된다).",
    "{co:과} {co2:은} (지난달|올해 초|최근) {field} 분야 (전략적 제휴|공동 연구|합작 법인 설립)에 (합의했다|서명했다|나섰다).",
    "{uni} 연구팀은 {co:과} 함께 (매개변수|파라미터) {ver} 규모의 (모델|시스템)을 (개발했다|훈련시켰다|공개했다).",
    "{co}의 {q}분기 매출은 전년 동기 대비 {pct} (늘어난|증가한|감소한) {money}로 (집계됐다|나타났다).",
    "(같은 날|이날|한편) {co2:도} {field} (서비스|앱|제품) '{product}'의 (새 버전|업데이트|해외판)을 (내놓았다|공개했다|출시했다).",
    "{place} 시정부는 {field} 기업에 (연산 바우처|임대료 감면|보조금)를 (지급하는|제공하는) 정책을 (시행 중이다|내놨다|확대했다).",
    "{co:은} {place2}에 (연구개발 센터|AI 연구소|생산 거점)를 세우고 {big}명의 (엔지니어|연구 인력|개발자)를 (채용할|배치할) 계획이다.",
    "{person} {ptitle:은} {event}에서 \"{quote}\"고 (말했다|밝혔다|언급했다).",
    "업계에서는 {co:과} {co2}의 (가격 경쟁|점유율 경쟁|기술 경쟁)이 (한층 치열해질|본격화될|더 격해질) 것으로 (본다|전망한다|내다본다).",
    "{co}의 (주가|시가총액)는 (이날|이번 주|발표 직후) {pct} (올랐다|뛰었다|상승했다).",
    "(중국|중국 내) {field} (이용자|사용자|기업 고객) 수는 {big}만 명을 넘어선 것으로 (집계됐다|알려졌다|전해졌다).",
    "{modelv:은} (오픈소스로|무료로|API 형태로) (공개돼|제공돼|배포돼) (개발자들의 관심을 끌고 있다|다운로드가 급증했다|호평을 받았다).",
    "{krco:은} {co}의 (행보를|발표를|전략을) (주시하고 있다|예의주시하고 있다|분석하고 있다)고 (밝혔다|전했다).",
    "(한편|다만|그러나) 미국 정부는 {co} 등 중국 {field} 기업에 대한 (수출 통제|투자 제한|제재)를 (강화하는|확대하는) 방안을 (검토하고 있다|논의 중이다).",
    "{co:은} (베이징|상하이|항저우|선전시) (본사|연구소)에서 {field} (인재|연구원)를 {big}명 (채용하고 있다|모집한다).",
    "{institute:은} {co2:과} (공동으로|함께) {field} (표준|평가 체계|테스트베드)를 (마련했다|만들었다|구축하고 있다).",
    "{co}의 {field} (플랫폼|생태계)에는 (현재|이미) {big}개 (기업|파트너사|개발사)가 참여하고 있다.",
    "(이번|새) (모델|서비스|칩)은 {place}의 (데이터센터|공장|연구 단지)에서 (시범 운영|양산|테스트)에 들어갔다.",
    "{co:은} (지난해|올해 상반기|{year}년까지) {money} 규모의 (투자를 유치했다|자금을 조달할 계획이다|펀드를 조성했다).",
    "중국 정부의 {programmeq} 정책에 따라 {place} 등지에서는 {field} (실증 사업|시범 구역|특구)이 잇따라 (지정되고|조성되고) 있다.",
    "(전문가들은|업계는) 중국의 {field} (기술력|경쟁력)이 미국과의 격차를 {n}개월 수준까지 (좁혔다|줄였다)고 (평가한다|본다).",
    "{co2:은} 이에 (맞서|대응해) {model2} (새 버전|업그레이드판|경량 모델)을 (서둘러|조만간|다음 달) 내놓을 예정이다.",
    "{co}의 {field} 사업부는 {q}분기 (흑자 전환에 성공했다|적자 폭을 줄였다|매출이 {pct} 늘었다).",
    "중국 (인공지능|AI) 업계에서는 '{model}' 이후 (가격 인하|무료화|오픈소스화) 경쟁이 (벌어지고 있다|이어지고 있다|본격화했다).",
    "{person} {ptitle:은} (직원 서한|사내 메시지|주주 서한)에서 \"{quote}\"라고 (적었다|밝혔다|썼다).",
    "{krco} 관계자는 \"중국 {field} 기업들의 (속도|추격|물량 공세)가 (무섭다|예상보다 빠르다|위협적)\"고 말했다.",
]
CHINA_OTHER = [
    "{place:은} (올해|지난해) 관광객 {big}만 명을 (유치했다|맞았다)고 (밝혔다|발표했다).",
    "중국 국가통계국에 따르면 {month}월 (소매판매|산업생산|수출)은 전년 동월 대비 {pct} (늘었다|줄었다).",
    "{place} (시내|도심)에서는 (춘제|노동절|국경절) 연휴를 맞아 (축제|행사|공연)가 (열렸다|이어졌다).",
    "중국 (당국|정부)은 (부동산 시장|내수 소비|지방 재정) (안정|부양)을 위해 {money} 규모의 (대책|지원책)을 내놨다.",
    "{place}의 (전통 시장|야시장|관광지)에는 (가족 단위|외국인|단체) 방문객이 {pct} (늘었다|증가했다).",
    "(현지|중국) 언론은 {place:이} (교통|주거|환경) 문제 해결을 위해 {money:을} 투입한다고 전했다.",
    "중국과 한국의 (교역액|관광 교류|유학생 수)는 {year}년 (회복세를|증가세를) 보일 것으로 (예상된다|전망된다).",
    "(주중한국대사관|코트라 베이징무역관)은 {place}에서 (한중 교류 행사|상품 전시회|문화 축제)를 (열었다|개최했다).",
    "{place} 당국은 (대기질 개선|물류 확충|도심 재생) 사업을 {year}년까지 마무리할 계획이다.",
    "중국 (소비자|관광객|가계)의 (씀씀이|소비 심리)는 (점차 회복되고|여전히 위축돼) 있다는 분석이 나온다.",
]
KOREA = [
    "(서울|부산|대구|인천|광주|대전) 지역 (아파트 매매가격|전셋값|청약 경쟁률)이 {pct} (올랐다|내렸다|상승했다).",
    "(한국은행|기획재정부|통계청)에 따르면 {month}월 (소비자물가|수출|고용률)은 전년 동월 대비 {pct} (변동했다|늘었다|줄었다).",
    "(프로야구|프로축구|프로농구) (개막전|정규리그|플레이오프)에는 관중 {big}명이 (몰렸다|입장했다).",
    "(기상청|행정안전부)은 (이번 주말|다음 주|내일) (전국에|중부지방에|남부지방에) (비가|눈이|황사가) (올|내릴) 것이라고 (예보했다|밝혔다).",
    "(국회|여야)는 (예산안|민생 법안|세법 개정안) 처리를 놓고 (협상을 이어갔다|막판 조율에 나섰다).",
    "(지방자치단체|구청|군청)는 (벚꽃 축제|지역 축제|문화 행사)를 {month}월 {day}일부터 {n}일간 (연다|개최한다).",
    "(국내 항공사|여행업계|호텔업계)는 (성수기|연휴|방학)를 앞두고 (예약률이|수요가) {pct} (늘었다|증가했다)고 밝혔다.",
    "(교육부|시교육청)는 (새 학기|수능|입시) 관련 (지원책|개편안|일정)을 (발표했다|공개했다).",
    "(전통시장|대형마트|편의점) 매출은 (명절|연말|봄철) 특수로 {pct} (늘어난|증가한) 것으로 나타났다.",
    "(소방당국|경찰)은 (화재|교통사고|실종) 원인을 (조사하고 있다|파악 중이다).",
    "(중소기업|소상공인|자영업자) 지원을 위한 {money} 규모의 (정책자금|추경|특별 융자)이 (집행된다|풀린다).",
    "(정부|지자체)는 (저출생|고령화|청년 일자리) 대책으로 {money:을} 배정했다.",
]
CLOSERS = [
    "{analyst:은} \"(당분간|앞으로|올해 하반기에도) 이런 흐름이 (이어질|계속될) 것\"이라고 (내다봤다|말했다|전망했다).",
    "(자세한|구체적인) (일정|내용|조건)은 (다음 달|이달 말|추후) 공개될 예정이다.",
    "(이번|이) (발표|조치|결정)에 대한 (시장|업계|소비자)의 반응은 (엇갈리고 있다|긍정적이다|신중한 편이다).",
]
TITLE_AI = [
    "{co}, {field} 모델 {modelq} 공개…\"{quote}\"",
    "{co}, {place}에 {money} 규모 AI 데이터센터 짓는다",
    "中 {co}, {field} 시장 공략 가속…{krco:과} 경쟁 본격화",
    "{person} {co} {ptitle} \"{quote}\"",
    "{co}, {chip} 탑재 AI 서버 출시…엔비디아 대체 노린다",
    "{gov}, {field} 육성책 발표…{year}년까지 {money} 투입",
    "{co} 주가 {pct} 급등…'{model}' 흥행 기대감",
    "{event} 개막…{co}·{co2} 등 {n}개사 {field} 신기술 경쟁",
    "{co}·{co2}, {field} 동맹…{place}에 공동 연구소",
    "[중국 AI 리포트] {field} 굴기, {co:이} 앞장선다",
    "{co} {q}분기 매출 {pct} 증가…{field} 사업이 견인",
    "\"{quote}\"…{co}, {field} 인재 {big}명 채용",
    "{uni}·{co}, 파라미터 {ver} 모델 공동 개발",
    "미 수출통제 속 {co} '{chip}' 증산…중국산 AI칩 점유율 {pct}",
]
TITLE_CHINA = ["{place}, 관광객 {big}만 명 돌파…연휴 특수", "중국 {month}월 소매판매 {pct} 증가", "{place} 도심 재생에 {money} 투입",
               "中 부동산 부양책 {money} 규모…시장 반응 엇갈려", "한중 교역 {year}년 회복세 전망…{place} 박람회 북적"]
TITLE_KOREA = ["수도권 아파트값 {pct} 상승…{n}주 연속 오름세", "{month}월 소비자물가 {pct} 올라", "프로야구 개막전 관중 {big}명 몰려",
               "주말 전국에 비…기온 {n}도 안팎", "벚꽃 축제 {month}월 {day}일 개막…{n}일간 열려", "소상공인 지원 {money} 풀린다"]
SECTIONS = ["정치", "경제", "사회", "국제", "산업", "IT·과학", "문화", "스포츠", "오피니언", "사람들", "포토", "영상"]
GENERIC_HEADS = ["수도권 전셋값 {n}주 연속 상승", "프로야구 {n}일 개막…관중 몰려", "{month}월 수출 {pct} 증가", "주말 전국 맑고 일교차 커",
                 "국회, 민생법안 처리 막판 진통", "청년 일자리 예산 {money} 편성", "봄철 황사 대비 요령은", "편의점 매출 {pct} 늘어",
                 "지방 공항 국제선 재개…{n}개 노선", "[사설] 저출생 대책, 속도가 관건", "[칼럼] 기후 위기와 도시", "반도체 수출 {n}개월 연속 증가",
                 "의대 정원 논의 재개", "전기차 보조금 {money} 확정", "[포토] 봄맞이 꽃길", "K팝 공연 {big}명 운집"]
COMMENTS = ["결국 기술력 싸움이네요", "중국 추격 속도가 무섭다", "우리나라는 뭐하고 있나요", "좋은 기사 감사합니다", "과장된 것 같은데요",
            "데이터가 핵심이죠", "투자 참고하겠습니다", "규제 얘기는 왜 없나", "반도체가 문제네", "기사 잘 읽었습니다", "현실을 직시해야",
            "가격 경쟁은 못 이길 듯", "한국 기업도 분발하길", "정부 지원이 부러울 따름", "이건 좀 지켜봐야 할 듯", "출처가 궁금합니다",
            "ㅋㅋ 또 시작이네", "인재 유출이 걱정입니다", "벌써 이렇게 됐나", "다음 기사도 기대합니다"]
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["민준", "서연", "지훈", "수민", "예은", "태현", "지우", "현우", "은영", "성호", "정민", "유진", "하늘", "도윤", "승우",
         "다은", "재원", "소연", "준호", "미경", "상철", "혜진", "동현", "가영"]
NAME_PARTS_A = ["한빛", "동아시아", "서울", "미래", "디지털", "글로벌", "아시아", "테크", "중앙", "한국", "코리아", "대한", "새한",
                "누리", "하나", "정보", "산업", "IT", "AI", "경제", "차이나", "한중", "동북아", "신화", "세계"]
NAME_PARTS_B = ["일보", "신문", "뉴스", "타임스", "경제", "투데이", "저널", "포스트", "비즈", "데일리", "미디어", "인사이트", "리뷰"]


@dataclass
class Vocab:
    companies: list[tuple[str, str]]  # (Korean name, Hanja) of Chinese companies
    models: list[str]
    chips: list[str]
    products: list[str]
    persons: list[str]
    places: list[str]
    govs: list[str]
    unis: list[str]
    institutes: list[str]
    programmes: list[str]
    events: list[str]
    krcos: list[str]


def vocab() -> Vocab:
    """Names from the shipped gazetteer, so the tagger has real work; falls back to a short list offline."""
    try:
        from sinowatch.entities import load_gazetteer

        records = [r.entity for r in load_gazetteer([]).records.values()]
    except Exception:  # pragma: no cover - the generator also runs without sinowatch importable
        records = []

    def names(kind: str, countries: tuple[str, ...] = ("CN",)) -> list[str]:
        return [e.name_ko for e in records if e.type == kind and e.country in countries]
    companies = [(e.name_ko, e.name_zh or "") for e in records if e.type == "company" and e.country == "CN"]
    v = Vocab(companies=companies or [("바이두", "百度"), ("화웨이", "华为"), ("텐센트", "腾讯")],
              models=names("model") or ["어니봇"], chips=names("chip") or ["어센드"],
              products=names("product") or ["위챗"], persons=names("person") or ["리옌훙"],
              places=[p for p in names("place") if p not in ("중국", "미국", "대만")] or ["베이징"],
              govs=names("gov") or ["국무원"], unis=names("university", ("CN", "HK")) or ["칭화대"],
              institutes=names("institute") or ["중국과학원"], programmes=names("programme") or ["일대일로"],
              events=names("event") or ["세계인공지능대회"],
              krcos=names("company", ("KR",)) or ["삼성전자"])
    return v


def _slots(rng: random.Random, v: Vocab) -> dict[str, str]:
    """The names one article is about: its main company, a rival, a model, a person, places, …"""
    co, co_zh = rng.choice(v.companies)
    model = rng.choice(v.models)
    ver = _number("ver", rng)
    return {"co": co, "co_g": f"{co}({co_zh})" if co_zh and rng.random() < 0.5 else co,
            "co2": rng.choice(v.companies)[0], "model": model, "model2": rng.choice(v.models),
            "modelq": f"'{model} {ver}'", "modelv": f"{model} {ver}", "ver": ver, "chip": rng.choice(v.chips),
            "product": rng.choice(v.products), "person": rng.choice(v.persons), "ptitle": rng.choice(TITLES_P),
            "place": rng.choice(v.places), "place2": rng.choice(v.places), "gov": rng.choice(v.govs),
            "uni": rng.choice(v.unis), "institute": rng.choice(v.institutes),
            "programmeq": f"'{rng.choice(v.programmes)}'", "event": rng.choice(v.events), "krco": rng.choice(v.krcos),
            "field": rng.choice(FIELDS), "quote": rng.choice(QUOTES), "analyst": rng.choice(ANALYSTS)}


def _corpus():  # noqa: ANN202 - bench/corpus.py, imported by path (bench/ is not a package)
    import importlib.util

    if "sinowatch_bench_corpus" not in sys.modules:
        spec = importlib.util.spec_from_file_location("sinowatch_bench_corpus", Path(__file__).with_name("corpus.py"))
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules["sinowatch_bench_corpus"]


class Prose:
    """Sentences shaped like Korean news text, from bench/corpus.py's Zipf vocabulary (calibrated there on the
    real articles of tests/data/dedupe and the demo site, so unrelated articles overlap as little as real ones):
    nouns with particles, connectors, predicate endings, figures and Hanja-glossed names. Off-topic articles draw
    from the same vocabulary without China and AI words, so relevance has something to reject."""

    def __init__(self, seed: int, v: Vocab) -> None:
        c = self.c = _corpus()
        vocabulary = c.vocabulary(seed)
        self.final = vocabulary.final
        from sinowatch.relevance import AI_KEYWORDS, CHINA_KEYWORDS

        cn_names = [n for n, _ in v.companies] + v.models + v.chips + v.products + v.persons + v.places + v.govs \
            + v.unis + v.institutes + v.programmes + v.events + [h[0] for h in c.HANJA_NAMES]
        ai = [k for k in AI_KEYWORDS if not k.isascii()] + ["서버", "모델", "데이터"]
        china = [k for k in CHINA_KEYWORDS if not k.isascii()] + ["중국", "中"] + [n for n in cn_names if len(n) >= 2]
        self.nouns: dict[str, tuple[list[str], list[float]]] = {}
        for topic, banned in (("china_ai", []), ("china", ai), ("korea", ai + china)):
            pattern = re.compile("|".join(map(re.escape, sorted(set(banned), key=len, reverse=True)))) if banned else None
            nouns = [w for w in vocabulary.nouns if not (pattern and pattern.search(w))]
            cum, total = [], 0.0
            for r in range(len(nouns)):
                total += 1 / (r + c.NOUN_OFFSET) ** c.NOUN_EXPONENT
                cum.append(total)
            self.nouns[topic] = (nouns, cum)
        self.particle_cum = [sum(c.PARTICLE_WEIGHTS[:k + 1]) for k in range(len(c.PARTICLE_WEIGHTS))]

    def noun(self, rng: random.Random, topic: str) -> str:
        nouns, cum = self.nouns[topic]
        return nouns[bisect.bisect(cum, rng.random() * cum[-1])]

    def word(self, rng: random.Random, topic: str, words: list[str], names: list[tuple[str, str]]) -> str:
        r = rng.random()
        if names and r < 0.05:
            name, zh = rng.choice(names)
            return f"{name}({zh})" if zh and rng.random() < 0.5 else name
        if r < 0.14:
            return self.c._figure(rng)  # the same figures as the dedupe corpus
        if r < 0.14 + self.c.TOPIC_SHARE:
            return rng.choice(words)
        return self.noun(rng, topic)

    def sentence(self, rng: random.Random, topic: str, words: list[str], names: list[tuple[str, str]],
                 style: tuple[list[str], list[str], list[str]]) -> str:
        c = self.c
        parts: list[str] = [rng.choice(c.MODIFIERS)] if rng.random() < 0.25 else []
        for _ in range(rng.randint(5, 12)):
            word = self.word(rng, topic, words, names)
            if rng.random() < 0.25:
                word += self.word(rng, topic, words, names).split("(")[0]
            r = rng.random()
            if r < 0.7:
                pair = c.PARTICLES[bisect.bisect(self.particle_cum, rng.random() * self.particle_cum[-1])]
                word += pair[0] if self.final.get(word.split("(")[0], _has_batchim(word)) else pair[1]
            elif r < 0.85:
                word += " " + rng.choice(style[1])
            parts.append(word)
        endings, _, light = style
        if rng.random() < 0.5:
            parts.append(rng.choice(endings) + ".")
        else:
            parts.append(self.noun(rng, topic) + rng.choice(light) + ".")
        return " ".join(parts)


def _article_text(rng: random.Random, v: Vocab, prose: Prose, topic: str) -> tuple[str, list[list[str]]]:
    """A headline and 5-15 paragraphs (850-3900 characters): a grammatical lead and a quote naming the article's
    entities, the rest in the corpus shape around the same names."""
    c = prose.c
    slots = _slots(rng, v)
    leads, titles = {"china_ai": (CHINA_AI, TITLE_AI), "china": (CHINA_OTHER, TITLE_CHINA),
                     "korea": (KOREA, TITLE_KOREA)}[topic]
    title = fill(rng.choice(titles), slots, rng)
    words = [prose.noun(rng, topic) for _ in range(10)]
    names: list[tuple[str, str]] = []
    if topic == "china_ai":
        co_zh = next((zh for n, zh in v.companies if n == slots["co"]), "")
        words += [slots["co"], slots["co"], slots["co2"], slots["model"], slots["chip"], slots["field"], slots["place"]]
        names = [(slots["co"], co_zh), (slots["person"], ""), (slots["place"], "")]
    elif topic == "china":
        words += [slots["place"], slots["place2"]]
        names = [(slots["place"], "")]
    style = (rng.sample(c.ENDINGS, rng.randint(4, 9)), rng.sample(c.CONNECTORS, rng.randint(4, 8)),
             rng.sample(c.LIGHT_VERBS, rng.randint(2, 5)))
    target = int(min(3900, max(850, rng.lognormvariate(math.log(1800), 0.45))))
    n_paras = min(15, max(5, round(target / rng.uniform(160, 320))))
    per_para = target / n_paras
    grammatical = {0: fill(leads[0] if topic == "china_ai" else rng.choice(leads), slots, rng)}
    for _ in range(2):
        grammatical.setdefault(rng.randrange(1, n_paras), fill(rng.choice(leads[1:] if topic == "china_ai" else leads),
                                                                slots, rng))
    paragraphs: list[list[str]] = []
    for k in range(n_paras):
        sentences = [grammatical[k]] if k in grammatical else []
        length = sum(len(x) + 1 for x in sentences)
        while True:
            sentence = prose.sentence(rng, topic, words, names, style)
            if sentences and length + len(sentence) / 2 > per_para:
                break
            sentences.append(sentence)
            length += len(sentence) + 1
        paragraphs.append(sentences)
    if topic == "china_ai" and rng.random() < 0.5:
        paragraphs[-1].append(fill(rng.choice(CLOSERS), slots, rng))
    return title, paragraphs


# -- planning: outlets, articles, copies ------------------------------------------------------------------

@dataclass
class Plan:
    """One article before its chrome: what the page says."""

    page: Page
    paragraphs: list[list[str]]
    reporter: str
    email: str
    section: str


def _outlets(n: int, rng: random.Random) -> list[Outlet]:
    out, names = [], set()
    for i in range(n):
        slug = f"o{i + 1:03d}"
        name = rng.choice(NAME_PARTS_A) + rng.choice(NAME_PARTS_B)
        while name in names:
            name = (rng.choice(NAME_PARTS_A) + rng.choice(NAME_PARTS_B)
                    + rng.choice(["", "코리아", "24", "플러스", "원"]))
        names.add(name)
        style = STYLES[i % len(STYLES)] if i % 10 != 9 else "legacy"
        encoding = "cp949" if i % 10 == 9 else "utf-8"
        feed = "atom" if i % 5 == 3 else "rss"
        feed_path = {"ndsoft": f"/{slug}/rss/allArticle.xml", "wire": f"/{slug}/feed/{feed}.xml",
                     "statemedia": f"/{slug}/rss/china.xml", "newspaper": f"/{slug}/site/data/rss/{feed}.xml",
                     "legacy": f"/{slug}/rss/{feed}.php"}[style]
        out.append(Outlet(slug=slug, name=name, domain=f"www.{slug}-{style}news.example", host=HOSTS[i % len(HOSTS)],
                          style=style, encoding=encoding, feed=feed, feed_path=feed_path,
                          charset_header=(i // 10) % 2 == 0))
    return out


def _path_and_canonical(o: Outlet, i: int, when: datetime) -> tuple[str, str]:
    num = 160_000 + int(o.slug[1:]) * 1000 + i
    d = when
    rel = {"ndsoft": f"/news/articleView.html?idxno={num}",
           "wire": f"/view/AKR{d:%Y%m%d}{num:07d}{i % 100:03d}",
           "statemedia": f"/n3/{d:%Y}/{d:%m%d}/c2032{i % 100:02d}-{num}.html",
           "newspaper": f"/site/data/html_dir/{d:%Y/%m/%d}/{d:%Y%m%d}{num:05d}.html",
           "legacy": f"/news/view.php?no={num}"}[o.style]
    return f"/{o.slug}{rel}", f"{'http' if o.style == 'legacy' else 'https'}://{o.domain}{rel}"


def plan(outlets: int, articles: int, seed: int, copies: float = 0.10) -> tuple[list[Outlet], list[Plan]]:
    rng = random.Random(f"sitegen:{seed}:{outlets}:{articles}")
    v = vocab()
    prose = Prose(seed, v)
    outs = _outlets(outlets, rng)
    plans: list[Plan] = []
    # which slots are copies: a fixed share, spread evenly over outlets (never an outlet's only article)
    n_pages = outlets * articles
    n_copies = round(n_pages * copies) if outlets > 1 else 0
    slots = [(o, i) for o in range(outlets) for i in range(articles)]
    copy_slots = set(rng.sample([s for s in slots if s[1] > 0 or articles == 1], n_copies)) if n_copies else set()
    span = {o.slug: timedelta(hours=rng.uniform(48, 240)) for o in outs}
    for o in outs:
        for i in range(articles):
            when = ANCHOR - span[o.slug] * (i / max(articles - 1, 1)) - timedelta(minutes=rng.randint(0, 59))
            when = when.replace(second=0, microsecond=0)
            path, canonical = _path_and_canonical(o, i, when)
            prng = random.Random(f"article:{seed}:{o.slug}:{i}")
            r = prng.random()
            topic = "china_ai" if r < 0.8 else "china" if r < 0.9 else "korea"
            title, paragraphs = _article_text(prng, v, prose, topic)
            reporter = prng.choice(SURNAMES) + prng.choice(GIVEN)
            page = Page(outlet=o.slug, index=i, path=path, canonical=canonical, title=title,
                        published=when.isoformat(), topic=topic)
            email = f"{''.join(prng.choices('abcdefghkmnprstwy', k=6))}@{o.domain[4:]}"
            plans.append(Plan(page, paragraphs, reporter, email, prng.choice(SECTIONS[:6])))
    # copies: replace the planned text of each copy slot with another outlet's original (not itself a copy)
    by_slot = {(int(p.page.outlet[1:]) - 1, p.page.index): p for p in plans}
    originals = [p for s, p in by_slot.items() if s not in copy_slots]
    for (oi, i) in sorted(copy_slots):
        target = by_slot[(oi, i)]
        others = [p for p in rng.sample(originals, min(len(originals), 20)) if p.page.outlet != target.page.outlet]
        src = rng.choice(others or [p for p in originals if p.page.outlet != target.page.outlet])
        kind = "exact" if rng.random() < 0.25 else "dropped"
        paragraphs = [list(p) for p in src.paragraphs]
        if kind == "dropped":
            candidates = [(pi, si) for pi, para in enumerate(paragraphs) for si in range(len(para)) if pi > 0]
            pi, si = rng.choice(candidates)
            del paragraphs[pi][si]
            paragraphs = [p for p in paragraphs if p]
        when = datetime.fromisoformat(src.page.published) + timedelta(minutes=rng.randint(20, 360))
        when = min(when, ANCHOR)
        o = outs[oi]
        path, canonical = _path_and_canonical(o, i, when)
        title = src.page.title
        if rng.random() >= 0.7:
            title = f"[{rng.choice(['신화', '인민망', '종합', '외신'])}] {title}"
        target.page = Page(outlet=o.slug, index=i, path=path, canonical=canonical, title=title,
                           published=when.isoformat(), topic=src.page.topic, copy_of=src.page.canonical, copy_kind=kind)
        target.paragraphs = paragraphs
    return outs, plans


# -- chrome ---------------------------------------------------------------------------------------------

def _css(rng: random.Random, budget: int) -> str:
    props = ["margin:0 auto", "padding:{a}px {b}px", "font-size:{a}px", "line-height:1.{b}", "color:#{h}",
             "background:#{h}", "border-bottom:1px solid #{h}", "display:flex", "justify-content:space-between",
             "width:{w}px", "max-width:{w}px", "overflow:hidden", "text-overflow:ellipsis", "white-space:nowrap",
             "position:relative", "letter-spacing:-0.0{b}em", "font-weight:{fw}", "float:left", "clear:both"]
    names = ["header", "gnb", "lnb", "article", "view", "tit", "sub", "list", "item", "thumb", "txt", "date", "btn",
             "share", "ad", "banner", "rank", "news", "box", "wrap", "inner", "footer", "copy", "reply", "relate"]
    parts, size = [], 0
    while size < budget:
        sel = f".{rng.choice(names)}-{rng.choice(names)}{rng.randint(1, 40):02d}"
        if rng.random() < 0.4:
            sel += f" .{rng.choice(names)}"
        body = ";".join(p.format(a=rng.randint(0, 40), b=rng.randint(0, 9), h=f"{rng.randrange(16**6):06x}",
                                 w=rng.choice([300, 680, 980, 1080, 1200]), fw=rng.choice([400, 500, 700]))
                        for p in rng.sample(props, rng.randint(2, 6)))
        rule = f"{sel}{{{body}}}\n"
        parts.append(rule)
        size += len(rule)
    return "".join(parts)


def _scripts(rng: random.Random, o: Outlet, plan_: Plan, heads: list[str], budget: int) -> str:
    gid = f"G-{rng.randrange(16**8):08X}"
    out = [f"<script async src=\"https://www.googletagmanager.example/gtag/js?id={gid}\"></script>",
           "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
           f"gtag('js',new Date());gtag('config','{gid}');</script>",
           "<script>var googletag=googletag||{};googletag.cmd=googletag.cmd||[];googletag.cmd.push(function(){"
           + "".join(f"googletag.defineSlot('/2{rng.randint(1000, 9999)}/{o.slug}_{s}',[[{w},{h}]],'div-gpt-{s}')"
                     f".addService(googletag.pubads());"
                     for s, w, h in (("top", 728, 90), ("side", 300, 250), ("bottom", 728, 90)))
           + "googletag.enableServices();});</script>"]
    size = sum(len(s) for s in out)
    state: dict[str, object] = {"article": {"id": plan_.page.index, "section": plan_.section, "title": plan_.page.title,
                                            "reporter": plan_.reporter, "published": plan_.page.published},
                                "menu": [{"name": s, "url": f"/{o.slug}/list?sc={i}"} for i, s in enumerate(SECTIONS)],
                                "ranking": [], "recommend": []}
    blob = json.dumps(state, ensure_ascii=False)
    while size + len(blob) * 2 < budget:  # Korean characters: about two to three bytes each
        state["ranking"].append({"t": rng.choice(heads), "u": f"/{o.slug}/a/{rng.randint(10000, 99999)}",  # type: ignore[union-attr]
                                 "v": rng.randint(100, 99999)})
        if rng.random() < 0.5:
            state["recommend"].append({"t": rng.choice(heads), "img": f"https://img.{o.domain[4:]}/t/{rng.randrange(16**10):010x}.jpg"})  # type: ignore[union-attr]
        blob = json.dumps(state, ensure_ascii=False)
    out.append(f"<script>window.__INITIAL_STATE__={blob};</script>")
    return "\n".join(out)


def _headline_box(rng: random.Random, o: Outlet, heads: list[str], title: str, cls: str) -> str:
    items = "".join(f"<li><a href=\"/{o.slug}/news/articleView.html?idxno={rng.randint(100000, 199999)}\">"
                    f"{escape(rng.choice(heads))}</a>"
                    f"<span class=\"date\">{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}</span></li>"
                    for _ in range(rng.randint(6, 12)))
    return f"<section class=\"{cls}\"><h2>{escape(title)}</h2><ul>{items}</ul></section>"


def _comments(rng: random.Random, budget: int) -> str:
    out, size = [], 0
    while size < budget:
        who = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(3, 5))) + "****"
        text = " ".join(rng.sample(COMMENTS, rng.randint(1, 3)))
        c = (f"<li class=\"reply-item\"><div class=\"reply-info\"><strong class=\"name\">{who}</strong>"
             f"<span class=\"date\">2025-03-{rng.randint(1, 20):02d} "
             f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}</span></div>"
             f"<p class=\"reply-text\">{escape(text)}</p><div class=\"reply-btn\">"
             f"<button type=\"button\">추천 {rng.randint(0, 99)}</button>"
             f"<button type=\"button\">비추천 {rng.randint(0, 30)}</button>"
             f"<button type=\"button\">답글</button></div></li>")
        out.append(c)
        size += len(c.encode())
    return ("<div id=\"comment-box\" class=\"reply-wrap\"><h2>댓글 " + str(len(out)) + "</h2>"
            "<p class=\"reply-notice\">건전한 댓글 문화를 위해 욕설·비방 댓글은 삭제될 수 있습니다.</p>"
            f"<ul class=\"reply-list\">{''.join(out)}</ul></div>")


def _nav(o: Outlet) -> str:
    links = "".join(f"<li><a href=\"https://{o.domain}/{s.replace('·', '')}/all\">{s}</a></li>" for s in SECTIONS)
    return f"<nav class=\"gnb\"><ul>{links}</ul></nav>"


def _footer(o: Outlet) -> str:
    menu = "".join(f"<li><a href=\"https://{o.domain}/com/{k}.html\">{t}</a></li>" for k, t in
                   (("company", "회사소개"), ("jebo", "기사제보"), ("ad", "광고문의"), ("privacy", "개인정보처리방침"),
                    ("youth", "청소년보호정책"), ("emailno", "이메일무단수집거부")))
    return (f"<footer id=\"footer\"><ul class=\"footer-menu\">{menu}</ul>"
            f"<address>주소 : 서울특별시 중구 세종대로 000 | 제호 : {o.name} | "
            f"등록번호 : 서울 아 0{int(o.slug[1:]):04d} | 발행·편집인 : 홍길동 | 대표전화 : 02-000-0000</address>"
            f"<p class=\"copyright\">Copyright &copy; 2025 {o.name}. All rights reserved.</p></footer>")


def _body_html(o: Outlet, p: Plan, rng: random.Random) -> str:
    paras = [" ".join(s) for s in p.paragraphs]
    credit = rng.choice(["연합뉴스", "신화통신", "로이터", "회사 제공", "게티이미지뱅크"])
    caption = f"▲ {p.paragraphs[0][0][:24]}… (사진={credit})"
    byline = f"{p.reporter} 기자 {p.email}"
    img = f"https://img.{o.domain[4:]}/photo/{p.page.index:05d}_{rng.randint(1000, 9999)}.jpg"
    if o.style == "legacy":
        text = "<br /><br />\n".join(escape(x) for x in paras)
        return (f"<table class=\"photo\" align=\"center\" width=\"450\">"
                f"<tr><td><img src=\"{img}\" width=\"450\"></td></tr>"
                f"<tr><td class=\"caption\">{escape(caption)}</td></tr></table><br />\n"
                f"{text}<br /><br />\n{escape(byline)}")
    figure = f"<figure class=\"photo\"><img src=\"{img}\" alt=\"\"><figcaption>{escape(caption)}</figcaption></figure>"
    ps = "\n".join(f"<p>{escape(x)}</p>" for x in paras)
    if o.style == "newspaper":  # subheads between paragraphs, as some CMSs put them
        ps = ps.replace("</p>\n<p>", "</p>\n<p><strong>◇ " + escape(p.paragraphs[0][0][:14]) + "</strong></p>\n<p>", 1)
    return f"{figure}\n{ps}\n<p>{escape(byline)}</p>"


def render(o: Outlet, p: Plan, heads: list[str], seed: int) -> str:
    """The whole HTML page of one article in its outlet's chrome, grown to a target size of 30-150 KB."""
    rng = random.Random(f"chrome:{seed}:{o.slug}:{p.page.index}")
    target = rng.randint(MIN_BYTES, MAX_BYTES)
    pg = p.page
    title = escape(pg.title)
    desc = escape(" ".join(p.paragraphs[0])[:150])
    charset = "<meta charset=\"utf-8\">" if o.encoding == "utf-8" else \
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=euc-kr\">"
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": pg.title,
                     "datePublished": pg.published, "dateModified": pg.published,
                     "author": {"@type": "Person", "name": p.reporter},
                     "publisher": {"@type": "Organization", "name": o.name},
                     "mainEntityOfPage": {"@type": "WebPage", "@id": pg.canonical}}, ensure_ascii=False)
    head = (f"<!DOCTYPE html>\n<html lang=\"ko\">\n<head>\n{charset}\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{title} - {escape(o.name)}</title>\n<meta name=\"description\" content=\"{desc}\">\n"
            f"<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:title\" content=\"{title}\">\n"
            f"<meta property=\"og:url\" content=\"{escape(pg.canonical)}\">\n"
            f"<meta property=\"og:site_name\" content=\"{escape(o.name)}\">\n"
            f"<meta property=\"article:published_time\" content=\"{pg.published}\">\n"
            f"<link rel=\"canonical\" href=\"{escape(pg.canonical)}\">\n"
            f"<script type=\"application/ld+json\">{ld}</script>\n")
    heads_pool = heads
    date_line = datetime.fromisoformat(pg.published).strftime("%Y.%m.%d %H:%M")
    body = _body_html(o, p, rng)
    related = _headline_box(rng, o, heads_pool, "관련기사", "article-relation")
    popular = _headline_box(rng, o, heads_pool, "많이 본 뉴스", "auto-popular")
    share = ("<div class=\"share\"><button type=\"button\">페이스북</button><button type=\"button\">트위터</button>"
             "<button type=\"button\">카카오톡</button><button type=\"button\">URL복사</button>"
             "<button type=\"button\">인쇄</button></div>")
    copyright_ = f"<div class=\"view-copyright\">저작권자 &copy; {escape(o.name)} 무단전재 및 재배포 금지</div>"
    if o.style == "ndsoft":
        main = (f"<div class=\"article-head-title\"><h3 class=\"heading\">{title}</h3></div><ul class=\"infomation\">"
                f"<li>{escape(p.reporter)} 기자</li><li>입력 {date_line}</li></ul>{share}"
                f"<article id=\"article-view-content-div\" class=\"article-veiw-body\" itemprop=\"articleBody\">\n"
                f"{body}\n</article>"
                f"{copyright_}{related}")
    elif o.style == "wire":
        main = (f"<header class=\"title-article01\"><h1 class=\"tit\">{title}</h1>"
                f"<p class=\"update-time\">송고시간{date_line}</p></header>"
                f"<div class=\"writer-zone01\"><strong>{escape(p.reporter)}</strong> 기자</div>{share}"
                f"<div class=\"story-news article\">\n{body}\n</div>{copyright_}{related}")
    elif o.style == "statemedia":
        main = (f"<div class=\"d2txt\"><h1>{title}</h1><div class=\"d2txt_1\"><span>{date_line}</span>{share}</div>"
                f"<div class=\"d2txt_con\">\n{body}\n</div>"
                f"<div class=\"edit\">(Web editor: {escape(p.reporter)})</div></div>{related}")
    elif o.style == "newspaper":
        main = (f"<div class=\"news_title\"><h1>{title}</h1>"
                f"<div class=\"news_date\">입력 : {date_line}</div></div>{share}"
                f"<div class=\"news_body\" id=\"news_body_id\">\n<div class=\"par\">\n{body}\n</div></div>"
                f"{copyright_}{related}")
    else:
        main = (f"<table width=\"100%\"><tr><td class=\"view_title\"><font size=\"5\"><b>{title}</b></font></td></tr>"
                f"<tr><td class=\"view_date\">기사입력 {date_line}</td></tr></table>"
                f"<div id=\"news_body_area\" class=\"article\">\n{body}\n</div>{copyright_}{related}")
    fixed = head + main + popular + _nav(o) + _footer(o)
    rest = max(0, target - len(fixed.encode("utf-8" if o.encoding == "utf-8" else "cp949", "xmlcharrefreplace")) - 600)
    css = _css(rng, int(rest * 0.22))
    scripts = _scripts(rng, o, p, heads_pool, int(rest * 0.28))
    boxes, size = [], 0
    while size < rest * 0.32:
        box = _headline_box(rng, o, heads_pool, f"{rng.choice(SECTIONS)} 주요뉴스", "section-box")
        boxes.append(box)
        size += len(box.encode())
    comments = _comments(rng, int(rest * 0.18))
    page = _assemble(o, p, head, css, scripts, main, comments, popular, boxes)
    codec = "utf-8" if o.encoding == "utf-8" else "cp949"
    while len(page.encode(codec, "xmlcharrefreplace")) < max(MIN_BYTES, target * 0.97):  # estimates ran short
        boxes.append(_headline_box(rng, o, heads_pool, f"{rng.choice(SECTIONS)} 주요뉴스", "section-box"))
        page = _assemble(o, p, head, css, scripts, main, comments, popular, boxes)
    return page


def _assemble(o: Outlet, p: Plan, head: str, css: str, scripts: str, main: str, comments: str, popular: str,
              boxes: list[str]) -> str:
    return (f"{head}<style>\n{css}</style>\n{scripts}\n</head>\n<body>\n<div id=\"wrap\">\n"
            f"<header id=\"header\"><div class=\"util\"><a href=\"https://{o.domain}/member/login\">로그인</a> "
            f"<a href=\"https://{o.domain}/member/join\">회원가입</a></div><h1 class=\"logo\"><a href=\"https://{o.domain}/\">"
            f"{escape(o.name)}</a></h1>{_nav(o)}</header>\n<div id=\"container\">"
            f"<div class=\"breadcrumbs\"><a href=\"https://{o.domain}/\">홈</a> &gt; "
            f"{escape(p.section)}</div>\n<div class=\"content\">\n{main}\n{comments}\n</div>\n"
            f"<aside class=\"side\">{popular}{''.join(boxes)}</aside>\n</div>\n"
            f"{_footer(o)}\n</div>\n</body>\n</html>\n")


def _rfc822(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso))


def feed_text(o: Outlet, plans: list[Plan]) -> str:
    """The outlet's feed with {{BASE}} where the server's base URL goes; newest first."""
    items = sorted(plans, key=lambda p: p.page.published, reverse=True)
    decl = f"<?xml version=\"1.0\" encoding=\"{'utf-8' if o.encoding == 'utf-8' else 'euc-kr'}\"?>\n"
    if o.feed == "atom":
        entries = "".join(
            f"<entry><title>{escape(p.page.title)}</title>"
            f"<link rel=\"alternate\" href=\"{{{{BASE}}}}{escape(p.page.path)}\"/>"
            f"<id>{escape(p.page.canonical)}</id><published>{p.page.published}</published><updated>{p.page.published}</updated>"
            f"<author><name>{escape(p.reporter)}</name></author>"
            f"<summary>{escape(' '.join(p.paragraphs[0])[:200])}</summary></entry>\n"
            for p in items)
        return (f"{decl}<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>{escape(o.name)}</title>"
                f"<link href=\"https://{o.domain}/\"/><id>https://{o.domain}/</id><updated>{items[0].page.published}</updated>\n"
                f"{entries}</feed>\n")
    entries = "".join(
        f"<item><title>{escape(p.page.title)}</title><link>{{{{BASE}}}}{escape(p.page.path)}</link>"
        f"<description><![CDATA[{' '.join(p.paragraphs[0])[:200]}]]></description>"
        f"<category>{escape(p.section)}</category>"
        f"<author>{escape(p.reporter)}</author><guid isPermaLink=\"false\">{p.page.index}</guid>"
        f"<pubDate>{_rfc822(p.page.published)}</pubDate></item>\n" for p in items)
    return (f"{decl}<rss version=\"2.0\"><channel><title>{escape(o.name)} 전체기사</title><link>https://{o.domain}/</link>"
            f"<description>{escape(o.name)}</description><language>ko</language>\n{entries}</channel></rss>\n")


# -- generation and the cache -------------------------------------------------------------------------------

def _render_outlet(args: tuple[Outlet, list[Plan], list[str], int, str]) -> list[Page]:
    o, plans, heads, seed, root = args
    out = []
    for p in plans:
        html = render(o, p, heads, seed)
        data = html.encode(o.encoding, "xmlcharrefreplace")
        name = f"pages/{o.slug}/{p.page.index:04d}.html.gz"
        path = Path(root) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(data, 6, mtime=0))
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        out.append(Page(**{**asdict(p.page), "size": len(data), "etag": etag, "file": name,
                           "first": p.paragraphs[0][0], "last": p.paragraphs[-1][-1]}))
    return out


def cache_root(outlets: int, articles: int, seed: int, copies: float) -> Path:
    def code(path: Path, upto: str | None = None) -> bytes:  # the syntax tree: comments and layout may change
        text = path.read_text(encoding="utf-8")
        return ast.dump(ast.parse(text[:text.index(upto)] if upto else text)).encode()
    here = Path(__file__)  # what makes the pages (not the serving code below "# -- serving"), and the corpus
    key = hashlib.sha1(f"{GEN_VERSION}:{outlets}:{articles}:{seed}:{copies}:".encode() + code(here, "# -- serving")
                       + code(here.with_name("corpus.py"))).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"sinowatch-sitegen-{outlets}x{articles}-s{seed}-{key}"


def generate(outlets: int = 200, articles: int = 50, seed: int = 1, copies: float = 0.10,
             root: Path | None = None, workers: int | None = None) -> Site:
    """Build (or reuse) the site under `root` (default: a cache directory keyed by every input)."""
    root = Path(root) if root else cache_root(outlets, articles, seed, copies)
    manifest = root / "manifest.json"
    if manifest.is_file():
        return load(root)
    root.mkdir(parents=True, exist_ok=True)
    outs, plans = plan(outlets, articles, seed, copies)
    by_outlet: dict[str, list[Plan]] = {}
    for p in plans:
        by_outlet.setdefault(p.page.outlet, []).append(p)
    hrng = random.Random(f"heads:{seed}")
    generic = [fill(h, {}, hrng) for h in GENERIC_HEADS for _ in range(3)]
    jobs = []
    for o in outs:
        heads = [p.page.title for p in by_outlet[o.slug]] + generic
        jobs.append((o, by_outlet[o.slug], heads, seed, str(root)))
    workers = workers if workers is not None else (os.cpu_count() or 1) if len(plans) > 500 else 1
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            rendered = [pg for pages in pool.map(_render_outlet, jobs, chunksize=4) for pg in pages]
    else:
        rendered = [pg for job in jobs for pg in _render_outlet(job)]
    feeds = {}
    for o in outs:
        name = f"feeds/{o.slug}.xml"
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(feed_text(o, by_outlet[o.slug]).encode(o.encoding, "xmlcharrefreplace"))
        feeds[o.slug] = name
    site = Site(root, seed, outs, rendered, feeds)
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text(json.dumps({"seed": seed, "outlets": [asdict(o) for o in outs],
                               "pages": [asdict(p) for p in rendered], "feeds": feeds}, ensure_ascii=False),
                   encoding="utf-8")
    tmp.replace(manifest)
    return site


def load(root: Path) -> Site:
    data = json.loads((Path(root) / "manifest.json").read_text(encoding="utf-8"))
    return Site(Path(root), data["seed"], [Outlet(**o) for o in data["outlets"]], [Page(**p) for p in data["pages"]],
                data["feeds"])


# -- serving -----------------------------------------------------------------------------------------------

LAST_MODIFIED = format_datetime(ANCHOR.astimezone(UTC), usegmt=True)
ROBOTS = b"User-agent: *\nDisallow: /admin/\nAllow: /\n"


@dataclass(frozen=True)
class Entry:
    content_type: str
    etag: str
    gz: bytes | None = None  # in memory (feeds), or
    file: Path | None = None  # on disk (pages)


def _routes(site: Site, bases: dict[str, str]) -> dict[str, dict[str, Entry]]:
    routes: dict[str, dict[str, Entry]] = {h: {} for h in bases}
    outlets = {o.slug: o for o in site.outlets}
    for o in site.outlets:
        raw = (site.root / site.feeds[o.slug]).read_bytes().replace(b"{{BASE}}", bases[o.host].encode())
        ctype = ("application/atom+xml" if o.feed == "atom" else "application/rss+xml") + "; charset=UTF-8" \
            if o.encoding == "utf-8" else "text/xml"
        etag = '"' + hashlib.sha1(raw).hexdigest()[:16] + '"'
        routes[o.host][o.feed_path] = Entry(ctype, etag, gzip.compress(raw, 6, mtime=0))
    for p in site.pages:
        o = outlets[p.outlet]
        ctype = "text/html; charset=UTF-8" if o.encoding == "utf-8" else \
            "text/html; charset=EUC-KR" if o.charset_header else "text/html"
        routes[o.host][p.path] = Entry(ctype, p.etag, file=site.root / p.file)
    return routes


def _server(host: str, routes: dict[str, Entry], counter: list[int], lock: threading.Lock) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # As production servers do: no Nagle (else a response's last small segment waits for the client's
        # delayed ACK, 40 ms a request), and headers and body leave in one write (flushed per request).
        disable_nagle_algorithm = True
        wbufsize = 1 << 18

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/__sitegen/stats":  # for the bench: how far the client has got
                with lock:
                    stats = json.dumps({"requests": counter[0], "pages": counter[1]}).encode()
                return self._send(200, {"Content-Type": "application/json"}, stats)
            entry = routes.get(self.path)
            with lock:
                counter[0] += 1
                counter[1] += entry is not None and entry.file is not None and self.headers.get("If-None-Match") is None
            if self.path == "/robots.txt":
                return self._send(200, {"Content-Type": "text/plain"}, ROBOTS)
            if entry is None:
                return self._send(404, {"Content-Type": "text/plain"}, b"not found")
            headers = {"ETag": entry.etag, "Last-Modified": LAST_MODIFIED, "Cache-Control": "max-age=60"}
            inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            if (entry.etag in [t.strip() for t in inm.split(",")]) if inm is not None else ims == LAST_MODIFIED:
                return self._send(304, headers, b"")
            gz = entry.gz if entry.gz is not None else entry.file.read_bytes()  # type: ignore[union-attr]
            headers["Content-Type"] = entry.content_type
            if "gzip" in (self.headers.get("Accept-Encoding") or ""):
                headers["Content-Encoding"] = "gzip"
                headers["Vary"] = "Accept-Encoding"
                return self._send(200, headers, gz)
            return self._send(200, headers, gzip.decompress(gz))

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256

    return Server((host, 0), Handler)


def serve_forever(root: Path, hosts: tuple[str, ...] | None = None) -> None:
    """The server process: bind every address, print {"bases": {...}} on one line, serve until stdin closes."""
    site = load(root)
    hosts = hosts or tuple(dict.fromkeys(o.host for o in site.outlets))
    counter, lock = [0, 0], threading.Lock()  # requests, article pages served (all addresses)
    tables: dict[str, dict[str, Entry]] = {h: {} for h in hosts}  # filled once the ports are known
    servers = {h: _server(h, tables[h], counter, lock) for h in hosts}
    bases = {h: f"http://{h}:{s.server_address[1]}" for h, s in servers.items()}
    for h, table in _routes(site, bases).items():
        tables[h].update(table)
    for s in servers.values():
        threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    sys.stdout.write(json.dumps({"bases": bases, "pid": os.getpid()}) + "\n")
    sys.stdout.flush()
    try:
        sys.stdin.read()  # the parent closes our stdin (or dies): stop
    finally:
        for s in servers.values():
            s.shutdown()
            s.server_close()


@dataclass
class Running:
    bases: dict[str, str]  # address -> http://address:port
    pid: int
    process: subprocess.Popen[bytes]

    def base(self, site: Site, slug: str) -> str:
        return self.bases[site.outlet(slug).host]

    def feed_url(self, site: Site, slug: str) -> str:
        return self.base(site, slug) + site.outlet(slug).feed_path

    def page_url(self, site: Site, page: Page) -> str:
        return self.base(site, page.outlet) + page.path

    def stats(self) -> dict[str, int]:
        """Requests and article pages served so far, over all addresses."""
        import urllib.request

        with urllib.request.urlopen(next(iter(self.bases.values())) + "/__sitegen/stats", timeout=5) as r:
            return json.loads(r.read())


@contextmanager
def serve(site: Site) -> Iterator[Running]:
    """Serve the site from a separate process (`python sitegen.py serve ROOT`) for the `with` block."""
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "serve", str(site.root)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the site server exited with {proc.wait()} before it was ready")
        info = json.loads(line)
        yield Running(info["bases"], info["pid"], proc)
    finally:
        if proc.stdin:
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()


# -- sinowatch configuration for the served site ---------------------------------------------------------

def source_tables(site: Site, running: Running) -> str:
    """One [[source]] table per outlet (EUC-KR outlets declare nothing: their pages say it themselves)."""
    out = []
    for o in site.outlets:
        out.append(f'[[source]]\nname = "{o.slug}"\noutlet = "{o.name}"\nurl = "{running.feed_url(site, o.slug)}"\n'
                   f'kind = "feed"\ninterval = "30m"\n')
    return "\n".join(out)


def write_config(site: Site, running: Running, workdir: Path, database_url: str | None = None,
                 extra: str = "") -> Path:
    """`workdir/sinowatch.toml` + `workdir/feeds/site.toml` for the served site; returns the config path."""
    workdir = Path(workdir)
    (workdir / "feeds").mkdir(parents=True, exist_ok=True)
    (workdir / "feeds" / "site.toml").write_text(source_tables(site, running), encoding="utf-8")
    url = database_url or "sqlite:///var/sinowatch.db"
    config = workdir / "sinowatch.toml"
    config.write_text(f'database_url = "{url}"\nfeeds_dir = "feeds"\n\n[fetch]\nhost_delay = 0\n'
                      f'allow_private_addresses = true\n{extra}', encoding="utf-8")
    return config


# -- checking a store against the ground truth --------------------------------------------------------------

@dataclass
class Verdict:
    """What a store holds after fetching the site, against the ground truth."""

    pages: int
    stored: int  # rows in `articles`
    missing: list[str]  # canonicals of pages not stored
    extra: list[str]  # stored URLs that are no page's canonical (a page stored under another URL)
    truncated: list[str]  # pages whose stored body lacks its first or last sentence
    links_expected: int  # per group of an original and its copies: members - 1
    linked: int  # duplicate / near_duplicate rows whose duplicate_of is in their group
    linked_via_story: int  # ... or in the story of their group's first article
    unlinked: list[str]  # group members stored as new although another member was stored
    wrong_links: list[str]  # group members linked to an article outside their group and its story
    false_links: list[str]  # pages that copy nothing, stored as duplicate / near_duplicate of another
    on_topic_expected: int  # pages whose on_topic matches their generated topic
    stories: int  # distinct stories among the originals

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.truncated or self.unlinked or self.wrong_links
                    or self.false_links) and self.stored == self.pages

    def summary(self) -> str:
        return (f"stored {self.stored}/{self.pages} (missing {len(self.missing)}, under another URL "
                f"{len(self.extra)}, body cut {len(self.truncated)}); copies linked "
                f"{self.linked + self.linked_via_story}/{self.links_expected} ({self.linked_via_story} through the "
                f"story; unlinked {len(self.unlinked)}, wrong {len(self.wrong_links)}); false links "
                f"{len(self.false_links)}; relevance as generated {self.on_topic_expected}/{self.pages}")


def stored_rows(database_url: str) -> list[dict[str, object]]:
    """url, id, status, duplicate_of, story_id, on_topic and body of every stored article (SQLite or PostgreSQL)."""
    from sqlalchemy import create_engine, text

    url = database_url
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(text(
                "SELECT id, url, status, duplicate_of, story_id, on_topic, body FROM articles"))]
    finally:
        engine.dispose()


def verify(site: Site, database_url: str) -> Verdict:
    from sinowatch.fetch.urls import canonical_url  # the store keeps canonical spellings

    rows = stored_rows(database_url)
    by_url = {str(r["url"]): r for r in rows}
    by_id = {r["id"]: r for r in rows}
    canon = {p.canonical: canonical_url(p.canonical) for p in site.pages}
    wanted = set(canon.values())
    missing = [p.canonical for p in site.pages if canon[p.canonical] not in by_url]
    extra = sorted(u for u in by_url if u not in wanted)
    truncated = []
    on_topic = 0
    for p in site.pages:
        r = by_url.get(canon[p.canonical])
        if r is None:
            continue
        body = str(r["body"])
        if p.first not in body or p.last not in body:
            truncated.append(p.canonical)
        on_topic += bool(r["on_topic"]) == (p.topic == "china_ai")
    groups = site.groups()
    in_group = {c for orig, copies in groups.items() for c in (orig, *copies)}
    expected = linked = via_story = 0
    unlinked: list[str] = []
    wrong: list[str] = []
    for orig, copies in groups.items():
        members = [by_url[canon[c]] for c in (orig, *copies) if canon[c] in by_url]
        if not members:  # none stored: counted as missing above
            continue
        ids = {m["id"] for m in members}
        expected += len(members) - 1
        roots = [m for m in members if m["status"] not in ("duplicate", "near_duplicate")]
        first = min(members, key=lambda m: m["id"])
        story = first["story_id"] or first["id"]
        unlinked += [str(m["url"]) for m in sorted(roots, key=lambda m: m["id"])[1:]]
        for m in members:
            if m["status"] not in ("duplicate", "near_duplicate"):
                continue
            target = by_id.get(m["duplicate_of"])
            if m["duplicate_of"] in ids:
                linked += 1
            elif target is not None and (target["story_id"] or target["id"]) == story:
                via_story += 1
            else:
                wrong.append(str(m["url"]))
    false_links = [p.canonical for p in site.pages if p.canonical not in in_group and canon[p.canonical] in by_url
                   and by_url[canon[p.canonical]]["status"] in ("duplicate", "near_duplicate")]
    stories = len({(by_url[canon[p.canonical]]["story_id"] or by_url[canon[p.canonical]]["id"]) for p in site.pages
                   if not p.copy_of and canon[p.canonical] in by_url})
    return Verdict(len(site.pages), len(rows), missing, extra, truncated, expected, linked, via_story, unlinked, wrong,
                   false_links, on_topic, stories)


def main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Generate or serve the loopback news site.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="build the site into its cache directory and print the directory")
    g.add_argument("--outlets", type=int, default=200)
    g.add_argument("--articles", type=int, default=50)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--copies", type=float, default=0.10)
    s = sub.add_parser("serve", help="serve a generated site (prints the base URLs as JSON, stops on stdin EOF)")
    s.add_argument("root", type=Path)
    args = parser.parse_args(argv)
    if args.cmd == "generate":
        site = generate(args.outlets, args.articles, args.seed, args.copies)
        sizes = sorted(p.size for p in site.pages)
        print(f"{site.root}: {len(site.outlets)} outlets, {len(site.pages)} pages, {len(site.copies)} copies, "
              f"{sizes[0] // 1000}-{sizes[-1] // 1000} KB (median {sizes[len(sizes) // 2] // 1000} KB)")
    else:
        serve_forever(args.root)


if __name__ == "__main__":
    main(sys.argv[1:])
