"""A staff member as a browser sends its requests, for the scripts that measure or
exercise the admin (`make bench`, `make loadtest`, `make scaleout`): cookies kept,
the login form and the admin's change forms sent with their CSRF token."""

import http.client
import http.cookies
import secrets
import time
from html.parser import HTMLParser
from urllib.parse import urlencode

from bench.serving import manage

HOST = "127.0.0.1"


class Browser:
    """Cookies kept across servers, as one browser behind a load balancer keeps them; and
    one host name for all of them, as the load balancer passes on the public one."""

    def __init__(self):
        self.cookies = {}

    def request(self, port, method, path, data=None):
        headers = {"Host": HOST, "Accept-Language": "en", "Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response, text

    def cookie(self, name):
        """A cookie by its name, with or without the __Host- prefix secure cookies take."""
        return self.cookies.get(name) or self.cookies.get(f"__Host-{name}")

    def get(self, port, path):
        return self.request(port, "GET", path)

    def post(self, port, path, data):
        return self.request(port, "POST", path, data)


class FormFields(HTMLParser):
    """The values a browser would send for the form with this id: inputs, checked boxes,
    selected options and text areas, as the page holds them."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.fields = []
        self.select = self.textarea = None
        self.options = []

    def handle_starttag(self, tag, attrs):
        attrs = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag not in ("option",):
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.fields.append((attrs["name"], attrs.get("value", default)))
        elif tag == "select":
            self.select = (attrs["name"], "multiple" in attrs)
            self.options = []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]
            self.fields += [(name, value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the newline that follows <textarea>.
            self.fields.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None


def form_fields(page, form_id):
    parser = FormFields(form_id)
    parser.feed(page)
    return parser.fields


def staff_member(env, username):
    """A superuser of that name on the site's database, with a new password (returned)."""
    password = secrets.token_hex(12)
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"user, _ = User.objects.get_or_create(username={username!r}); "
        "user.is_staff = user.is_superuser = True; "
        f"user.set_password({password!r}); user.save()",
        quiet=True,
    )
    return password


def log_in(browser, port, username, password):
    browser.get(port, "/admin/login/")
    response, _ = browser.post(
        port,
        "/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": browser.cookie("csrftoken") or "",
            "username": username,
            "password": password,
            "next": "/admin/",
        },
    )
    return response


def rename(browser, port, pk, new_name):
    """Sends the admin's change form with one field changed, as staff would: the answer's
    status (302 when saved) and the milliseconds the save took (None without a form)."""
    path = f"/admin/members/organization/{pk}/change/"
    response, page = browser.get(port, path)
    if response.status != 200:
        return response.status, None
    fields = [(k, v) for k, v in form_fields(page, "organization_form") if k != "name_en"]
    fields += [("name_en", new_name), ("_save", "Save")]
    started = time.perf_counter()
    response, _ = browser.post(port, path, fields)
    return response.status, (time.perf_counter() - started) * 1000
