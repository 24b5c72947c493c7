# taskflask image: the API (gunicorn) and, with another command, the Huey worker or the
# one-shot `taskflask-migrate` that must finish before either starts (compose's migrate).
# Stage 1 builds the React app; stage 2 serves it from the API on one origin.
FROM node:20-bookworm-slim AS frontend
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PORT=3001 EXPORTS_DIR=/data/exports
WORKDIR /app
RUN useradd --system --uid 10001 --home-dir /app taskflask \
    && mkdir -p /data/exports && chown taskflask /data/exports
COPY pyproject.toml setup.cfg README.md ./
COPY taskflask ./taskflask
COPY sql ./sql
COPY wsgi.py huey_worker.py gunicorn.conf.py ./
# Editable, so the package finds sql/ next to it as in a checkout; installs taskflask-migrate too.
RUN pip install -e .
COPY --from=frontend /app/frontend/dist ./frontend/dist
USER taskflask
EXPOSE 3001
CMD ["gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"]
