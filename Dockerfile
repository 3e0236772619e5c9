FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
# postgresql-client: manage.py backup/restore (pg_dump, pg_restore); gettext: compiled catalogues; CJK fonts: PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
# .dockerignore keeps .git, .venv, .env and var/ out of the image.
COPY . .
# The media, static and backups volumes mount on folders the app user owns (a new named volume copies them).
RUN useradd --system --uid 1000 liaison \
    && mkdir -p /app/var/media /app/var/staticfiles /app/var/backups \
    && chown -R liaison /app/var \
    && chmod +x /app/scripts/entrypoint.sh
USER liaison
EXPOSE 8000
ENTRYPOINT ["/app/scripts/entrypoint.sh"]
CMD ["web"]
