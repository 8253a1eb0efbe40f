"""Partnerships (partenariats), the same endpoints on two faces: school staff under
`/school/partnerships` and steering staff under `/steering/partnerships`. The service applies
each caller's scope: a unit manages what it owns; a directorate, an academy or the ministry
reads what is owned within its part of the tree; a school also reads the agreements of the
units above it that concern it.

Documents are uploaded as a multipart form: `title` and `document` (a PDF, checked by content).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status

from app.accounts.guards import CurrentPrincipal
from app.core.db.session import SessionDep
from app.core.documents import commit_or_forget, document_response
from app.core.params import PageParams
from app.core.roles import Level
from app.core.routing import face_routes
from app.core.schemas import Page
from app.core.storage import DocumentStoreDep
from app.modules.partnerships import agreements as partnerships
from app.modules.partnerships import documents as partnership_documents
from app.modules.partnerships import partners as partnership_partners
from app.modules.partnerships.models import NAME_MAX, AgreementDomain, AgreementStatus, PartnerKind
from app.modules.partnerships.schemas import (
    AgreementAction,
    AgreementIn,
    AgreementOut,
    DocumentOut,
    PartnerIn,
    PartnerOut,
)

_DOCUMENT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The signed agreement (PDF)."}
}


PartnershipFace = Literal["school", "steering"]


def partnership_routes(face: PartnershipFace) -> APIRouter:
    """The partnership endpoints of one face, with its operation ids (the face's router
    guards the role)."""
    groups = (_partner_routes, _agreement_routes, _document_routes)
    return face_routes(face, groups, prefix="/partnerships")


def _partner_routes(router: APIRouter, face: str) -> None:
    @router.get("/partners", operation_id=f"{face}-partnership-partners")
    async def list_partners(
        page: PageParams,
        principal: CurrentPrincipal,
        session: SessionDep,
        kind: PartnerKind | None = None,
        owner_level: Level | None = None,
        q: Annotated[
            str | None, Query(max_length=NAME_MAX, description="Part of the name.")
        ] = None,
    ) -> Page[PartnerOut]:
        """Partners registered by my unit, the units beneath it and the units above it."""
        return await partnership_partners.list_partners(
            session, principal, page, kind=kind, owner_level=owner_level, q=q
        )

    @router.post(
        "/partners",
        operation_id=f"{face}-partnership-create-partner",
        status_code=status.HTTP_201_CREATED,
    )
    async def create_partner(
        new: PartnerIn, principal: CurrentPrincipal, session: SessionDep
    ) -> PartnerOut:
        """Register a partner for my unit (409 if my unit already has one of that name)."""
        return await partnership_partners.create_partner(session, principal, new)

    @router.get("/partners/{partner_id}", operation_id=f"{face}-partnership-partner")
    async def get_partner(
        partner_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> PartnerOut:
        """One partner I can see."""
        return await partnership_partners.get_partner(session, principal, partner_id)

    @router.put("/partners/{partner_id}", operation_id=f"{face}-partnership-update-partner")
    async def update_partner(
        partner_id: uuid.UUID, changes: PartnerIn, principal: CurrentPrincipal, session: SessionDep
    ) -> PartnerOut:
        """Correct a partner my unit registered."""
        return await partnership_partners.update_partner(session, principal, partner_id, changes)


def _agreement_routes(router: APIRouter, face: str) -> None:
    @router.get("/agreements", operation_id=f"{face}-partnership-agreements")
    async def list_agreements(
        page: PageParams,
        principal: CurrentPrincipal,
        session: SessionDep,
        status: AgreementStatus | None = None,
        domain: AgreementDomain | None = None,
        partner_kind: PartnerKind | None = None,
        owner_level: Level | None = None,
        expired: Annotated[
            bool | None, Query(description="Active agreements past their end date (or not).")
        ] = None,
    ) -> Page[AgreementOut]:
        """Agreements I may read, newest first."""
        filters = partnerships.AgreementFilters(status, domain, partner_kind, owner_level, expired)
        return await partnerships.list_agreements(session, principal, filters, page)

    @router.get("/expiring", operation_id=f"{face}-partnership-expiring")
    async def list_expiring(
        page: PageParams,
        principal: CurrentPrincipal,
        session: SessionDep,
        within_days: Annotated[int, Query(ge=0, le=366)] = partnerships.EXPIRING_DAYS,
    ) -> Page[AgreementOut]:
        """Active agreements I may read that end within `within_days` days, soonest first."""
        return await partnerships.list_expiring(session, principal, within_days, page)

    @router.post(
        "/agreements",
        operation_id=f"{face}-partnership-create-agreement",
        status_code=status.HTTP_201_CREATED,
    )
    async def create_agreement(
        terms: AgreementIn, principal: CurrentPrincipal, session: SessionDep
    ) -> AgreementOut:
        """A draft agreement of my unit; the schools concerned must be within my part of the
        tree (422 names each other one)."""
        return await partnerships.create_agreement(session, principal, terms)

    @router.get("/agreements/{agreement_id}", operation_id=f"{face}-partnership-agreement")
    async def get_agreement(
        agreement_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> AgreementOut:
        """One agreement I may read."""
        return await partnerships.get_agreement(session, principal, agreement_id)

    @router.put("/agreements/{agreement_id}", operation_id=f"{face}-partnership-update-agreement")
    async def update_agreement(
        agreement_id: uuid.UUID,
        terms: AgreementIn,
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> AgreementOut:
        """Rewrite a draft of my unit (409 once signed)."""
        return await partnerships.update_agreement(session, principal, agreement_id, terms)

    @router.post(
        "/agreements/{agreement_id}/actions", operation_id=f"{face}-partnership-move-agreement"
    )
    async def move_agreement(
        agreement_id: uuid.UUID,
        step: AgreementAction,
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> AgreementOut:
        """activate (draft, with the signature date), suspend, resume, end: 409 when the
        agreement's state does not allow it."""
        return await partnerships.move_agreement(session, principal, agreement_id, step)


def _document_routes(router: APIRouter, face: str) -> None:
    @router.post(
        "/agreements/{agreement_id}/documents",
        operation_id=f"{face}-partnership-upload-document",
        status_code=status.HTTP_201_CREATED,
    )
    async def upload(
        agreement_id: uuid.UUID,
        title: Annotated[str, Form(min_length=1, max_length=NAME_MAX)],
        document: Annotated[UploadFile, File(description="The signed agreement, a PDF ≤ 5 MB.")],
        principal: CurrentPrincipal,
        session: SessionDep,
        store: DocumentStoreDep,
    ) -> DocumentOut:
        """Attach a signed PDF to an agreement of my unit (413 too large, 415 not a PDF)."""
        # One byte over the limit is enough to refuse it.
        content = await document.read(partnership_documents.DOCUMENT_MAX_BYTES + 1)
        out, stored = await partnership_documents.upload(
            session, store, principal, agreement_id, title, content
        )
        await commit_or_forget(session, store, stored.key)
        return out

    @router.get(
        "/agreements/{agreement_id}/documents", operation_id=f"{face}-partnership-documents"
    )
    async def list_documents(
        agreement_id: uuid.UUID, page: PageParams, principal: CurrentPrincipal, session: SessionDep
    ) -> Page[DocumentOut]:
        """The documents of an agreement I may read."""
        return await partnership_documents.list_documents(session, principal, agreement_id, page)

    @router.get(
        "/agreements/{agreement_id}/documents/{document_id}",
        operation_id=f"{face}-partnership-document",
        response_class=Response,
        responses=_DOCUMENT_RESPONSES,
    )
    async def download(
        agreement_id: uuid.UUID,
        document_id: uuid.UUID,
        principal: CurrentPrincipal,
        session: SessionDep,
        store: DocumentStoreDep,
    ) -> Response:
        """Download a document of an agreement I may read."""
        found = await partnership_documents.download(
            session, store, principal, agreement_id, document_id
        )
        return document_response(found)
