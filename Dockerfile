# One image for every Python program of the project: the AWS emulator, the SEC API stand-in,
# the provisioning job, the four workers and the behave acceptance run. Compose picks the
# program with `command:`.
#
# Ordinary build (pulls python:3.12-slim, installs from PyPI):
#   docker build -t sec-pipeline/app .
# Offline build (no registry, no PyPI), after docker/make-base-image.sh and
# docker/download-wheels.sh:
#   docker build --build-arg BASE_IMAGE=sec-pipeline/base:bookworm --build-arg WHEELS=local \
#       -t sec-pipeline/app .

ARG BASE_IMAGE=python:3.12-slim

# --- packages: a virtualenv built in its own stage, so the wheels never reach the final image
FROM ${BASE_IMAGE} AS packages
# pypi: install from the package index; local: only from .docker-build/wheels (no network).
ARG WHEELS=pypi
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
# The requirement list is read by the same helper that downloaded the wheels. The bracketed
# names are globs, so the COPY succeeds whichever of these files exists.
COPY docker/requirements.py pyproject.tom[l] requirement[s]*.txt /src/
RUN mkdir -p /src/docker && mv /src/requirements.py /src/docker/ \
 && python /src/docker/requirements.py /src > /src/requirements.lock \
 && cat /src/requirements.lock
# .dockerignore lets .docker-build/wheels into the context; the glob keeps the COPY from
# failing where it does not exist (ordinary users).
COPY .docker-build/wheel[s] /wheels/
RUN case "$WHEELS" in \
      local) set -- --no-index --find-links /wheels ;; \
      pypi)  set -- ;; \
      *) echo "WHEELS must be pypi or local, not '$WHEELS'" >&2; exit 2 ;; \
    esac \
 && /opt/venv/bin/pip install "$@" -r /src/requirements.lock \
 && /opt/venv/bin/pip check

# --- source: the project code, without the wheels the context carries for the stage above.
# What is copied is decided by .dockerignore (an allow-list), so parts of the project that do
# not exist yet do not break the build.
FROM ${BASE_IMAGE} AS source
COPY . /app/
# Compiled once here, not by every container at every start (PYTHONDONTWRITEBYTECODE keeps the
# running containers from writing it): the emulator alone compiled about a hundred modules, a
# second of its start. COPY keeps the files' times, which the .pyc files record: a source
# changed or mounted over /app since is compiled afresh, as it would be without them.
RUN rm -rf /app/.docker-build \
 && python -m compileall -q /app

# --- app: the base again, the virtualenv and the project code, run as a non-root user.
# Settings come before the two large COPY steps: with some storage drivers (fuse-overlayfs)
# every step after a large layer costs seconds, and settings steps need no files.
FROM ${BASE_IMAGE}
ENV VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
# Graphviz's dot draws the report's diagrams; the offline base has it, python:3.12-slim not.
RUN command -v dot >/dev/null || { apt-get update \
      && apt-get install -y --no-install-recommends graphviz \
      && rm -rf /var/lib/apt/lists/*; }
# /app belongs to the user: behave writes its JUnit reports under /app/reports.
RUN useradd --create-home --uid 10001 --user-group pipeline \
 && install -d -o pipeline -g pipeline /app
WORKDIR /app
# The emulator's and the SEC API stand-in's ports; compose chooses which program runs.
EXPOSE 4566 8080
CMD ["python", "-m", "harness.emulator", "--host", "0.0.0.0", "--port", "4566"]
USER pipeline
COPY --from=packages /opt/venv /opt/venv
COPY --from=source --chown=pipeline:pipeline /app /app/
