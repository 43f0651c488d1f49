# The app's image: one image for every process (web, mail, scheduler, migrate); the command picks the role.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    EVENTAPP_ENV=production GUNICORN_BIND=0.0.0.0:8000 PROMETHEUS_MULTIPROC_DIR=/tmp/eventapp-metrics
WORKDIR /app
RUN useradd --system --home-dir /app --shell /usr/sbin/nologin eventapp

COPY pyproject.toml README.md babel.cfg wsgi.py ./
COPY eventapp eventapp
COPY config config
COPY migrations migrations
COPY templates templates
COPY deploy/gunicorn.conf.py deploy/gunicorn.conf.py
# Editable: the app finds config/, templates/ and migrations/ beside its package, as in a checkout.
RUN pip install --editable . \
    && pybabel compile -d eventapp/translations \
    && rm -rf /root/.cache

USER eventapp
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "wsgi:app"]
