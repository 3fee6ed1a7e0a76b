import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecosystem.project.settings")
application = get_wsgi_application()

from ecosystem.project.checks import refuse_insecure_start  # noqa: E402  (needs the app registry)

refuse_insecure_start()
