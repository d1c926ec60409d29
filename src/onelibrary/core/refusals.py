"""How every part says no.

A `Refusal` says what is wrong (`message`, for a person) and what it is (`code`, for a
program); when it is raised nothing has been changed. `decision` names the decision-table
id where one applies, and `overridable` whether a library admin may override it. The
parts raise their own subclasses (holds, transit, floating, circulation), so a refusal
carries only the decision id its own part gave it.

A `RulesProblem` is a different kind of no: the group's rules or calendars cannot answer
(no rule gives a setting, no open day to fall due on, a state table has no such move).
"""

from __future__ import annotations


class Refusal(Exception):
    """A refusal: `message` says what is wrong and what to do. Nothing was changed."""

    def __init__(self, code: str, message: str, *, decision: str = "", overridable: bool = False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.decision = decision
        self.overridable = overridable


class RulesProblem(ValueError):
    """The rules cannot answer; `code` names which kind of problem for the API."""

    code = "refused"
