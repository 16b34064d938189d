"""Agencies: variants of one agency resolve to one entity; lists split at the right commas; mentions are
found in real plans of several provinces with exact spans."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PLANS, SEED, needs_shared
from tracuu.ingest.agencies import (
    Agency,
    agency_at_start,
    canonical,
    find_agencies,
    gazetteer,
    province_of,
    resolve,
    same_agency,
    split_agencies,
    variants,
)
from tracuu.ingest.pipeline import ingest_file

KH = "tỉnh Khánh Hòa"
LDTBXH = "Sở Lao động - Thương binh và Xã hội"


@pytest.fixture(scope="module")
def seed():
    return ingest_file(SEED, segment=False)


@pytest.fixture(scope="module")
def plans():
    """Real plans of other provinces, by file-name prefix: (document, its province)."""
    out = {}
    for path in sorted(PLANS.glob("*.md")):
        doc = ingest_file(path, segment=False)
        out[path.name.split("_")[0]] = (doc, province_of(doc.header.issuer))
    return out


def _names(text: str, scope: str | None) -> list[str]:
    return [m.agency.name for m in find_agencies(text, scope)]


def _line(doc, start: str) -> str:
    return next(ln for ln in doc.text.split("\n") if ln.startswith(start))


# ---------------------------------------------------------------- one entity per agency
@pytest.mark.parametrize(
    "written",
    [
        "Sở Lao động - Thương binh và Xã hội",
        "Sở Lao động – Thương binh và Xã hội",
        "Sở Lao động-Thương binh và Xã hội",
        "Sở Lao động — Thương binh và Xã hội",
        "Sở Lao động — Thương binh",
        "Sở  Lao động  -  Thương binh  và  Xã hội",
        "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
        "sở lao động thương binh và xã hội",
        "Sở LĐTBXH",
        "Sở LĐ-TB&XH",
        "Sở LĐTB&XH",
        "So LDTBXH",  # typed without accents
        "so lao dong thuong binh va xa hoi",
    ],
)
def test_labour_department_variants(written):
    a = resolve(written, KH)
    assert a == Agency(LDTBXH, "so lao dong - thuong binh va xa hoi", "so", KH)
    assert canonical(written) == LDTBXH
    assert same_agency(written, LDTBXH)


@pytest.mark.parametrize(
    ("written", "name", "kind"),
    [
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh Khánh Hòa", "ubnd"),
        ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh Khánh Hòa", "ubnd"),
        ("ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Ủy ban nhân dân tỉnh Khánh Hòa", "ubnd"),
        ("Ủy ban nhân dân cấp tỉnh", "Ủy ban nhân dân tỉnh Khánh Hòa", "ubnd"),
        ("HĐND tỉnh", "Hội đồng nhân dân tỉnh Khánh Hòa", "hdnd"),
        ("Sở KH&CN", "Sở Khoa học và Công nghệ", "so"),
        ("Sở KHCN", "Sở Khoa học và Công nghệ", "so"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư", "so"),
        ("Sở KHĐT", "Sở Kế hoạch và Đầu tư", "so"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông", "so"),
        ("Sở TTTT", "Sở Thông tin và Truyền thông", "so"),
        ("Sở TN&MT", "Sở Tài nguyên và Môi trường", "so"),
        ("Sở TNMT", "Sở Tài nguyên và Môi trường", "so"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo", "so"),
        ("Sở GDĐT", "Sở Giáo dục và Đào tạo", "so"),
        ("Sở VH&TT", "Sở Văn hóa và Thể thao", "so"),
        ("Sở Văn hoá và Thể thao", "Sở Văn hóa và Thể thao", "so"),
        ("Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "so"),
        ("Sở VH,TT&DL", "Sở Văn hóa, Thể thao và Du lịch", "so"),
        ("Sở Văn hóa Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch", "so"),
        ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn", "so"),
        ("Sở Nông nghiệp và Môi trường", "Sở Nông nghiệp và Môi trường", "so"),
        ("Sở Dân tộc và Tôn giáo", "Sở Dân tộc và Tôn giáo", "so"),
        ("Sở Công thương", "Sở Công Thương", "so"),
        ("Sở Giao thông vận tải", "Sở Giao thông vận tải", "so"),
        ("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "doan_the"),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "doan_the"),
        ("UBMTTQVN tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "doan_the"),
        ("Bảo hiểm xã hội tỉnh", "Bảo hiểm xã hội tỉnh", "other"),
        ("BHXH tỉnh", "Bảo hiểm xã hội tỉnh", "other"),
        ("Công an tỉnh", "Công an tỉnh", "other"),
        ("Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "other"),
        ("Bộ đội Biên phòng tỉnh", "Bộ đội Biên phòng tỉnh", "other"),
        ("Ban Dân tộc", "Ban Dân tộc tỉnh", "other"),
        ("Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", "other"),
        ("Thanh tra tỉnh", "Thanh tra tỉnh", "other"),
        ("Hội Liên hiệp Phụ nữ tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "doan_the"),
        ("Hội LHPN tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "doan_the"),
        ("Hội Nông dân tỉnh", "Hội Nông dân tỉnh", "doan_the"),
        ("Hội Cựu chiến binh tỉnh", "Hội Cựu chiến binh tỉnh", "doan_the"),
        ("Liên đoàn Lao động tỉnh", "Liên đoàn Lao động tỉnh", "doan_the"),
        ("Đài Phát thanh và Truyền hình Khánh Hòa", "Đài Phát thanh và Truyền hình tỉnh", "other"),
        ("Đài PT-TH tỉnh", "Đài Phát thanh và Truyền hình tỉnh", "other"),
        ("Báo Khánh Hòa", "Báo Khánh Hòa", "other"),
        ("Ngân hàng Chính sách xã hội", "Ngân hàng Chính sách xã hội", "other"),
        ("Kho bạc Nhà nước", "Kho bạc Nhà nước", "other"),
        ("Cục Thuế", "Cục Thuế", "other"),
        ("Sở Ngoại vụ", "Sở Ngoại vụ", "so"),
        ("Sở Nội vụ", "Sở Nội vụ", "so"),
        ("Sở Tư pháp", "Sở Tư pháp", "so"),
        ("Sở Y tế", "Sở Y tế", "so"),
        ("Sở Tài chính", "Sở Tài chính", "so"),
        ("Sở Du lịch", "Sở Du lịch", "so"),
        ("Sở Xây dựng", "Sở Xây dựng", "so"),
    ],
)
def test_provincial_bodies(written, name, kind):
    a = resolve(written, KH)
    assert a is not None, written
    assert (a.name, a.kind) == (name, kind)
    assert a.scope == KH


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Bộ Công an", "Bộ Công an"),
        ("Bộ Tài chính", "Bộ Tài chính"),
        ("Bộ Y tế", "Bộ Y tế"),
        ("Bộ Lao động – Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội"),
        ("Bộ LĐTBXH", "Bộ Lao động - Thương binh và Xã hội"),
        ("Bộ Thông tin và Truyền thông", "Bộ Thông tin và Truyền thông"),
        ("Bộ KH&CN", "Bộ Khoa học và Công nghệ"),
        ("Bộ VH,TT&DL", "Bộ Văn hóa, Thể thao và Du lịch"),
        ("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Bộ Văn hóa, Thể thao và Du lịch"),
        ("Văn phòng Chính phủ", "Văn phòng Chính phủ"),
        ("Bộ Tư pháp", "Bộ Tư pháp"),
        ("Bộ Nội vụ", "Bộ Nội vụ"),
        ("Bộ Quốc phòng", "Bộ Quốc phòng"),
        ("Bộ Ngoại giao", "Bộ Ngoại giao"),
        ("Ngân hàng Nhà nước Việt Nam", "Ngân hàng Nhà nước Việt Nam"),
        ("Ngân hàng Nhà nước", "Ngân hàng Nhà nước Việt Nam"),
    ],
)
def test_ministries(written, name):
    """A ministry belongs to the Chính phủ whatever province the document comes from."""
    assert resolve(written, KH) == Agency(name, resolve(name).key, "bo", "Chính phủ")


def test_youth_union_names_its_province():
    for written in ("tỉnh đoàn", "Tỉnh đoàn", "Tỉnh Đoàn Khánh Hòa", "Tỉnh đoàn Khánh Hòa",
                    "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh", "Đoàn TNCS Hồ Chí Minh tỉnh"):  # fmt: skip
        assert resolve(written, KH) == Agency("Tỉnh đoàn Khánh Hòa", "tinh doan", "doan_the", KH), written
    assert resolve("Tỉnh đoàn Khánh Hòa") == resolve("Tỉnh đoàn", KH)  # the written province is the scope
    assert resolve("Tỉnh đoàn").name == "Tỉnh đoàn"
    assert resolve("Thành Đoàn", "Thành phố Hồ Chí Minh").name == "Thành đoàn Hồ Chí Minh"


def test_department_name_leaves_the_province_to_the_scope():
    a = resolve("Sở Y tế", KH)
    assert (a.name, a.scope) == ("Sở Y tế", KH)
    assert resolve("Sở Y tế tỉnh Khánh Hòa") == a
    assert resolve("Sở Y tế tỉnh Khánh Hòa", "tỉnh Sơn La") == a  # what is written wins over the context
    assert resolve("Sở Y tế", "tỉnh Sơn La").key == a.key
    assert same_agency("Sở Y tế tỉnh Khánh Hòa", "Sở Y tế")
    assert not same_agency("Sở Y tế tỉnh Khánh Hòa", "Sở Y tế tỉnh Sơn La")
    assert not same_agency("Sở Y tế", "Sở Tài chính", KH)


def test_unseen_department_is_still_an_entity():
    """ "Sở" + capitalised words is a Sở even when the domain is in no table."""
    for written in (
        "Sở Khoa học, Công nghệ và Đổi mới sáng tạo",
        "SỞ KHOA HỌC, CÔNG NGHỆ VÀ ĐỔI MỚI SÁNG TẠO",
    ):
        a = resolve(written, KH)
        assert a == Agency("Sở Khoa học, Công nghệ và Đổi mới sáng tạo",
                           "so khoa hoc cong nghe va doi moi sang tao", "so", KH)  # fmt: skip
    text = "- Sở Khoa học, Công nghệ và Đổi mới sáng tạo chủ trì, phối hợp với Sở Y tế thực hiện."
    assert _names(text, KH) == ["Sở Khoa học, Công nghệ và Đổi mới sáng tạo", "Sở Y tế"]


def test_collectives_keep_their_wording_with_a_stable_key():
    a = resolve("Các sở, ban, ngành và UBND các huyện, thị xã, thành phố, đoàn thể chính trị - xã hội", KH)
    b = resolve(
        "Các sở, ban, ngành và Ủy ban nhân dân các huyện, thị xã, thành phố, đoàn thể chính trị – xã hội", KH
    )
    assert a == b and a.kind == "collective" and a.scope == KH
    assert (
        a.name
        == "Các sở, ban, ngành và Ủy ban nhân dân các huyện, thị xã, thành phố, đoàn thể chính trị - xã hội"
    )
    ubnd = resolve("UBND các huyện, thị xã, thành phố")
    assert ubnd == resolve("Ủy ban nhân dân các huyện, thị xã, thành phố")
    assert ubnd.kind == "collective"
    assert resolve("các sở, ban, ngành có liên quan").kind == "collective"
    assert same_agency("các sở, ban, ngành có liên quan", "Các sở, ban ngành liên quan")
    assert resolve("UBND cấp xã").kind == "collective"
    assert resolve("Ủy ban nhân dân xã, phường").kind == "collective"


@pytest.mark.parametrize(
    "phrase",
    ["người dân", "các đối tượng bảo trợ xã hội", "trẻ em", "Kế hoạch", "Kế hoạch này", "Nhân dân", "Đơn vị",
     "lực lượng Công an", "phong trào thi đua", "Quyết định số 161", "", "  ", "1212/KH-UBND"],
)  # fmt: skip
def test_not_agencies(phrase):
    assert resolve(phrase, KH) is None


def test_accents_are_read():
    """In accented text "số", "bố", "phong" are not "sở", "bộ", "phòng"."""
    assert _names("Quyết định số Tài chính; bố trí kinh phí; phong trào xã hội, phòng chống", KH) == []
    assert _names("theo Kế hoạch số 1212/KH-UBND của UBND tỉnh", KH) == ["Ủy ban nhân dân tỉnh Khánh Hòa"]


# ---------------------------------------------------------------- provinces
@pytest.mark.parametrize(
    ("issuer", "scope"),
    [
        ("UBND tỉnh Khánh Hòa", "tỉnh Khánh Hòa"),
        ("Ủy ban nhân dân tỉnh Khánh Hòa", "tỉnh Khánh Hòa"),
        ("UỶ BAN NHÂN DÂN TỈNH BẮC NINH", "tỉnh Bắc Ninh"),
        ("UBND thành phố Cần Thơ", "thành phố Cần Thơ"),
        ("Ủy ban nhân dân Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("UBND thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("UBND TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("ubnd tinh khanh hoa", "tỉnh Khánh Hòa"),
        ("Bộ Văn hóa, Thể thao và Du lịch", None),
        ("Thủ tướng Chính phủ", None),
        ("Văn phòng Chính phủ", None),
        ("Ban chỉ đạo quốc gia về tìm kiếm, quy tập hài cốt liệt sĩ", None),
        (None, None),
    ],
)
def test_province_of(issuer, scope):
    assert province_of(issuer) == scope


def test_scope_written_as_an_issuer_is_read_as_its_province():
    assert resolve("Sở Y tế", "UBND tỉnh Khánh Hòa").scope == KH
    assert resolve("Sở Y tế", "tinh Khanh Hoa").scope == KH


# ---------------------------------------------------------------- lists
@pytest.mark.parametrize(
    ("phrase", "members"),
    [
        ("các sở, ban, ngành có liên quan và UBND các huyện, thị xã, thành phố",
         ["các sở, ban, ngành có liên quan", "UBND các huyện, thị xã, thành phố"]),
        ("Sở Nội vụ, các sở, ban, ngành có liên quan và UBND các huyện, thị xã, thành phố",
         ["Sở Nội vụ", "các sở, ban, ngành có liên quan", "UBND các huyện, thị xã, thành phố"]),
        ("Sở Y tế, Sở Tài chính, Bảo hiểm xã hội tỉnh và các cơ quan liên quan",
         ["Sở Y tế", "Sở Tài chính", "Bảo hiểm xã hội tỉnh", "các cơ quan liên quan"]),
        ("Sở Lao động - Thương binh và Xã hội và các sở, ban, ngành liên quan",
         ["Sở Lao động - Thương binh và Xã hội", "các sở, ban, ngành liên quan"]),
        ("Sở Văn hóa, Thể thao và Du lịch, Sở Y tế", ["Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế"]),
        ("Bộ Văn hóa, Thể thao và Du lịch và Bộ Y tế", ["Bộ Văn hóa, Thể thao và Du lịch", "Bộ Y tế"]),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam và các đoàn thể chính trị - xã hội",
         ["Ủy ban Mặt trận Tổ quốc Việt Nam", "các đoàn thể chính trị - xã hội"]),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các đoàn thể cấp tỉnh",
         ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "các đoàn thể cấp tỉnh"]),
        ("Sở Khoa học, Công nghệ và Đổi mới sáng tạo; Sở Y tế",
         ["Sở Khoa học, Công nghệ và Đổi mới sáng tạo", "Sở Y tế"]),
        ("Công an tỉnh; Bộ Chỉ huy quân sự tỉnh;", ["Công an tỉnh", "Bộ Chỉ huy quân sự tỉnh"]),
        ("Sở Y tế", ["Sở Y tế"]),
        ("", []),
    ],
)  # fmt: skip
def test_split_agencies(phrase, members):
    assert split_agencies(phrase) == members


def test_canonical_of_unknown_phrases():
    assert canonical("Sở Tài chính", KH) == "Sở Tài chính"
    assert canonical("  nhà  tài trợ–quốc tế ") == "nhà tài trợ - quốc tế"  # cleaned, first letter kept


# ---------------------------------------------------------------- gazetteer
def test_gazetteer_variants_resolve_to_their_entity():
    entities = gazetteer()
    assert len({a.key for a in entities}) == len(entities)
    assert {"Sở Lao động - Thương binh và Xã hội", "Bộ Thông tin và Truyền thông", "Công an tỉnh",
            "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Tỉnh đoàn", "Ủy ban nhân dân tỉnh"} <= {a.name for a in entities}  # fmt: skip
    for a in entities:
        forms = variants(a)
        assert a.name in forms
        for form in forms:
            assert resolve(form).key == a.key, form
    assert "Sở LĐTBXH" in variants(resolve("Sở LĐTBXH"))
    unknown = resolve("Sở Khoa học, Công nghệ và Đổi mới sáng tạo")
    assert variants(unknown) == [unknown.name]


# ---------------------------------------------------------------- running text
def _check_spans(text: str, mentions) -> None:
    for m in mentions:
        assert text[m.start : m.end] == m.text
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:], strict=False))


def test_seed_plan_leads(seed):
    scope = province_of(seed.header.issuer)
    assert scope == KH
    mentions = find_agencies(seed.text, scope)
    _check_spans(seed.text, mentions)
    names = {m.agency.name for m in mentions}
    assert {LDTBXH, "Tỉnh đoàn Khánh Hòa", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Sở Khoa học và Công nghệ",
            "Sở Ngoại vụ", "Sở Nội vụ", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Du lịch", "Sở Y tế",
            "Sở Văn hóa và Thể thao", "Ủy ban nhân dân tỉnh Khánh Hòa", "Báo Khánh Hòa"} <= names  # fmt: skip
    # both dashes of the Sở are one entity
    assert {m.agency for m in mentions if m.text.startswith("Sở Lao động")} == {resolve(LDTBXH, KH)}
    lead = _line(seed, "- Sở Lao động - Thương binh và Xã hội chủ trì")
    assert _names(lead, scope) == [
        LDTBXH,
        "Các sở, ban, ngành có liên quan",
        "Ủy ban nhân dân các huyện, thị xã, thành phố",
    ]
    assert _names(_line(seed, "- Tỉnh đoàn Khánh Hòa chủ trì"), scope) == ["Tỉnh đoàn Khánh Hòa"]
    assert _names(_line(seed, "7. Đề nghị Ủy ban Mặt trận"), scope) == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "Các đoàn thể cấp tỉnh",
    ]
    assert not any("KH-UBND" in m.text for m in mentions)


def test_decree_ministries(nd20_doc):
    duties = [ln for ln in nd20_doc.text.split("\n") if "có trách nhiệm:" in ln and "Bộ" in ln]
    found = {n for ln in duties for n in _names(ln, None)}
    assert {"Bộ Lao động - Thương binh và Xã hội", "Bộ Tài chính", "Bộ Y tế",
            "Bộ Nông nghiệp và Phát triển nông thôn", "Bộ Công Thương"} <= found  # fmt: skip
    assert all(resolve(n).scope == "Chính phủ" for n in found if n.startswith("Bộ "))
    _check_spans(nd20_doc.text, find_agencies(nd20_doc.text))


@needs_shared
@pytest.mark.parametrize(
    ("plan", "start", "expected"),
    [
        ("01", "4. Đề nghị Ủy ban Mặt trận", ["Ủy ban Mặt trận Tổ quốc Việt Nam thành phố", "Các Đoàn thể"]),
        ("01", "- Sở: NN&MT", ["Sở Nông nghiệp và Môi trường", "Sở Tài chính", "Sở Văn hóa, Thể thao và Du lịch",
                               "Sở Giáo dục và Đào tạo"]),
        ("02", "- Sở: Nội vụ", ["Sở Nội vụ", "Sở Y tế", "Sở Khoa học và Công nghệ"]),
        ("03", "c) Phối hợp Công an tỉnh", ["Công an tỉnh", "Các đơn vị có liên quan", "Ủy ban nhân dân tỉnh Đồng Nai"]),
        ("03", "- Ủy ban MTTQVN tỉnh", ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Các đoàn thể"]),
        ("04", "1. Sở Khoa học và Công nghệ có trách nhiệm", ["Sở Khoa học và Công nghệ",
            "Ủy ban nhân dân tỉnh Lai Châu", "Các Sở, ngành liên quan", "Ủy ban nhân dân các xã, phường"]),
        ("05", "Đơn vị chủ trì thực hiện: Báo", ["Báo và Phát thanh, Truyền hình tỉnh", "Sở Tư pháp",
                                                  "Các cơ quan, đơn vị, địa phương"]),
        ("05", "- Công an tỉnh; Bộ Chỉ huy", ["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh"]),
        ("06", "- Cơ quan thực hiện: Sở Nội vụ chủ trì", ["Sở Nội vụ", "Các sở, ban, ngành, đoàn thể Thành phố",
            "Ủy ban nhân dân phường, xã, đặc khu", "Các đơn vị có liên quan"]),
        ("07", "- Cơ quan thực hiện: Bộ Công an, Bộ Tư pháp", ["Bộ Công an", "Bộ Tư pháp", "Bộ Giáo dục và Đào tạo",
            "Bộ Văn hóa, Thể thao và Du lịch", "Đài Tiếng nói Việt Nam", "Đài Truyền hình Việt Nam",
            "Thông tấn xã Việt Nam"]),
        ("08", "- Các Bộ: Tài chính", ["Bộ Tài chính", "Bộ Quốc phòng", "Bộ Công an"]),
        ("11", "- Các Bộ: TC", ["Bộ Tài chính", "Bộ Xây dựng", "Bộ Nội vụ", "Bộ Công Thương",
                                "Bộ Khoa học và Công nghệ", "Bộ Nông nghiệp và Môi trường", "Bộ Giáo dục và Đào tạo"]),
        ("12", "6. Xây dựng và tham mưu", ["Ủy ban nhân dân tỉnh Sơn La", "Công an tỉnh",
            "Văn phòng Ủy ban nhân dân tỉnh", "Sở Tư pháp", "Các cơ quan, tổ chức có liên quan"]),
        ("13", "Đề nghị Ủy ban Mặt trận", ["Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố",
            "Hội Liên hiệp Phụ nữ Thành phố", "Hội Cựu chiến binh Thành phố", "Thành đoàn Hồ Chí Minh"]),
    ],
)  # fmt: skip
def test_other_provinces_passages(plans, plan, start, expected):
    doc, scope = plans[plan]
    line = _line(doc, start)
    mentions = find_agencies(line, scope)
    _check_spans(line, mentions)
    names = list(dict.fromkeys(m.agency.name for m in mentions))  # first mentions, in order
    assert [n for n in names if n in expected] == expected


@needs_shared
def test_other_provinces_scopes(plans):
    assert plans["01"][1] == "thành phố Cần Thơ"
    assert plans["03"][1] == "tỉnh Đồng Nai"
    assert plans["06"][1] == "Thành phố Hồ Chí Minh"
    assert plans["07"][1] is None  # Thủ tướng Chính phủ
    doc, scope = plans["06"]
    ubnd = [m.agency for m in find_agencies(doc.text, scope) if m.text == "Ủy ban nhân dân Thành phố"]
    assert ubnd and all(a.name == "Ủy ban nhân dân Thành phố Hồ Chí Minh" for a in ubnd)
    for doc, scope in plans.values():
        _check_spans(doc.text, find_agencies(doc.text, scope))


# ---------------------------------------------------------------- robustness
_ALPHABET = st.sampled_from(
    list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĐSBỦỶỞỘ àáảãạèéẻẽẹìíỉĩị ,;.:-–—&/()\n\t0123456789")
)
_PIECES = st.sampled_from(["Sở", "Bộ", "UBND", "các", "và", ",", "tỉnh", "thành phố", "Khánh Hòa", "LĐ-TB&XH", "sở",
                           "ban", "ngành", "Ủy ban", "nhân dân", "cấp", "xã", "Tỉnh đoàn", "Việt Nam", "TP.", "HCM",
                           "Y tế", "có liên quan", "-", "(", ")", ":", "Đoàn", "Hội", "Các Bộ:", "TC", " "])  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=80), st.text(_ALPHABET, max_size=80), st.lists(_PIECES, max_size=14).map(" ".join)),
       st.sampled_from([None, KH, "Chính phủ", "", "UBND tỉnh Khánh Hòa", "xyz"]))  # fmt: skip
def test_never_raises(text, scope):
    a = resolve(text, scope)
    assert a is None or (a.name and a.key)
    assert isinstance(canonical(text, scope), str)
    assert isinstance(split_agencies(text), list)
    same_agency(text, "Sở Y tế", scope)
    province_of(text)
    _check_spans(text, find_agencies(text, scope))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Các cơ quan thông tấn, báo chí tăng cường tuyên truyền", "Các cơ quan thông tấn, báo chí"),
        ("Các khoa phối hợp theo dõi", "Các khoa"),
        ("Khoa Công nghệ Thông tin tham mưu", "Khoa Công nghệ Thông tin"),
        ("Trường Đại học Công Thương thực hiện", "Trường Đại học Công Thương"),
        ("Văn phòng HĐND và UBND xã chủ trì", "Văn phòng HĐND và UBND xã"),
        ("Đoàn Thanh niên xã phối hợp", "Đoàn Thanh niên xã"),
        ("Trạm Y tế xã chủ trì, phối hợp với Công an xã", "Trạm Y tế xã"),
    ],
)
def test_bodies_of_communes_schools_and_the_press(text, name):
    """Groups and heads beyond the provincial departments: a school's faculties, the press, a commune's
    office of the council and committee; "Khoa học", "Trường hợp" are no bodies."""
    m = agency_at_start(text, None)
    assert m is not None and m.text == name, m
    assert agency_at_start("Khoa học và Công nghệ phát triển", None) is None
    assert agency_at_start("Trường hợp cần thiết, báo cáo", None) is None
