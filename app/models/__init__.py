"""Every ORM table, imported here so that `Base.metadata` knows them all."""

from app.models.accounts import AuthSession, GuardianLink, RefreshToken, User
from app.models.organisation import Academy, Province, School

__all__ = ["Academy", "AuthSession", "GuardianLink", "Province", "RefreshToken", "School", "User"]
