# sinowatch daemon image: `docker build -t sinowatch .` then `docker run sinowatch` (runs `sinowatch run`).
# The configuration is expected at /config/sinowatch.toml (see docker-compose.yml), with feeds/ next to it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SINOWATCH_CONFIG=/config/sinowatch.toml

# Only what the wheel is built from (pyproject's force-include ships templates/ and feeds/ inside it).
WORKDIR /build
COPY pyproject.toml README.md ./
COPY src ./src
COPY templates ./templates
COPY feeds ./feeds

# A regular (non-editable) install into site-packages; the sources are not needed afterwards.
RUN pip install . \
    && cd / && rm -rf /build

# Run unprivileged. /config holds the mounted config and feeds (and out/ for dry-run digests, which is
# why the user owns it); /data is the working directory, e.g. for an SQLite database.
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/sinowatch sinowatch \
    && mkdir -p /config /data \
    && chown sinowatch:sinowatch /config /data
USER sinowatch
WORKDIR /data

ENTRYPOINT ["sinowatch"]
CMD ["run"]
