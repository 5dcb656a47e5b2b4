#!/usr/bin/env bash
# Downloads on the host every wheel the images install, into .docker-build/wheels/.
#
# The image build then installs from that folder with `pip --no-index`, so it needs neither
# PyPI nor a registry. Wheels are chosen for the image's Python and platform, not the host's:
# the local base image (docker/make-base-image.sh) is Debian bookworm, Python 3.11, glibc 2.36.
# Also writes .docker-build/wheels/requirements.txt, the list the wheels were resolved from.
#
# Env: PYTHON (host interpreter with pip; default .venv/bin/python or python3),
#      IMAGE_PYTHON_VERSION (default 3.11).
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WHEELS_DIR="${ROOT_DIR}/.docker-build/wheels"
IMAGE_PYTHON_VERSION="${IMAGE_PYTHON_VERSION:-3.11}"
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x "${ROOT_DIR}/.venv/bin/python" ]]; then PYTHON="${ROOT_DIR}/.venv/bin/python"; else PYTHON=python3; fi
fi

log() { printf '[download-wheels] %s\n' "$*"; }

start=$SECONDS
mkdir -p "$WHEELS_DIR"
"$PYTHON" "${ROOT_DIR}/docker/requirements.py" "$ROOT_DIR" > "${WHEELS_DIR}/requirements.txt"
log "requirements: $(tr '\n' ' ' < "${WHEELS_DIR}/requirements.txt")"

# pip does not widen an explicit --platform to older manylinux tags, so list every tag a
# glibc 2.36 x86_64 system accepts (manylinux2014 is manylinux_2_17).
platforms=(--platform manylinux2014_x86_64)
for minor in $(seq 17 36); do platforms+=(--platform "manylinux_2_${minor}_x86_64"); done

log "pip download for Python ${IMAGE_PYTHON_VERSION} linux x86_64 into ${WHEELS_DIR}"
download() {
    "$PYTHON" -m pip download --quiet --disable-pip-version-check \
        --only-binary=:all: --implementation cp --python-version "$IMAGE_PYTHON_VERSION" \
        "${platforms[@]}" --dest "$WHEELS_DIR" "$@"
}
download -r "${WHEELS_DIR}/requirements.txt"
if compgen -G "${WHEELS_DIR}/*-linux_*.whl" >/dev/null; then
    log "a wheel built on the host is platform-specific and may not fit the image:"
    ls "${WHEELS_DIR}"/*-linux_*.whl
    exit 1
fi

log "done: $(ls "$WHEELS_DIR"/*.whl | wc -l) wheels in $((SECONDS - start))s"
