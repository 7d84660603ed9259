"""The load driver: signed-in clients on http.client, a fixed number of requests per target at a
fixed concurrency, then it stops. Measures latency, throughput, SQL queries per request (the
app's X-Query-Count header, on when BENCH_COUNT_QUERIES=1) and compressed bytes.

Cookies are kept by hand: the server runs with COOKIE_SECURE=1 like production, and a browser
would not send Secure cookies over plain http; on loopback we send them anyway.
"""

from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

ACCEPT = {"Accept-Encoding": "br, gzip", "Accept-Language": "nb-NO,nb;q=0.9",
          "User-Agent": "worker-app-bench/1 (Android; mobile)"}


class Client:
    """One person's phone: a connection (reopened when the server closes it) and cookies."""

    def __init__(self, host: str, port: int, cookies: dict[str, str] | None = None):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = dict(cookies or {})
        self.conn = http.client.HTTPConnection(host, port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes, float]:
        sent = dict(ACCEPT)
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        started = time.perf_counter()
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed a kept-alive connection between two requests: reconnect once.
                self.conn.close()
                if attempt:
                    raise
        elapsed = time.perf_counter() - started
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if "expires=Thu, 01 Jan 1970" in value or "Max-Age=0" in value:
                    self.cookies.pop(cookie_name, None)
                else:
                    self.cookies[cookie_name] = cookie_value
        if response.will_close:
            self.conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data, elapsed

    def get(self, path: str, **kw):
        return self.request("GET", path, **kw)

    def close(self) -> None:
        self.conn.close()


_CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: bytes) -> str:
    match = _CSRF.search(html)
    if not match:
        raise RuntimeError("no csrf_token in the form")
    return (match.group(1) or match.group(2)).decode()


def _plain(headers: dict[str, str], data: bytes) -> bytes:
    encoding = headers.get("content-encoding", "")
    if encoding == "gzip":
        import gzip

        return gzip.decompress(data)
    if encoding == "br":
        import brotli

        return brotli.decompress(data)
    if encoding == "deflate":
        import zlib

        return zlib.decompress(data)
    return data


def sign_in_worker(host: str, port: int, device_cookie: str) -> Client:
    """A phone that signed in once before: its device cookie signs it in (and is rotated)."""
    client = Client(host, port, {"wa_device": device_cookie})
    status, _h, _d, _t = client.get("/")
    if status != 200 or "session" not in client.cookies:
        raise RuntimeError(f"worker sign-in by device cookie failed: {status}")
    return client


def sign_in_staff(host: str, port: int, email: str, password: str) -> Client:
    """Staff sign in at /login with e-mail and password, as in a browser (CSRF token and all)."""
    from urllib.parse import urlencode

    client = Client(host, port)
    status, headers, data, _t = client.get("/login")
    token = csrf_token(_plain(headers, data))
    body = urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    status, headers, _d, _t = client.request("POST", "/login", body=body,
                                             headers={"Referer": f"http://{host}:{port}/login"})
    if status != 302:
        raise RuntimeError(f"staff sign-in failed: {status}")
    return client


@dataclass
class Target:
    name: str
    paths: list[str]  # one per client (each person has their own checklist), or one for all
    who: str  # "worker", "specialist", "api" or "anonymous"
    headers: dict[str, str] = field(default_factory=dict)

    def path_for(self, i: int) -> str:
        return self.paths[i % len(self.paths)]


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]
    queries: list[int]
    bytes: list[int]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return 0.0
        k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[k]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else 0.0

    @property
    def p95_ms(self) -> float:
        return self.percentile(95) * 1000

    @property
    def max_queries(self) -> int | None:
        return max(self.queries) if self.queries else None

    @property
    def median_bytes(self) -> int:
        return int(statistics.median(self.bytes)) if self.bytes else 0

    @property
    def ok(self) -> bool:
        return set(self.statuses) == {200}


def drive(target: Target, clients: list[Client], requests: int) -> Result:
    """`requests` GETs of the target from all clients at once (each its own thread), then stop."""
    per_client = [requests // len(clients) + (1 if i < requests % len(clients) else 0)
                  for i in range(len(clients))]
    latencies: list[list[float]] = [[] for _ in clients]
    statuses: list[dict[int, int]] = [{} for _ in clients]
    queries: list[list[int]] = [[] for _ in clients]
    sizes: list[list[int]] = [[] for _ in clients]
    start = threading.Barrier(len(clients) + 1)

    def work(i: int) -> None:
        client, path = clients[i], target.path_for(i)
        start.wait()
        for _ in range(per_client[i]):
            status, headers, data, elapsed = client.get(path, headers=target.headers)
            latencies[i].append(elapsed)
            statuses[i][status] = statuses[i].get(status, 0) + 1
            if "x-query-count" in headers:
                queries[i].append(int(headers["x-query-count"]))
            sizes[i].append(len(data))

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    merged: dict[int, int] = {}
    for part in statuses:
        for status, n in part.items():
            merged[status] = merged.get(status, 0) + n
    return Result(target.name, sum(per_client), seconds, [x for part in latencies for x in part], merged,
                  [x for part in queries for x in part], [x for part in sizes for x in part])


def merge(name: str, parts: list[Result]) -> Result:
    """One target's rounds (see run.py) as one result: all their requests, latencies and time."""
    statuses: dict[int, int] = {}
    for part in parts:
        for status, n in part.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    return Result(name, sum(p.requests for p in parts), sum(p.seconds for p in parts),
                  [x for p in parts for x in p.latencies], statuses,
                  [x for p in parts for x in p.queries], [x for p in parts for x in p.bytes])


# First and repeat visit ------------------------------------------------------------------------


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href") and {"stylesheet", "icon", "preload", "modulepreload",
                                                 "manifest"} & set((a.get("rel") or "").split()):
            self.urls.append(a["href"])
        elif tag in ("script", "img") and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "use" and (a.get("href") or a.get("xlink:href")):
            self.urls.append((a.get("href") or a.get("xlink:href")).split("#")[0])


@dataclass
class Visit:
    html_bytes: int
    assets: list[tuple[str, int, bool]]  # url, compressed bytes, cached for good (immutable)

    @property
    def first(self) -> int:
        return self.html_bytes + sum(size for _u, size, _c in self.assets)

    @property
    def repeat(self) -> int:
        """The HTML again; assets only when they are not cached for good."""
        return self.html_bytes + sum(size for _u, size, cached in self.assets if not cached)


def page_weight(client: Client, path: str) -> Visit:
    """HTML plus every stylesheet, script and picture the page refers to, as compressed bytes."""
    _s, headers, data, _t = client.get(path)
    parser = _Assets()
    parser.feed(_plain(headers, data).decode("utf-8", "replace"))
    assets = []
    css_urls: list[str] = []
    for url in dict.fromkeys(parser.urls):
        if urlsplit(url).netloc or url.startswith("data:"):
            continue
        status, asset_headers, body, _t = client.get(url)
        cached = "immutable" in asset_headers.get("cache-control", "")
        assets.append((url, len(body), cached))
        if asset_headers.get("content-type", "").startswith("text/css"):
            css_urls += [u for u in re.findall(rb"url\(['\"]?([^'\")]+)", _plain(asset_headers, body))
                         if not u.startswith(b"data:")]
    for raw in dict.fromkeys(css_urls):
        url = raw.decode()
        if url.startswith("/"):
            _s, asset_headers, body, _t = client.get(url)
            assets.append((url, len(body), "immutable" in asset_headers.get("cache-control", "")))
    return Visit(len(data), assets)
