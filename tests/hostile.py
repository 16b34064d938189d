"""Hostile files built in the tests themselves (nothing of the kind is shipped): shared by the reader and
HTTP suites."""

from __future__ import annotations

import struct
import zlib

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SMALL_XML = (
    f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body><w:p><w:r><w:t>Kế hoạch số '
    "12/KH-UBND: Sở Y tế chủ trì thực hiện nhiệm vụ năm 2025.</w:t></w:r></w:p></w:body></w:document>"
).encode()
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
    b'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
    b'main+xml"/></Types>'
)


def _deflate_stream(head: bytes, filler_mb: int) -> bytes:
    """Raw deflate of `head` followed by `filler_mb` MB of spaces. Each full flush resets the compressor,
    so one compressed MB is valid again after itself: a 1 GB stream costs one MB of compression."""
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = z.compress(head) + z.flush(zlib.Z_FULL_FLUSH)
    piece = z.compress(b" " * (1 << 20)) + z.flush(zlib.Z_FULL_FLUSH)
    return start + piece * filler_mb + z.flush()


def lying_zip(members: list[tuple[str, bytes, bytes]]) -> bytes:
    """A zip whose entries are (name, what the headers declare, the real deflate stream): the local and
    central headers carry the declared bytes' size and CRC, the data is the real stream."""
    body, central = bytearray(), bytearray()
    for name, declared, stream in members:
        crc, offset, raw = zlib.crc32(declared), len(body), name.encode()
        fields = (8, 0, 0x21, crc, len(stream), len(declared), len(raw))  # deflate, 1980-01-01
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, *fields, 0) + raw + stream
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, *fields, 0, 0, 0, 0, 0, offset)
        central += raw
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(body), 0)
    return bytes(body + central + end)


def lying_docx(inflates_mb: int = 1024) -> bytes:
    """The probe's DOCX: word/document.xml's headers declare a small valid XML (its size and CRC) while
    its deflate stream goes on to inflate to about `inflates_mb` MB (1 GB: a 1 MB file)."""
    plain = zlib.compressobj(9, zlib.DEFLATED, -15)
    types = plain.compress(CONTENT_TYPES) + plain.flush()
    return lying_zip([("[Content_Types].xml", CONTENT_TYPES, types),
                      ("word/document.xml", SMALL_XML, _deflate_stream(SMALL_XML, inflates_mb))])  # fmt: skip


def docx_with_xml(xml: bytes) -> bytes:
    """A minimal honest DOCX whose word/document.xml is `xml`."""
    streams = []
    for data in (CONTENT_TYPES, xml):
        z = zlib.compressobj(9, zlib.DEFLATED, -15)
        streams.append(z.compress(data) + z.flush())
    return lying_zip(
        [("[Content_Types].xml", CONTENT_TYPES, streams[0]), ("word/document.xml", xml, streams[1])]
    )
