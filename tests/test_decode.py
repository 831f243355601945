"""Decoding pages: the override, header, BOM and meta signals, checked against what the bytes really are."""

from __future__ import annotations

import codecs

import pytest

from sinowatch.fetch.decode import decode_html, normalise_charset

KOREAN = "중국 인공지능 기업 바이두가 새 모델을 공개했다. 똠얌꿍 요리법도 척척 답했다. 햏 뷁 쓩"
PAGE = "<html><head>{meta}<title>제목</title></head><body><p>{text}</p></body></html>"


def page(meta: str = "", text: str = KOREAN) -> str:
    return PAGE.format(meta=meta, text=text)


def test_cp949_only_syllables_need_cp949() -> None:
    raw = "똠".encode("cp949")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("euc_kr")
    assert decode_html(page().encode("cp949"), "text/html; charset=euc-kr") == (page(), "cp949")


def test_euckr_declared_only_in_meta_http_equiv() -> None:
    html = page('<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">')
    assert decode_html(html.encode("cp949"), "text/html") == (html, "cp949")
    assert decode_html(html.encode("cp949")) == (html, "cp949")


@pytest.mark.parametrize("meta", [
    '<meta charset="ks_c_5601-1987">', "<meta charset=x-windows-949>", '<meta charset="KSC5601">',
    '<?xml version="1.0" encoding="euc-kr"?>',
])
def test_korean_labels_all_mean_cp949(meta: str) -> None:
    html = page(meta)
    assert decode_html(html.encode("cp949")) == (html, "cp949")


def test_header_says_utf8_but_bytes_are_euckr() -> None:
    html = page('<meta charset="euc-kr">')
    assert decode_html(html.encode("cp949"), "text/html; charset=UTF-8") == (html, "cp949")


def test_header_says_utf8_bytes_are_euckr_and_nothing_else_declared() -> None:
    html = page() * 3
    assert decode_html(html.encode("cp949"), "text/html; charset=utf-8") == (html, "cp949")


def test_meta_says_euckr_but_bytes_are_utf8() -> None:
    html = page('<meta charset="euc-kr">')
    assert decode_html(html.encode("utf-8")) == (html, "utf-8")


def test_latin1_label_on_korean_bytes_is_not_believed() -> None:
    html = page('<meta charset="iso-8859-1">')
    assert decode_html(html.encode("cp949"), "text/html; charset=ISO-8859-1") == (html, "cp949")
    assert decode_html(html.encode("utf-8"), "text/html; charset=ISO-8859-1") == (html, "utf-8")


@pytest.mark.parametrize(("bom", "codec", "name"), [
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
])
def test_bom_wins_over_header_and_is_stripped(bom: bytes, codec: str, name: str) -> None:
    html = page('<meta charset="euc-kr">')
    assert decode_html(bom + html.encode(codec), "text/html; charset=euc-kr") == (html, name)


def test_override_wins_over_every_signal() -> None:
    html = page('<meta charset="utf-8">')
    raw = html.encode("cp949")
    assert decode_html(raw, "text/html; charset=utf-8", override="euc-kr") == (html, "cp949")
    # an override the bytes are valid in wins even when something else would also fit
    assert decode_html(b"<p>plain</p>", "text/html; charset=utf-8", override="cp949") == ("<p>plain</p>", "cp949")


def test_override_the_bytes_refute_gives_way() -> None:
    html = page()
    assert decode_html(html.encode("utf-8"), None, override="euc-kr") == (html, "utf-8")


def test_undeclared_korean_is_detected() -> None:
    html = page(text=KOREAN * 4)
    assert decode_html(html.encode("cp949")) == (html, "cp949")
    assert decode_html(html.encode("utf-8")) == (html, "utf-8")


def test_undeclared_chinese_gbk_is_not_read_as_korean() -> None:
    text = "百度发布了新的人工智能大模型，公司表示今年收入大幅增长。人工智能产业快速发展，各地纷纷出台支持政策。" * 3
    html = f"<html><head><title>新闻</title></head><body><p>{text}</p></body></html>"
    decoded, codec = decode_html(html.encode("gbk"))
    assert decoded == html and codec == "gb18030"


def test_garbage_bytes_decode_with_replacement_and_never_raise() -> None:
    raw = bytes(range(256)) * 8
    text, codec = decode_html(raw, "text/html; charset=utf-8")
    assert isinstance(text, str) and text and codec


def test_a_character_cut_by_the_size_cap_is_dropped() -> None:
    raw = page().encode("utf-8")[:-2] + "한".encode()[:2]
    text, codec = decode_html(raw, "text/html; charset=utf-8")
    assert codec == "utf-8" and text == page()[:-2]


def test_empty_body() -> None:
    assert decode_html(b"") == ("", "utf-8")


@pytest.mark.parametrize(("label", "expected"), [
    ("EUC-KR", "cp949"), ("ks_c_5601-1987", "cp949"), ("x-windows-949", "cp949"), ("windows-949", "cp949"),
    ("ksc5601", "cp949"), ('"utf-8"', "utf-8"), ("UTF8", "utf-8"), ("gb2312", "gb18030"), ("latin1", "cp1252"),
    ("zlib", None), ("utf-7", None), ("no-such-charset", None), ("", None), (None, None),
])
def test_normalise_charset(label: str | None, expected: str | None) -> None:
    assert normalise_charset(label) == expected


def test_bogus_declarations_are_ignored() -> None:
    html = page('<meta charset="zlib">')
    assert decode_html(html.encode("utf-8"), "text/html; charset=base64") == (html, "utf-8")
