"""The FastAPI application: API under /api/v1, its docs at /api/docs, the web page at /, static
files (vendored JavaScript, the world map) under /static. Security headers on every response."""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from letopis.serve import api, errors, pages
from letopis.serve.settings import Settings

API_PREFIX = "/api/v1"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class Resources:
    """What the process shares between requests: one corpus (connection pool), the analysis
    pipeline (models loaded once) and a lock that lets one ingest write at a time."""

    def __init__(self, settings: Settings, pipeline=None):
        from letopis.corpus.corpus import Corpus

        self.settings = settings
        self.corpus = Corpus(settings.db, pipeline=pipeline)
        self.write_lock = threading.Lock()

    @property
    def pipeline(self):
        """The corpus's pipeline: the one given, else the process's shared one, loaded once."""
        return self.corpus.pipeline

    def close(self) -> None:
        self.corpus.close()


def create_app(settings: Settings | None = None, *, pipeline=None, preload: bool = False):
    settings = settings or Settings.from_environment()
    shared = Resources(settings, pipeline)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        if preload:
            _ = shared.pipeline
        yield
        shared.close()

    app = FastAPI(
        title="Letopis",
        version="1",
        summary="A chronicle of political events read from Russian-language news.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.shared = shared
    errors.install(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    app.include_router(api.router, prefix=API_PREFIX)
    app.include_router(pages.router)
    static = resources.files("letopis.serve").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app


def app_from_environment() -> FastAPI:
    """The factory uvicorn workers call (`letopis serve --workers N`)."""
    return create_app(Settings.from_environment(), preload=True)
