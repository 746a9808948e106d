# syntax=docker/dockerfile:1
# The MBTI predictor's HTTP service: gunicorn serving the verified artifact.
#   docker build -t mbti-predictor . && docker run -p 8000:8000 mbti-predictor
# The root filesystem may be read-only; only /tmp must be writable.

FROM python:3.11.17-slim-bookworm AS builder

# Debian's WordNet is assembled into the NLTK folder below, so the service
# never downloads it; tini is copied into the runtime stage.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tini=0.19.0-1+b3 \
        wordnet-base=1:3.0-37 \
        wordnet-sense-index=1:3.0-37 \
    && rm -rf /var/lib/apt/lists/*

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PATH=/opt/venv/bin:$PATH \
    MBTI_NLTK_DATA=/opt/nltk_data
RUN python -m venv /opt/venv

WORKDIR /src
# Dependencies alone first: this layer is rebuilt only when the pins change.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" \
        > requirements.txt \
    && pip install --no-cache-dir --constraint constraints.txt \
        --requirement requirements.txt

COPY README.md ./
COPY pipeline/ pipeline/
COPY service/ service/
RUN pip install --no-cache-dir --no-deps --constraint constraints.txt . \
    && pip check

# A Git LFS pointer or an edited file in place of the artifact fails the
# build here rather than the container's start.
WORKDIR /src/artifacts
COPY artifacts/ ./
RUN sha256sum --check --strict SHA256SUMS

# Only Debian's files, never a download; then load the artifact once, so a
# model that needs other library versions also fails the build.
WORKDIR /
RUN python -c "from pipeline.wordnet import assemble_debian_wordnet; assemble_debian_wordnet()" \
    && python -c "from pipeline.predict import Predictor; Predictor.from_folder('/src/artifacts')"


FROM python:3.11.17-slim-bookworm

RUN groupadd --system --gid 10001 mbti \
    && useradd --system --uid 10001 --gid mbti --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin mbti

COPY --from=builder /usr/bin/tini /usr/bin/tini
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /opt/nltk_data /opt/nltk_data
COPY --from=builder /src/artifacts /app/artifacts
# The application is the package installed in /opt/venv; /app holds only the
# entrypoint and the gunicorn settings file it names.
COPY --chmod=0755 bin/serve /app/bin/serve
COPY service/gunicorn_conf.py /app/service/gunicorn_conf.py

# Gunicorn's control socket would go under $HOME, which is neither writable
# nor needed here: the container is managed from outside.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    MBTI_MODEL_DIR=/app/artifacts \
    MBTI_NLTK_DATA=/opt/nltk_data \
    MBTI_WORDNET_DOWNLOAD=0 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/mbti-metrics

USER 10001:10001
WORKDIR /app
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --start-interval=2s \
    --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/health', timeout=4)"]

# tini forwards signals to gunicorn and reaps orphans; bin/serve execs
# gunicorn, so gunicorn is tini's direct child.
ENTRYPOINT ["/usr/bin/tini", "--", "/app/bin/serve"]
