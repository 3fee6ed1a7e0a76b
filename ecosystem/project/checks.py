from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from ecosystem.project.settings import production_problems


def settings_problems():
    return production_problems(
        settings.DEBUG, settings.SECRET_KEY, settings.ALLOWED_HOSTS, settings.SITE_URL
    )


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


@register(Tags.security, deploy=True)
def public_address_over_https(app_configs, **kwargs):
    """Links in the sitemap, feed, API and calendars are built from SITE_URL."""
    if urlsplit(settings.SITE_URL).scheme == "https":
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL!r}: links the site writes will not use HTTPS.",
            hint="Set SITE_URL to the public https:// address.",
            id="ecosystem.W001",
        )
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
