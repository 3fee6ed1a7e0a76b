from django.apps import AppConfig


class ThrowawayConfig(AppConfig):
    name = "tests.throwaway"

    def ready(self):
        from tests.throwaway import records

        records.register()
