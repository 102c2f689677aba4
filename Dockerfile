# TalksBot image: built in one stage, run from a slim one as an unprivileged user.
#   docker build -t talksbot .
#   docker run --env-file .env -v talksbot-data:/data talksbot
# Data (the SQLite database, unless DATABASE_URL points elsewhere) lives in the /data volume.

FROM python:3.12-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY knowledge ./knowledge
RUN python -m venv /opt/talksbot \
    && /opt/talksbot/bin/pip install .

FROM python:3.12-slim
LABEL org.opencontainers.image.title="TalksBot" \
      org.opencontainers.image.description="Telegram bot answering questions about the Russia-Ukraine talks with sourced quotes"
RUN groupadd --system --gid 10001 talksbot \
    && useradd --system --uid 10001 --gid talksbot --home-dir /data --no-create-home talksbot \
    && mkdir /data && chown talksbot:talksbot /data
COPY --from=build /opt/talksbot /opt/talksbot
ENV PATH=/opt/talksbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DATA_DIR=/data \
    WEBHOOK_LISTEN=0.0.0.0 \
    WEBHOOK_PORT=8443 \
    METRICS_PORT=9100
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8443 9100
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot.healthcheck"]
STOPSIGNAL SIGTERM
CMD ["talksbot", "run"]
