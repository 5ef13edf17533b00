# policeplan's container image: `docker build -t policeplan .`
# Stage 1 runs the same `make setup` as a developer's machine (Python dependencies from the
# lock file, GOV.UK Frontend from npm, collected static files); stage 2 carries only what
# runs, as a user without privileges. One image for every role: web, worker, scheduler.
FROM node:22-bookworm-slim AS node

FROM python:3.13-slim-bookworm AS build
# Node 22 (the front-end build needs 20.19 or later; Debian bookworm's nodejs is 18).
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      make libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
# The key `make setup` generates for development is not baked into a layer (production sets
# SECRET_KEY); what only the build needs goes too.
RUN make setup && rm -rf node_modules .tools var/frontend var/secret-key

FROM python:3.13-slim-bookworm
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin policeplan
WORKDIR /app
COPY --from=build --chown=root:root /app /app
# Static files were collected into var/static at build time; state goes under /data.
RUN mkdir -p /data /tmp/prometheus && chown policeplan /data /tmp/prometheus
ENV PATH="/app/.venv/bin:$PATH" \
    HOME=/data \
    VAR_DIR=/data \
    STATIC_ROOT=/app/var/static \
    LOG_FORMAT=json \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus \
    PYTHONUNBUFFERED=1
USER policeplan
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "policeplan.wsgi"]
