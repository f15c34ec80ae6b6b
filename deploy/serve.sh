#!/bin/sh
# The image's command: uvicorn on 0.0.0.0:$PORT, with $WEB_CONCURRENCY worker processes (uvicorn
# reads that variable itself); exec, so that uvicorn gets the container's signals. Its HTTP
# protocol bounds each request's head in size and time (MAX_HEADER_BYTES, HEADER_TIMEOUT_SECONDS):
# the port may face the network directly (docker run -p 8000:8000).
#
# The default store is SQLite on the /data volume. Without a writable /data (a read-only root file
# system and nothing mounted there, as under Kubernetes' readOnlyRootFilesystem) it cannot be
# opened: rather than fail to start, serve with sessions in memory, in one worker (so that every
# request sees the same sessions), and say so here and in /api/health ("store": "memory").
set -eu
case "${STORE:-}" in
sqlite:////data/*)
    if [ ! -w /data ]; then
        echo "serve: /data is not writable (mount a volume there): sessions are kept in memory," \
            "in one worker, and lost on restart" >&2
        STORE=memory://
        WEB_CONCURRENCY=1
        export STORE WEB_CONCURRENCY
    fi
    ;;
esac
exec uvicorn app.main:app --host 0.0.0.0 --port "${PORT:-8000}" --http app.http_limits:HeadLimitedHttp
