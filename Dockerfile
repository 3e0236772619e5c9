FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=liaison.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd --system --uid 1000 liaison && mkdir -p /app/var && chown -R liaison /app/var
USER liaison
EXPOSE 8000
CMD ["gunicorn", "liaison.wsgi:application"]
