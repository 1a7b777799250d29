# The weekdate bot: one image for the migrate step and every webhook worker (compose.yaml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    PATH=/opt/venv/bin:$PATH

# Pango and HarfBuzz for WeasyPrint (agenda, inzage PDFs), and fonts to render them with.
# Debian's security updates are wanted here, so the packages are not pinned to a version.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first (exactly uv.lock), so a code change does not reinstall them.
COPY pyproject.toml uv.lock README.md ./
RUN pip install "uv==0.13.9" \
    && uv sync --locked --no-dev --no-install-project
COPY bot ./bot
COPY handlers ./handlers
COPY jobs ./jobs
COPY storage ./storage
RUN uv sync --locked --no-dev --no-editable \
    && pip uninstall -y uv \
    && groupadd --system --gid 10001 weekdate \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin weekdate

# Numeric, so the host (and Kubernetes runAsNonRoot) can tell it is not root.
USER 10001:10001
# The webhook port of a worker (telegram.webhook.port; listen must be 0.0.0.0 in a container).
EXPOSE 8443
# Database reachable, migrations current, the job leader's heartbeat fresh.
HEALTHCHECK --interval=30s --timeout=10s --start-period=40s --retries=3 \
    CMD ["python", "-m", "bot", "health"]
# SIGTERM (docker stop): stop accepting, finish updates in flight, hand the job lease over.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "run", "--webhook"]
