"""Line-level rules for what is site chrome rather than article text: copyright, bylines, credits, footers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from sinowatch.text.prefilter import PatternSet, fold, may_match, needles

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)+|\[?email[\s\u00a0]*protected\]?", re.I)  # starts only at a word start: linear on long lines
_SPACES: Final = re.compile(r"[\s\u00a0\u200b\u200c\u200d\u2060\ufeff]+")
_ZERO_WIDTH: Final = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")  # not spaces to str.split
# Every character str.split (and \s) takes for a space but the space itself, and the zero-width ones
_UNFOLDED: Final = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060"
                              "\u3000\ufeff]")


@dataclass(frozen=True)
class Rule:
    """A pattern that marks a whole line as boilerplate when the line is at most `max_len` characters."""

    name: str
    pattern: re.Pattern[str]
    max_len: int = 200


def _rule(name: str, pattern: str, max_len: int = 200) -> Rule:
    return Rule(name, re.compile(pattern, re.I), max_len)


# Words and phrases of page furniture; a line made only of these is not article text.
_UI_PHRASES: Final = (
    r"최신\s*뉴스", r"최신\s*기사", r"최근\s*기사", r"맨\s*위로", r"맨\s*위", r"위로\s*가기", r"top",
    r"이전\s*기사", r"다음\s*기사", r"이전\s*글", r"다음\s*글", r"기사\s*목록", r"목록\s*보기", r"목록",
    r"인쇄하기", r"인쇄", r"프린트", r"스크랩", r"저장", r"북마크", r"공유하기", r"기사\s*공유", r"공유",
    r"닫기", r"열기", r"글자\s*크기\s*(?:설정|조절|변경)", r"글자\s*크기", r"글씨\s*크기", r"폰트\s*크기",
    r"확대", r"축소", r"가+", r"좋아요", r"싫어요", r"추천하기", r"추천", r"구독\s*신청", r"구독하기", r"구독",
    r"댓글\s*(?:쓰기|보기|달기|작성)", r"댓글\s*\d+", r"댓글", r"기사\s*제보", r"제보하기", r"url\s*복사",
    r"링크\s*복사", r"주소\s*복사", r"복사하기", r"페이스북", r"트위터", r"엑스", r"카카오톡", r"카카오\s*스토리",
    r"네이버\s*블로그", r"네이버", r"밴드", r"라인", r"이메일", r"메일", r"sns\s*공유", r"facebook", r"twitter",
    r"kakao(?:talk)?", r"line", r"band", r"share", r"print", r"e-?mail", r"copy\s*url", r"관련\s*기사",
    r"관련\s*뉴스", r"가장\s*많이\s*본\s*(?:뉴스|기사)", r"많이\s*본\s*(?:뉴스|기사)", r"인기\s*(?:기사|뉴스)",
    r"추천\s*(?:기사|뉴스)", r"핫\s*이슈", r"주요\s*(?:뉴스|기사)", r"실시간\s*(?:뉴스|기사)", r"포토\s*뉴스",
    r"내가\s*본\s*뉴스", r"이\s*기사를\s*(?:공유|추천)합니다", r"기사\s*원문", r"원문\s*보기", r"홈", r"home",
    r"태그", r"tags?", r"키워드", r"광고", r"ad", r"advertisement", r"sponsored", r"로그인", r"회원가입", r"검색",
    r"전체\s*메뉴", r"메뉴", r"본문\s*바로\s*가기", r"바로\s*가기", r"오늘의\s*주요\s*뉴스", r"오늘의\s*뉴스",
    r"랭킹\s*뉴스", r"기자\s*구독", r"기자\s*페이지", r"본문\s*글씨\s*(?:키우기|줄이기)", r"글씨\s*(?:키우기|줄이기)",
    r"[가-힣a-z]+\(으\)로\s*기사\s*보내기", r"기사\s*보내기",
)
# Atomic and longest-first, so a long line of near-misses cannot make the regex backtrack for ever.
_UI_ALTERNATION: Final = "(?>" + "|".join(sorted(_UI_PHRASES, key=len, reverse=True)) + ")"
_UI_SEPARATORS: Final = r"[\s|·•/>»›:,+\-\[\]()]*"
_PICTURE: Final = r"사진|이미지|그래픽|자료\s*사진|영상|출처|일러스트"
_AGENCIES: Final = (r"제공|자료\s*사진|사진|캡처|캡쳐|DB|연합뉴스|뉴스1|뉴시스|게티이미지\S*|AP|AFP|로이터|EPA|신화|Xinhua"
             r"|신화통신|신화사|로이터통신|AP통신|AFP통신|교도통신|중신사"
             r"|Getty\s*Images|Reuters|셔터스톡|Shutterstock")
_DATE_LABELS: Final = r"입력|수정|승인|등록|업데이트|최종\s*수정|발행|게재|송고|작성"

RULES: tuple[Rule, ...] = (
    # copyright and reuse notices
    _rule("copyright", r"무단\s*(?:전재|복제|배포|사용)|재배포\s*(?:및\s*)?(?:금지|불가)|all\s+rights\s+reserved"
                       r"|版权所有|未经(?:授权|许可)"),
    _rule("copyright", r"copyrights?\s*(?:[ⓒ©]|\(c\)|\d{4}|by\b|@)|저작권자?\s*[ⓒ©(]|저작권\s*[ⓒ©]|[ⓒ©]\s*\S"),
    _rule("copyright", r"ai\s*학습\s*(?:및\s*)?(?:활용|이용|사용)\s*금지"),
    _rule("copyright", r"재판매\s*(?:및|와)\s*DB\s*금지|DB\s*및\s*재판매\s*금지", 400),
    # reporter lines: "홍길동 기자 hong@x.com", "[인민망 은진호 기자 ...]", "/홍길동 기자"
    _rule("byline", r"^[\s\[(<=/·•-]*(?:[\w·]+\s+){0,3}[가-힣]{2,4}\s?(?:선임|수석|인턴|객원|전문|취재|사진)?\s?"
                    r"(?:기자|특파원|통신원|기자단|리포터)(?![가-힣])[\s\])>=/,·]*$", 70),
    _rule("byline", r"^[\s\[(<=/·•-]*(?:글|글[·ㆍ]\s*사진|사진|취재|정리|번역|영상|그래픽)\s*[=:]\s*\S", 60),
    _rule("byline", r"기자\s*(?:의\s*)?(?:다른\s*기사|구독|페이지|채널|프로필|홈)", 60),
    # a credit in brackets that ends with the title: "[피닉스(미국) =김재호 MK스포츠 특파원]", "[강영국 스타투데이 기자]"
    _rule("byline", r"^[\[<]\s*[^\[\]<>]{2,50}(?:기자|특파원|통신원)\s*[\]>]$", 60),
    _rule("email", r"(?:기자|특파원|reporter|editor|에디터)[^.!?]*" + _EMAIL.pattern, 100),
    # photo credits and captions
    _rule("credit", rf"^[\s\[(<▲△]*(?:{_PICTURE})\s*(?:출처|제공|설명)?\s*[:=：]", 150),
    _rule("credit", rf"[(\[<]\s*(?:{_PICTURE})\s*(?:[=:：/]|제공|출처)[^)\]>]*[)\]>]\s*$", 150),
    _rule("credit", r"/\s*(?:사진|이미지|그래픽)\s*[=:]|사진\s*[=:]\s*\S+\s*(?:기자|제공|DB|뉴스)", 150),
    # "▲ 바이두 본사 전경. 바이두 제공" is a caption; "▲AI ▲반도체 분야를 지원한다" a list; "◇" marks subheads
    _rule("credit", r"^[▲△]\s*[^▲△]{1,150}(?:사진|제공|출처|캡처|캡쳐|=)[^.!?▲△]{0,40}$", 200),
    _rule("credit", rf"^[\[(<]\s*[^\])>]{{0,40}}(?:{_AGENCIES})\s*[\])>]$", 60),
    _rule("credit", r"^(?:게티이미지\S*|getty\s*images\S*|셔터스톡|shutterstock|연합뉴스\s*(?:자료\s*)?사진)$", 40),
    # a caption that ends with its wire credit ("… 연설하고 있다. [로이터=연합뉴스]"), or starts with a photo credit
    # naming two agencies ("[상하이=신화/뉴시스] 26일 …"); a text dateline ("[베이징=뉴시스] 김 특파원 =") has no slash
    _rule("credit", rf"[\[(][^\])=]{{1,20}}=\s*(?:{_AGENCIES})(?:\s*/\s*(?:{_AGENCIES}))?\s*[\])]\s*$", 250),
    _rule("credit", rf"^[\[(][^\])=]{{1,20}}=\s*(?:{_AGENCIES})\s*/\s*(?:{_AGENCIES})\s*[\])]", 250),
    # syndication and aggregator notices
    _rule("notice", r"(?:콘텐츠|기사)\s*제휴로\s*(?:게재|제공)|제휴\s*(?:기사|콘텐츠)입니다", 160),
    _rule("notice", r"에서\s*전문\s*보기|기사의\s*저작권은\s*(?:해당|각|원)\s*언론사|로그인\s*후\s*(?:기사\s*)?전체를\s*볼\s*수", 160),
    _rule("byline", r"^(?:에디터|editor|글)\s+[가-힣]{2,4}$", 20),
    # editors' marks, "more" links, news-tip solicitations, wire end marks
    _rule("editor", r"^[\s(\[]*(?:web\s*editor|editor|편집|책임\s*편집|번역|责任编辑|编辑|译者)"
                    r"(?:\s*[/·ㆍ,]\s*(?:편집|번역|감수|정리))*\s*[:：]", 80),
    _rule("more", r"(?:더\s*보기|전체\s*보기|바로\s*가기|(?<![a-z])more)\s*[>»›▶+]*\s*$", 60),
    _rule("tip", r"제보\s*(?:는|하기|전화|메일)|카톡\s*okjebo|뉴스\s*제보|기사\s*제보|제보가\s*뉴스가", 100),
    # broadcast credits: "영상취재 : 이규호", "영상편집: 박정란", "촬영기자·그래픽: 김민수"
    _rule("credit", r"^[\s\[(]*(?:영상\s*(?:취재|편집|촬영|디자인|그래픽)|촬영\s*기자|촬영|그래픽|자막|화면\s*제공|연출|구성)"
                    r"(?:\s*[·ㆍ,/]\s*[가-힣]{2,6})*\s*[:：=]\s*[^.!?]{1,40}$", 60),
    # editors' notes and a repost's or a paid edition's notes
    _rule("notice", r"^[\s\[<(【]*편집자\s*주(?![가-힣])", 600),
    _rule("notice", r"(?:이|본)\s*기사는[^.]{0,80}(?:먼저|앞서|미리)\s*(?:게재|공개|출고|송고|보도|제공)된", 200),
    _rule("notice", r"^※.{0,80}(?:스크랩|퍼\s*온|펌|삭제\s*(?:하겠|해\s*드리|요청)|문제가\s*(?:될|되면)|출처\s*[:：])", 200),
    _rule("end", r"^[(\[/<]?\s*끝\s*[)\]/>]?$", 5),
    _rule("hashtags", r"^(?:#[^\s#]+\s*){1,}$", 300),
    # lines made of page-furniture words only: "내가 본 뉴스 맨 위로", "인쇄 | 스크랩 | 글자크기"
    _rule("ui", rf"^{_UI_SEPARATORS}(?:{_UI_ALTERNATION}(?![a-z]){_UI_SEPARATORS})+$", 80),
    # labelled date lines: "입력 2019.12.01 15:26 | 수정 ..."
    _rule("dateline", rf"^[\s\[(]*(?:기사\s*)?(?:{_DATE_LABELS})\s*(?:일시|일)?\s*[:：]?\s*\d{{4}}\s*[.\-/년]", 100),
    # symbol-only or digit-only lines
    _rule("symbols", r"^[\W\d_]+$", 20),
)

_LIST_HEADINGS = (
    r"관련\s*(?:기사|뉴스)|(?:이\s*기사와\s*함께\s*)?(?:가장\s*)?많이\s*본\s*(?:뉴스|기사)|인기\s*(?:기사|뉴스)"
    r"|추천\s*(?:기사|뉴스)|최신\s*(?:뉴스|기사)|내가\s*본\s*뉴스|이\s*시각\s*(?:주요|인기)|랭킹\s*뉴스"
    r"|함께\s*(?:보면\s*좋은|읽으면\s*좋은|본)|댓글\s*\d*$|핫\s*이슈|주요\s*뉴스|포토\s*뉴스"
)
# Lines after which a page holds no more of the article.
STOP_RULES: tuple[Rule, ...] = (
    _rule("copyright", r"무단\s*(?:전재|복제|배포)|재배포\s*(?:및\s*)?(?:금지|불가)|all\s+rights\s+reserved"
                       r"|저작권자?\s*[ⓒ©(]|copyrights?\s*(?:[ⓒ©]|\(c\)|\d{4})|版权所有|未经(?:授权|许可)", 200),
    # a heading, alone on its line, over a list of other articles
    _rule("heading", rf"^[\s\[<【■▶▷◆●]*(?:{_LIST_HEADINGS})[^.!?。]{{0,12}}(?<![다요])$", 40),
)
# Each asked as one: a line is searched only with the rules whose literal text it holds (text/prefilter.py).
_RULES: Final = PatternSet([(rule.pattern, rule.max_len) for rule in RULES])
_STOP_RULES: Final = PatternSet([(rule.pattern, rule.max_len) for rule in STOP_RULES])


def squash(line: str) -> str:
    """The line with runs of whitespace (NBSP and zero-width characters too) folded to one space."""
    if _UNFOLDED.search(line) is None:  # no whitespace but the plain space: most lines are folded already
        if "  " not in line and line[:1] != " " and line[-1:] != " ":
            return line
        return " ".join(line.split())
    if _ZERO_WIDTH.search(line) is None:  # str.split knows every other space \s does, and is quicker
        return " ".join(line.split())
    return _SPACES.sub(" ", line).strip()


@lru_cache(maxsize=4096)  # the extractor asks about a page's paragraphs, and the fingerprint again
def is_boilerplate(line: str) -> bool:
    """True when the whole line is page furniture, a byline, a credit or a notice rather than article text."""
    text = squash(line)
    if not text:
        return True
    folded = fold(text)
    has_email = "@" in text or "protected" in folded
    if (_is_link_row(text) or _is_breadcrumb(text) or (has_email and _is_bare_email(text))
            or _is_imprint(text, folded)):
        return True
    if _RULES.any(text, folded):
        return True
    # E-mail addresses hold dots and digits that would hide a byline's shape.
    bare = squash(_EMAIL.sub(" ", text)) if has_email else text
    return bare != text and bool(bare) and _RULES.any(bare)


def is_stop_line(line: str) -> bool:
    """True when nothing after this line belongs to the article (copyright notice, "관련기사", "최신뉴스")."""
    text = squash(line)
    return bool(text) and _STOP_RULES.any(text)


_FOOTER_WORDS = re.compile(
    r"소개|약관|개인정보|청소년|고객\s*센터|광고|제휴|문의|사이트\s*맵|rss|저작권|정책|제보|구독|채용|오시는", re.I
)
_LINK_SEPARATORS: Final = re.compile(r"\s*[|｜│ㅣ]\s*")
_CRUMB_SEPARATORS: Final = re.compile(r"\s*(?:>>|>|›|»|＞|→)\s*")
_SENTENCE_END: Final = re.compile(r"(?:다|요|죠|까)[.!?。]?[\"'”’)]*$|[.!?。][\"'”’)]*$")
_IMPRINT: Final = re.compile(
    r"등록\s*번호|발행인|편집인|발행\s*[·ㆍ]\s*편집인|청소년\s*보호\s*책임자|사업자\s*등록|대표\s*전화|통신\s*판매업"
    r"|등록\s*일자|발행\s*일자|개인정보\s*(?:처리|보호)\s*(?:방침|책임자)|주소\s*[:：]|전화\s*[:：]|팩스\s*[:：]"
    r"|tel\s*[:.]|fax\s*[:.]",
    re.I,
)

# A line without a separator (a label) is no link row, breadcrumb (imprint); these skip the split (search).
_LINK_NEEDLES, _CRUMB_NEEDLES, _IMPRINT_NEEDLES = map(needles, (_LINK_SEPARATORS, _CRUMB_SEPARATORS, _IMPRINT))


def _is_link_row(text: str) -> bool:
    """`인민망 소개|광고안내|고객센터`: short link labels separated by bars."""
    if len(text) > 300 or not may_match(_LINK_NEEDLES, text):
        return False
    parts = [p for p in _LINK_SEPARATORS.split(text) if p]
    if len(parts) < 2 or len(text) > 300 or any(len(p) > 25 or _SENTENCE_END.search(p) for p in parts):
        return False
    return len(parts) >= 4 or sum(bool(_FOOTER_WORDS.search(p)) for p in parts) >= 2


def _is_breadcrumb(text: str) -> bool:
    """`홈 > 국제 > 중국` or `인민망 한국어판>>칼럼>>기획기사`."""
    if len(text) > 120 or not may_match(_CRUMB_NEEDLES, text):
        return False
    parts = _CRUMB_SEPARATORS.split(text)
    if len(parts) < 2 or len(text) > 120 or any(not p or len(p) > 25 or _SENTENCE_END.search(p) for p in parts):
        return False
    return len(parts) >= 3 or ">>" in text or "›" in text or "»" in text


def _is_imprint(text: str, folded: str) -> bool:
    """A publisher's imprint: registration number, publisher, youth-protection officer, address, phone."""
    if len(text) > 400 or not may_match(_IMPRINT_NEEDLES, folded):
        return False
    hits = {m.group(0).replace(" ", "") for m in _IMPRINT.finditer(text)}
    return len(hits) >= 2 or (len(hits) == 1 and len(text) <= 60 and ":" in text)


def _is_bare_email(text: str) -> bool:
    """An address with at most a name beside it: `hong@example.com`, `홍길동 hong@example.com`."""
    found = _EMAIL.search(text)
    return bool(found) and len(_EMAIL.sub("", text).strip(" []()<>/·,")) <= 12
