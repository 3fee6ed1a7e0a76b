from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecosystem.core.models import Publishable


class CallKind(models.TextChoices):
    TRAINING = "training", _("training")
    MISSION = "mission", _("mission")
    CONSULTATION = "consultation", _("consultation")


class Call(Publishable):
    kind = models.CharField(_("kind"), max_length=12, choices=CallKind.choices)

    class Meta(Publishable.Meta):
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")

    def get_absolute_url(self):
        return reverse("throwaway:call-detail", kwargs={"slug": self.slug})
