"""Thai administrative areas: subdistrict (ตำบล/แขวง) → district (อำเภอ/เขต) → province → postcode.

Read once from the bundled `data/thai_addresses.json` (DOPA codes; format and licence in
static/vendor/README.md). Names are bare, without the อำเภอ/ตำบล prefixes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

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
    name = _bare(name, ("ตำบล", "ต.", "แขวง"))
    district = _bare(district, ("อำเภอ", "อ.", "เขต"))
    province = _bare(province, ("จังหวัด", "จ."))
    if not name:
        return []
    matches = [s for s in _subdistricts() if s.name == name]
    if district:
        matches = [s for s in matches if s.district == district] or matches
    if province:
        matches = [s for s in matches if s.province == province] or matches
    return matches
