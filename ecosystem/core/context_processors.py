from ecosystem.core.registry import registry


def record_types(request):
    """The registry's types, for the navigation every page has."""
    return {"record_types": list(registry)}
