"""Fetching URLs over HTTP: timeouts, a few retries on transient failures, conditional requests
(ETag / Last-Modified), one-line errors."""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from letopis.errors import InputError

USER_AGENT = "Letopis/0.1 (+https://github.com/letopis)"
TIMEOUT_S = 10.0
RETRIES = 2
BACKOFF_S = 0.5
# Statuses worth asking again: the server or a proxy is busy, not the request wrong.
_TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass
class Fetched:
    url: str  # after redirects
    content: bytes
    content_type: str  # media type without parameters, lower case ("" when not given)
    charset: str | None  # from the Content-Type header
    etag: str | None = None  # the validators to send next time (conditional requests)
    last_modified: str | None = None


def fetch(
    url: str,
    *,
    timeout: float = TIMEOUT_S,
    retries: int = RETRIES,
    client: httpx.Client | None = None,
    backoff: float = BACKOFF_S,
) -> Fetched:
    """GET a URL; connection errors, timeouts and 429/5xx are retried `retries` times, the
    n-th retry after `backoff * 2**(n-1)` seconds."""
    return _fetched(_get(url, {}, timeout, retries, client, backoff))


def fetch_conditional(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = TIMEOUT_S,
    retries: int = RETRIES,
    client: httpx.Client | None = None,
    backoff: float = BACKOFF_S,
) -> Fetched | None:
    """GET a URL unless it is unchanged since the response that carried `etag` or
    `last_modified` (sent as If-None-Match and If-Modified-Since): None when the server answers
    304 Not Modified. Retries and errors as `fetch`."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    response = _get(url, headers, timeout, retries, client, backoff)
    if response.status_code == 304:
        return None
    return _fetched(response)


def _get(
    url: str,
    headers: dict[str, str],
    timeout: float,
    retries: int,
    client: httpx.Client | None,
    backoff: float,
) -> httpx.Response:
    own_client = client is None
    client = client or make_client(timeout)
    try:
        for attempt in range(retries + 1):
            last = attempt == retries
            try:
                response = client.get(url, headers=headers)
            except httpx.TimeoutException:
                if last:
                    raise InputError(f"{url}: timed out after {timeout:g} s") from None
            except httpx.InvalidURL as error:
                raise InputError(f"{url}: not a valid URL ({error})") from None
            except httpx.HTTPError as error:
                if last:
                    raise InputError(f"{url}: cannot connect ({_reason(error)})") from None
            else:
                if response.status_code in _TRANSIENT_STATUS and not last:
                    pass
                elif response.status_code >= 400:
                    raise InputError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
                else:
                    return response
            time.sleep(backoff * (2**attempt))
    finally:
        if own_client:
            client.close()
    raise AssertionError("unreachable")  # the loop returns or raises on its last attempt


def make_client(timeout: float = TIMEOUT_S) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT},
    )


def _fetched(response: httpx.Response) -> Fetched:
    header = response.headers.get("content-type", "")
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"' ").lower()
    return Fetched(
        url=str(response.url),
        content=response.content,
        content_type=media_type.strip().lower(),
        charset=charset,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
    )


def _reason(error: httpx.HTTPError) -> str:
    """The innermost cause's message: 'Connection refused', 'Name or service not known'."""
    cause: BaseException = error
    while cause.__cause__ is not None or cause.__context__ is not None:
        cause = cause.__cause__ or cause.__context__  # type: ignore[assignment]
    text = str(cause) or type(cause).__name__
    if "] " in text and text.startswith("["):  # "[Errno 111] Connection refused"
        text = text.split("] ", 1)[1]
    return text.splitlines()[0]
