"""Thai administrative areas: subdistrict (ตำบล/แขวง) → district (อำเภอ/เขต) → province → postcode.

Read once from the bundled `data/thai_addresses.json` (DOPA codes; format and licence in
static/vendor/README.md). Names are bare, without the อำเภอ/ตำบล prefixes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from django.utils import translation
from django.utils.translation import gettext as _

_DATA = Path(__file__).resolve().parent / "data" / "thai_addresses.json"


@dataclass(frozen=True)
class Subdistrict:
    code: str  # 6 digits: province (2) + district (2) + subdistrict (2)
    name: str
    district: str
    district_code: str
    province: str
    province_code: str
    postcodes: tuple[str, ...]  # usually one; a few subdistricts span several postal areas

    @property
    def postcode(self) -> str:
        """The postcode when there is only one, else "" (the citizen types theirs)."""
        return self.postcodes[0] if len(self.postcodes) == 1 else ""


@cache
def _subdistricts() -> tuple[Subdistrict, ...]:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    provinces = {code: name for code, name, _en in data["provinces"]}
    districts = {code: (name, province) for code, province, name, _en in data["districts"]}
    result = []
    for code, district_code, name, _en, postcodes in data["subdistricts"]:
        district_name, province_code = districts[district_code]
        result.append(
            Subdistrict(
                code=code,
                name=name,
                district=district_name,
                district_code=district_code,
                province=provinces[province_code],
                province_code=province_code,
                postcodes=tuple(postcodes.split()),
            )
        )
    return tuple(result)


@cache
def _by_code() -> dict[str, Subdistrict]:
    return {s.code: s for s in _subdistricts()}


def _bare(name: str, prefixes: tuple[str, ...]) -> str:
    name = " ".join(name.split())
    for prefix in prefixes:
        if name.startswith(prefix):
            return name.removeprefix(prefix).strip()
    return name


def subdistrict_by_code(code: str) -> Subdistrict | None:
    return _by_code().get(code.strip())


def subdistricts_in(*, district_code: str = "", province_code: str = "") -> list[Subdistrict]:
    """The subdistricts of a district (or, without one, of a province), in DOPA code order."""
    found = [
        s
        for s in _subdistricts()
        if (not district_code or s.district_code == district_code)
        and (not province_code or s.province_code == province_code)
    ]
    return sorted(found, key=lambda s: s.code)


def subdistrict_find(*, name: str, district: str = "", province: str = "") -> list[Subdistrict]:
    """Subdistricts called `name` (ตำบล/แขวง prefix allowed), narrowed by district and province
    names when given. One result means the rest of the address can be filled in."""
    name = _bare(name, _SUBDISTRICT)
    district = _bare(district, _DISTRICT)
    province = _bare(province, _PROVINCE)
    if not name:
        return []
    matches = [s for s in _subdistricts() if s.name == name]
    if district:
        matches = [s for s in matches if s.district == district] or matches
    if province:
        matches = [s for s in matches if s.province == province] or matches
    return matches


# -- one address line --------------------------------------------------------------------------
BANGKOK = "กรุงเทพมหานคร"
_BANGKOK_NAMES = frozenset({BANGKOK, "กรุงเทพฯ", "กรุงเทพ", "กทม.", "กทม"})


class AddressParts(Protocol):
    """What an address line is made of: a request (`cases.Case`) or a place being typed
    (`cases.services.Place`, frozen) both have these; they are only read."""

    @property
    def house_no(self) -> str: ...
    @property
    def village_no(self) -> str: ...
    @property
    def village(self) -> str: ...
    @property
    def soi(self) -> str: ...
    @property
    def road(self) -> str: ...
    @property
    def subdistrict(self) -> str: ...
    @property
    def district(self) -> str: ...
    @property
    def province(self) -> str: ...
    @property
    def postcode(self) -> str: ...


def format_address(place: AddressParts) -> str:
    """The place as one Thai address line, e.g. "บ้านเลขที่ 12/3 หมู่ที่ 4 ถนนพหลโยธิน
    ตำบลเชียงทอง อำเภอวังเจ้า จังหวัดตาก 63180"; empty parts are left out.

    In Bangkok the areas are แขวง/เขต and the province is "กรุงเทพมหานคร" without "จังหวัด".
    A prefix the citizen typed ("ถนนพหลโยธิน", "ซ.5", "ต.เชียงทอง") is not written twice: it is
    taken off and the full word put back. A value that starts with a digit gets a space after
    its word ("ซอย 5", "หมู่ที่ 4"); Thai writes names straight after it ("ซอยอารีย์")."""
    bangkok = _bare(place.province, _PROVINCE) in _BANGKOK_NAMES
    parts = [
        (_("บ้านเลขที่"), place.house_no, _HOUSE),
        (_("หมู่ที่"), place.village_no, _VILLAGE_NO),
        ("", place.village, ()),
        (_("ซอย"), place.soi, _SOI),
        (_("ถนน"), place.road, _ROAD),
        (_("แขวง") if bangkok else _("ตำบล"), place.subdistrict, _SUBDISTRICT),
        (_("เขต") if bangkok else _("อำเภอ"), place.district, _DISTRICT),
        ("" if bangkok else _("จังหวัด"), BANGKOK if bangkok else place.province, _PROVINCE),
        ("", place.postcode, ()),
    ]
    # Thai joins a word and a name ("ตำบลเชียงทอง"); other languages need the space.
    thai = (translation.get_language() or "th").startswith("th")
    words = []
    for label, raw, prefixes in parts:
        value = _bare(raw or "", prefixes)
        if not value:
            continue
        space = " " if (value[0].isdigit() or not thai) and label else ""
        words.append(f"{label}{space}{value}")
    return " ".join(words)


@dataclass(frozen=True)
class _Area:
    subdistrict: str
    district: str
    province: str
    house_no: str = ""
    village_no: str = ""
    village: str = ""
    soi: str = ""
    road: str = ""
    postcode: str = ""


def format_area(place: AddressParts) -> str:
    """The area alone (subdistrict, district, province), written as `format_address` writes
    it: what may be published about where a request is (never a house, road or landmark)."""
    return format_address(_Area(place.subdistrict, place.district, place.province))


# Longest first: "หมู่ที่" before "หมู่", "ตำบล" before "ต.".
_HOUSE = ("บ้านเลขที่", "เลขที่")
_VILLAGE_NO = ("หมู่ที่", "หมู่", "ม.")
_SOI = ("ซอย", "ซ.")
_ROAD = ("ถนน", "ถ.")
_SUBDISTRICT = ("ตำบล", "แขวง", "ต.")
_DISTRICT = ("อำเภอ", "เขต", "อ.")
_PROVINCE = ("จังหวัด", "จ.")
