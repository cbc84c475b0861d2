"""The codec of a Windows file that also holds bytes Windows-1252 leaves undefined: 'cp1252-c1'.

Danish text files that are not UTF-8 are nearly always Windows-1252: byte 0x85 is "…", 0x93 and
0x94 are “ ”, 0x96 is "–". Python's cp1252 refuses the five bytes that code page leaves undefined
(0x81, 0x8D, 0x8F, 0x90, 0x9D), and reading such a file as latin-1 instead turned every one of
those bytes into a C1 control character: "…" became NEL (U+0085), which split the sentence and cut
a quote from its speaker. This codec is cp1252 with each undefined byte kept as the C1 character
of the same number, so it decodes any bytes, one character per byte, and encodes back to the same
bytes (offsets into the text stay exact, and `Article.encoding` names a codec every reader of a
passage can decode with: this module is imported by `ingest.models`).
"""

from __future__ import annotations

import codecs
from encodings import cp1252

NAME = "cp1252-c1"
_DECODING_TABLE = "".join(chr(i) if c == "\ufffe" else c for i, c in enumerate(cp1252.decoding_table))
_ENCODING_TABLE = codecs.charmap_build(_DECODING_TABLE)


def _encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
    return codecs.charmap_encode(text, errors, _ENCODING_TABLE)


def _decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
    return codecs.charmap_decode(data, errors, _DECODING_TABLE)


class _IncrementalEncoder(codecs.IncrementalEncoder):
    def encode(self, input: str, final: bool = False) -> bytes:
        return _encode(input, self.errors)[0]


class _IncrementalDecoder(codecs.IncrementalDecoder):
    def decode(self, input: bytes, final: bool = False) -> str:  # type: ignore[override]
        return _decode(input, self.errors)[0]


class _StreamWriter(codecs.StreamWriter):
    def encode(self, input: str, errors: str = "strict") -> tuple[bytes, int]:
        return _encode(input, errors)


class _StreamReader(codecs.StreamReader):
    def decode(self, input: bytes, errors: str = "strict") -> tuple[str, int]:
        return _decode(input, errors)


_INFO = codecs.CodecInfo(
    name=NAME,
    encode=_encode,
    decode=_decode,  # type: ignore[arg-type]
    incrementalencoder=_IncrementalEncoder,
    incrementaldecoder=_IncrementalDecoder,
    streamreader=_StreamReader,
    streamwriter=_StreamWriter,
)


def _search(name: str) -> codecs.CodecInfo | None:
    return _INFO if name.replace("_", "-").lower() == NAME else None


codecs.register(_search)
