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

# glibc's malloc keeps what a request frees for the next one: buffers under 32 MiB come from the
# heap (not mapped fresh from the kernel and unmapped when freed), and the heap's free top is
# handed back only past 256 MiB. A request allocates and frees buffers of megabytes (a
# 784-256-128-10 trace holds 5.7 MB of float64, its answer 7.6 MB); with glibc's defaults every
# page of such a buffer faulted again on first touch (POST /api/trace?encoding=binary of that
# network: about 6,200 page faults a request, none with these settings; the times are in
# benchmarks/README.md). The price: the server's resident size may stay up to 256 MiB above what
# it uses after a peak. No effect where the C library is not glibc. The Dockerfile sets the same.
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456}"

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
