"""Domain errors: each carries what a person needs to fix the problem, in Chinese.

The CLI and the pages turn these into messages in one place (`describe`); nothing else
formats them, and no traceback reaches a user.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class TrackerError(Exception):
    """Base of every error a user may see."""

    def message(self) -> str:
        return str(self)


class ValueParseError(TrackerError):
    """One cell's value could not be read."""

    def __init__(self, reason: str, accepted: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.accepted = accepted


@dataclass
class RowError:
    """One problem in an import file, located to the cell."""

    file: str
    sheet: str
    row: int | None
    column: str | None
    value: str | None
    reason: str
    accepted: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "accepted": self.accepted,
        }

    def line(self) -> str:
        where = f"{self.file} · 工作表「{self.sheet}」" if self.sheet else self.file
        if self.row is not None:
            where += f" · 第{self.row}行"
        if self.column:
            where += f" · 列「{self.column}」"
        text = f"{where}：{self.reason}"
        if self.value not in (None, ""):
            text += f"（值：{self.value}）"
        if self.accepted:
            text += f"；可接受：{self.accepted}"
        return text


@dataclass
class ImportRejected(TrackerError):
    """An import refused whole; nothing was written."""

    errors: list[RowError]
    warnings: list[RowError] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message())

    def message(self) -> str:
        head = f"导入未执行：发现 {len(self.errors)} 处错误，数据库未做任何更改。"
        return "\n".join([head, *(f"  - {e.line()}" for e in self.errors)])


class TransitionError(TrackerError):
    """A lifecycle event that the center's history does not allow."""

    def __init__(self, center: str, reason: str) -> None:
        super().__init__(f"中心「{center}」：{reason}")
        self.center = center
        self.reason = reason


class UnknownName(TrackerError):
    """A name (county, field, form, …) that the reference data does not know."""

    def __init__(self, what: str, value: str, accepted: str) -> None:
        super().__init__(f"无法识别的{what}：{value}")
        self.what = what
        self.value = value
        self.accepted = accepted


@dataclass
class FormRejected(TrackerError):
    """A form's input refused whole; nothing was written."""

    problems: list[RowError]

    def __post_init__(self) -> None:
        super().__init__(self.message())

    def message(self) -> str:
        lines = ["未保存："]
        for p in self.problems:
            text = f"「{p.column}」：{p.reason}" if p.column else p.reason
            if p.reason == "必填项为空":  # the import's hint ("填写日期") says nothing more here
                lines.append(f"  - 「{p.column}」：必填，尚未填写")
                continue
            if p.value not in (None, "") and p.value not in p.reason:
                text += f"（填写的是：{p.value}）"
            if p.accepted:
                text += f"；可填写：{p.accepted}"
            lines.append(f"  - {text}")
        return "\n".join(lines)


@dataclass
class EditConflict(TrackerError):
    """Someone else changed a record after this person opened it; their edit is refused."""

    record: str
    changes: list[tuple[str, str, str]]  # (what, as opened, as stored now)
    by: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message())

    def message(self) -> str:
        who = f"（{self.by}）" if self.by else ""
        head = (
            f"未保存：您打开「{self.record}」之后，它已被他人修改{who}。"
            "为免覆盖对方的修改，本次编辑未写入。请查看以下变化，重新打开后再编辑："
        )
        lines = [
            f"  - {what}：您打开时为「{mine}」，现在为「{now}」" for what, mine, now in self.changes
        ]
        return "\n".join([head, *lines])


class ScopeDenied(TrackerError):
    """Something the signed-in person's role or county does not allow."""


class DatabaseBusy(TrackerError):
    """Another process held the database longer than we are willing to wait."""


class MissingDatabase(TrackerError):
    """A command that reads the register was pointed at a file that does not exist."""


class UsageError(TrackerError):
    """A command or option used in a way we cannot carry out."""


def describe(exc: BaseException) -> str:
    """The one place that turns an exception into the text a user sees."""
    if isinstance(exc, TrackerError):
        return exc.message()
    return f"内部错误（{type(exc).__name__}）：操作未完成，数据库未被部分修改。请将此信息报告给系统管理员。"


class AuthError(TrackerError):
    """A sign-in refused, or an account change that the account rules do not allow."""


class BriefingRejected(TrackerError):
    """A briefing that cannot be saved or exported as asked (the message says what to change)."""
