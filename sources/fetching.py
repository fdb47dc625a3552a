"""A polite HTTP client for news sources.

Polite means: a user agent that names DealWatch, a time-out, a cap on the bytes read,
conditional requests (ETag / Last-Modified, so an unchanged feed costs one 304), and at most
one request per `host_interval` seconds to any one host. Only http and https are fetched:
`urllib` would otherwise read `file:` URLs that a feed item names.
"""

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

USER_AGENT = "DealWatch/0.1 (news-source reader; +{site})"


class FetchError(Exception):
    """A fetch that gave nothing usable: the message says why, for the run's report."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 when the validators sent still match
    body: bytes
    etag: str
    last_modified: str
    content_type: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class PoliteClient:
    def __init__(self, *, clock=time.monotonic, sleep=time.sleep):
        self.timeout = settings.DEALWATCH_FETCH_TIMEOUT
        self.max_bytes = settings.DEALWATCH_FETCH_MAX_BYTES
        self.host_interval = settings.DEALWATCH_FETCH_HOST_INTERVAL
        self.user_agent = USER_AGENT.format(site=settings.DEALWATCH_SITE_URL)
        self._clock = clock
        self._sleep = sleep
        self._last_request: dict[str, float] = {}

    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not an http(s) URL: {url}")
        self._wait_turn(parts.hostname)
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "identity"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return self._read(response, url)
        except urllib.error.HTTPError as error:
            if error.code == 304:
                return Fetched(url, 304, b"", etag, last_modified, "")
            raise FetchError(f"HTTP {error.code} from {url}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise FetchError(f"could not fetch {url}: {reason}") from error

    def _read(self, response, url: str) -> Fetched:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"{url} is larger than {self.max_bytes:,} bytes")
        body = response.read(self.max_bytes + 1)
        if len(body) > self.max_bytes:
            raise FetchError(f"{url} is larger than {self.max_bytes:,} bytes")
        return Fetched(
            url=response.geturl() or url,
            status=response.status,
            body=body,
            etag=response.headers.get("ETag", ""),
            last_modified=response.headers.get("Last-Modified", ""),
            content_type=response.headers.get("Content-Type", ""),
        )

    def _wait_turn(self, host: str) -> None:
        """Sleep until `host_interval` has passed since the last request to `host`."""
        last = self._last_request.get(host)
        if last is not None:
            wait = last + self.host_interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = self._clock()
