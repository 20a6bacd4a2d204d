"""Lifecycle rules (POLICY.md §3): replay a center's dated events and refuse what its history
does not allow, saying which event is missing or out of order.

Events on the same day are replayed in pipeline order (listing before certification, …), so
a history recorded with coarse dates still reads the way it happened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from mic_tracker.policy import Plan, load_plan

PRE_LISTING = ("applied", "county_recommended", "expert_reviewed", "notice_published")
ORDER = (
    *PRE_LISTING,
    "entity_registered",
    "cultivation_listed",
    "acceptance_applied",
    "city_certified",
    "evaluation",
    "rectification_evaluation",
    "recommended_up",
    "province_cultivation_listed",
    "province_certified",
    "national_certified",
    "cultivation_cancelled",
    "title_revoked",
)
_RANK = {kind: i for i, kind in enumerate(ORDER)}
# One-time kinds may occur once per episode; a new listing after a cancellation or a
# revocation starts a new episode.
ONCE_PER_EPISODE = frozenset(
    {
        *PRE_LISTING,
        "cultivation_listed",
        "acceptance_applied",
        "city_certified",
        "province_cultivation_listed",
        "province_certified",
        "national_certified",
        "cultivation_cancelled",
    }
)
TITLE_KINDS = {
    "city_certified": "city",
    "province_certified": "province",
    "national_certified": "national",
}
LEVELED = {"title_revoked", "recommended_up"}


@dataclass(frozen=True)
class Event:
    kind: str
    date: dt.date
    level: str | None = None
    eval_year: int | None = None
    result: str | None = None
    note: str | None = None
    ref: object = field(default=None, compare=False, hash=False)

    def sort_key(self) -> tuple[dt.date, int]:
        return (self.date, _RANK.get(self.kind, len(ORDER)))

    def identity(self) -> tuple[str, dt.date, str]:
        """What makes two records the same event (re-imports match on it)."""
        return (self.kind, self.date, self.level or "")


@dataclass(frozen=True)
class Problem:
    event: Event
    reason: str


@dataclass(frozen=True)
class Flag:
    event: Event
    text: str


@dataclass
class _State:
    plan: Plan
    episode: dict[str, Event] = field(default_factory=dict)
    entity: Event | None = None
    closed_by: Event | None = None
    titles: dict[str, Event] = field(default_factory=dict)
    evaluated_years: set[int] = field(default_factory=set)
    pending_rectification: Event | None = None
    recommended: set[str] = field(default_factory=set)

    def label(self, kind: str) -> str:
        return self.plan.events[kind].label

    def describe(self, e: Event) -> str:
        return f"「{self.label(e.kind)}」（{e.date.isoformat()}）"


def _check(s: _State, e: Event) -> str | None:
    """Why e cannot follow the history in s, or None when it can."""
    if e.kind not in s.plan.events:
        return f"未知事件类型 {e.kind}"
    if s.closed_by is not None:
        if e.kind == "cultivation_listed":
            return None  # a new listing starts a new episode
        return (
            f"{s.describe(e)} 发生在 {s.describe(s.closed_by)} 之后；"
            "取消或撤销后只能重新列入市级培育名单"
        )
    if e.kind in ONCE_PER_EPISODE and e.kind in s.episode:
        return f"{s.describe(e)} 重复：已有 {s.describe(s.episode[e.kind])}"
    rule = _RULES.get(e.kind)
    return rule(s, e) if rule else None


def _pre_listing(s: _State, e: Event) -> str | None:
    later = [
        k
        for k in (*PRE_LISTING, "cultivation_listed")
        if ORDER.index(k) > ORDER.index(e.kind) and k in s.episode
    ]
    if later:
        return f"{s.describe(e)} 不能晚于 {s.describe(s.episode[later[0]])}"
    return None


def _entity(s: _State, e: Event) -> str | None:
    if s.entity is not None:
        return f"{s.describe(e)} 重复：已有 {s.describe(s.entity)}"
    return None


def _needs_listing(s: _State, e: Event) -> str | None:
    if "cultivation_listed" not in s.episode:
        return f"{s.describe(e)} 之前缺少「{s.label('cultivation_listed')}」事件"
    return None


def _city_certified(s: _State, e: Event) -> str | None:
    missing = [] if "cultivation_listed" in s.episode else ["cultivation_listed"]
    if s.entity is None:
        missing.append("entity_registered")
    if missing:
        names = "」和「".join(s.label(k) for k in missing)
        return f"{s.describe(e)} 之前缺少「{names}」事件（认定须先列入培育名单并完成法人注册）"
    return None


def _cancelled(s: _State, e: Event) -> str | None:
    if "city_certified" in s.episode:
        return f"{s.describe(e)}：该中心已 {s.describe(s.episode['city_certified'])}，培育期已结束"
    return _needs_listing(s, e)


def _evaluation(s: _State, e: Event) -> str | None:
    if "city" not in s.titles:
        return (
            f"{s.describe(e)} 之前缺少「{s.label('city_certified')}」：只对市级创新中心进行年度评价"
        )
    if e.result not in ("pass", "fail"):
        return f"{s.describe(e)} 缺少评价结果（{s.plan.results['pass']}/{s.plan.results['fail']}）"
    if e.eval_year is None:
        return f"{s.describe(e)} 缺少评价年度"
    if e.eval_year in s.evaluated_years:
        return f"{s.describe(e)} 重复：{e.eval_year}年度已有评价"
    if e.eval_year > e.date.year:
        return f"{s.describe(e)} 的评价年度 {e.eval_year} 晚于评价日期"
    return None


def _rectification(s: _State, e: Event) -> str | None:
    if s.pending_rectification is None:
        return f"{s.describe(e)} 之前缺少结果为「{s.plan.results['fail']}」的「{s.label('evaluation')}」"
    if e.result not in ("pass", "fail"):
        return f"{s.describe(e)} 缺少评价结果（{s.plan.results['pass']}/{s.plan.results['fail']}）"
    return None


def _revoked(s: _State, e: Event) -> str | None:
    if e.level not in s.plan.levels:
        return f"{s.describe(e)} 缺少层级（{'/'.join(s.plan.levels.values())}）"
    if e.level not in s.titles:
        return f"{s.describe(e)}：该中心此时不持有{s.plan.levels[e.level]}称号"
    return None


def _recommended(s: _State, e: Event) -> str | None:
    if e.level not in ("province", "national"):
        return f"{s.describe(e)} 须注明推荐层级（{s.plan.levels['province']}/{s.plan.levels['national']}）"
    if e.level in s.recommended:
        return f"{s.describe(e)} 重复：已推荐过{s.plan.levels[e.level]}"
    return None


_RULES = {
    **{k: _pre_listing for k in PRE_LISTING},
    "entity_registered": _entity,
    "acceptance_applied": _needs_listing,
    "city_certified": _city_certified,
    "cultivation_cancelled": _cancelled,
    "evaluation": _evaluation,
    "rectification_evaluation": _rectification,
    "title_revoked": _revoked,
    "recommended_up": _recommended,
}


def _apply(s: _State, e: Event) -> list[str]:
    """Record e in the state; returns the flags it raises."""
    flags: list[str] = []
    if e.kind == "cultivation_listed" and s.closed_by is not None:
        s.episode, s.closed_by, s.recommended = {}, None, set()
    if e.kind in ONCE_PER_EPISODE:
        s.episode[e.kind] = e
    if e.kind == "entity_registered":
        s.entity = e
    elif e.kind in TITLE_KINDS:
        level = TITLE_KINDS[e.kind]
        if level != "city" and "city" not in s.titles and "city_certified" not in s.episode:
            flags.append("未经市级培育认定途径（non-city pipeline）")
        if e.date < s.plan.issued:
            flags.append(f"方案发布（{s.plan.issued.isoformat()}）前取得的称号")
        s.titles[level] = e
    elif e.kind == "evaluation":
        s.evaluated_years.add(e.eval_year or 0)
        s.pending_rectification = e if e.result == "fail" else None
    elif e.kind == "rectification_evaluation":
        s.pending_rectification = None
    elif e.kind == "recommended_up":
        s.recommended.add(e.level or "")
    elif e.kind == "title_revoked":
        s.titles.pop(e.level or "", None)
        s.closed_by = e
    elif e.kind == "cultivation_cancelled":
        s.closed_by = e
    return flags


def replay(events: list[Event], plan: Plan | None = None) -> tuple[list[Problem], list[Flag]]:
    """Check a whole history. Bad events are reported and left out; the rest replay on."""
    s = _State(plan or load_plan())
    problems: list[Problem] = []
    flags: list[Flag] = []
    for e in sorted(events, key=Event.sort_key):
        reason = _check(s, e)
        if reason:
            problems.append(Problem(e, reason))
            continue
        flags.extend(Flag(e, text) for text in _apply(s, e))
    return problems, flags
