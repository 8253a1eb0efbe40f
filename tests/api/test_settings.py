"""Production refuses unsafe configuration."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from app import cli
from app.settings import (
    DEV_CODE_HASH_KEY,
    DEV_JWT_SECRET,
    DEV_MFA_ENCRYPTION_KEY,
    DEV_WEBHOOK_ENCRYPTION_KEY,
    Environment,
    Settings,
)

PROD_DB = "postgresql://massar@db.internal/massar"
PROD_MFA_KEY = "m" * 40
PROD_CODE_KEY = "c" * 40
PROD_WEBHOOK_KEY = "w" * 40
PROD_OWNER_DB = "postgresql://massar_owner@db.internal/massar"


@pytest.mark.parametrize("secret", [None, DEV_JWT_SECRET, "short-secret"])
def test_prod_refuses_a_default_missing_or_weak_secret(secret: str | None) -> None:
    with pytest.raises(ValidationError, match="MASSAR_JWT_SECRET"):
        Settings(environment=Environment.PROD, database_url=PROD_DB, jwt_secret=secret)


def test_prod_requires_a_database_url() -> None:
    with pytest.raises(ValidationError, match="MASSAR_DATABASE_URL"):
        Settings(environment=Environment.PROD, jwt_secret="s" * 40)


def test_prod_rs256_requires_a_private_key() -> None:
    with pytest.raises(ValidationError, match="MASSAR_JWT_PRIVATE_KEY"):
        Settings(environment=Environment.PROD, database_url=PROD_DB, jwt_algorithm="RS256")


def test_prod_accepts_a_real_secret() -> None:
    settings = Settings(
        environment=Environment.PROD,
        database_url=PROD_DB,
        jwt_secret="s" * 40,
        mfa_encryption_key=PROD_MFA_KEY,
        code_hash_key=PROD_CODE_KEY,
        webhook_encryption_key=PROD_WEBHOOK_KEY,
        migration_database_url=PROD_OWNER_DB,
    )
    assert settings.signing_secret == "s" * 40
    assert not settings.allows_demo_data


def test_dev_uses_the_development_secret() -> None:
    assert Settings(environment=Environment.DEV).signing_secret == DEV_JWT_SECRET


def test_cors_origins_are_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "MASSAR_CORS_ORIGINS", "https://wali.men.gov.ma, https://moudaris.men.gov.ma"
    )
    assert Settings().cors_origins == ["https://wali.men.gov.ma", "https://moudaris.men.gov.ma"]


def test_seed_demo_is_refused_in_prod(monkeypatch: pytest.MonkeyPatch) -> None:
    prod = Settings(
        environment=Environment.PROD,
        database_url=PROD_DB,
        jwt_secret="s" * 40,
        mfa_encryption_key=PROD_MFA_KEY,
        code_hash_key=PROD_CODE_KEY,
        webhook_encryption_key=PROD_WEBHOOK_KEY,
        migration_database_url=PROD_OWNER_DB,
    )
    monkeypatch.setattr(cli, "get_settings", lambda: prod)
    result = CliRunner().invoke(cli.cli, ["seed-demo"])
    assert result.exit_code != 0
    assert "refused" in result.output


@pytest.mark.parametrize("key", [None, DEV_MFA_ENCRYPTION_KEY, "short-key"])
def test_prod_refuses_a_default_missing_or_weak_mfa_key(key: str | None) -> None:
    with pytest.raises(ValidationError, match="MASSAR_MFA_ENCRYPTION_KEY"):
        Settings(
            environment=Environment.PROD,
            database_url=PROD_DB,
            jwt_secret="s" * 40,
            mfa_encryption_key=key,
        )


@pytest.mark.parametrize("key", [None, DEV_CODE_HASH_KEY, "short-key"])
def test_prod_refuses_a_default_missing_or_weak_code_hash_key(key: str | None) -> None:
    with pytest.raises(ValidationError, match="MASSAR_CODE_HASH_KEY"):
        Settings(
            environment=Environment.PROD,
            database_url=PROD_DB,
            jwt_secret="s" * 40,
            mfa_encryption_key=PROD_MFA_KEY,
            code_hash_key=key,
        )


@pytest.mark.parametrize("key", [None, DEV_WEBHOOK_ENCRYPTION_KEY, "short-key"])
def test_prod_refuses_a_default_missing_or_weak_webhook_key(key: str | None) -> None:
    with pytest.raises(ValidationError, match="MASSAR_WEBHOOK_ENCRYPTION_KEY"):
        Settings(
            environment=Environment.PROD,
            database_url=PROD_DB,
            jwt_secret="s" * 40,
            mfa_encryption_key=PROD_MFA_KEY,
            code_hash_key=PROD_CODE_KEY,
            webhook_encryption_key=key,
        )


@pytest.mark.parametrize("owner", [None, PROD_DB, "postgresql://massar:other@db2.internal/x"])
def test_prod_requires_an_owner_url_with_another_role(owner: str | None) -> None:
    with pytest.raises(ValidationError, match="MASSAR_MIGRATION_DATABASE_URL"):
        Settings(
            environment=Environment.PROD,
            database_url=PROD_DB,
            jwt_secret="s" * 40,
            mfa_encryption_key=PROD_MFA_KEY,
            code_hash_key=PROD_CODE_KEY,
            webhook_encryption_key=PROD_WEBHOOK_KEY,
            migration_database_url=owner,
        )


def test_mfa_key_defaults_to_the_dev_key_outside_prod() -> None:
    settings = Settings(environment=Environment.DEV)
    assert settings.mfa_secret_key == DEV_MFA_ENCRYPTION_KEY
    assert not settings.mfa_required_for_staff
    assert DEV_MFA_ENCRYPTION_KEY not in repr(Settings(mfa_encryption_key=DEV_MFA_ENCRYPTION_KEY))


def test_trusted_proxies_are_a_list_of_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MASSAR_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")
    assert Settings().trusted_proxies == ["10.0.0.0/8", "127.0.0.1"]
    monkeypatch.setenv("MASSAR_TRUSTED_PROXIES", "not-an-address")
    with pytest.raises(ValidationError, match="MASSAR_TRUSTED_PROXIES"):
        Settings()
