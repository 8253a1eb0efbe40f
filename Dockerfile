# syntax=docker/dockerfile:1
# Production image: dependencies resolved from uv.lock in a builder stage, copied into a slim
# runtime that runs as an unprivileged user. Configure with MASSAR_* variables (see README).

ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim AS builder
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv
RUN pip install --no-cache-dir "uv==0.13.9"
WORKDIR /src
# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY app ./app
COPY alembic ./alembic
COPY alembic.ini ./
RUN uv sync --frozen --no-dev --no-editable

FROM python:${PYTHON_VERSION}-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MASSAR_ENVIRONMENT=prod \
    MASSAR_HOST=0.0.0.0 \
    MASSAR_PORT=8000 \
    MASSAR_WORKERS=2
RUN groupadd --system massar && useradd --system --gid massar --no-create-home massar
WORKDIR /srv/massar
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /src/alembic ./alembic
COPY --from=builder /src/alembic.ini ./
USER massar
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"MASSAR_PORT\"]}/readyz', timeout=2)"
# Migrations run as a separate step (`massar migrate`); see docker-compose.yml.
CMD ["massar", "serve"]
