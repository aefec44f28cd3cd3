"""The eight services of the agreement, with the hotkeys staff learn."""

from __future__ import annotations

from dataclasses import dataclass

from kela_tui.errors import BadInput


@dataclass(frozen=True)
class Category:
    hotkey: str
    code: str

    @property
    def label_key(self) -> str:
        return f"category.{self.code}"


CATEGORIES = (
    Category("1", "advice"),
    Category("2", "online"),
    Category("3", "remote"),
    Category("4", "booking"),
    Category("5", "document"),
    Category("6", "material"),
    Category("7", "feedback"),
    Category("8", "other"),
)
CODES = tuple(c.code for c in CATEGORIES)
_BY_NAME = {c.code: c for c in CATEGORIES} | {c.hotkey: c for c in CATEGORIES}

DOCUMENT_KINDS = ("application", "attachment", "other")
# Refused at the counter by the agreement: the customer is referred to their
# earnings-related pension provider and the referral is counted.
EXCLUDED_DOCUMENTS = ("pension-application", "pension-rehabilitation")
FEEDBACK_KINDS = ("praise", "complaint", "suggestion", "other")
# How a booth session ended.
OUTCOMES = ("completed", "at_counter", "kela_unavailable", "technical_failure", "customer_left")


def category(name: str) -> Category:
    """A category by its code or hotkey."""
    found = _BY_NAME.get(name.strip().lower())
    if found is None:
        raise BadInput("unknown_category", name=name, choices=", ".join(CODES))
    return found
