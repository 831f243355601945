"""A seeded generator of Korean-like news articles and of near-copies of earlier ones, for the dedupe bench.

Usage: .venv/bin/python bench/corpus.py [--seed 1] [--count 20000] [--show 2] [--pairs 3000]

Article `i` of a corpus is a pure function of (seed, i): nothing is kept in memory, any article can be
regenerated on demand (a copy regenerates its original), and worker processes can each generate their own
slice. Bodies are 800–4000 characters in 5–15 paragraphs of sentences made of Hangul words with particles
and predicate endings (a Zipf-weighted vocabulary: about 300 real news nouns at the head, tens of thousands
of synthetic ones in the tail), figures, Latin model names, and Chinese names glossed in Hanja
("화웨이(華爲)"), plus the chrome outlets put around a text (bylines, copyright lines).

A share of the articles (`copy_share`, 10 % by default) are copies of an earlier original, one of:

- `exact`     the same text with another outlet's chrome (bylines, copyright, photo credit): folds to the
              same text, so the expected outcome is `duplicate`
- `chrome`    another outlet's dateline put before the lead ("(베이징=연합뉴스) … 특파원 = ") and its chrome
- `drop`      one to three sentences dropped
- `hanja`     Hanja glosses dropped or written in simplified characters
- `truncate`  only the first 40–75 % of the paragraphs (a teaser that links to the full story)

Run as a script it prints sample articles and the figures that matter for deduplication: lengths, the
generation rate, and the exact shingle Jaccard between unrelated articles next to the copies' Jaccard.
"""

from __future__ import annotations

import argparse
import bisect
import functools
import math
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

COPY_KINDS = ("exact", "chrome", "drop", "hanja", "truncate")
# Shape of the text, calibrated on the real Korean articles of tests/data/dedupe and the demo site (run this
# file to compare): the r-th noun is drawn with weight 1 / (r + NOUN_OFFSET) ** NOUN_EXPONENT; TOPIC_SHARE of
# the nouns come from the article's news event (reports on one event share words, names and model names).
NOUN_OFFSET, NOUN_EXPONENT = 30, 1.0
SYLLABLE_OFFSET = 20
TOPIC_SHARE = 0.25
EVENT_ARTICLES = 12  # fresh articles per news event, on average
EVENT_WINDOW = 40  # a new article reports on one of the latest this many events
QUOTE_SHARE = 0.2  # paragraphs that open with a sentence of the event's press release
KST = timezone(timedelta(hours=9))
EPOCH = datetime(2023, 1, 1, 6, 0, tzinfo=KST)

# -- vocabulary -----------------------------------------------------------------------------------

# Real nouns of Korean technology and China coverage, most frequent first: the head of the Zipf curve.
HEAD_NOUNS = """
중국 인공지능 기업 기술 시장 정부 개발 미국 모델 산업 서비스 데이터 반도체 투자 한국 플랫폼 연구 발표 제품 글로벌
세계 업체 회사 분야 전략 정책 협력 경쟁 규제 성장 매출 국내 해외 그룹 센터 연구소 대학 인재 칩 클라우드 컴퓨팅
자율주행 로봇 전기차 배터리 스마트폰 통신 네트워크 보안 소프트웨어 하드웨어 알고리즘 학습 추론 생성형 대규모 언어
오픈소스 생태계 응용 혁신 경제 무역 수출 수입 제재 관세 공급망 생산 공장 설비 부품 소재 가격 비용 이익 실적 분기
주가 지분 인수 합병 상장 자금 펀드 벤처 스타트업 창업 사용자 고객 소비자 이용자 앱 검색 엔진 음성 인식 영상 이미지
번역 의료 교육 금융 제조 물류 유통 에너지 도시 지역 베이징 상하이 선전 항저우 광저우 칭다오 허페이 우한 청두 난징
쑤저우 톈진 관계자 대표 회장 총재 교수 연구원 전문가 분석가 당국 부처 위원회 공업정보화부 과학기술부 국무원 발전 계획
목표 규모 수준 능력 성능 속도 효율 정확도 파라미터 버전 출시 공개 업데이트 테스트 시범 사업 프로젝트 협약 파트너십
회의 포럼 박람회 대회 행사 보고서 조사 통계 전망 예측 우려 문제 과제 위험 기회 변화 추세 흐름 영향 효과 결과 성과
기록 역대 최대 최초 이후 이전 당시 현재 향후 내년 지난해 상반기 하반기 연말 초기 단계 방식 방안 기준 표준 체계 구조
환경 조건 상황 관계 지원 확대 강화 추진 구축 도입 적용 활용 운영 관리 제공 참여 진출 확보 유지 개선 향상 감소 증가
상승 하락 반등 회복 둔화 가속 전환 통합 연결 자체 독자 핵심 대형 중소 신규 기존 차세대 첨단 고성능 저전력 엣지 서버
데이터센터 슈퍼컴퓨터 그래픽처리장치 메모리 파운드리 설계 공정 나노 웨이퍼 장비 노광 특허 표준화 인증 허가 승인 심사
보호 개인정보 윤리 안전 신뢰 책임 투명성 디지털 전자상거래 스마트 제조업 인프라 생산성 경쟁력 점유율 수익 손실 예산
""".split()

MODIFIERS = """
또한 특히 이번 지난 올해 새로운 가장 더욱 이미 아직 크게 빠르게 다양한 여러 모든 각 약 총 최근 현재 이어 한편 이에
그러나 하지만 따라서 다만 실제로 앞서 동시에 본격적으로 적극적으로 꾸준히 대폭 잇따라 처음으로 사실상 여전히
""".split()

CONNECTORS = """
하고 하며 했으며 했지만 하면서 해 된 한 할 하는 이며 이고 가운데 따르면 대해 위해 통해 관련해 비해 함께 등 및 뿐 아니라 외에도 가운데서도 대비
""".split()

ENDINGS = (
    "했다", "밝혔다", "전했다", "발표했다", "설명했다", "강조했다", "덧붙였다", "분석했다", "예상했다", "보도했다",
    "말했다", "나타났다", "집계됐다", "있다", "없다", "된다", "됐다", "한다", "할 계획이다", "할 방침이다",
    "할 예정이다", "것으로 알려졌다", "것으로 보인다", "것으로 전망된다", "것으로 나타났다", "고 밝혔다", "고 전했다",
    "기로 했다", "수 있다", "중이다", "셈이다", "상태다",
)

LIGHT_VERBS = ("했다", "한다", "됐다", "된다", "할 계획이다", "에 나섰다", "을 추진한다", "하기로 했다", "할 전망이다",
               "에 속도를 내고 있다", "을 마쳤다", "이 이어지고 있다", "에 들어갔다", "을 앞두고 있다")

# (particle after a final consonant, particle after a vowel)
PARTICLES = (
    ("은", "는"), ("이", "가"), ("을", "를"), ("의", "의"), ("에", "에"), ("에서", "에서"), ("으로", "로"),
    ("과", "와"), ("도", "도"), ("만", "만"), ("까지", "까지"), ("부터", "부터"), ("에게", "에게"), ("보다", "보다"),
    ("처럼", "처럼"), ("에는", "에는"), ("에서는", "에서는"), ("으로는", "로는"), ("과의", "와의"),
)
PARTICLE_WEIGHTS = (9, 9, 12, 10, 7, 5, 5, 4, 3, 1, 1, 1, 1, 1, 1, 2, 2, 1, 1)
_PARTICLE_CUM = [sum(PARTICLE_WEIGHTS[:k + 1]) for k in range(len(PARTICLE_WEIGHTS))]

# Chinese names as Korean press writes them: Hangul reading, traditional Hanja gloss, simplified form.
HANJA_NAMES = (
    ("바이두", "百度", "百度"), ("화웨이", "華爲", "华为"), ("텐센트", "騰訊", "腾讯"), ("알리바바", "阿里巴巴", "阿里巴巴"),
    ("커다쉰페이", "科大訊飛", "科大讯飞"), ("상탕커지", "商湯科技", "商汤科技"), ("바이트댄스", "字節跳動", "字节跳动"),
    ("중국", "中國", "中国"), ("딥시크", "深度求索", "深度求索"), ("즈푸", "智譜", "智谱"), ("캄브리콘", "寒武紀", "寒武纪"),
    ("중신궈지", "中芯國際", "中芯国际"), ("샤오미", "小米", "小米"), ("비야디", "比亞迪", "比亚迪"), ("국무원", "國務院", "国务院"),
    ("공업정보화부", "工業和信息化部", "工业和信息化部"), ("시진핑", "習近平", "习近平"), ("리창", "李強", "李强"),
    ("대형모델", "大模型", "大模型"), ("산력", "算力", "算力"), ("신품질생산력", "新質生產力", "新质生产力"),
    ("디지털경제", "數字經濟", "数字经济"), ("일대일로", "一帶一路", "一带一路"), ("하이크비전", "海康威視", "海康威视"),
    ("쾅스", "曠視", "旷视"), ("윈충", "雲從", "云从"), ("디핑셴", "地平線", "地平线"), ("닝더스다이", "寧德時代", "宁德时代"),
    ("징둥", "京東", "京东"), ("메이퇀", "美團", "美团"), ("콰이서우", "快手", "快手"), ("왕이", "網易", "网易"),
    ("롄샹", "聯想", "联想"), ("중싱", "中興", "中兴"), ("랑차오", "浪潮", "浪潮"), ("쯔광", "紫光", "紫光"),
    ("창장춘추", "長江存儲", "长江存储"), ("모얼셴청", "摩爾線程", "摩尔线程"), ("성텅", "昇騰", "昇腾"), ("웨즈안몐", "月之暗面", "月之暗面"),
)
# Traditional characters (with their simplified forms) for synthetic Chinese names in the long tail.
HANJA_POOL = ("華華 國国 東东 電电 數数 據据 網网 雲云 開开 發发 創创 新新 科科 技技 智智 能能 芯芯 微微 聯联 訊讯 "
              "通通 達达 興兴 盛盛 龍龙 鳳凤 海海 天天 長长 進进 寶宝 衛卫 視视 動动 機机 業业 產产 億亿 萬万 "
              "華华 豐丰 馳驰 時时 騰腾 飛飞 鋒锋 銳锐 晶晶 源源 光光 明明 星星 航航 宇宇 實实 驗验 算算 力力").split()
BRANDS = ("DeepSeek", "Qwen", "ERNIE", "Hunyuan", "Doubao", "GLM", "Kimi", "Baichuan", "Yi", "MiniMax", "Spark",
          "Pangu", "Ascend", "Kunlun", "Hygon", "Loongson", "MTT", "Biren", "Kirin", "SenseNova", "Step", "InternLM")
OUTLETS = (
    ("people-kr", "인민망 한국어판", "kr.people.example"), ("xinhua-kr", "신화망 한국어판", "kr.xinhua.example"),
    ("cri-kr", "CRI 한국어", "korean.cri.example"), ("yonhap", "연합뉴스", "yna.example"), ("aitimes", "AI타임스", "aitimes.example"),
    ("zdnet-kr", "지디넷코리아", "zdnet.example"), ("etnews", "전자신문", "etnews.example"), ("newsis", "뉴시스", "newsis.example"),
    ("aju", "아주경제", "ajunews.example"), ("news1", "뉴스1", "news1.example"), ("hankyung", "한국경제", "hankyung.example"),
    ("chosun-biz", "조선비즈", "biz.chosun.example"),
)
CITIES = ("베이징", "상하이", "선전", "홍콩", "서울", "항저우", "광저우", "타이베이")
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = "민서지현우준영수진호경은성훈혜유하윤재석동철"

# Common syllables, roughly by frequency, for synthetic nouns (the long tail of the vocabulary).
SYLLABLES = ("이 지 기 사 리 자 수 대 고 하 정 시 부 가 전 주 도 인 상 장 아 소 공 원 제 스 신 보 세 국 성 연 화 무 "
             "경 방 동 문 트 구 선 오 비 관 미 일 모 유 조 재 한 진 실 여 생 위 개 발 마 로 나 천 계 적 드 명 영 감 "
             "물 서 기 업 회 용 안 분 중 단 통 결 식 중 해 산 금 행 학 교 건 설 강 복 병 차 체 치 평 표 품 풍 피 필 "
             "학 항 향 허 혁 현 협 형 혜 호 혼 홍 확 환 활 황 회 효 후 훈 휘 흥 희 력 량 령 례 료 룡 류 륙 률 린 림 "
             "택 탄 탐 태 토 통 퇴 투 특 판 패 편 폐 포 폭 측 층 칙 친 침 칭 쾌 타 탁 청 체 초 촉 총 최 추 축 춘 출 "
             "충 취 율 은 음 응 의 익 인 임 입 잉 작 잔 잠 잡 장 재 쟁 저 적 전 절 점 접 정 제 조 족 존 졸 종 좌 죄").split()


@dataclass(frozen=True)
class Vocabulary:
    nouns: list[str]
    noun_cum: list[float]
    hanja: list[tuple[str, str, str]]  # (reading, traditional, simplified)
    final: dict[str, bool]  # does the word end in a consonant (which particle form follows)


def _has_final(word: str) -> bool:
    last = word[-1]
    return "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0


@functools.cache
def vocabulary(seed: int, tail: int = 60_000) -> Vocabulary:
    """The words of a corpus: deterministic in the seed, built once per process (about 0.2 s)."""
    rng = random.Random(seed * 7919 + 17)
    syl_cum = list(_accumulate(1 / (r + SYLLABLE_OFFSET) for r in range(len(SYLLABLES))))
    seen = set(HEAD_NOUNS)
    tail_nouns: list[str] = []
    while len(tail_nouns) < tail:
        word = "".join(rng.choices(SYLLABLES, cum_weights=syl_cum, k=rng.choice((2, 2, 2, 3, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            tail_nouns.append(word)
    nouns = HEAD_NOUNS + tail_nouns
    noun_cum = list(_accumulate(1 / (r + NOUN_OFFSET) ** NOUN_EXPONENT for r in range(len(nouns))))
    trad_simp = [pair for pair in HANJA_POOL if len(pair) == 2]
    hanja = list(HANJA_NAMES)
    readings = set()
    for _ in range(3000):
        chars = rng.sample(trad_simp, rng.choice((2, 2, 3, 4)))
        reading = "".join(rng.choices(SYLLABLES, k=len(chars)))
        if reading in readings:
            continue
        readings.add(reading)
        hanja.append((reading, "".join(c[0] for c in chars), "".join(c[1] for c in chars)))
    final = {w: _has_final(w) for w in nouns}
    final.update({h[0]: _has_final(h[0]) for h in hanja})
    return Vocabulary(nouns, noun_cum, hanja, final)


def _accumulate(values: Iterator[float] | object) -> Iterator[float]:
    total = 0.0
    for v in values:  # type: ignore[attr-defined]
        total += v
        yield total


# -- articles -------------------------------------------------------------------------------------

@dataclass
class Article:
    """One generated article; `body` is built from `paragraphs` and the chrome lines around them."""

    index: int  # position in the corpus (probes: -1)
    kind: str  # "fresh" or one of COPY_KINDS
    original: int | None  # corpus index of the article this one copies
    source: str
    outlet: str
    url: str
    title: str
    published: datetime
    paragraphs: list[list[str]]  # sentences per paragraph
    head: list[str] = field(default_factory=list)  # chrome lines above the text
    tail: list[str] = field(default_factory=list)  # chrome lines below the text
    lead: str = ""  # a dateline put before the first sentence
    hanja: list[tuple[str, str, str]] = field(default_factory=list)  # the glossed names the text uses

    @property
    def body(self) -> str:
        paras = [" ".join(p) for p in self.paragraphs if p]
        if self.lead and paras:
            paras[0] = self.lead + paras[0]
        return "\n\n".join([*self.head, *paras, *self.tail])


class Corpus:
    """Articles 0, 1, 2, … of a seeded corpus, generated on demand; a `copy_share` of them copy earlier ones."""

    def __init__(self, seed: int = 1, copy_share: float = 0.10) -> None:
        self.seed = seed
        self.copy_share = copy_share
        self.vocab = vocabulary(seed)

    # which articles are copies, and of what
    def _rng(self, namespace: int, i: int) -> random.Random:
        return random.Random((self.seed * 1_000_003 + namespace) * 10_000_000_000 + i)

    def kind(self, i: int) -> str:
        rng = self._rng(1, i)
        if i < 20 or rng.random() >= self.copy_share:
            return "fresh"
        return COPY_KINDS[rng.randrange(len(COPY_KINDS))]

    def original_of(self, i: int) -> int:
        """A fresh article before `i`, most often a recent one (syndication follows the news)."""
        rng = self._rng(2, i)
        j = max(0, i - 1 - int(rng.expovariate(1 / 300)))
        while self.kind(j) != "fresh":
            j -= 1
        return j

    def article(self, i: int) -> Article:
        kind = self.kind(i)
        if kind == "fresh":
            return self._fresh(self._rng(3, i), i, i)
        j = self.original_of(i)
        return self.copy(self.article(j), kind, self._rng(4, i), index=i)

    def __iter__(self) -> Iterator[Article]:
        i = 0
        while True:
            yield self.article(i)
            i += 1

    def probe_fresh(self, k: int, now: int = 0) -> Article:
        """A fresh article outside the corpus numbering, on one of the events current after article `now`:
        the same text whatever the archive size but for the event it reports on."""
        art = self._fresh(self._rng(5, k), -1, now)
        art.url = f"https://{_domain(art.source)}/probe/{k}"
        return art

    def probe_copy(self, original: int, kind: str, k: int) -> Article:
        art = self.copy(self.article(original), kind, self._rng(6, k), index=-1)
        art.url = f"https://{_domain(art.source)}/probe-copy/{k}"
        return art

    # generation
    @functools.lru_cache(maxsize=256)  # noqa: B019 (one corpus per process)
    def event(self, e: int) -> tuple[list[str], list[tuple[str, str, str]], list[str], list[str]]:
        """News event `e`: its words, the Chinese names it is about, the model names it mentions, and the
        sentences of its press release that reports on it repeat."""
        rng = self._rng(7, e)
        v = self.vocab
        words = [v.nouns[bisect.bisect(v.noun_cum, rng.random() * v.noun_cum[-1])] for _ in range(8)]
        words += rng.sample(v.nouns[len(HEAD_NOUNS):], 4)
        names = rng.sample(v.hanja[:len(HANJA_NAMES)], 2) + rng.sample(v.hanja[len(HANJA_NAMES):], 2)
        models = [_model(rng) for _ in range(2)]
        style = (rng.sample(ENDINGS, 6), rng.sample(CONNECTORS, 6), rng.sample(LIGHT_VERBS, 3))
        quotes = [self._sentence(rng, words + models, names, style) for _ in range(5)]  # the press release
        return words, names, models, quotes

    def _fresh(self, rng: random.Random, i: int, now: int) -> Article:
        v = self.vocab
        source, outlet, domain = OUTLETS[rng.randrange(len(OUTLETS))]
        target = int(min(3900, max(850, rng.lognormvariate(math.log(1800), 0.45))))
        n_paras = min(15, max(5, round(target / rng.uniform(160, 320))))
        per_para = target / n_paras
        event_words, event_names, models, quotes = self.event(max(0, now // EVENT_ARTICLES - rng.randrange(EVENT_WINDOW)))
        topic = event_words + [v.nouns[bisect.bisect(v.noun_cum, rng.random() * v.noun_cum[-1])] for _ in range(6)]
        topic += models
        uses_hanja = rng.random() < 0.6
        names = event_names[:rng.randint(1, 4)] if uses_hanja else []
        style = (rng.sample(ENDINGS, rng.randint(4, 9)), rng.sample(CONNECTORS, rng.randint(4, 8)),
                 rng.sample(LIGHT_VERBS, rng.randint(2, 5)))
        paragraphs: list[list[str]] = []
        for _ in range(n_paras):
            sentences: list[str] = []
            length = 0
            if rng.random() < QUOTE_SHARE:
                sentences.append(rng.choice(quotes))
                length += len(sentences[0]) + 1
            while True:
                s = self._sentence(rng, topic, names, style)
                if sentences and length + len(s) / 2 > per_para:
                    break
                sentences.append(s)
                length += len(s) + 1
            paragraphs.append(sentences)
        # keep the text (without chrome) within 800-4000 characters
        while sum(len(" ".join(p)) + 2 for p in paragraphs) < 800:
            paragraphs[-1].append(self._sentence(rng, topic, names, style))
        while sum(len(" ".join(p)) + 2 for p in paragraphs) > 4000 and len(paragraphs[-1]) > 1:
            paragraphs[-1].pop()
        title = self._title(rng, topic, names)
        published = EPOCH + timedelta(minutes=7 * max(i, 0) + rng.randrange(7))
        art = Article(i, "fresh", None, source, outlet, f"https://{domain}/news/articleView.html?idxno={i}", title,
                      published, paragraphs, hanja=[n for n in names if n[1] in " ".join(map(" ".join, paragraphs))])
        art.tail = _chrome(rng, outlet, domain)
        return art

    def _word(self, rng: random.Random, topic: list[str], names: list[tuple[str, str, str]]) -> str:
        r = rng.random()
        if names and r < 0.05:
            name = rng.choice(names)
            return f"{name[0]}({name[1]})" if rng.random() < 0.5 else name[0]
        if r < 0.02:
            return _model(rng)
        if r < 0.13:
            return _figure(rng)
        if r < 0.13 + TOPIC_SHARE:
            return rng.choice(topic)
        v = self.vocab
        return v.nouns[bisect.bisect(v.noun_cum, rng.random() * v.noun_cum[-1])]

    def _sentence(self, rng: random.Random, topic: list[str], names: list[tuple[str, str, str]],
                  style: tuple[list[str], list[str], list[str]]) -> str:
        parts: list[str] = []
        if rng.random() < 0.25:
            parts.append(rng.choice(MODIFIERS))
        for _ in range(rng.randint(5, 12)):
            word = self._word(rng, topic, names)
            if rng.random() < 0.25:
                word += self._word(rng, topic, names).split("(")[0]  # compounds: 인공지능반도체
            r = rng.random()
            if r < 0.7:
                bare = word.split("(")[0]
                pair = PARTICLES[bisect.bisect(_PARTICLE_CUM, rng.random() * _PARTICLE_CUM[-1])]
                word += pair[0] if self.vocab.final.get(bare, True) else pair[1]
            elif r < 0.85:
                word += " " + rng.choice(style[1])
            parts.append(word)
        endings, _, light_verbs = style
        if rng.random() < 0.5:
            parts.append(rng.choice(endings) + ".")
        else:  # a verb made of a noun: 개발했다, 출시할 계획이다, 투자에 나섰다
            parts.append(self._word(rng, topic, ()).split("(")[0] + rng.choice(light_verbs) + ".")
        return " ".join(parts)

    def _title(self, rng: random.Random, topic: list[str], names: list[tuple[str, str, str]]) -> str:
        words = [self._word(rng, topic, names).split("(")[0] for _ in range(rng.randint(3, 6))]
        return " ".join(words) + rng.choice(("", "…", " 발표", " 출시", " 추진", " 확대"))

    def copy(self, original: Article, kind: str, rng: random.Random, *, index: int) -> Article:
        """A copy of `original` as another outlet publishes it (see the module docstring for the kinds)."""
        others = [o for o in OUTLETS if o[0] != original.source]
        source, outlet, domain = others[rng.randrange(len(others))]
        paragraphs = [list(p) for p in original.paragraphs]
        art = Article(index, kind, original.index, source, outlet,
                      f"https://{domain}/view.php?no={index}", original.title, original.published
                      + timedelta(minutes=rng.randrange(5, 600)), paragraphs, hanja=original.hanja)
        art.tail = _chrome(rng, outlet, domain, always=True)
        if kind == "chrome" or (kind in ("drop", "hanja") and rng.random() < 0.3):
            city = rng.choice(CITIES)
            art.lead = f"({city}={outlet}) {_name(rng)} {rng.choice(('특파원', '기자'))} = "
            if rng.random() < 0.5:
                art.head = [f"입력 {art.published:%Y.%m.%d %H:%M}"]
        if kind == "drop":
            sentences = [(p, s) for p, para in enumerate(paragraphs) for s in range(len(para))]
            for p, s in sorted(rng.sample(sentences, min(len(sentences) - 1, rng.randint(1, 3))), reverse=True):
                del paragraphs[p][s]
        elif kind == "hanja":
            _switch_hanja(art, rng)
        elif kind == "truncate":
            total = sum(len(" ".join(p)) for p in paragraphs)
            keep_share = rng.uniform(0.40, 0.75)
            kept, length = [], 0
            for para in paragraphs:
                if kept and length >= keep_share * total:
                    break
                kept.append(para)
                length += len(" ".join(para))
            art.paragraphs = kept if len(kept) < len(paragraphs) else kept[:-1]
            art.tail = [f"{outlet} 원문 기사 전체 보기", *art.tail]
        return art


def _switch_hanja(art: Article, rng: random.Random) -> None:
    """Drop some Hanja glosses and write the others in simplified characters; at least one gloss is dropped."""
    if not art.hanja:  # nothing glossed: this outlet adds a gloss where the original had the reading alone
        art.paragraphs[0][0] = "중국(中國) " + art.paragraphs[0][0]
        return
    dropped = False
    for n, (_, trad, simp) in enumerate(art.hanja):
        drop = rng.random() < 0.5 or (not dropped and n == len(art.hanja) - 1)
        dropped |= drop
        new = "" if drop else f"({simp})"
        art.paragraphs = [[s.replace(f"({trad})", new) for s in p] for p in art.paragraphs]


def _model(rng: random.Random) -> str:
    return f"{rng.choice(BRANDS)}-{rng.randrange(1, 200)}{rng.choice(('B', 'C', '', '', '', 'X', 'Pro', ' Turbo', 'R1', ' Max', 'V'))}"


def _figure(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.2:
        return f"{rng.randrange(2015, 2027)}년"
    if r < 0.35:
        return f"{rng.randrange(1, 13)}월 {rng.randrange(1, 29)}일"
    if r < 0.55:
        return f"{rng.randrange(1, 100)}.{rng.randrange(10)}%"
    if r < 0.75:
        return f"{rng.randrange(1, 9999):,}억 원"
    if r < 0.9:
        return f"{rng.randrange(1, 999)}만 {rng.choice(('명', '개', '대', '건'))}"
    return f"{rng.randrange(1, 500)}억 달러"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=2))


def _chrome(rng: random.Random, outlet: str, domain: str, *, always: bool = False) -> list[str]:
    """Lines an outlet puts around a text: all of them are boilerplate to `is_boilerplate`."""
    lines = []
    if always or rng.random() < 0.7:
        lines.append(f"{_name(rng)} 기자 reporter{rng.randrange(1000)}@{domain}")
    if always or rng.random() < 0.5:
        lines.append(f"<저작권자 © {outlet} 무단전재 및 재배포 금지>")
    if rng.random() < 0.2:
        lines.insert(0, f"사진={outlet} 제공")
    return lines


def _domain(source: str) -> str:
    return next(o[2] for o in OUTLETS if o[0] == source)


# -- the script: samples and the figures that matter ---------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=20_000, help="articles to generate for the rate and lengths")
    parser.add_argument("--show", type=int, default=1, help="sample articles to print")
    parser.add_argument("--pairs", type=int, default=3000, help="random unrelated pairs for the Jaccard figures")
    args = parser.parse_args()

    corpus = Corpus(args.seed)
    t0 = time.perf_counter()
    corpus.vocab  # noqa: B018
    t_vocab = time.perf_counter() - t0
    kinds: dict[str, int] = {}
    lengths, paras = [], []
    t0 = time.perf_counter()
    for i in range(args.count):
        art = corpus.article(i)
        body = art.body
        kinds[art.kind] = kinds.get(art.kind, 0) + 1
        if art.kind == "fresh":
            lengths.append(len(body))
            paras.append(len(art.paragraphs))
    rate = args.count / (time.perf_counter() - t0)
    lengths.sort()
    print(f"vocabulary {t_vocab:.2f} s; {args.count} articles at {rate:,.0f} articles/s per core")
    print(f"kinds: {kinds}")
    print(f"fresh body length: min {lengths[0]}, median {lengths[len(lengths) // 2]}, max {lengths[-1]}; "
          f"paragraphs {min(paras)}–{max(paras)}")
    for i in range(args.show):
        art = corpus.article(i)
        print(f"\n--- article {i} ({art.outlet}, {art.url})\n{art.title}\n\n{art.body}")

    from sinowatch.dedupe import identify
    from sinowatch.text import fingerprint

    rng = random.Random(args.seed)
    pool = [i for i in range(min(args.count, 5000)) if corpus.kind(i) == "fresh"]
    norms = {i: identify(corpus.article(i).body).norm for i in pool}
    unrelated = sorted(fingerprint.overlap(norms[a], norms[b])[0] for a, b in
                       (rng.sample(pool, 2) for _ in range(args.pairs)))
    q = lambda xs, p: xs[min(len(xs) - 1, int(p * len(xs)))]  # noqa: E731
    print(f"\nunrelated pairs ({args.pairs}): exact shingle Jaccard median {q(unrelated, .5):.4f}, "
          f"p99 {q(unrelated, .99):.4f}, max {unrelated[-1]:.4f}, mean J^4 {sum(j ** 4 for j in unrelated) / len(unrelated):.2e}")
    for kind in COPY_KINDS:
        js = []
        for k in range(200):
            orig = pool[k % len(pool)]
            copy = corpus.probe_copy(orig, kind, k)
            js.append(fingerprint.overlap(identify(copy.body).norm, norms[orig]))
        jac = sorted(j[0] for j in js)
        cont = sorted(j[1] for j in js)
        print(f"{kind:9s} copies: Jaccard min {jac[0]:.3f} median {q(jac, .5):.3f}; copy-in-original min {cont[0]:.3f}")


if __name__ == "__main__":
    main()
