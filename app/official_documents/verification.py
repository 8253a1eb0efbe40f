"""The public verification: anyone holding a paper checks its code (and may send the file).

No principal: the code alone finds the document. What is answered is whether it is genuine
or revoked, its kind, period, school, issue date, the pupil's initials and the file's SHA-256,
never more personal data. Before answering "genuine", the data is read again: a document
whose data changed since it was issued is revoked then and there.

A code that is not well formed, or names nothing, answers 404 `unknown-document`, the same
for both, so that codes cannot be told apart by their answer.
"""

from __future__ import annotations

import hashlib
import html
import logging
import tomllib
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil
from app.academics.reference import ReferenceData
from app.errors import NotFound, ProblemError
from app.official_documents import events
from app.official_documents.data import Candidate, current_draft, year_label
from app.official_documents.issuing import normalised_code
from app.official_documents.models import WHOLE_YEAR, ClientDocumentCheck, IssuedDocument
from app.official_documents.schemas import (
    ClientDocumentVerification,
    DocumentCheck,
    DocumentVerification,
    IssuingSchool,
)
from app.organisation.models import School

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).parent / "templates"


class UnknownDocument(ProblemError):
    def __init__(self) -> None:
        super().__init__(404, "documents.unknown", kind="unknown-document")


async def _found(
    session: AsyncSession, text: str, scope: ColumnElement[bool] | None = None
) -> tuple[IssuedDocument, School]:
    code = normalised_code(text)
    if code is None:
        raise UnknownDocument()
    within = () if scope is None else (scope,)
    row = (
        await session.execute(
            select(IssuedDocument, School)
            .join(School, School.id == IssuedDocument.school_id)
            .where(IssuedDocument.code == code, *within)
        )
    ).one_or_none()
    if row is None:
        raise UnknownDocument()
    return row[0], row[1]


async def _still_current(
    session: AsyncSession, document: IssuedDocument, reference: ReferenceData
) -> None:
    """Revoke the document if what it shows is no longer what the records say."""
    if document.revoked_at is not None:
        return
    try:
        draft = await current_draft(
            session,
            document.kind,
            Candidate(document.pupil_id, document.independent_candidate_id),
            document.school_year,
            document.period,
            reference,
            document.exam_session_id,
        )
        current = draft.sha256
    except ProblemError:
        current = None  # the document could not be issued today at all
    if current != document.data_sha256:
        document.revoked_at = datetime.now(UTC)
        await session.flush()
        await events.document_revoked(session, document)
        log.info("document %s revoked at verification: its data changed", document.id)


def answer(document: IssuedDocument, school: School) -> DocumentVerification:
    """What the public may read of an issued document."""
    return DocumentVerification(
        code=document.code,
        status="genuine" if document.revoked_at is None else "revoked",
        kind=document.kind,
        school_year=document.school_year,
        semester=None if document.period == WHOLE_YEAR else document.period,
        version=document.version,
        issued_at=document.issued_at,
        revoked_at=document.revoked_at,
        school=IssuingSchool.model_validate(school),
        pupil_initials=document.initials,
        pdf_sha256=document.pdf_sha256,
    )


async def verify(
    session: AsyncSession, text: str, reference: ReferenceData
) -> DocumentVerification:
    """The document's public answer (`UnknownDocument` when the code names none)."""
    document, school = await _found(session, text)
    await _still_current(session, document, reference)
    return answer(document, school)


async def verify_for_client(
    session: AsyncSession,
    text: str,
    reference: ReferenceData,
    scope: ColumnElement[bool],
    client_id: uuid.UUID,
) -> ClientDocumentVerification:
    """An API client's answer: the public one and the pupil's Massar code (what
    `documents.verify` opens), for a document of a school in `scope` (on `School`), the check
    recorded against the client; a code of another unit answers `UnknownDocument` like a code
    that names none."""
    document, school = await _found(session, text, scope)
    await _still_current(session, document, reference)
    massar_code = await session.scalar(
        select(Pupil.massar_code).where(Pupil.id == document.pupil_id)
    )
    verified = answer(document, school)
    session.add(
        ClientDocumentCheck(
            client_id=client_id,
            document_id=document.id,
            school_id=document.school_id,
            status=verified.status,
        )
    )
    await session.flush()
    return ClientDocumentVerification(**verified.model_dump(), massar_code=massar_code)


async def revoke(
    session: AsyncSession,
    text: str,
    scope: ColumnElement[bool],
    by: uuid.UUID,
    reason: str,
) -> DocumentVerification:
    """The school revokes a document it issued (by mistake), `scope` being its schools: 404
    for another school's code, 409 `already-revoked` for a revoked one. Its next download
    issues a new version."""
    code = normalised_code(text)
    row = (
        await session.execute(
            select(IssuedDocument, School)
            .join(School, School.id == IssuedDocument.school_id)
            .where(IssuedDocument.code == code, scope)
            .with_for_update(of=IssuedDocument)
        )
    ).one_or_none()
    if code is None or row is None:
        raise NotFound()
    document, school = row
    if document.revoked_at is not None:
        raise ProblemError(409, "documents.already_revoked", kind="already-revoked")
    document.revoked_at = datetime.now(UTC)
    document.revoked_by, document.revocation_reason = by, reason
    await session.flush()
    await events.document_revoked(session, document)
    return answer(document, school)


async def check(
    session: AsyncSession, text: str, pdf: bytes, reference: ReferenceData
) -> DocumentCheck:
    """Whether `pdf` is exactly the file issued under the code."""
    answer = await verify(session, text, reference)
    received = hashlib.sha256(pdf).hexdigest()
    return DocumentCheck(
        code=answer.code,
        status=answer.status,
        matches=received == answer.pdf_sha256,
        pdf_sha256=answer.pdf_sha256,
        received_sha256=received,
    )


@cache
def _words() -> dict[str, Any]:
    with (TEMPLATES / "verification.toml").open("rb") as file:
        return tomllib.load(file)


@cache
def _template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


def page(answer: DocumentVerification | None, code: str) -> str:
    """The verification as a page in French and Arabic; `answer` None: the code is unknown."""
    words = _words()
    status = answer.status if answer else "unknown"
    revoked_on = answer.revoked_at.strftime("%d/%m/%Y") if answer and answer.revoked_at else ""
    verdict_fr, verdict_ar = (
        text.format(revoked_on=revoked_on) for text in words["verdict"][status]
    )
    details = ""
    if answer is not None:
        kind_fr, kind_ar = words["kinds"][answer.kind.value]
        period = "year" if answer.semester is None else "semester"
        values = {"semester": answer.semester, "year": year_label(answer.school_year)}
        period_fr, period_ar = (text.format(**values) for text in words["periods"][period])
        fields = {
            "kind_fr": kind_fr,
            "kind_ar": kind_ar,
            "period_fr": period_fr,
            "period_ar": period_ar,
            "school_fr": f"{answer.school.name_fr} ({answer.school.code})",
            "school_ar": answer.school.name_ar,
            "initials": answer.pupil_initials,
            "issued_at": answer.issued_at.strftime("%d/%m/%Y"),
            "version": answer.version,
            "pdf_sha256": answer.pdf_sha256,
        }
        details = _template("verification_rows.html").substitute(
            {name: html.escape(str(value)) for name, value in fields.items()}
        )
    return _template("verification.html").substitute(
        status=status,
        verdict_fr=html.escape(verdict_fr),
        verdict_ar=html.escape(verdict_ar),
        details=details,
        code=html.escape(code[:32]),
    )
