# sinowatch daemon image: `docker build -t sinowatch .` then `docker run sinowatch` (runs `sinowatch run`).
# The configuration is expected at /config/sinowatch.toml (see docker-compose.yml), with feeds/ next to it.
# The wheel is built where a C compiler is, so the hot modules are compiled (hatch_build.py);
# the image itself gets no compiler.
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY pyproject.toml README.md hatch_build.py ./
COPY src ./src
COPY templates ./templates
COPY feeds ./feeds
RUN pip wheel --no-cache-dir --no-deps -w /wheels .

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SINOWATCH_CONFIG=/config/sinowatch.toml

# A regular (non-editable) install of the wheel (pyproject's force-include ships templates/ and feeds/ inside it).
COPY --from=build /wheels /wheels
RUN pip install /wheels/*.whl && rm -rf /wheels

# Run unprivileged. /config holds the mounted config and feeds (and out/ for dry-run digests, which is
# why the user owns it); /data is the working directory, e.g. for an SQLite database.
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/sinowatch sinowatch \
    && mkdir -p /config /data \
    && chown sinowatch:sinowatch /config /data
USER sinowatch
WORKDIR /data

ENTRYPOINT ["sinowatch"]
CMD ["run"]
