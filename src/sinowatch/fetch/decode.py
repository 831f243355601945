"""Bytes to text for HTML pages: declared charsets checked against the bytes, Korean codecs as browsers treat them."""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Iterable
from typing import Final

import charset_normalizer

from sinowatch.errors import FetchError, ParseError

# Browsers decode every name for EUC-KR as windows-949 (cp949); Python's euc_kr codec rejects the
# 8,822 syllables outside KS X 1001 (똠, 햏, 뷁 ...), which real EUC-KR pages use all the time.
_ALIASES: dict[str, str] = {
    **dict.fromkeys(
        ("euc-kr", "euc_kr", "euckr", "x-euc-kr", "ks_c_5601-1987", "ks_c_5601", "ks_c_5601-1989",
         "ksc5601", "ksc_5601", "ks_x_1001", "korean", "csksc56011987", "iso-ir-149", "x-windows-949",
         "windows-949", "ms949", "uhc", "cp949", "x-uhc"),
        "cp949",
    ),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "cp936", "euc-cn", "csgb2312", "chinese", "gb18030"), "gb18030"),
    **dict.fromkeys(("shift_jis", "shift-jis", "sjis", "x-sjis", "windows-31j", "ms932", "cp932"), "cp932"),
    # WHATWG: these labels all mean windows-1252.
    **dict.fromkeys(("iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp1252",
                     "windows-1252", "x-cp1252"), "cp1252"),
    **dict.fromkeys(("utf8", "utf-8", "utf_8", "unicode-1-1-utf-8", "x-unicode20utf8", "utf8mb4"), "utf-8"),
}
_REFUSED: Final = frozenset({"utf-7", "utf_7"})  # browsers refuse it; it smuggles markup
# A page labelled Western European that holds non-ASCII bytes is, on Korean sites, almost always
# mislabelled EUC-KR or UTF-8, so these labels only count when nothing better decodes the bytes.
_WEAK: Final = frozenset({"cp1252"})
_KOREAN: Final = frozenset({"cp949", "johab", "iso2022_kr"})
_BOMS: Final = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_SNIFF_BYTES: Final = 4096
_GZIP_MAGIC: Final = b"\x1f\x8b"
_CHARSET_RE: Final = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]+)""", re.I)
_META_RE: Final = re.compile(r"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9_.:+-]+)", re.I)
_XML_RE: Final = re.compile(r"""<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:+-]+)["']""", re.I)


def decode_html(body: bytes, content_type: str | None = None, override: str | None = None) -> tuple[str, str]:
    """Decode an HTML page; return (text, codec used). The override wins, then what the bytes confirm."""
    forced = normalise_charset(override)
    bom = _bom(body)
    declared = [c for c in (forced, bom, _header_charset(content_type), _sniffed_charset(body)) if c]
    for codec in _ordered(declared):
        if codec in _WEAK and not body.isascii() and codec != forced:
            continue
        text = _strict(body, codec)
        if text is not None:
            return _strip_bom(text), codec
    guesses = _guesses(body)
    for codec in guesses:
        text = _strict(body, codec)
        if text is not None:
            return _strip_bom(text), codec
    return _least_damaged(body, _ordered([*declared, *guesses, "utf-8", "cp949"]))


def unzipped(body: bytes, cap: int, url: str) -> bytes:
    """A document stored gzipped (`sitemap.xml.gz`, served as a file, not with Content-Encoding) unpacked, at most
    `cap` bytes of it (a small file can unpack to gigabytes); anything else as it is."""
    if not body.startswith(_GZIP_MAGIC):
        return body
    unpack = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)  # gzip header and trailer
    try:
        text = unpack.decompress(body, cap + 1)
    except zlib.error as exc:
        raise ParseError(f"a gzip file that does not unpack ({url}): {exc}") from None
    if len(text) > cap:
        raise FetchError("too_large", f"gzip file unpacks to more than {cap} bytes ({url})", url=url,
                         hint="the response is larger than [fetch] max_bytes once unpacked")
    if not unpack.eof:
        raise ParseError(f"a gzip file cut short ({url})", hint="the server sent part of the file; it is read again "
                                                                "on the next run")
    return text


def normalise_charset(name: str | None) -> str | None:
    """The Python codec for a charset label, with browsers' Korean/Chinese/Japanese supersets; None if unknown."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        canonical = codecs.lookup(label).name
        b"a".decode(canonical)  # rejects non-text codecs such as zlib or base64
    except (LookupError, ValueError, TypeError):
        return None
    canonical = _ALIASES.get(canonical, canonical)
    return None if canonical in _REFUSED else canonical


def _header_charset(content_type: str | None) -> str | None:
    match = _CHARSET_RE.search(content_type or "")
    return normalise_charset(match.group(1)) if match else None


def _sniffed_charset(body: bytes) -> str | None:
    head = body[:_SNIFF_BYTES].decode("latin-1")
    match = _META_RE.search(head) or _XML_RE.search(head)
    if not match:
        return None
    codec = normalise_charset(match.group(1))
    # A meta tag that can be read as ASCII cannot be UTF-16; WHATWG reads it as UTF-8.
    return "utf-8" if codec and codec.startswith("utf-16") else codec


def _bom(body: bytes) -> str | None:
    return next((codec for bom, codec in _BOMS if body.startswith(bom)), None)


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def _ordered(codecs_: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codecs_))


def _strict(body: bytes, codec: str) -> str | None:
    """The text if the bytes are valid in `codec`; a multi-byte character cut off at the very end is dropped."""
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        if exc.start < len(body) - 4:
            return None
        try:  # a size cap may have truncated the body mid-character
            return body[: exc.start].decode(codec)
        except UnicodeDecodeError:
            return None
    except LookupError:
        return None


def _guesses(body: bytes) -> list[str]:
    """Codecs to try when no declaration fits: UTF-8 (strict validity is strong evidence), detection, cp949."""
    detected = _detect(body)
    if detected is None or detected in _KOREAN:
        return _ordered(["utf-8", *([detected] if detected else []), "cp949"])
    korean = _strict(body, "cp949")
    # Detection is unsure on short Korean texts; text that reads as Hangul in cp949 is Korean.
    if korean is not None and _hangul_share(korean) >= 0.9:
        return ["utf-8", "cp949", detected]
    return ["utf-8", detected, "cp949"]


def _detect(body: bytes) -> str | None:
    try:
        best = charset_normalizer.from_bytes(body).best()
    except Exception:  # noqa: BLE001 - detection is a hint; any failure means "no hint"
        return None
    return normalise_charset(best.encoding) if best is not None else None


def _hangul_share(text: str) -> float:
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    return sum(1 for c in wide if "\uac00" <= c <= "\ud7a3") / len(wide)


def _least_damaged(body: bytes, candidates: list[str]) -> tuple[str, str]:
    """Last resort: the candidate that needs the fewest replacement characters."""
    best: tuple[int, str, str] | None = None
    for codec in candidates:
        try:
            text = body.decode(codec, errors="replace")
        except LookupError:
            continue
        damage = text.count("\ufffd")
        if best is None or damage < best[0]:
            best = (damage, text, codec)
    if best is None:
        return body.decode("utf-8", errors="replace"), "utf-8"
    return _strip_bom(best[1]), best[2]
