"""The API key: writes always need it, reads when the server is configured closed. 401 when a
request brings no key, 403 when it brings a wrong one."""

from __future__ import annotations

import hmac

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from letopis.serve.errors import ApiError

key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="The server's LETOPIS_API_KEY."
)


def check_key(settings, given: str | None) -> None:
    if not given:
        raise ApiError(401, "this needs an API key: send it in the X-API-Key header")
    if not settings.api_key or not hmac.compare_digest(given.encode(), settings.api_key.encode()):
        raise ApiError(403, "wrong API key", "forbidden")


def require_key(request: Request, given: str | None = Depends(key_header)) -> None:
    check_key(request.app.state.settings, given)


def reads_allowed(request: Request, given: str | None = Depends(key_header)) -> None:
    if not request.app.state.settings.open_reads:
        check_key(request.app.state.settings, given)
