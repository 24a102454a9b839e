"""WSGI entry point for gunicorn: ``gunicorn bedside.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

from bedside.screening import identifiers

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bedside.settings")
application = get_wsgi_application()
# The identifier guard's recognizers take seconds to load; load them while the process
# starts, not inside the first studio page a writer opens.
identifiers.warm()
