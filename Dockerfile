# Backprop Visualizer: the web app and its browser assets, served by uvicorn as a non-root user.
# Build: docker build -t backprop-visualizer .    Run: docker run -p 8000:8000 backprop-visualizer
# Several replicas on one Redis: docker-compose.yml. WEB_CONCURRENCY sets uvicorn's worker count.
ARG BASE_IMAGE=python:3.12-slim

# --- builder: Python dependencies into /opt/venv, KaTeX into node_modules/, the bundle ------
FROM ${BASE_IMAGE} AS builder
# Trust the OS certificate store, so builds behind a TLS-inspecting proxy work too.
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBIAN_FRONTEND=noninteractive
# Debian's nodejs and npm exist only in this stage; their versions follow the base image's release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml ./
# Only the pinned runtime dependencies go into the venv; the app's source is copied as is below.
RUN python3 -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' > requirements.txt \
    && python3 -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt
COPY package.json package-lock.json ./
# The page's assets only: the devDependencies (the JavaScript linter) stay out of the image.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && rm -rf /root/.npm
# The stepping page's modules bundled into one file by esbuild (static/bundle/).
COPY scripts/bundle.mjs scripts/bundle.mjs
COPY static/js/ static/js/
RUN node scripts/bundle.mjs

# --- final: the venv, the app and the assets; no compilers, no package caches -------------
FROM ${BASE_IMAGE}
# uvicorn reads WEB_CONCURRENCY as its number of worker processes (the README's Deployment says
# when more than one pays off, and why no update of a session is lost with several).
# GLIBC_TUNABLES: memory a request frees is kept for the next one (deploy/serve.sh says why).
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456 \
    STORE=sqlite:////data/sessions.sqlite3 \
    PORT=8000 \
    WEB_CONCURRENCY=1
# A numeric user, so that hosts and orchestrators can tell it is not root without /etc/passwd.
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /app \
        --shell /usr/sbin/nologin app \
    && mkdir /data \
    && chown app:app /data
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY pyproject.toml ./
COPY app/ app/
COPY static/ static/
COPY templates/ templates/
COPY deploy/serve.sh deploy/serve.sh
COPY --from=builder /src/static/bundle static/bundle
COPY --from=builder /src/node_modules/katex/dist node_modules/katex/dist
COPY --from=builder /src/node_modules/swagger-ui-dist node_modules/swagger-ui-dist
COPY --from=builder /src/node_modules/plotly.js-cartesian-dist-min node_modules/plotly.js-cartesian-dist-min
VOLUME ["/data"]
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/api/health' % os.environ.get('PORT', '8000'), timeout=4)"]
# uvicorn on 0.0.0.0:${PORT:-8000}; in memory, with a warning, when /data is not writable.
CMD ["sh", "deploy/serve.sh"]
