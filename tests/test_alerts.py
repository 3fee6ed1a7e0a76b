"""Email alerts: any filtered list can be followed by email, with no account. A mail
with a signed link confirms (double opt-in); a digest goes, daily or weekly, only when
something new matches; every mail unsubscribes in one click (List-Unsubscribe and
List-Unsubscribe-Post), which deletes the address; an address never confirmed is
deleted after a year; limits per address and per client, failing open with the cache.
Mail goes through a real SMTP server of the test's own (tests/test_mail.py)."""

import email
import email.policy
import re
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail as outbox
from django.test import Client
from django.utils import timezone

from alerts import limits
from alerts.digest import send_alerts, send_digests
from alerts.models import Subscription
from ecosystem.core.models import PublicationStatus
from tests.factories import CountryFactory, OpportunityFactory, ProgrammeFactory, SectorFactory
from tests.helpers import admin_url, count_queries, html, run_jobs, url
from tests.test_mail import smtp_server  # noqa: F401  (the fixture mail_server asks for)

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/\S+?/)(?=\s|$)", re.M)


def received(envelope):
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


def text_of(message):
    if hasattr(message, "body"):  # django's outbox
        return message.body
    return message.get_body(preferencelist=("plain",)).get_content()


def links(text):
    return LINK.findall(text)


@pytest.fixture
def mali(db):
    return CountryFactory(code="ML")


@pytest.fixture
def agritech(db):
    return SectorFactory(slug="agritech", name_en="Agritech", name_fr="Agritech FR")


@pytest.fixture
def mail_server(request):
    """tests/test_mail.py's SMTP server on loopback, keeping the envelopes it receives."""
    return request.getfixturevalue("smtp_server")


@pytest.fixture
def clock():
    """Time that goes on, and jumps ahead when told (`clock.shift(timedelta(weeks=1))`)."""
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        yield traveller


def follow(client, query, address="awa@example.org", frequency="weekly", language="en"):
    return client.post(
        f"{url('alerts:follow', language)}?{query}", {"email": address, "frequency": frequency}
    )


def confirm(client, message):
    """Open the confirmation link of `message` and press its button."""
    confirm_path = next(
        path for path in links(text_of(message)) if "/confirm" in path or "/confirmer" in path
    )
    page = client.get(confirm_path)
    assert page.status_code == 200
    return client.post(confirm_path)


def followed_and_confirmed(client, query, server=None, address="awa@example.org", **kwargs):
    """A confirmed subscription; `server`: the SMTP server the mail goes to, if not the
    test outbox."""
    outbox.outbox.clear()
    follow(client, query, address=address, **kwargs)
    if server:
        (envelope,) = server.envelopes
        message = received(envelope)
        server.envelopes.clear()
    else:
        (message,) = outbox.outbox
        outbox.outbox.clear()
    confirm(client, message)
    return Subscription.objects.get(email=address)


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Follow by email"), ("fr", "Suivre par courriel")]
)
def test_every_list_has_a_form_to_follow_it_with_its_filters(client, mali, language, words):
    page = html(client.get(url("programmes:programme-list", language) + "?country=ML"))
    follow_url = url("alerts:follow", language)
    assert f'action="{follow_url}?list=programmes&amp;country=ML" class="follow-form"' in page
    assert f'<label for="follow-email">{words}</label>' in page
    # The list stays a page any cache may keep: the form needs no CSRF token.
    assert "csrfmiddlewaretoken" not in page
    assert not client.get(url("programmes:programme-list", language)).cookies


def test_the_form_under_a_list_follows_it_from_any_cached_copy(mali):
    """What the form under a list sends, from a browser with no cookie."""
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        url("alerts:follow") + "?list=programmes&country=ML&page=2",
        {"email": "awa@example.org", "frequency": "daily"},
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.followed, subscription.query) == ("programmes", "country=ML")
    (message,) = outbox.outbox
    assert "daily" in message.body


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Programmes — Country: Mali"), ("fr", "Programmes — Pays : Mali")],
)
def test_the_follow_page_says_what_is_followed(client, mali, language, title):
    page = html(client.get(url("alerts:follow", language) + "?list=programmes&country=ML&page=3"))
    assert title in page
    assert 'type="email"' in page


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "This list cannot be followed"), ("fr", "Cette liste ne peut pas être suivie")],
)
def test_an_unknown_list_is_refused_in_words(client, language, words):
    response = client.get(url("alerts:follow", language) + "?list=nothing")
    assert response.status_code == 404
    assert words in response.content.decode()


def test_a_bad_filter_is_named_and_left_out_of_the_alert(client, mali):
    page = html(client.get(url("alerts:follow") + "?list=programmes&country=ML&country=ZZ"))
    assert "“ZZ”" in page
    follow(client, "list=programmes&country=ML&country=ZZ")
    assert Subscription.objects.get().query == "country=ML"


def test_following_mails_a_confirmation_and_follows_nothing_before_it(client, mail_server, mali):
    response = follow(client, "list=programmes&country=ML", address="Awa@Example.org")
    assert response.status_code == 302
    assert "Check your inbox" in html(client.get(response["Location"]))
    (envelope,) = mail_server.envelopes
    assert envelope.rcpt_tos == ["awa@example.org"]
    message = received(envelope)
    assert message["Subject"].strip() == "[Tech-support directory] Confirm your email alert"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<http://testserver/en/alerts/unsubscribe/\S+/>", message["List-Unsubscribe"].strip()
    )
    text = text_of(message)
    assert "“Programmes — Country: Mali”" in text
    assert "http://testserver/en/programmes/?country=ML" in text
    subscription = Subscription.objects.get()
    assert subscription.confirmed is None
    confirm(client, message)
    subscription.refresh_from_db()
    assert subscription.confirmed is not None and subscription.frequency == "weekly"


def test_the_confirmation_is_in_french_on_a_french_page(client, mali):
    follow(client, "list=programmes&country=ML", language="fr", frequency="daily")
    (message,) = outbox.outbox
    assert message.subject == "[Annuaire de l’appui à la tech] Confirmez votre alerte par courriel"
    assert (
        "« Programmes — Pays : Mali »" in message.body or "Programmes — Pays : Mali" in message.body
    )
    assert "quotidien" in message.body
    assert "/fr/alertes/confirmer/" in message.body
    response = confirm(client, message)
    assert "Alerte confirmée" in html(response)


def test_opening_the_link_alone_does_not_confirm(client, mali):
    """Mail scanners open every link: a page with a button, confirmed by the POST."""
    follow(client, "list=programmes")
    (message,) = outbox.outbox
    path = next(p for p in links(message.body) if "/confirm/" in p)
    assert 'method="post"' in html(client.get(path))
    assert Subscription.objects.get().confirmed is None


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "This confirmation link is not valid"),
        ("fr", "Ce lien de confirmation n’est pas valide"),
    ],
)
def test_an_altered_confirmation_link_is_refused_in_words(client, mali, language, words):
    follow(client, "list=programmes")
    (message,) = outbox.outbox
    path = next(p for p in links(message.body) if "/confirm/" in p)
    forged = path.replace("/en/", f"/{language}/").replace(
        "/alerts/confirm/", "/alerts/confirm/x" if language == "en" else "/alertes/confirmer/x"
    )
    response = client.post(forged)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert Subscription.objects.get().confirmed is None


def test_a_confirmation_link_older_than_a_year_is_refused(client, mali):
    follow(client, "list=programmes")
    (message,) = outbox.outbox
    path = next(p for p in links(message.body) if "/confirm/" in p)
    later = timezone.now() + timedelta(days=366)
    with mock.patch("time.time", return_value=later.timestamp()):
        assert client.post(path).status_code == 400


def test_asking_again_with_another_frequency_changes_it_only_when_confirmed(client, mali):
    subscription = followed_and_confirmed(client, "list=programmes", frequency="weekly")
    follow(client, "list=programmes", frequency="daily")
    assert Subscription.objects.count() == 1
    subscription.refresh_from_db()
    assert subscription.frequency == "weekly"
    (message,) = outbox.outbox
    confirm(client, message)
    subscription.refresh_from_db()
    assert subscription.frequency == "daily"


def publish_programme(**kwargs):
    return ProgrammeFactory(publication_status=PublicationStatus.PUBLISHED, **kwargs)


def later(clock, **period):
    """Send the digests that are due once `period` has passed."""
    clock.shift(timedelta(**period))
    return send_digests()


def test_a_digest_brings_what_staff_published_that_fits_and_nothing_else(
    client, mail_server, clock, mali
):
    old = publish_programme(name_en="Older programme", countries=[mali])
    subscription = followed_and_confirmed(client, "list=programmes&country=ML", mail_server)
    fits = publish_programme(
        name_en="Digital Mali", summary_en="Grants for startups", countries=[mali]
    )
    publish_programme(name_en="Elsewhere")  # not in Mali
    draft = ProgrammeFactory(
        name_en="Draft in Mali", publication_status=PublicationStatus.DRAFT, countries=[mali]
    )
    clock.shift(timedelta(weeks=1))
    counts = send_digests()
    assert counts == {"due": 1, "sent": 1, "nothing_new": 0, "failed": 0}
    (envelope,) = mail_server.envelopes
    message = received(envelope)
    assert message["Subject"].strip() == (
        "[Tech-support directory] New in your alert: Programmes — Country: Mali"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = text_of(message)
    assert "1 new record in “Programmes — Country: Mali”" in text
    assert f"http://testserver/en/programmes/{fits.slug}/" in text
    assert "Grants for startups" in text
    assert "Elsewhere" not in text and "Draft in Mali" not in text
    assert old.name_en not in text
    html_part = message.get_body(preferencelist=("html",)).get_content()
    assert f'<a href="http://testserver/en/programmes/{fits.slug}/">Digital Mali</a>' in html_part
    # Published once a draft: new at the next run, not before.
    draft.publication_status = PublicationStatus.PUBLISHED
    draft.save()
    mail_server.envelopes.clear()
    clock.shift(timedelta(weeks=1))
    assert send_digests()["sent"] == 1
    (envelope,) = mail_server.envelopes
    text = text_of(received(envelope))
    assert "Draft in Mali" in text and "Digital Mali" not in text
    # Unpublished and published again: not new a second time.
    for status in (PublicationStatus.ARCHIVED, PublicationStatus.PUBLISHED):
        fits.publication_status = status
        fits.save()
    clock.shift(timedelta(weeks=1))
    assert send_digests()["nothing_new"] == 1
    subscription.refresh_from_db()
    assert subscription.covered_until > timezone.now() - timedelta(minutes=1)


def test_a_digest_in_french(client, clock, mali):
    followed_and_confirmed(client, "list=programmes&country=ML", language="fr")
    record = publish_programme(name_en="Digital Mali", name_fr="Mali numérique", countries=[mali])
    later(clock, weeks=1)
    (message,) = outbox.outbox
    assert (
        message.subject
        == "[Annuaire de l’appui à la tech] Du nouveau dans votre alerte : Programmes — Pays : Mali"
    )
    assert "Mali numérique" in message.body
    assert f"http://testserver/fr/programmes/{record.slug}/" in message.body
    assert "/fr/alertes/desabonnement/" in message.body


def test_nothing_new_sends_nothing_and_the_next_digest_holds_only_what_is_newer(
    client, clock, mali
):
    subscription = followed_and_confirmed(client, "list=programmes&country=ML")
    publish_programme(name_en="Elsewhere")
    assert later(clock, weeks=1) == {"due": 1, "sent": 0, "nothing_new": 1, "failed": 0}
    assert outbox.outbox == []
    subscription.refresh_from_db()
    assert timezone.now() - subscription.covered_until < timedelta(minutes=1)
    # Not due again before its week has passed; then only what is newer.
    assert later(clock, days=3)["due"] == 0
    publish_programme(name_en="Bamako hub", countries=[mali])
    assert later(clock, days=4)["sent"] == 1
    (message,) = outbox.outbox
    assert "Bamako hub" in message.body and "Elsewhere" not in message.body


def test_daily_and_weekly_are_due_at_their_own_pace(client, clock, mali):
    followed_and_confirmed(client, "list=programmes", frequency="daily")
    followed_and_confirmed(client, "list=events", frequency="weekly", address="bob@example.org")
    assert later(clock, days=1)["due"] == 1
    assert later(clock, days=1)["due"] == 1
    assert later(clock, days=5)["due"] == 2


def test_unconfirmed_alerts_get_no_digest(client, clock, mali):
    follow(client, "list=programmes")
    publish_programme()
    assert later(clock, weeks=1)["due"] == 0


def test_more_than_ten_new_records_are_counted_with_a_link_to_the_list(client, clock, mali):
    followed_and_confirmed(client, "list=programmes&country=ML")
    for _ in range(12):
        publish_programme(countries=[mali])
    later(clock, weeks=1)
    (message,) = outbox.outbox
    assert "12 new records" in message.body
    assert "And 2 more: http://testserver/en/programmes/?country=ML" in message.body


def test_a_mail_the_server_refuses_is_sent_at_the_next_run(client, clock, settings, mali):
    subscription = followed_and_confirmed(client, "list=programmes")
    before = Subscription.objects.get().covered_until
    publish_programme()
    with mock.patch("ecosystem.core.mail.EmailMultiAlternatives.send", side_effect=OSError("down")):
        counts = later(clock, weeks=1)
    assert counts["failed"] == 1
    subscription.refresh_from_db()
    assert subscription.covered_until == before
    assert later(clock, weeks=1)["sent"] == 1


def test_the_digest_is_a_job_of_the_background_workers(client, clock, mali):
    followed_and_confirmed(client, "list=programmes")
    publish_programme()
    clock.shift(timedelta(weeks=1))
    send_alerts.enqueue()
    run_jobs()
    (message,) = outbox.outbox
    assert "1 new record" in message.body


def test_the_digest_runs_as_many_queries_for_ten_times_the_subscriptions(clock, senegal_digital):
    senegal, digital = senegal_digital
    lists = [("programmes", "country=SN"), ("programmes", ""), ("support", ANSWERS)]

    def subscribe(count):
        Subscription.objects.all().delete()
        now = timezone.now()
        Subscription.objects.bulk_create(
            Subscription(
                email=f"reader{n}@example.org",
                followed=lists[n % 3][0],
                query=lists[n % 3][1],
                language=["en", "fr"][n % 2],
                confirmed=now,
                covered_until=now,
            )
            for n in range(count)
        )
        publish_programme(countries=[senegal])
        grant("Grant", "Subvention", senegal, digital)
        clock.shift(timedelta(weeks=1))
        outbox.outbox.clear()
        queries = count_queries(send_digests)
        assert len(outbox.outbox) == count
        return queries

    assert subscribe(6) == subscribe(60)


def test_staff_see_and_delete_alerts_but_never_add_or_change_them(staff_client, mali):
    Subscription.objects.create(email="awa@example.org", followed="programmes", query="country=ML")
    page = html(staff_client.get(admin_url(Subscription, "changelist")))
    assert "awa@example.org" in page and "country=ML" in page
    assert staff_client.get(admin_url(Subscription, "add")).status_code == 403
    subscription = Subscription.objects.get()
    change = html(staff_client.get(admin_url(Subscription, "change", subscription.pk)))
    assert 'name="email"' not in change  # read only
    staff_client.post(admin_url(Subscription, "delete", subscription.pk), {"post": "yes"})
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(("language", "words"), [("en", "Unsubscribed"), ("fr", "Désabonné")])
def test_one_click_unsubscribe_deletes_the_address(client, clock, mali, language, words):
    followed_and_confirmed(client, "list=programmes", language=language)
    publish_programme()
    later(clock, weeks=1)
    (message,) = outbox.outbox
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # What a mail program sends: a POST with that body, no cookie, no CSRF token.
    mailer = Client(enforce_csrf_checks=True)
    response = mailer.post(
        link.removeprefix("http://testserver"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Subscription.objects.exists()
    # Twice is as good as once.
    assert mailer.post(link.removeprefix("http://testserver")).status_code == 200


def test_an_altered_unsubscribe_link_is_refused(client):
    response = client.post(url("alerts:unsubscribe", token="forged"))
    assert response.status_code == 400
    assert "This unsubscribe link is not valid" in response.content.decode()


def test_an_address_never_confirmed_is_deleted_after_a_year(client, mali):
    follow(client, "list=programmes")
    followed_and_confirmed(client, "list=events", address="kept@example.org")
    Subscription.objects.update(created=timezone.now() - timedelta(days=364))
    from alerts.digest import forget_unconfirmed

    assert forget_unconfirmed() == 0
    Subscription.objects.update(created=timezone.now() - timedelta(days=366))
    assert forget_unconfirmed() == 1
    assert list(Subscription.objects.values_list("email", flat=True)) == ["kept@example.org"]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Several confirmation mails went to this address"),
        ("fr", "Plusieurs courriels de confirmation"),
    ],
)
def test_one_address_gets_a_few_confirmations_an_hour(client, mali, language, words):
    for _ in range(limits.PER_ADDRESS):
        assert follow(client, "list=programmes", language=language).status_code == 302
    response = follow(client, "list=programmes", language=language)
    assert response.status_code == 429
    assert words in response.content.decode()
    assert len(outbox.outbox) == limits.PER_ADDRESS


def test_one_client_sends_a_few_requests_an_hour(client, mali):
    for n in range(limits.PER_CLIENT):
        follow(client, "list=programmes", address=f"reader{n}@example.org")
    response = follow(client, "list=programmes", address="one-more@example.org")
    assert response.status_code == 429
    assert "Too many requests from your connection" in response.content.decode()


def test_the_limits_let_visitors_through_when_the_cache_fails(client, mali):
    with mock.patch("alerts.limits.cache.add", side_effect=ConnectionError("cache down")):
        for _ in range(limits.PER_CLIENT + 1):
            assert follow(client, "list=programmes").status_code == 302


def test_an_address_follows_a_bounded_number_of_lists(client, mali, settings):
    from alerts.services import MAX_PER_ADDRESS

    Subscription.objects.bulk_create(
        Subscription(email="awa@example.org", followed="programmes", query=f"q={n}")
        for n in range(MAX_PER_ADDRESS)
    )
    response = follow(client, "list=events")
    assert response.status_code == 400
    assert f"This address follows {MAX_PER_ADDRESS} lists already" in response.content.decode()


def test_a_mail_server_down_is_a_message_not_an_error(client, settings, mali):
    from tests.test_mail import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    response = follow(client, "list=programmes")
    assert response.status_code == 503
    assert "could not be sent just now" in response.content.decode()
    assert 'value="awa@example.org"' in response.content.decode()


def test_a_bad_address_is_named(client, mali):
    response = client.post(
        url("alerts:follow") + "?list=programmes",
        {"email": "not an address", "frequency": "weekly"},
    )
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


ANSWERS = "country=SN&sector=digital-technology&stage=2&need=funding"


@pytest.fixture
def senegal_digital(db):
    return (
        CountryFactory(code="SN"),
        SectorFactory(slug="digital-technology", name_en="Digital technology", name_fr="Numérique"),
    )


def grant(name_en, name_fr, country, sector, **values):
    return OpportunityFactory(
        name_en=name_en,
        name_fr=name_fr,
        kind="grant",
        deadline=timezone.localdate() + timedelta(days=60),
        stage_from=1,
        stage_to=3,
        countries=[country],
        sectors=[sector],
        **values,
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_find_support_answer_has_the_form_to_follow_it(client, senegal_digital, language):
    page = html(client.get(url("opportunities:find-support", language) + "?" + ANSWERS))
    follow_url = url("alerts:follow", language)
    assert f'action="{follow_url}?list=support&amp;{ANSWERS.replace("&", "&amp;")}"' in page


@pytest.mark.parametrize(
    ("language", "title"),
    [
        (
            "en",
            "Find support — Country: Senegal · Sector: Digital technology · Stage: early "
            "stage · What you need: funding",
        ),
        (
            "fr",
            # The answers' labels are the find-support form's.
            "— Pays : Sénégal · Secteur : Numérique",
        ),
    ],
)
def test_the_follow_page_names_the_answers(client, senegal_digital, language, title):
    page = html(client.get(url("alerts:follow", language) + f"?list=support&{ANSWERS}"))
    assert title in page


def test_a_followed_answer_brings_the_new_call_that_fits_with_its_reason(
    client, clock, senegal_digital
):
    """The issue's end to end: Senegal, digital technology, startup, funding; follow the
    answer, confirm, staff publish a fitting call, the digest brings it with why."""
    senegal, digital = senegal_digital
    mali = CountryFactory(code="ML")
    grant("Older grant", "Subvention ancienne", senegal, digital)
    followed_and_confirmed(client, f"list=support&{ANSWERS}")
    grant("Digital Senegal grant", "Subvention Sénégal numérique", senegal, digital)
    grant("Mali grant", "Subvention Mali", mali, digital)
    later(clock, weeks=1)
    (message,) = outbox.outbox
    assert message.subject == (
        "[Tech-support directory] New in your alert: Find support — Country: Senegal · "
        "Sector: Digital technology · Stage: early stage · What you need: funding"
    )
    assert "1 new record" in message.body
    assert "Digital Senegal grant" in message.body
    assert "open to Senegal · Digital technology · early stage · funding" in message.body
    assert "Mali grant" not in message.body and "Older grant" not in message.body
    assert f"http://testserver/en/find-support/?{ANSWERS}" in message.body
    # Nothing newer: no mail.
    outbox.outbox.clear()
    assert later(clock, weeks=1)["nothing_new"] == 1
    assert outbox.outbox == []


def test_a_followed_answer_in_french_gives_its_reasons_in_french(client, clock, senegal_digital):
    senegal, digital = senegal_digital
    followed_and_confirmed(client, f"list=support&{ANSWERS}", language="fr")
    grant("Digital Senegal grant", "Subvention Sénégal numérique", senegal, digital)
    later(clock, weeks=1)
    (message,) = outbox.outbox
    assert message.subject.startswith(
        "[Annuaire de l’appui à la tech] Du nouveau dans votre alerte : "
    )
    assert "1 nouvelle fiche dans « " in message.body
    assert "Subvention Sénégal numérique" in message.body
    assert "Subvention Sénégal numérique\n  " in message.body  # and why it fits
    assert f"http://testserver{url('opportunities:find-support', 'fr')}?{ANSWERS}" in message.body


def test_answers_the_form_refuses_are_named_and_left_out(client, senegal_digital):
    page = html(client.get(url("alerts:follow") + "?list=support&country=SN&stage=9"))
    assert "“9”" in page
    follow(client, "list=support&country=SN&stage=9")
    assert Subscription.objects.get().query == "country=SN"


def test_filters_too_long_to_keep_are_refused_in_words(client, senegal_digital):
    response = client.get(
        url("alerts:follow") + "?list=programmes&" + "&".join(["country=SN"] * 100)
    )
    assert response.status_code == 400
    assert "These filters are too long to follow" in response.content.decode()


def test_a_search_typed_over_two_lines_makes_a_one_line_subject(client, clock, mali):
    followed_and_confirmed(client, "list=programmes&q=digital%0D%0Amali")
    publish_programme(name_en="Digital Mali", countries=[mali])
    assert later(clock, weeks=1)["sent"] == 1
    (message,) = outbox.outbox
    assert "\n" not in message.subject and "digital mali" in message.subject


def test_the_command_sends_what_is_due_and_says_so(client, clock, mali):
    from io import StringIO

    from django.core.management import call_command

    followed_and_confirmed(client, "list=programmes")
    followed_and_confirmed(client, "list=events", address="bob@example.org")
    publish_programme()
    clock.shift(timedelta(weeks=1))
    out = StringIO()
    call_command("send_alerts", stdout=out, stderr=StringIO())
    assert "2 subscription(s) due: 1 digest(s) sent, 1 with nothing new, 0 not sent." in (
        out.getvalue()
    )
    assert len(outbox.outbox) == 1
