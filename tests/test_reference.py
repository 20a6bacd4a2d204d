"""County resolver: whatever a county office writes maps to the division and today's unit."""

from __future__ import annotations

import pytest

from mic_tracker.errors import UnknownName
from mic_tracker.reference import load_resolver

CURRENT_DIVISIONS = {
    "410302": "老城区",
    "410303": "西工区",
    "410304": "瀍河回族区",
    "410305": "涧西区",
    "410307": "偃师区",
    "410308": "孟津区",
    "410311": "洛龙区",
    "410323": "新安县",
    "410324": "栾川县",
    "410325": "嵩县",
    "410326": "汝阳县",
    "410327": "宜阳县",
    "410328": "洛宁县",
    "410329": "伊川县",
}
ZONES = {
    "GXQ": "洛阳高新技术产业开发区",
    "JKQ": "洛阳经济技术开发区",
    "YBQ": "伊滨经济技术开发区",
}
ABOLISHED = {"410306": "410308", "410322": "410308", "410381": "410307"}


@pytest.fixture(scope="module")
def resolver():
    return load_resolver()


# (input, matched code, current code)
RESOLVES = [
    ("涧西区", "410305", "410305"),
    ("涧西", "410305", "410305"),
    ("410305", "410305", "410305"),
    (410305, "410305", "410305"),
    (410305.0, "410305", "410305"),
    ("洛阳市涧西区", "410305", "410305"),
    ("河南省洛阳市涧西区", "410305", "410305"),
    ("偃师市", "410381", "410307"),
    ("偃师", "410307", "410307"),
    ("偃师区", "410307", "410307"),
    ("吉利区", "410306", "410308"),
    ("孟津县", "410322", "410308"),
    ("孟津", "410308", "410308"),
    ("410381", "410381", "410307"),
    ("瀍河区", "410304", "410304"),
    ("瀍河回族区", "410304", "410304"),
    ("４１０３０５", "410305", "410305"),
    (" 涧西区 ", "410305", "410305"),
    ("\u3000涧西区\u3000", "410305", "410305"),
    ("高新区", "GXQ", "GXQ"),
    ("洛阳高新区", "GXQ", "GXQ"),
    ("洛阳高新技术产业开发区", "GXQ", "GXQ"),
    ("经开区", "JKQ", "JKQ"),
    ("伊滨区", "YBQ", "YBQ"),
]
RESOLVE_IDS = [
    "full-name",
    "short-name",
    "code-str",
    "code-int",
    "code-float",
    "city-prefix",
    "province-city-prefix",
    "yanshi-old-name",
    "yanshi-short-is-today",
    "yanshi-new-name",
    "jili-old",
    "mengjin-county-old",
    "mengjin-short-is-today",
    "yanshi-old-code",
    "chanhe-short-alias",
    "chanhe-full-name",
    "fullwidth-digits",
    "ascii-spaces",
    "fullwidth-spaces",
    "gxq-short",
    "gxq-alias",
    "gxq-full",
    "jkq-short",
    "ybq-short",
]


@pytest.mark.parametrize(("text", "matched", "current"), RESOLVES, ids=RESOLVE_IDS)
def test_resolver_maps_input_to_division_and_todays_unit(resolver, text, matched, current):
    """Test that a name, code or old name matches its division and follows it to today's unit."""
    d = resolver.match(text)
    assert d.code == matched
    assert resolver.current(d).code == current
    assert resolver.current(text).code == current


@pytest.mark.parametrize(
    "text", ["洛阳新区", "郑州市", ""], ids=["luoyang-new-area", "zhengzhou", "empty"]
)
def test_resolver_refuses_unknown_name_listing_todays_units(resolver, text):
    """Test that an unknown name raises UnknownName whose accepted text lists today's units."""
    with pytest.raises(UnknownName) as info:
        resolver.match(text)
    assert info.value.value == text
    for name in [*CURRENT_DIVISIONS.values(), *ZONES.values()]:
        assert name in info.value.accepted
    assert "孟津县" not in info.value.accepted  # abolished: not offered as a unit


def test_current_units_are_14_divisions_and_3_zones(resolver):
    """Test that today's units are the 14 current divisions and the 3 development zones."""
    units = resolver.current_units
    assert len(units) == 17
    assert {d.code: d.name for d in units if not d.is_zone} == CURRENT_DIVISIONS
    assert {d.code: d.name for d in units if d.is_zone} == ZONES
    assert not {d.code for d in units} & set(ABOLISHED)


def test_historical_divisions_succeed_to_current_units(resolver):
    """Test that each abolished division names a current successor, as of 2021-03-18."""
    historical = {d.code: d for d in resolver.divisions if not d.is_current}
    assert {code: d.successor_code for code, d in historical.items()} == ABOLISHED
    for d in historical.values():
        successor = resolver.by_code[d.successor_code]
        assert successor.is_current
        assert str(d.valid_to) == "2021-03-17"
        assert str(successor.valid_from) == "2021-03-18"
