"""Configuration from the environment (prefix `MASSAR_`), checked once at startup."""

from __future__ import annotations

import ipaddress
import math
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url

# The development secret is public (it is in this file), so nothing outside dev may use it.
DEV_JWT_SECRET = "massar-dev-secret-change-me-0123456789abcdef"  # noqa: S105
MIN_SECRET_LENGTH = 32
# Public too: encrypts TOTP secrets at rest in dev and test only.
DEV_CODE_HASH_KEY = "massar-dev-code-key-change-me-0123456789abcdef"
DEV_MFA_ENCRYPTION_KEY = "massar-dev-mfa-key-change-me-0123456789abcdef"
DEV_WEBHOOK_ENCRYPTION_KEY = "massar-dev-webhook-key-change-me-0123456789abcdef"


class Environment(StrEnum):
    DEV = "dev"
    TEST = "test"
    PROD = "prod"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MASSAR_", env_file=".env", extra="ignore")

    environment: Environment = Environment.DEV
    # No URL means: start the embedded PostgreSQL kept in `data_dir`.
    database_url: str | None = None
    # The owner's URL, for migrations and other DDL; the serving URL above should be a role that
    # owns nothing. Defaults to the serving URL outside prod, where it is required.
    migration_database_url: str | None = None
    data_dir: Path = Path(".data")
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    db_pool_timeout_seconds: float = Field(default=10.0, gt=0)
    # A database that does not answer a connect within this answers 503 (not after the pool wait).
    db_connect_timeout_seconds: float = Field(default=3.0, gt=0)
    # Streaming replicas (`core/db/replicas.py`), comma-separated URLs: the reads that tolerate a
    # few seconds of lag go to one of them. None: every read goes to the primary.
    database_replica_urls: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # A replica whose replay is further behind the primary than this is not read from.
    replica_max_lag_seconds: float = Field(default=5.0, gt=0, le=300)
    # How often each replica's replay position is compared with the primary's WAL position.
    replica_check_seconds: float = Field(default=1.0, gt=0, le=60)
    # A caller who wrote reads from the primary for this long afterwards (read-your-writes):
    # through Redis when MASSAR_REDIS_URL is set, so every worker knows, else in this process.
    read_your_writes_seconds: int = Field(default=10, ge=1, le=300)

    jwt_algorithm: Literal["HS256", "RS256"] = "HS256"
    jwt_secret: str | None = None
    # RS256: the PEM key that signs, its `kid`, and every public key still accepted, by `kid`.
    jwt_private_key: str | None = None
    jwt_key_id: str = "massar-1"
    jwt_public_keys: dict[str, str] = Field(default_factory=dict)
    jwt_issuer: str = "massar-api"
    jwt_audience: str = "massar-apps"
    access_token_minutes: int = Field(default=15, ge=1, le=60)
    # API clients (client credentials): their tokens' lifetime, and the requests each client
    # may make in a minute before it is answered 429.
    client_token_minutes: int = Field(default=10, ge=1, le=60)
    client_requests_per_minute: int = Field(default=600, ge=1)
    refresh_token_days: int = Field(default=30, ge=1, le=180)
    # A login ends this long after it began, however often its tokens were refreshed.
    session_max_days: int = Field(default=90, ge=1, le=365)
    # A refresh whose answer was lost may be retried once within this, with the same token.
    refresh_retry_seconds: int = Field(default=30, ge=0, le=300)

    # argon2id; the OWASP minimum is m=19 MiB, t=2, p=1.
    password_memory_kib: int = Field(default=19_456, ge=19_456)
    password_time_cost: int = Field(default=2, ge=2)
    password_parallelism: int = Field(default=1, ge=1)
    # Hashes run at once by one worker process; unset: the cores but one, shared out among the
    # workers (`core/security/passwords.py`), so reads always keep a core.
    password_hashing_limit: int | None = Field(default=None, ge=1)
    # How far below the reads the hashing threads are scheduled (a nice value, 0-19): with
    # the cores busy, reads run first and hashing gets what they leave.
    password_hashing_nice: int = Field(default=10, ge=0, le=19)
    # Logins (and other hashing) waiting for a hashing thread, per process, and for how long;
    # beyond either they answer 503 `login-busy` with Retry-After. A caller waiting here may
    # hold a database connection, so the queue stays well below the pool.
    password_queue_size: int = Field(default=8, ge=0, le=64)
    password_queue_seconds: float = Field(default=2.0, gt=0, le=30)

    # How many days back a teacher may still take or correct attendance.
    attendance_window_days: int = Field(default=14, ge=0, le=120)
    # Absences in a year above which the school's absence totals flag a pupil.
    absence_alert_threshold: int = Field(default=10, ge=0)
    school_timezone: str = "Africa/Casablanca"
    # Processes that draw official documents (PDF) beside each worker; each takes a core
    # while it draws (`official_documents/pool.py`).
    document_render_processes: int = Field(default=1, ge=1, le=32)
    # The address printed in documents' QR codes, e.g. https://massar.men.gov.ma; unset: the
    # address the request came to.
    public_url: str | None = None
    # Largest grade sheet accepted for import, and largest request body of any kind.
    grade_sheet_max_bytes: int = Field(default=2_000_000, ge=10_000)
    max_request_bytes: int = Field(default=8_000_000, ge=100_000)

    # Uploaded documents (justifications' certificates), one file per document.
    documents_dir: Path = Path(".data/documents")
    # A parent justifies an absence within this many days of the lesson (school-local dates).
    justification_window_days: int = Field(default=7, ge=0, le=120)
    # Largest justification document; keep it under max_request_bytes, which caps the form.
    justification_max_bytes: int = Field(default=5 * 1024 * 1024, ge=10_000)

    # Push delivery, in the FCM HTTP v1 shape. No provider URL: the worker logs and leaves
    # the outbox queued (development, tests).
    push_provider_url: str | None = None
    push_project_id: str = "massar"
    # Sent as `Authorization: Bearer …`; a SecretStr, so no repr or log ever shows it. A fixed
    # token, for a stand-in provider; FCM itself takes the service account below.
    push_credentials: SecretStr | None = None
    # FCM's service account key (the JSON file the Firebase console gives): the worker signs
    # an assertion with its private key and trades it for short-lived OAuth2 access tokens.
    push_service_account_file: Path | None = None
    # Where the assertion is traded; unset: the key file's `token_uri` (Google's endpoint).
    push_token_url: str | None = None
    push_batch_size: int = Field(default=100, ge=1, le=1000)
    push_max_attempts: int = Field(default=6, ge=1, le=20)
    push_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    push_backoff_base_seconds: float = Field(default=2.0, gt=0)
    # Sends in flight at once; each holds one database connection while it records its outcome.
    push_concurrency: int = Field(default=8, ge=1, le=64)
    # A message a worker claimed and did not confirm within this is given up (never resent).
    push_lease_seconds: int = Field(default=300, ge=10)
    push_poll_seconds: float = Field(default=2.0, gt=0)
    # `massar serve --with-worker`: run the delivery loop inside the API process.
    push_worker_in_app: bool = False
    # The SMS and email gateway for texts to an address (a sign-up's one-time code): the worker
    # posts `{"channel", "to", "text"}` to `<url>/messages`. No URL: texts stay queued. The
    # outbox's batch, attempts, backoff, lease and timeout are the push settings above.
    text_gateway_url: str | None = None
    # Sent as `Authorization: Bearer …`.
    text_gateway_credentials: SecretStr | None = None
    # Integrators' webhooks (`app/webhooks/`): each endpoint's signing secret is kept encrypted
    # under this key (the worker must read it back to sign). A delivery the receiver did not
    # take is tried again after base × 2^attempts seconds, and given up after the last attempt;
    # the outbox's batch, concurrency, lease and poll are the push settings above.
    webhook_encryption_key: SecretStr | None = None
    webhook_max_attempts: int = Field(default=8, ge=1, le=20)
    webhook_backoff_base_seconds: float = Field(default=30.0, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)

    # One-time codes (first logins, resets, parent links) are stored as an HMAC under this key,
    # so a copy of the database alone cannot recover the short codes still in use.
    code_hash_key: SecretStr | None = None
    # Account security. TOTP secrets are encrypted with a key derived from this secret.
    mfa_encryption_key: SecretStr | None = None
    # True: every staff account must pass a second factor to log in (enrolling at first login).
    mfa_required_for_staff: bool = False
    # Lifetime of the challenge that a password login hands to the second step.
    mfa_challenge_seconds: int = Field(default=300, ge=30, le=900)
    # Failed logins: per account (unknown usernames too) and, with a higher bar, per client IP.
    login_failure_window_seconds: int = Field(default=900, ge=60)
    login_lockout_seconds: int = Field(default=900, ge=60)
    login_max_failures_per_account: int = Field(default=5, ge=3)
    login_max_failures_per_ip: int = Field(default=50, ge=10)
    # Redis for the failure counters, shared by all workers; unset: an in-process store.
    redis_url: str | None = None
    # Peers (addresses or CIDR ranges) whose X-Forwarded-For names the client; none by default.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # A test still a draft this many days after its date makes its teacher late (grade entry).
    grade_entry_late_days: int = Field(default=10, ge=0, le=120)

    # Retention: what the worker deletes, and how often it looks. Days count from the row's
    # end of use (expiry, revocation, last use); see `services/retention.py`.
    retention_interval_seconds: int = Field(default=3600, ge=60)
    # How often the worker sums the changes queued for the steering summaries.
    summaries_interval_seconds: float = Field(default=5, gt=0, le=3600)
    retention_session_days: int = Field(default=90, ge=1)
    retention_notification_days: int = Field(default=365, ge=30)
    retention_push_days: int = Field(default=30, ge=1)
    retention_sync_days: int = Field(default=90, ge=14)
    retention_code_days: int = Field(default=30, ge=1)

    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default=1, ge=1)
    log_level: str = "info"
    # `json`: one JSON object per line, with an access line per request (`core/middleware.py`).
    log_format: Literal["text", "json"] = "text"
    # Prometheus metrics on a port of their own (`core/metrics.py`); unset, none are kept or
    # served. Loopback by default: the figures are for the operators' scraper only.
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_host: str = "127.0.0.1"

    @model_validator(mode="before")
    @classmethod
    def _split_lists(cls, data: dict[str, object]) -> dict[str, object]:
        """The lists given in the environment as comma-separated values."""
        for name in ("cors_origins", "trusted_proxies", "database_replica_urls"):
            value = data.get(name)
            if isinstance(value, str):
                data[name] = [item.strip() for item in value.split(",") if item.strip()]
        return data

    @model_validator(mode="after")
    def _trusted_proxies_are_networks(self) -> Settings:
        for entry in self.trusted_proxies:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"MASSAR_TRUSTED_PROXIES: {entry!r} is not an address") from None
        return self

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment is Environment.PROD:
            if self.database_url is None:
                raise ValueError("MASSAR_DATABASE_URL is required in prod")
            if self.jwt_algorithm == "HS256":
                _require_private("MASSAR_JWT_SECRET", self.jwt_secret, DEV_JWT_SECRET)
            elif not self.jwt_private_key:
                raise ValueError("MASSAR_JWT_PRIVATE_KEY is required for RS256")
            _require_private(
                "MASSAR_MFA_ENCRYPTION_KEY",
                _configured_or(self.mfa_encryption_key, ""),
                DEV_MFA_ENCRYPTION_KEY,
            )
            _require_private(
                "MASSAR_CODE_HASH_KEY", _configured_or(self.code_hash_key, ""), DEV_CODE_HASH_KEY
            )
            _require_private(
                "MASSAR_WEBHOOK_ENCRYPTION_KEY",
                _configured_or(self.webhook_encryption_key, ""),
                DEV_WEBHOOK_ENCRYPTION_KEY,
            )
            if not self.migration_database_url or _user(self.migration_database_url) == _user(
                self.database_url
            ):
                raise ValueError(
                    "MASSAR_MIGRATION_DATABASE_URL is required in prod, with the owner role: the "
                    "role of MASSAR_DATABASE_URL must own nothing"
                )
        return self

    @model_validator(mode="after")
    def _recent_writers_outlast_the_lag(self) -> Settings:
        # Past the window a caller reads from a replica again: one allowed to lag longer than
        # the window (and undetected for a check) could still miss the caller's own write.
        if (
            self.read_your_writes_seconds
            < self.replica_max_lag_seconds + self.replica_check_seconds
        ):
            raise ValueError(
                "MASSAR_READ_YOUR_WRITES_SECONDS must cover MASSAR_REPLICA_MAX_LAG_SECONDS "
                "and MASSAR_REPLICA_CHECK_SECONDS: a caller's own writes must be on the "
                "replica it reads from once its window ends"
            )
        return self

    @model_validator(mode="after")
    def _hashing_queue_leaves_connections(self) -> Settings:
        if self.password_queue_size >= self.db_pool_size:
            raise ValueError(
                "MASSAR_PASSWORD_QUEUE_SIZE must be below MASSAR_DB_POOL_SIZE: logins waiting "
                "to be checked must leave connections for reads"
            )
        return self

    @model_validator(mode="after")
    def _lease_outlasts_a_batch(self) -> Settings:
        # A lease that ran out while the batch is still being sent would give up messages that
        # are about to be delivered (recorded as failed though they arrive).
        rounds = math.ceil(self.push_batch_size / self.push_concurrency)
        if self.push_lease_seconds < 2 * rounds * self.push_timeout_seconds:
            raise ValueError(
                "MASSAR_PUSH_LEASE_SECONDS must be at least twice the time a batch can take "
                "(batch size / concurrency × timeout)"
            )
        return self

    @property
    def signing_secret(self) -> str:
        """The HS256 key: the configured one, or the public development key outside prod."""
        return self.jwt_secret or DEV_JWT_SECRET

    @property
    def code_hash_secret(self) -> bytes:
        """The HMAC key of one-time codes: the configured one, or the dev key outside prod."""
        return _configured_or(self.code_hash_key, DEV_CODE_HASH_KEY).encode()

    @property
    def mfa_secret_key(self) -> str:
        """The key TOTP secrets are encrypted with: the configured one, or the dev key."""
        return _configured_or(self.mfa_encryption_key, DEV_MFA_ENCRYPTION_KEY)

    @property
    def webhook_secret_key(self) -> str:
        """The key webhooks' signing secrets are sealed with: the configured one, or dev's."""
        return _configured_or(self.webhook_encryption_key, DEV_WEBHOOK_ENCRYPTION_KEY)

    @property
    def uses_embedded_database(self) -> bool:
        return self.database_url is None

    @property
    def allows_demo_data(self) -> bool:
        return self.environment is not Environment.PROD


def _require_private(name: str, secret: str | None, development_key: str) -> None:
    """Refuse, in production, a secret that is unset, the public development key, or short."""
    if not secret or secret == development_key or len(secret) < MIN_SECRET_LENGTH:
        raise ValueError(
            f"{name} must be set to a private value of at least "
            f"{MIN_SECRET_LENGTH} characters in prod"
        )


def _configured_or(secret: SecretStr | None, development_key: str) -> str:
    """The configured secret, or the public development key (production refuses to start
    without the configured one)."""
    return secret.get_secret_value() if secret is not None else development_key


def _user(url: str) -> str | None:
    user: str | None = make_url(url.replace("postgres://", "postgresql://", 1)).username
    return user


@lru_cache
def get_settings() -> Settings:
    return Settings()
