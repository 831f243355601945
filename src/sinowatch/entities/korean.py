"""What may follow a Korean name inside one word: particles, endings, and the nouns that compound with names."""

from __future__ import annotations

from functools import lru_cache
from typing import Final

# Case and auxiliary particles, the copula and its common endings, as written straight after a noun.
# Bare 면/며/고/자/니 (for 이면, 이며 ...) are left out: after a short name they make other words (다화+면).
PARTICLES: Final = frozenset("""
은 는 이 가 을 를 의 에 에서 에게 에게서 한테 한테서 께 께서 와 과 도 만 로 으로 까지 부터 처럼 보다 이나 나
랑 이랑 하고 마저 조차 밖에 뿐 만큼 대로 같이 엔 에선 서 선 으로서 로서 으로써 로써 으로부터 로부터 에서부터
이든 든 이든지 든지 이라도 라도 이야말로 야말로 이란 란 이라는 라는 이라고 라고 이라며 라며 이라면 라면
이라서 라서 이라든가 이며 이고 이자 이다 다 인 일 였다 이었다 이었던 였던 이던 던 이었고 였고
이었으며 였으며 이었으나 였으나 이지만 지만 인데 인지 인가 이죠 죠 이야 야 이에요 예요 입니다 이기도 기도
이므로 이기에 이기 이었지만 였지만 이어서 여서 이어 여 이어야 여야 이면 이면서 이니
에는 에도 에서는 에서도 에서의 에서만 에서와 에서처럼 에의 에게는 에게도 으로는 로는 으로도 로도 으로의
로의 으로만 로만 와는 과는 와도 과도 와의 과의 까지는 까지도 까지의 부터는 부터의 보다는 보다도 처럼은
만의 만이 만은 만을 도의 께서는 들 들은 들이 들을 들의 들과 들도 들에 들에게 들로
""".split())

_COMMON = "측 등 쪽 간 내 외 발 산 제 식 계 판 표 형 급 향 행 측의 이외 관련 측근"
_SUFFIXES: Final = {
    "place": _COMMON + """ 시 성 구 현 진 인 어 시장 시민 정부 당국 지역 일대 현지 소재 출신 증시 지사 법인 공장
             본사 특구 항 공항 대사관 영사관 총영사관 시내 시정부 성정부 자치구 시당위 성당위 방문 진출 기업
             업체 경제 매체 언론 사회 산업 제품 기술 투자 관광객 유학생 교민 정부의 주재 무역관 대표처""",
    "person": _COMMON + """ 씨 氏 회장 사장 대표 총재 총리 주석 부주석 부총리 위원장 교수 박사 의장 이사장 서기
              시장 성장 부장 장관 대사 원사 창업자 최고경영자 국가주석 총서기 일가 체제 정부 정권 시대 전
              집권 본인 자신 대변인 주임 국장 원장 총장 연구원 연구팀""",
    "company": _COMMON + """ 사 社 그룹 계열 계열사 자회사 본사 법인 지사 코리아 차이나 폰 칩 앱 주가 주식 제품
               회장 대표 직원 창업자 연구소 연구원 클라우드 서비스 플랫폼 모델 주주 매출 실적""",
    "product": _COMMON + """ 칩 폰 시리즈 모델 기반 버전 앱 서비스 플랫폼 탑재 칩셋 프로세서 생태계 사용자 이용자
               페이 샵 숍 스토어 몰 라이트 프로 플러스 맥스 미니 울트라 라이브 계정""",
    "org": _COMMON + """ 장 산하 대변인 청사 부장 장관 주임 관계자 교 캠퍼스 연구팀 팀 연구진 학생 총장 원장
           회장 사무총장 보도 기자 홈페이지 회원 병원 교수 연구소 연구원 출신 졸업 박사 동문 대학원""",
    "event": _COMMON + " 기간 개막 폐막 행사 참가 회의 포럼 현장 정책 기조 시기 이후 이전",
}
_TYPE_GROUP: Final = {
    "place": "place", "person": "person", "company": "company", "lab": "company",
    "product": "product", "model": "product", "chip": "product", "gov": "org", "org": "org",
    "university": "org", "institute": "org", "programme": "event", "event": "event",
}
SUFFIXES: Final = {group: frozenset(words.split()) for group, words in _SUFFIXES.items()}

# One-syllable prefixes that attach to names: 반(反)화웨이, 탈(脫)중국, 대(對)중국, 주(駐)중국, 재(在)중국.
PREFIXES: Final = frozenset("반친탈대재주범비")

# A name followed by these is a verb or adjective ('선전하다', '선전시키다'), never a compound noun.
_VERBAL: Final = ("하", "합", "했", "해", "되", "된", "될", "됐", "돼", "스럽", "스러")
_CAUSATIVE: Final = ("키", "켜", "켰")
_MAX_MORPHEMES: Final = 3


def suffixes_for(etype: str) -> frozenset[str]:
    return SUFFIXES[_TYPE_GROUP.get(etype, "org")]


@lru_cache(maxsize=65536)
def tail_ok(tail: str, etype: str) -> bool:
    """Whether `tail` (the rest of the word after a name) is made only of particles and name suffixes."""
    return _parse(tail, suffixes_for(etype), _MAX_MORPHEMES)


def _parse(tail: str, suffixes: frozenset[str], budget: int) -> bool:
    if not tail:
        return True
    if budget == 0:
        return False
    for size in range(min(len(tail), 5), 0, -1):
        head = tail[:size]
        if (head in PARTICLES or head in suffixes) and _parse(tail[size:], suffixes, budget - 1):
            return True
    return False


@lru_cache(maxsize=65536)
def compound_ok(alias: str, tail: str) -> bool:
    """Whether a long name may run straight into the next noun (상하이인공지능연맹, 과대신비청도)."""
    if tail.startswith(_VERBAL) or (alias.endswith("시") and tail.startswith(_CAUSATIVE)):
        return False
    # 서울대공원, 칭화대로: a short university name runs into other words too easily.
    if alias.endswith("대"):
        return False
    # 중기부터 is 중기 + 부터, not the ministry 중기부 + 터.
    joined = alias[-1] + tail
    return not any(joined.startswith(p) for p in PARTICLES if len(p) >= 2 and p[0] == alias[-1])


def syllables(text: str) -> int:
    return sum(1 for ch in text if "가" <= ch <= "힣")
