from django.shortcuts import get_object_or_404, render

from programmes.models import Programme


def programme_detail(request, slug):
    programme = get_object_or_404(Programme.objects.published().for_detail(), slug=slug)
    return render(request, "programmes/programme_detail.html", {"programme": programme})
