"""The graded sanctions and their rules: which body decides each kind, and which dates it
carries. Lightest first, as the ministry grades them (note 14/867 of 2014 on the class
councils' disciplinary decisions, which also brought the alternative sanction: work for the
school instead of an exclusion)."""

from __future__ import annotations

from datetime import date

from app.discipline.models import DIRECTORS_KINDS, PERIOD_KINDS, DecidingBody, SanctionKind


def deciding_body(kind: SanctionKind) -> DecidingBody:
    """The director decides a warning, a formal warning and a reprimand; the discipline
    council the alternative sanction and the exclusions."""
    return DecidingBody.DIRECTOR if kind in DIRECTORS_KINDS else DecidingBody.DISCIPLINE_COUNCIL


def date_errors(
    kind: SanctionKind, decided_on: date, starts_on: date | None, ends_on: date | None
) -> str | None:
    """What is wrong with a sanction's dates for its kind, or None."""
    runs = kind in PERIOD_KINDS
    starts = runs or kind is SanctionKind.DEFINITIVE_EXCLUSION
    if starts != (starts_on is not None):
        return f"a {kind.value} {'has' if starts else 'has no'} start date"
    if runs != (ends_on is not None):
        return f"a {kind.value} {'has' if runs else 'has no'} end date"
    if starts_on is not None and starts_on < decided_on:
        return "a sanction starts on or after the day it was decided"
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        return "a sanction ends on or after the day it starts"
    return None


# Each kind's name in French and Arabic, as the notice to the family says it.
SANCTION_NAMES: dict[SanctionKind, tuple[str, str]] = {
    SanctionKind.WARNING: ("Avertissement", "تنبيه"),
    SanctionKind.FORMAL_WARNING: ("Mise en garde écrite", "إنذار"),
    SanctionKind.REPRIMAND: ("Blâme", "توبيخ"),
    SanctionKind.ALTERNATIVE: (
        "Sanction alternative (travaux au service de l'établissement)",
        "عقوبة بديلة",
    ),
    SanctionKind.TEMPORARY_EXCLUSION: ("Exclusion temporaire", "إقصاء مؤقت"),
    SanctionKind.DEFINITIVE_EXCLUSION: ("Exclusion définitive", "إقصاء نهائي"),
}
