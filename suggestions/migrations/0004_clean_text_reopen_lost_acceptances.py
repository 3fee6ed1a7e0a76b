"""Two repairs of suggestions stored before:

- their text is cleaned of control and bidirectional characters (ecosystem.core.text),
  as every suggestion is now when it is saved;
- a suggestion marked "accepted" on its form, with no record created or updated
  (`result_slug` empty), lost its content: the *Accept* action skipped it. It goes back
  to "to review", so that staff accept it for real or reject it."""

from django.db import migrations

from ecosystem.core.text import clean_model_text


def clean_text(apps, schema_editor):
    Suggestion = apps.get_model("suggestions", "Suggestion")
    for suggestion in Suggestion.objects.order_by("pk").iterator(chunk_size=2000):
        changed = clean_model_text(suggestion)
        if changed:
            suggestion.save(update_fields=changed)


def reopen_lost_acceptances(apps, schema_editor):
    Suggestion = apps.get_model("suggestions", "Suggestion")
    Suggestion.objects.filter(status="accepted", result_slug="").update(
        status="pending", reviewed_by=None
    )


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0003_contact_links")]

    operations = [
        migrations.RunPython(clean_text, migrations.RunPython.noop),
        migrations.RunPython(reopen_lost_acceptances, migrations.RunPython.noop),
    ]
