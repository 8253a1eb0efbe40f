"""Staff second factor: enrolment, confirmation, disabling, and logging in with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import mfa
from app.accounts.models import MfaChallenge, MfaCredential, MfaRecoveryCode, User
from app.core.security import totp as otp
from app.errors import NotAuthenticated
from app.settings import Settings, get_settings
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.usefixtures("world")

STAFF = ["school_staff", "province_staff", "academy_staff", "central_staff"]
NOT_STAFF = ["student", "parent", "teacher"]
STEP = timedelta(seconds=30)


def _code(secret: str, offset_steps: int = 0) -> str:
    return otp.totp_at(secret, datetime.now(UTC) + offset_steps * STEP)


async def _enrol(client: httpx.AsyncClient, world: World, who: str) -> dict[str, object]:
    response = await client.post("/api/v1/me/mfa/enrol", headers=world.auth(who))
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def _activate(session: AsyncSession, user: User) -> tuple[str, list[str]]:
    """MFA active for `user`, confirmed with the previous step's code (so now's is unused)."""
    enrolment = await mfa.enrol(session, user)
    confirmed = await mfa.confirm(
        session, user.id, _code(enrolment.secret, -1), datetime.now(UTC) - STEP
    )
    assert confirmed
    await session.commit()
    return enrolment.secret, enrolment.recovery_codes


async def _login(client: httpx.AsyncClient, username: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )


# ---- enrolment ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", STAFF)
async def test_staff_enrol_and_verify(
    client: httpx.AsyncClient, world: World, session: AsyncSession, who: str
) -> None:
    enrolment = await _enrol(client, world, who)
    uri = urlparse(str(enrolment["otpauth_uri"]))
    assert uri.scheme == "otpauth"
    assert uri.netloc == "totp"
    assert parse_qs(uri.query)["issuer"] == ["Massar"]
    assert parse_qs(uri.query)["secret"] == [enrolment["secret"]]
    codes = enrolment["recovery_codes"]
    assert isinstance(codes, list)
    assert len(codes) == otp.RECOVERY_CODE_COUNT
    assert len(set(codes)) == len(codes)

    user = world.users[who]
    credential = await session.get(MfaCredential, user.id)
    assert credential is not None
    assert credential.confirmed_at is None
    # Stored encrypted, and the recovery codes only as hashes.
    assert str(enrolment["secret"]).encode() not in credential.secret_encrypted
    hashes = (
        await session.scalars(
            select(MfaRecoveryCode.code_hash).where(MfaRecoveryCode.user_id == user.id)
        )
    ).all()
    assert set(hashes) == {otp.hash_recovery_code(c) for c in codes}

    response = await client.post(
        "/api/v1/me/mfa/verify",
        json={"code": _code(str(enrolment["secret"]))},
        headers=world.auth(who),
    )
    assert response.status_code == 204
    await session.refresh(credential)
    assert credential.confirmed_at is not None


@pytest.mark.parametrize("who", NOT_STAFF)
async def test_other_roles_may_not_enrol(client: httpx.AsyncClient, world: World, who: str) -> None:
    response = await client.post("/api/v1/me/mfa/enrol", headers=world.auth(who))
    assert response.status_code == 403
    assert "secret" not in response.text


async def test_mfa_is_not_active_before_a_code_confirms_it(
    client: httpx.AsyncClient, world: World
) -> None:
    await _enrol(client, world, "central_staff")
    response = await _login(client, world.users["central_staff"].username)
    assert response.status_code == 200
    assert response.json()["access_token"]


async def test_a_wrong_code_does_not_confirm(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    enrolment = await _enrol(client, world, "school_staff")
    good = _code(str(enrolment["secret"]))
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = await client.post(
        "/api/v1/me/mfa/verify", json={"code": wrong}, headers=world.auth("school_staff")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.code"
    credential = await session.get(MfaCredential, world.users["school_staff"].id)
    assert credential is not None
    assert credential.confirmed_at is None


async def test_enrolling_again_replaces_a_pending_secret_but_not_an_active_one(
    client: httpx.AsyncClient, world: World
) -> None:
    first = await _enrol(client, world, "school_staff")
    second = await _enrol(client, world, "school_staff")
    assert first["secret"] != second["secret"]
    # The first secret no longer confirms anything.
    stale = await client.post(
        "/api/v1/me/mfa/verify",
        json={"code": _code(str(first["secret"]))},
        headers=world.auth("school_staff"),
    )
    assert stale.status_code == 422
    await client.post(
        "/api/v1/me/mfa/verify",
        json={"code": _code(str(second["secret"]))},
        headers=world.auth("school_staff"),
    )
    again = await client.post("/api/v1/me/mfa/enrol", headers=world.auth("school_staff"))
    assert again.status_code == 409
    assert "secret" not in again.text


async def test_verify_without_enrolment_is_409(client: httpx.AsyncClient, world: World) -> None:
    response = await client.post(
        "/api/v1/me/mfa/verify", json={"code": "123456"}, headers=world.auth("academy_staff")
    )
    assert response.status_code == 409


# ---- codes ----------------------------------------------------------------------------------


async def test_codes_accept_one_step_of_drift_and_never_twice(
    session: AsyncSession, world: World
) -> None:
    user = world.users["central_staff"]
    enrolment = await mfa.enrol(session, user)
    secret = enrolment.secret
    now = datetime(2026, 11, 29, 8, 0, 15, tzinfo=UTC)
    assert await mfa.confirm(session, user.id, otp.totp_at(secret, now - STEP), now)
    # The code just used, and older ones, are refused from now on.
    assert not await mfa.check_code(session, user.id, otp.totp_at(secret, now - STEP), now)
    assert await mfa.check_code(session, user.id, otp.totp_at(secret, now), now)
    assert not await mfa.check_code(session, user.id, otp.totp_at(secret, now), now)
    assert await mfa.check_code(session, user.id, otp.totp_at(secret, now + STEP), now)
    # Two steps away is too far.
    assert not await mfa.check_code(session, user.id, otp.totp_at(secret, now + 2 * STEP), now)
    assert await mfa.check_code(
        session, user.id, otp.totp_at(secret, now + 2 * STEP), now + 2 * STEP
    )


async def test_a_recovery_code_works_once(session: AsyncSession, world: World) -> None:
    user = world.users["province_staff"]
    _, codes = await _activate(session, user)
    now = datetime.now(UTC)
    assert await mfa.check_code(session, user.id, codes[0].upper().replace("-", " "), now)
    assert not await mfa.check_code(session, user.id, codes[0], now)
    assert not await mfa.check_code(session, user.id, "zzzzz-zzzzz", now)
    assert await mfa.check_code(session, user.id, codes[1], now)


def test_the_secret_is_encrypted_with_the_configured_key() -> None:
    stored = otp.encrypt_secret("JBSWY3DPEHPK3PXP")
    assert b"JBSWY3DPEHPK3PXP" not in stored
    assert otp.decrypt_secret(stored) == "JBSWY3DPEHPK3PXP"
    assert get_settings().mfa_secret_key != Settings(mfa_encryption_key="k" * 40).mfa_secret_key


# ---- disabling ------------------------------------------------------------------------------


async def test_disable_needs_a_current_code(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    user = world.users["academy_staff"]
    secret, _ = await _activate(session, user)
    headers = world.auth("academy_staff")
    wrong = await client.request(
        "DELETE", "/api/v1/me/mfa", json={"code": "zzzzz-zzzzz"}, headers=headers
    )
    assert wrong.status_code == 422
    response = await client.request(
        "DELETE", "/api/v1/me/mfa", json={"code": _code(secret)}, headers=headers
    )
    assert response.status_code == 204
    assert await session.get(MfaCredential, user.id, populate_existing=True) is None
    assert (await _login(client, user.username)).status_code == 200


async def test_disable_with_a_recovery_code(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    user = world.users["school_staff"]
    _, codes = await _activate(session, user)
    response = await client.request(
        "DELETE", "/api/v1/me/mfa", json={"code": codes[3]}, headers=world.auth("school_staff")
    )
    assert response.status_code == 204
    left = await session.scalar(select(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user.id))
    assert left is None


async def test_disable_without_mfa_is_409_and_other_roles_403(
    client: httpx.AsyncClient, world: World
) -> None:
    none = await client.request(
        "DELETE", "/api/v1/me/mfa", json={"code": "123456"}, headers=world.auth("central_staff")
    )
    assert none.status_code == 409
    pupil = await client.request(
        "DELETE", "/api/v1/me/mfa", json={"code": "123456"}, headers=world.auth("student")
    )
    assert pupil.status_code == 403


# ---- logging in -----------------------------------------------------------------------------


async def _challenge(client: httpx.AsyncClient, username: str) -> dict[str, object]:
    response = await _login(client, username)
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["mfa_required"] is True
    assert "access_token" not in body
    return body


async def test_staff_with_mfa_get_a_challenge_then_tokens(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    user = world.users["school_staff"]
    secret, _ = await _activate(session, user)
    body = await _challenge(client, user.username)
    assert body["type"].endswith("/mfa-required")  # type: ignore[union-attr]
    assert body["enrolment_required"] is False
    assert body["challenge_expires_in"] == 300

    response = await client.post(
        "/api/v1/auth/mfa", json={"challenge": body["challenge"], "code": _code(secret)}
    )
    assert response.status_code == 200, response.text
    pair = response.json()
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert me.json()["id"] == str(user.id)


async def test_a_challenge_is_single_use(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    user = world.users["central_staff"]
    secret, _ = await _activate(session, user)
    body = await _challenge(client, user.username)
    first = await client.post(
        "/api/v1/auth/mfa", json={"challenge": body["challenge"], "code": _code(secret)}
    )
    assert first.status_code == 200
    again = await client.post(
        "/api/v1/auth/mfa", json={"challenge": body["challenge"], "code": _code(secret, 1)}
    )
    assert again.status_code == 401
    assert again.json()["type"].endswith("/auth-invalid-challenge")


async def test_a_replayed_code_is_refused_at_login(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    user = world.users["province_staff"]
    secret, _ = await _activate(session, user)
    code = _code(secret)
    first = await _challenge(client, user.username)
    ok = await client.post("/api/v1/auth/mfa", json={"challenge": first["challenge"], "code": code})
    assert ok.status_code == 200
    second = await _challenge(client, user.username)
    replay = await client.post(
        "/api/v1/auth/mfa", json={"challenge": second["challenge"], "code": code}
    )
    assert replay.status_code == 401
    assert replay.json()["type"].endswith("/auth-invalid-mfa-code")
    # A wrong code leaves the challenge usable until it expires.
    ok = await client.post(
        "/api/v1/auth/mfa", json={"challenge": second["challenge"], "code": _code(secret, 1)}
    )
    assert ok.status_code == 200


async def test_a_recovery_code_logs_in_once(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    user = world.users["academy_staff"]
    _, codes = await _activate(session, user)
    first = await _challenge(client, user.username)
    ok = await client.post(
        "/api/v1/auth/mfa", json={"challenge": first["challenge"], "code": codes[0]}
    )
    assert ok.status_code == 200
    second = await _challenge(client, user.username)
    used = await client.post(
        "/api/v1/auth/mfa", json={"challenge": second["challenge"], "code": codes[0]}
    )
    assert used.status_code == 401


async def test_an_expired_challenge_is_refused(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    user = world.users["school_staff"]
    secret, _ = await _activate(session, user)
    body = await _challenge(client, user.username)
    challenge = str(body["challenge"])
    # Within its five minutes it is found; past them it is not.
    pending, _ = await mfa.find_challenge(session, challenge, datetime.now(UTC))
    with pytest.raises(NotAuthenticated, match=r"auth\.invalid_challenge"):
        await mfa.find_challenge(session, challenge, pending.expires_at)
    await session.execute(
        update(MfaChallenge)
        .where(MfaChallenge.id == pending.id)
        .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    )
    await session.commit()
    response = await client.post(
        "/api/v1/auth/mfa", json={"challenge": challenge, "code": _code(secret)}
    )
    assert response.status_code == 401


async def test_an_unknown_challenge_is_401(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/mfa", json={"challenge": "x" * 43, "code": "123456"})
    assert response.status_code == 401


@pytest.mark.parametrize("who", NOT_STAFF)
async def test_other_roles_keep_the_plain_login_even_when_mfa_is_required(
    client: httpx.AsyncClient, world: World, monkeypatch: pytest.MonkeyPatch, who: str
) -> None:
    monkeypatch.setattr(get_settings(), "mfa_required_for_staff", True)
    response = await _login(client, world.users[who].username)
    assert response.status_code == 200
    assert set(response.json()) == {
        "access_token",
        "token_type",
        "expires_in",
        "refresh_token",
        "refresh_expires_in",
    }


async def test_required_mfa_makes_staff_enrol_at_login(
    client: httpx.AsyncClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "mfa_required_for_staff", True)
    user = world.users["central_staff"]
    body = await _challenge(client, user.username)
    assert body["enrolment_required"] is True
    assert body["type"].endswith("/mfa-enrolment-required")  # type: ignore[union-attr]

    enrolment = await client.post("/api/v1/auth/mfa/enrol", json={"challenge": body["challenge"]})
    assert enrolment.status_code == 201
    secret = enrolment.json()["secret"]
    wrong = await client.post(
        "/api/v1/auth/mfa", json={"challenge": body["challenge"], "code": "zzzzz-zzzzz"}
    )
    assert wrong.status_code == 401
    response = await client.post(
        "/api/v1/auth/mfa", json={"challenge": body["challenge"], "code": _code(secret)}
    )
    assert response.status_code == 200
    # Now enrolled: the next login asks for a code, not for enrolment.
    again = await _challenge(client, user.username)
    assert again["enrolment_required"] is False
    refused = await client.post("/api/v1/auth/mfa/enrol", json={"challenge": again["challenge"]})
    assert refused.status_code == 409


async def test_a_wrong_password_never_reaches_the_second_factor(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    user = world.users["school_staff"]
    await _activate(session, user)
    response = await client.post(
        "/api/v1/auth/token", json={"username": user.username, "password": "not-it"}
    )
    assert response.status_code == 401
    assert "challenge" not in response.json()


async def test_no_secret_code_or_challenge_reaches_the_log(
    client: httpx.AsyncClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    enrolment = await _enrol(client, world, "school_staff")
    secret = str(enrolment["secret"])
    code = _code(secret)
    await client.post(
        "/api/v1/me/mfa/verify", json={"code": code}, headers=world.auth("school_staff")
    )
    body = await _challenge(client, world.users["school_staff"].username)
    codes = enrolment["recovery_codes"]
    assert isinstance(codes, list)
    await client.post("/api/v1/auth/mfa", json={"challenge": body["challenge"], "code": codes[0]})
    logged = caplog.text
    for leaked in (secret, code, str(body["challenge"]), *codes, PASSWORD):
        assert leaked not in logged
    assert "mfa activated" in logged
