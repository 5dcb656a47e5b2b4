#!/usr/bin/env bash
# Builds the local base image sec-pipeline/base:bookworm without any image registry.
#
# Where no registry is reachable, `FROM python:3.12-slim` cannot be pulled. This script
# debootstraps a minimal Debian bookworm from the host's own apt mirror, adds the Python the
# Dockerfile needs, and `docker import`s the result. Pass it to the build as
#   --build-arg BASE_IMAGE=sec-pipeline/base:bookworm
#
# Idempotent: does nothing when the image exists with the same package list (FORCE=1 rebuilds).
# Needs root and debootstrap (apt-get install debootstrap).
set -euo pipefail

IMAGE="${BASE_IMAGE_TAG:-sec-pipeline/base:bookworm}"
SUITE=bookworm
# python3-venv and python3-pip give the Dockerfile `python -m venv` and pip, python-is-python3
# the `python` command; curl is for ad-hoc healthchecks; ca-certificates lets pip reach PyPI when
# the build is not offline; graphviz draws the report's diagrams (the Dockerfile installs it
# from apt on bases without it, which needs a mirror this image does not).
PACKAGES=python3,python3-venv,python3-pip,python-is-python3,ca-certificates,curl,graphviz

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK_DIR="${ROOT_DIR}/.docker-build/rootfs-${SUITE}"

log() { printf '[make-base-image] %s\n' "$*"; }

# The image records its package list in a label, so a changed list rebuilds it.
existing=$(docker image inspect -f '{{ index .Config.Labels "sec-pipeline.packages" }}' "$IMAGE" 2>/dev/null || true)
if [[ "${FORCE:-0}" != 1 && "$existing" == "$PACKAGES" ]]; then
    log "image $IMAGE already exists with these packages; nothing to do (FORCE=1 rebuilds it)"
    exit 0
fi

# The host's configured Debian mirror: the first deb822 URIs line or sources.list deb line
# naming a plain Debian archive (not -security, not a third-party repository).
mirror_from_host() {
    local uri
    uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | awk '{print $2}' | grep -E '/debian/?$' | head -n1 || true)
    if [[ -z "$uri" ]]; then
        uri=$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
            | awk '{print $2}' | grep -E '/debian/?$' | head -n1 || true)
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}
MIRROR="${DEBIAN_MIRROR:-$(mirror_from_host)}"

command -v debootstrap >/dev/null || { log "debootstrap is missing: apt-get install debootstrap"; exit 1; }
[[ $EUID -eq 0 ]] || { log "debootstrap needs root"; exit 1; }

start=$SECONDS
rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR"
log "debootstrap --variant=minbase $SUITE from $MIRROR with $PACKAGES"
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$WORK_DIR" "$MIRROR"

# Keep the image small: package lists, apt caches, docs and logs are not needed at run time.
log "trimming caches and docs"
rm -rf "$WORK_DIR"/var/lib/apt/lists/* "$WORK_DIR"/var/cache/apt/*.bin \
       "$WORK_DIR"/var/cache/apt/archives/*.deb "$WORK_DIR"/usr/share/doc/* \
       "$WORK_DIR"/usr/share/man/* "$WORK_DIR"/usr/share/info/* "$WORK_DIR"/var/log/*.log

log "docker import as $IMAGE"
# --change sets what `docker import` otherwise leaves empty: a PATH and a default command.
tar -C "$WORK_DIR" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["python3"]' \
    --change "LABEL sec-pipeline.packages=$PACKAGES" \
    - "$IMAGE" >/dev/null

rm -rf "$WORK_DIR"
log "python in image: $(docker run --rm "$IMAGE" python --version 2>&1)"
log "done: $IMAGE in $((SECONDS - start))s"
