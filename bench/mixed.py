"""`make loadtest`'s mixed run: readers under wrk while an editor saves a deal every second.

wrk keeps --connections readers on the page mix for --duration seconds. Meanwhile an editor
signs in to the admin (a real session, CSRF token and all), opens one deal's change form
each second and posts it back, its edit-conflict version field included, with the amount
switched between stated and undisclosed. That moves a figure the overview prints exactly
("…, N of them with a stated amount."), so after each save the editor polls the overview
until it shows the new N: the delay until readers see the edit. The run is made twice: one
gunicorn (edits and reads on one port), then two gunicorns on two ports sharing PostgreSQL and
Redis, standing for two machines (edits through one, reads through the other). The deal is
left as it was found.
"""

from __future__ import annotations

import html.parser
import json
import re
import secrets
import subprocess
import time
from http import client as http_client
from urllib.parse import urlencode

from .build import PYTHON, ROOT
from .httpbench import HOST, django_env

EDITOR = "bench-editor"
VISIBLE_WITHIN_S = 2.0
POLL_EVERY_S = 0.1
GIVE_UP_AFTER_S = 10.0
STATED = re.compile(r"([\d,]+) of them with a stated amount")

# The editor's account and the deal it edits: an investment still on, its amount stated.
_SETUP = """
import json, os
from django.contrib.auth.models import User
from deals.models import Deal
user, _ = User.objects.get_or_create(username=os.environ["BENCH_EDITOR"])
user.is_staff = user.is_superuser = True
user.set_password(os.environ["BENCH_EDITOR_PASSWORD"])
user.save()
deal = (
    Deal.objects.filter(deal_type="investment", amount_usd__isnull=False, tranches__isnull=True)
    .exclude(status="cancelled").order_by("pk").first()
)
print(json.dumps({"deal_id": deal.pk, "slug": deal.slug, "amount": str(deal.amount_usd),
                  "qualifier": deal.amount_qualifier}))
"""


def prepare(database_url: str) -> tuple[str, dict]:
    """The editor's password (new each run) and the deal it will edit."""
    password = secrets.token_urlsafe(18)
    env = django_env(
        database_url, BENCH_EDITOR=EDITOR, BENCH_EDITOR_PASSWORD=password, DJANGO_LOG_LEVEL="ERROR"
    )
    out = subprocess.run(  # noqa: S603 - our interpreter and manage.py
        [str(PYTHON), "manage.py", "shell", "-c", _SETUP],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    return password, json.loads(out.strip().splitlines()[-1])


class FormFields(html.parser.HTMLParser):
    """The fields a browser would send back from the page's form `form_id`, in order."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select: str | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or a.get("disabled") is not None:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file", "image"):
                self.fields.append([a["name"], a.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append([self._select, a.get("value", "")])
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
            self.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser keeps the newline browsers drop after <textarea>.
            self._textarea[1] = self._textarea[1].removeprefix("\n")
            self._textarea = None
        elif tag == "form":
            self.inside = False


class Browser:
    """A signed-in session on one server: cookies kept by hand, as production marks them
    Secure and this runs over plain HTTP on loopback."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: list | None = None) -> tuple[int, str]:
        conn = http_client.HTTPConnection(HOST, self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode([tuple(field) for field in form])
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def form(self, path: str, form_id: str) -> list:
        status, page = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        parser = FormFields(form_id)
        parser.feed(page)
        return parser.fields

    def sign_in(self, username: str, password: str) -> None:
        fields = self.form("/admin/login/?next=/admin/", "login-form")
        values = dict(fields) | {"username": username, "password": password}
        status, _page = self.request("POST", "/admin/login/?next=/admin/", list(values.items()))
        if status != 302:
            raise RuntimeError(f"the editor could not sign in (HTTP {status})")


def stated_count(port: int) -> int | None:
    status, page = Browser(port).request("GET", "/")
    found = STATED.search(page) if status == 200 else None
    return int(found[1].replace(",", "")) if found else None


def save(editor: Browser, deal: dict, stated: bool) -> tuple[int, float, str]:
    """Opens the deal's change form and posts it back with its amount stated or undisclosed;
    (HTTP status, seconds, first error shown); 302 means saved."""
    path = f"/admin/deals/deal/{deal['deal_id']}/change/"
    started = time.perf_counter()
    fields = editor.form(path, "deal_form")
    amount, qualifier = (deal["amount"], deal["qualifier"]) if stated else ("", "undisclosed")
    for field in fields:
        if field[0] == "amount_usd":
            field[1] = amount
        elif field[0] == "amount_qualifier":
            field[1] = qualifier
    status, page = editor.request("POST", path, [*fields, ["_save", "Save"]])
    error = ""
    if status != 302:
        found = re.search(r'class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', page, re.S)
        error = found[1] if found else page[:200]
    return status, time.perf_counter() - started, error


def edit_every_second(edit_port: int, read_port: int, deal: dict, password: str, seconds: float):
    """Saves the deal once a second for `seconds`, each time polling the overview on
    `read_port` until it shows the new figure; the edits' record."""
    editor = Browser(edit_port)
    try:
        editor.sign_in(EDITOR, password)
        baseline = stated_count(read_port)
    except (OSError, RuntimeError) as error:  # a timeout under load is a result, not a crash
        return summarise([{"status": 0, "save_s": None, "error": f"sign-in: {error!r}"}])
    if baseline is None:
        raise RuntimeError("the overview shows no count of stated amounts to watch")
    edits, stated, stop = [], True, time.monotonic() + seconds
    while time.monotonic() < stop:
        tick = time.monotonic()
        stated = not stated
        try:
            status, took, error = save(editor, deal, stated)
        except (OSError, RuntimeError) as failure:
            status, took, error = 0, time.monotonic() - tick, repr(failure)
        edit = {"status": status, "save_s": round(took, 3), "error": error, "seen_after_s": None}
        if status == 302:
            expected = baseline if stated else baseline - 1
            edit["seen_after_s"] = _seen_after(read_port, expected)
        else:
            stated = not stated  # not saved: the deal is as it was
        edits.append(edit)
        time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
    if not stated:  # leave the deal as found
        save(editor, deal, True)
    return summarise(edits)


def _seen_or_none(read_port: int) -> int | None:
    try:
        return stated_count(read_port)
    except OSError:  # a poll that timed out under load saw nothing
        return None


def _seen_after(read_port: int, expected: int) -> float | None:
    saved = time.monotonic()
    while (waited := time.monotonic() - saved) < GIVE_UP_AFTER_S:
        if _seen_or_none(read_port) == expected:
            return round(waited, 3)
        time.sleep(POLL_EVERY_S)
    return None


def summarise(edits: list[dict]) -> dict:
    saved = [e for e in edits if e["status"] == 302]
    seen = sorted(e["seen_after_s"] for e in saved if e["seen_after_s"] is not None)
    return {
        "edits": len(edits),
        "saved": len(saved),
        "failed": [f"HTTP {e['status']}: {e['error']}" for e in edits if e["status"] != 302][:5],
        "seen": len(seen),
        "within_2s": sum(1 for s in seen if s <= VISIBLE_WITHIN_S),
        "seen_median_s": seen[len(seen) // 2] if seen else None,
        "seen_max_s": seen[-1] if seen else None,
        "save_max_s": max((e["save_s"] for e in edits if e["save_s"] is not None), default=None),
    }
