"""Decode an article file and say in Danish why when it cannot be used."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from ingest.codec import NAME as CP1252_C1

_CONTROL_OK = {"\n", "\r", "\t", "\f", "\v"}
_MAX_CONTROL_SHARE = 0.05
# Far above any article (the seeds are ~20 KB, a long report ~1 MB): a bigger file is a dump or an
# archive, and embedding it would take hours on a laptop, so it is refused before it is decoded.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024


class UnreadableFileError(Exception):
    """A corpus file that cannot be used as an article; the message is Danish and says what to do."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DecodedText(BaseModel):
    """A file's text and the codec that produced it (offsets refer to this text)."""

    text: str
    encoding: str


def _control_share(text: str) -> float:
    controls = sum(1 for ch in text if (ord(ch) < 32 or 127 <= ord(ch) < 160) and ch not in _CONTROL_OK)
    return controls / max(1, len(text))


def _megabytes(n_bytes: int) -> str:
    return f"{n_bytes / (1024 * 1024):.1f} MB".replace(".", ",")


def decode_bytes(data: bytes, name: str) -> DecodedText:
    """Decode the bytes of an article file.

    UTF-8 (with or without BOM) first, then UTF-16 with a BOM, then cp1252, then cp1252 with its
    five undefined bytes kept as C1 characters ('cp1252-c1', `ingest.codec`: latin-1 turned "…"
    into NEL); the codec used is returned so `text[a:b]` can be checked against the file later.

    Args:
        data: The file's bytes.
        name: The file name, used in error messages.

    Returns:
        The decoded text and its codec name.

    Raises:
        UnreadableFileError: The file is empty, binary, larger than `MAX_ARTICLE_BYTES` or not text
            in any supported encoding.
    """
    if len(data) > MAX_ARTICLE_BYTES:
        raise UnreadableFileError(
            f"Filen {name} fylder {_megabytes(len(data))}; en artikel kan højst fylde "
            f"{_megabytes(MAX_ARTICLE_BYTES)} (større filer ville tage timer at indeksere). "
            "Del filen op i de enkelte artikler, og læg dem i korpus-mappen hver for sig."
        )
    if not data.strip():
        raise UnreadableFileError(f"Filen {name} er tom. Læg teksten ind i filen, eller slet den fra korpus-mappen.")
    candidates: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        candidates.append("utf-8-sig")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates.append("utf-16")
    elif b"\x00" in data:
        raise UnreadableFileError(
            f"Filen {name} er en binær fil, ikke tekst. Gem artiklen som ren tekst (.txt eller .md) i UTF-8, "
            "og læg den i korpus-mappen igen."
        )
    candidates += ["utf-8", "cp1252", CP1252_C1]
    for codec in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if not text.strip():
            raise UnreadableFileError(
                f"Filen {name} indeholder kun mellemrum og linjeskift. Læg teksten ind i filen, eller slet den."
            )
        if _control_share(text) > _MAX_CONTROL_SHARE or "\x00" in text:
            raise UnreadableFileError(
                f"Filen {name} ligner en binær fil (mange kontroltegn). Gem artiklen som ren tekst i UTF-8, "
                "og læg den i korpus-mappen igen."
            )
        return DecodedText(text=text, encoding=codec)
    raise UnreadableFileError(  # pragma: no cover - cp1252-c1 decodes any byte string
        f"Filen {name} kunne ikke læses som tekst. Gem den igen i UTF-8, og læg den i korpus-mappen igen."
    )


def decode_file(path: str | Path) -> DecodedText:
    """Read and decode one article file.

    Args:
        path: The file.

    Returns:
        The decoded text and the codec used ("utf-8", "utf-8-sig", "cp1252", …).

    Raises:
        UnreadableFileError: The file cannot be read, or is empty, binary or undecodable.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(
            f"Filen {path.name} kunne ikke åbnes ({exc.strerror}). Tjek at filen findes, og at den må læses."
        ) from exc
    return decode_bytes(data, path.name)
