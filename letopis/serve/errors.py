"""One JSON error shape for every API error: {"error": {"status", "code", "message"}}."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException

from letopis.errors import InputError

log = logging.getLogger("letopis.serve")


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or _code(status)


def _code(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def error_body(status: int, message: str, code: str | None = None) -> dict:
    return {"error": {"status": status, "code": code or _code(status), "message": message}}


def _respond(request: Request, status: int, message: str, code: str | None = None, headers=None):
    if not request.url.path.startswith("/api/"):
        from letopis.serve.pages import error_page

        return error_page(request, status, message)
    return JSONResponse(error_body(status, message, code), status_code=status, headers=headers)


def _validation_message(error: RequestValidationError) -> str:
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {item.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError):
        return _respond(request, error.status, error.message, error.code)

    @app.exception_handler(InputError)
    async def input_error(request: Request, error: InputError):
        return _respond(request, 400, str(error), "bad_request")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError):
        return _respond(request, 422, _validation_message(error), "invalid_request")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException):
        message = error.detail if isinstance(error.detail, str) else _code(error.status_code)
        return _respond(request, error.status_code, message, headers=error.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception):
        log.exception("unexpected error on %s", request.url.path)
        if not request.url.path.startswith("/api/"):
            return HTMLResponse("<h1>500</h1>", status_code=500)
        return JSONResponse(error_body(500, "internal error: see the server log"), 500)
