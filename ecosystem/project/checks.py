from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from ecosystem.project.settings import production_problems


def settings_problems():
    return production_problems(settings.DEBUG, settings.SECRET_KEY, settings.ALLOWED_HOSTS)


@register()
def insecure_production(app_configs, **kwargs):
    return [
        Error(
            f"Refusing to start with DEBUG off: {problem}.",
            hint="Set it in the environment, or set DEBUG=1 for local development.",
            id="ecosystem.E001",
        )
        for problem in settings_problems()
    ]


def refuse_insecure_start():
    """Called by the WSGI entry point: a public server never starts half-configured."""
    problems = settings_problems()
    if problems:
        raise ImproperlyConfigured(
            "Refusing to start with DEBUG off: "
            + "; ".join(problems)
            + ". For local development set DEBUG=1."
        )
