"""A parent with no account signs up: a phone number or an email address, proved by a
one-time code sent there, and the national identity card number (CIN). Verified, the sign-up
becomes a parent account whose login is that number or address, with the password they set.

Guessing is bounded three ways: asking for codes and trying them are throttled like logins
(per contact and per client IP, `core/security/throttle.py`); a code dies after
`CODE_LIFETIME`; and the tries at one sign-up's code are counted on its row in the same
statement that checks they are not spent, so tries sent at once get no more than
`MAX_CODE_TRIES` between them."""

from __future__ import annotations

import hmac
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.accounts.users import EMAIL
from app.core.roles import Role
from app.core.security.one_time_codes import hash_code, new_code
from app.core.security.passwords import hash_password
from app.core.security.throttle import Attempt, LoginThrottle
from app.errors import Conflict, NotAuthenticated, invalid
from app.i18n import translate
from app.messaging.models import TextChannel
from app.messaging.texts import queue_text
from app.preregistration.models import ContactKind, Signup
from app.preregistration.schemas import (
    ParentAccountOut,
    SignupIn,
    SignupOut,
    SignupVerificationIn,
)

CODE_LIFETIME = timedelta(minutes=15)
MAX_CODE_TRIES = 5
# Moroccan mobiles: 06 or 07 and eight digits, written 06…, +2126… or 002126….
_MOBILE = re.compile(r"^(?:\+212|00212|0)([67][0-9]{8})$")
_SEPARATORS = re.compile(r"[\s.()-]")


def contact_of(raw: str) -> tuple[ContactKind, str]:
    """The contact's kind and its one written form: `+2126XXXXXXXX`, or the address in
    lower case (the login it becomes)."""
    value = raw.strip()
    if "@" in value:
        if not EMAIL.match(value):
            raise invalid("contact", "not an email address")
        return ContactKind.EMAIL, value.lower()
    mobile = _MOBILE.match(_SEPARATORS.sub("", value))
    if mobile is None:
        raise invalid("contact", "a Moroccan mobile number (06…, 07…) or an email address")
    return ContactKind.PHONE, f"+212{mobile.group(1)}"


def _throttle_key(contact: str) -> str:
    return f"signup:{contact}"


async def start_signup(
    session: AsyncSession, throttle: LoginThrottle, client_ip: str, new: SignupIn
) -> SignupOut:
    """Record the sign-up and queue its code to the contact. Every code asked for counts
    against the contact and the client as a failed login would, until one is verified."""
    kind, contact = contact_of(new.contact)
    cin = new.cin.upper()
    attempt = await throttle.begin(_throttle_key(contact), client_ip)
    await throttle.failed(attempt)
    channel = TextChannel.SMS if kind is ContactKind.PHONE else TextChannel.EMAIL
    signup = Signup(
        contact_kind=kind,
        contact=contact,
        cin=cin,
        first_name=new.first_name,
        last_name=new.last_name,
        expires_at=datetime.now(UTC) + CODE_LIFETIME,
    )
    if await _taken(session, contact, cin):
        # The owner of the contact is told at that address; the answer here is the same as
        # for a new sign-up, so it does not tell who has an account.
        text = translate("preregistration.text_account_exists")
    else:
        code = new_code()
        signup.code_hash = hash_code(code)
        minutes = int(CODE_LIFETIME.total_seconds() // 60)
        text = translate("preregistration.text_code").format(code=code, minutes=minutes)
    session.add(signup)
    await session.flush()
    await queue_text(session, channel, contact, text)
    return SignupOut(signup_id=signup.id, channel=channel, expires_at=signup.expires_at)


async def _taken(session: AsyncSession, contact: str, cin: str) -> bool:
    """An account already logs in with this contact, or was opened with this CIN."""
    account = select(User.id).where(User.username == contact)
    identity = select(Signup.id).where(Signup.cin == cin, Signup.verified_at.is_not(None))
    return bool(await session.scalar(select(or_(account.exists(), identity.exists()))))


class CodeRefused(NotAuthenticated):
    """A wrong, spent or expired code: the try stays counted, so the caller commits it before
    answering."""

    def __init__(self) -> None:
        super().__init__("auth.invalid_code")


async def verify_signup(
    session: AsyncSession, throttle: LoginThrottle, client_ip: str, proof: SignupVerificationIn
) -> ParentAccountOut:
    """Check the code and open the parent's account with the password they chose."""
    contact = await session.scalar(select(Signup.contact).where(Signup.id == proof.signup_id))
    attempt = await throttle.begin(_throttle_key(contact or str(proof.signup_id)), client_ip)
    # One statement counts the try and reads the code, and only while tries are left: the
    # row's lock makes tries sent at once count one after the other.
    code_hash = await session.scalar(
        update(Signup)
        .where(
            Signup.id == proof.signup_id,
            Signup.verified_at.is_(None),
            Signup.code_hash.is_not(None),
            Signup.expires_at > func.now(),
            Signup.attempts < MAX_CODE_TRIES,
        )
        .values(attempts=Signup.attempts + 1)
        .returning(Signup.code_hash)
        .execution_options(synchronize_session=False)
    )
    if code_hash is None or not hmac.compare_digest(code_hash, hash_code(proof.code)):
        await throttle.failed(attempt)
        raise CodeRefused()
    signup = await session.get_one(Signup, proof.signup_id, populate_existing=True)
    if await _taken(session, signup.contact, signup.cin):
        raise Conflict("preregistration.account_exists")
    user = await _open_parent_account(session, throttle, attempt, signup, proof.password)
    signup.verified_at = datetime.now(UTC)
    signup.user_id = user.id
    signup.code_hash = None
    await session.flush()
    await throttle.succeeded(attempt)
    return ParentAccountOut(username=user.username)


async def _open_parent_account(
    session: AsyncSession, throttle: LoginThrottle, attempt: Attempt, signup: Signup, password: str
) -> User:
    async with throttle.checking(attempt):
        password_hash = await hash_password(password)
    user = User(
        username=signup.contact,
        password_hash=password_hash,
        role=Role.PARENT,
        first_name=signup.first_name,
        last_name=signup.last_name,
    )
    session.add(user)
    await session.flush()
    return user
