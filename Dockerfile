# Fleetdesk as a container image: the release folder of scripts/release.sh (the binary with
# its site next to it) on Debian slim, run as an unprivileged user, the data directory a
# volume. See the README's "Deploying" section.
#
#   docker build -t fleetdesk .
#   docker run -p 3000:3000 -v fleetdesk-data:/var/lib/fleetdesk fleetdesk
#
# The build stage needs crates.io and npm (binaryen's wasm-opt); it compiles for about
# 20 minutes on 2 cores.

FROM rust:1.95-bookworm AS build
# Node: npm's binaryen (wasm-opt) and the brotli/gzip copies of the static files.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
ENV CARGO_INCREMENTAL=0
RUN scripts/release.sh /out

FROM debian:bookworm-slim
# CA certificates for the AWS endpoints and the single sign-on provider; curl for the
# health check.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/fleetdesk --create-home fleetdesk
COPY --from=build /out/fleetdesk /opt/fleetdesk
USER fleetdesk
# Listen on every interface inside the container; the database, session key and audit
# key live in the volume.
ENV FLEETDESK_ADDR=0.0.0.0:3000 \
    FLEETDESK_DATA_DIR=/var/lib/fleetdesk
VOLUME ["/var/lib/fleetdesk"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:3000/healthz || exit 1
ENTRYPOINT ["/opt/fleetdesk/fleetdesk"]
CMD ["serve"]
