"""The web page: server-rendered (Jinja2, autoescaped), charts and maps drawn by
static/app.js from the API. Article text is shown as text, never as HTML."""

from __future__ import annotations

from importlib import resources
from typing import Annotated
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from letopis.errors import InputError
from letopis.ingest.article import Article, normalise_published
from letopis.record import EVENT_TYPES, Record
from letopis.serve.errors import ApiError
from letopis.serve.highlight import evidence_segments, text_segments
from letopis.serve.security import check_key
from letopis.store.browse import STATUSES, EventQuery

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files("letopis.serve").joinpath("templates"))),
        autoescape=True,  # every template, whatever its name
    )
)
FILTERS = (
    "type", "status", "actor", "recipient", "country", "place", "from", "to", "source",
    "sector", "reviewed",
)  # fmt: skip
STATUS_NAMES = {
    "reported": "сообщено",
    "future": "ожидается",
    "hypothetical": "предположение",
    "negated": "опровергнуто",
}
VERDICT_NAMES = {"correct": "верно", "wrong": "неверно", "corrected": "исправлено"}
MAX_TEXT = 200_000


def safe_url(url: str | None) -> str | None:
    """A link only for http(s) URLs: `javascript:` and other schemes are shown as text."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


templates.env.filters["safe_url"] = safe_url
templates.env.globals.update(
    EVENT_TYPES=EVENT_TYPES,
    STATUSES=STATUSES,
    STATUS_NAMES=STATUS_NAMES,
    VERDICT_NAMES=VERDICT_NAMES,
)


LANGUAGES = ("ru", "en")


def language(request: Request) -> str:
    """?lang=en|ru switches (and is remembered in a cookie); Russian by default."""
    asked = request.query_params.get("lang") or request.cookies.get("lang")
    return asked if asked in LANGUAGES else "ru"


def translator(lang: str):
    if lang == "ru":
        return lambda text: text
    from letopis.data import load_yaml

    english = load_yaml("ui_en.yaml")
    return lambda text: english.get(text, text)


def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    lang = language(request)
    other = "en" if lang == "ru" else "ru"
    context.update(
        lang=lang,
        t=translator(lang),
        switch_url=str(request.url.include_query_params(lang=other)),
    )
    response = templates.TemplateResponse(request, name, context, status_code=status)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax")
    return response


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status, message=message)


def _filters(request: Request) -> tuple[EventQuery, dict[str, str]]:
    given = {k: request.query_params.get(k, "").strip() for k in FILTERS}
    given = {k: v for k, v in given.items() if v}
    confidence = request.query_params.get("min_confidence")
    reviewed = {"yes": True, "no": False}.get(given.get("reviewed", ""))
    query = EventQuery(
        actor=given.get("actor"),
        recipient=given.get("recipient"),
        type=given.get("type"),
        country=given.get("country"),
        place=given.get("place"),
        date_from=given.get("from"),
        date_to=given.get("to"),
        status=given.get("status"),
        source=given.get("source"),
        sector=given.get("sector"),
        reviewed=reviewed,
        min_confidence=float(confidence) if _number(confidence) else None,
    )
    return query, given


def _number(value: str | None) -> bool:
    try:
        return value is not None and 0 <= float(value) <= 1
    except ValueError:
        return False


def _api_filters(given: dict[str, str]) -> str:
    """The page's filters as the API's query string."""
    api = {k: v for k, v in given.items() if k != "reviewed"}
    if "reviewed" in given:
        api["reviewed"] = "true" if given["reviewed"] == "yes" else "false"
    return urlencode(api)


@router.get("/", response_class=HTMLResponse)
def chronicle(request: Request, cursor: str | None = None):
    corpus = request.app.state.shared.corpus
    query, given = _filters(request)
    page = corpus.event_page(query, limit=50, cursor=cursor)
    reviewed = _reviewed(corpus, [e.id for e in page.events])
    next_link = f"/?{urlencode({**given, 'cursor': page.next})}" if page.next else None
    return render(
        request,
        "chronicle.html",
        page=page,
        given=given,
        api_query=_api_filters(given),
        next_link=next_link,
        reviewed=reviewed,
        counts=corpus.counts(),
    )


def _reviewed(corpus, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    from sqlalchemy import select

    from letopis.store import models

    with corpus.store.session() as session:
        return set(
            session.scalars(select(models.Review.merged_id).where(models.Review.merged_id.in_(ids)))
        )


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: int, reviewed: str | None = None):
    detail = request.app.state.shared.corpus.event(event_id)
    if detail is None:
        raise ApiError(404, f"нет события {event_id}")
    evidence = [(e, evidence_segments(e)) for e in detail.evidence]
    return render(request, "event.html", d=detail, evidence=evidence, just_reviewed=reviewed)


@router.post("/events/{event_id}/review", response_class=HTMLResponse)
def review_form(
    request: Request,
    event_id: int,
    verdict: Annotated[str, Form()],
    reviewer: Annotated[str, Form()] = "",
    key: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    type: Annotated[str, Form()] = "",
    status: Annotated[str, Form()] = "",
    actors: Annotated[str, Form()] = "",
    recipients: Annotated[str, Form()] = "",
    place: Annotated[str, Form()] = "",
    date: Annotated[str, Form()] = "",
):
    check_key(request.app.state.settings, key.strip() or None)
    correction = {
        "type": type,
        "status": status,
        "actors": actors,
        "recipients": recipients,
        "place": place,
        "date": date,
    }
    try:
        request.app.state.shared.corpus.review(
            event_id, reviewer=reviewer, verdict=verdict, correction=correction, note=note
        )
    except LookupError:
        raise ApiError(404, f"нет события {event_id}") from None
    except InputError as error:
        raise ApiError(422, str(error)) from None
    return RedirectResponse(f"/events/{event_id}?reviewed=1#reviews", status_code=303)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: int):
    corpus = request.app.state.shared.corpus
    detail = corpus.article(article_id)
    if detail is None:
        raise ApiError(404, f"нет статьи {article_id}")
    record = corpus.article_record(article_id)
    segments = text_segments(detail.text, record) if record and record.text == detail.text else None
    return render(request, "article.html", d=detail, record=record, segments=segments)


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: int):
    detail = request.app.state.shared.corpus.entity(entity_id)
    if detail is None:
        raise ApiError(404, f"нет сущности {entity_id}")
    data = detail.to_dict()
    chart = {k: data[k] for k in ("months", "counterparts")} | {
        "id": detail.entity.id,
        "name": detail.entity.name,
    }
    return render(request, "entity.html", d=detail, chart=chart)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: int):
    detail = request.app.state.shared.corpus.story(story_id)
    if detail is None:
        raise ApiError(404, f"нет сюжета {story_id}")
    return render(request, "story.html", d=detail)


@router.get("/analyze", response_class=HTMLResponse)
def analyze_form(request: Request):
    return render(request, "analyze.html", record=None, form={})


@router.post("/analyze", response_class=HTMLResponse)
async def analyze_page(
    request: Request,
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    title: Annotated[str, Form(max_length=2000)] = "",
    published: Annotated[str, Form(max_length=40)] = "",
):
    form = {"text": text, "title": title, "published": published}
    if not text.strip():
        return render(request, "analyze.html", status=422, record=None, form=form,
                      problem="Вставьте текст статьи.")  # fmt: skip
    try:
        article = Article(
            id="page", text=text, title=title or None, published=normalise_published(published)
        )
    except InputError as error:
        return render(request, "analyze.html", status=422, record=None, form=form,
                      problem=str(error))  # fmt: skip
    shared = request.app.state.shared
    record: Record = await run_in_threadpool(shared.pipeline.analyze, article)
    places = [
        {"name": p.name, "lat": p.lat, "lon": p.lon}
        for p in record.places
        if p.lat is not None and p.lon is not None
    ]
    return render(
        request,
        "analyze.html",
        record=record,
        form=form,
        segments=text_segments(record.text, record),
        places=places,
        sentences=_sentences(record),
    )


def _sentences(record: Record) -> dict[str, str]:
    return {
        e.id: " ".join(
            record.text[e.mentions[0].sentence_start : e.mentions[0].sentence_end].split()
        )
        for e in record.events
        if e.mentions
    }


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request):
    return render(request, "docs.html")
