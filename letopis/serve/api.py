"""The HTTP API: the same `letopis.Corpus` queries the CLI runs, as JSON. Lists are pages with
`total`, `next` (a link to the next page) and `truncated`; exports stream without a cap."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from letopis.corpus.exports import Export, ExportFormat
from letopis.errors import InputError
from letopis.ingest.article import Article, normalise_published
from letopis.serve.errors import ApiError
from letopis.serve.security import reads_allowed, require_key
from letopis.store.browse import EventQuery

router = APIRouter(dependencies=[Depends(reads_allowed)])
Id = Annotated[int, Path(ge=1, le=2**31 - 1, description="The id the lists give.")]
MAX_LIMIT = 1000


class EventType(StrEnum):
    AGREE = "AGREE"
    CONSULT = "CONSULT"
    SUPPORT = "SUPPORT"
    CONCEDE = "CONCEDE"
    COOPERATE = "COOPERATE"
    AID = "AID"
    RETREAT = "RETREAT"
    REQUEST = "REQUEST"
    ACCUSE = "ACCUSE"
    REJECT = "REJECT"
    THREATEN = "THREATEN"
    PROTEST = "PROTEST"
    SANCTION = "SANCTION"
    MOBILIZE = "MOBILIZE"
    COERCE = "COERCE"
    ASSAULT = "ASSAULT"


class Status(StrEnum):
    reported = "reported"
    future = "future"
    hypothetical = "hypothetical"
    negated = "negated"


class Sort(StrEnum):
    newest = "newest"
    oldest = "oldest"
    most_reported = "most_reported"


class Period(StrEnum):
    day = "day"
    week = "week"
    month = "month"


class Verdict(StrEnum):
    correct = "correct"
    wrong = "wrong"
    corrected = "corrected"


class ArticleIn(BaseModel):
    """An article, or a Letopis record (its extra fields are ignored)."""

    text: str = Field(description="The article's text.")
    title: str | None = None
    published: str | None = Field(None, description="YYYY-MM-DD or an ISO timestamp.")
    id: str | None = None
    source: str | None = None
    url: str | None = None


class Correction(BaseModel):
    type: EventType | None = None
    status: Status | None = None
    actors: list[str] | None = None
    recipients: list[str] | None = None
    place: str | None = None
    date: str | None = None


class ReviewIn(BaseModel):
    verdict: Verdict
    reviewer: str = Field(min_length=1, max_length=128)
    correction: Correction | None = None
    note: str | None = Field(None, max_length=10_000)


class EventFilters:
    """Every filter of `letopis events`, as query parameters."""

    def __init__(
        self,
        type: EventType | None = None,
        status: Status | None = None,
        actor: Annotated[str | None, Query(max_length=200)] = None,
        recipient: Annotated[str | None, Query(max_length=200)] = None,
        country: Annotated[
            str | None, Query(max_length=3, description="ISO alpha-3, participant or place.")
        ] = None,
        place: Annotated[str | None, Query(max_length=200)] = None,
        date_from: Annotated[
            str | None,
            Query(alias="from", pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY[-MM[-DD]]"),
        ] = None,
        date_to: Annotated[
            str | None, Query(alias="to", pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
        ] = None,
        source: Annotated[str | None, Query(max_length=200)] = None,
        sector: Annotated[str | None, Query(max_length=16)] = None,
        reviewed: bool | None = None,
        min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    ):
        self.query = EventQuery(
            actor=actor or None,
            recipient=recipient or None,
            type=type.value if type else None,
            country=country or None,
            place=place or None,
            date_from=date_from or None,
            date_to=date_to or None,
            status=status.value if status else None,
            min_confidence=min_confidence,
            source=source or None,
            sector=sector or None,
            reviewed=reviewed,
        )


Filters = Annotated[EventFilters, Depends()]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, Query(max_length=500, description="`next` of the page before.")]


def _json(data: Any, status: int = 200) -> JSONResponse:
    """Encoded directly: the dataclasses' dicts are plain JSON already, and FastAPI's
    validation of large nested responses costs more than the query behind them."""
    return JSONResponse(data, status_code=status)


def _corpus(request: Request):
    return request.app.state.shared.corpus


def _next_link(request: Request, cursor: str | None, name: str = "cursor") -> str | None:
    if cursor is None:
        return None
    return str(request.url.include_query_params(**{name: cursor}))


def _found(value, what: str, ident: int):
    if value is None:
        raise ApiError(404, f"no {what} {ident}")
    return value


# ---- analyze and ingest --------------------------------------------------------------------


async def _body(request: Request) -> bytes:
    limit = request.app.state.settings.max_body_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"the body is over {limit} bytes")
    body = await request.body()
    if len(body) > limit:
        raise ApiError(413, f"the body is over {limit} bytes")
    return body


def _article(data: ArticleIn, default_id: str) -> Article:
    if not data.text.strip():
        raise ApiError(422, "the text is empty", "invalid_request")
    try:
        published = normalise_published(data.published)
    except InputError as error:
        raise ApiError(422, str(error), "invalid_request") from None
    return Article(
        id=data.id or default_id,
        text=data.text,
        title=data.title,
        published=published,
        source=data.source,
        url=data.url,
    )


@router.post(
    "/analyze",
    summary="Analyze one article (text or record format) and return its record",
    responses={413: {"description": "Body too large"}, 422: {"description": "Empty text"}},
)
async def analyze(request: Request, article: Annotated[ArticleIn, Body()]) -> dict[str, Any]:
    await _body(request)
    shared = request.app.state.shared
    record = await run_in_threadpool(shared.pipeline.analyze, _article(article, "request"))
    return record.to_dict()


@router.post(
    "/articles",
    summary="Ingest one article (JSON) or many (JSONL body); needs the API key",
    dependencies=[Depends(require_key)],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ArticleIn"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    },
)
async def ingest(request: Request) -> dict[str, Any]:
    body = await _body(request)
    articles = _parse_articles(body)
    shared = request.app.state.shared

    def write():
        _ = shared.pipeline
        with shared.write_lock:
            return shared.corpus.add_articles(articles)

    summary = await run_in_threadpool(write)
    return summary.to_dict()


def _parse_articles(body: bytes) -> list[Article]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(422, "the body is not UTF-8", "invalid_request") from None
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise ApiError(422, "no article in the body", "invalid_request")
    items = []
    stripped = text.strip()
    chunks = [stripped] if len(lines) > 1 and stripped.startswith("{\n") else lines
    for number, chunk in enumerate(chunks, start=1):
        try:
            data = ArticleIn.model_validate_json(chunk)
        except ValueError as error:
            first = str(error).splitlines()[0]
            raise ApiError(
                422, f"line {number}: not an article ({first})", "invalid_request"
            ) from None
        items.append(_article(data, f"api-{number}"))
    return items


# ---- articles ------------------------------------------------------------------------------


@router.get("/articles", summary="Articles, newest first, or those matching a full-text query")
def articles(
    request: Request,
    q: Annotated[str | None, Query(max_length=500, description="Words, any form.")] = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    corpus = _corpus(request)
    if q and any(ch.isalnum() for ch in q):
        hits = corpus.search(q, limit=limit + 1)
        if source:
            hits = [h for h in hits if h.source and source.casefold() in h.source.casefold()]
        return {
            "articles": [h.to_dict() for h in hits[:limit]],
            "total": None,
            "next": None,
            "truncated": len(hits) > limit,
        }
    hits, total, next_cursor = corpus.articles(source=source, limit=limit, cursor=cursor)
    return {
        "articles": [h.to_dict() for h in hits],
        "total": total,
        "next": _next_link(request, next_cursor),
        "truncated": next_cursor is not None,
    }


@router.get("/articles/{article_id}", summary="One article: text, record, duplicates, story")
def article(request: Request, article_id: Id) -> dict[str, Any]:
    return _json(_found(_corpus(request).article(article_id), "article", article_id).to_dict())


# ---- events --------------------------------------------------------------------------------


@router.get("/events", summary="Corpus events: every filter of `letopis events`, cursor pages")
def events(
    request: Request,
    filters: Filters,
    sort: Sort = Sort.newest,
    limit: Limit = 50,
    cursor: Cursor = None,
    evidence: Annotated[bool, Query(description="Include each report's sentence.")] = False,
) -> dict[str, Any]:
    page = _corpus(request).event_page(
        filters.query, sort=sort.value, limit=limit, cursor=cursor, reports=evidence
    )
    return _json(
        {
            "events": [e.to_dict() for e in page.events],
            "total": page.total,
            "next": _next_link(request, page.next),
            "truncated": page.truncated,
        }
    )


@router.get("/events/{event_id}", summary="A corpus event with every report's evidence sentence")
def event(request: Request, event_id: Id) -> dict[str, Any]:
    return _json(_found(_corpus(request).event(event_id), "event", event_id).to_dict())


@router.post(
    "/events/{event_id}/review",
    summary="Mark an event correct, wrong or corrected; needs the API key",
    dependencies=[Depends(require_key)],
    status_code=201,
)
def review(request: Request, event_id: Id, body: ReviewIn) -> dict[str, Any]:
    correction = body.correction.model_dump(exclude_none=True) if body.correction else None
    try:
        made = _corpus(request).review(
            event_id,
            reviewer=body.reviewer,
            verdict=body.verdict.value,
            correction=correction,
            note=body.note,
        )
    except LookupError:
        raise ApiError(404, f"no event {event_id}") from None
    except InputError as error:
        raise ApiError(422, str(error), "invalid_request") from None
    return made.to_dict()


@router.get("/events/{event_id}/reviews", summary="The reviews of one event")
def event_reviews(request: Request, event_id: Id) -> dict[str, Any]:
    return {"reviews": [r.to_dict() for r in _corpus(request).reviews(event_id)]}


# ---- entities and stories ------------------------------------------------------------------


class EntityType(StrEnum):
    PER = "PER"
    ORG = "ORG"
    LOC = "LOC"


@router.get("/entities", summary="Canonical entities, most written-about first")
def entities(
    request: Request,
    type: EntityType | None = None,
    name: Annotated[str | None, Query(max_length=200)] = None,
    limit: Limit = 50,
) -> dict[str, Any]:
    found = _corpus(request).entities(type=type.value if type else None, name=name, limit=limit)
    return {"entities": [e.to_dict() for e in found], "truncated": len(found) == limit}


@router.get("/entities/{entity_id}", summary="Aliases, roles, events per month, counterparts")
def entity(request: Request, entity_id: Id) -> dict[str, Any]:
    return _json(_found(_corpus(request).entity(entity_id), "entity", entity_id).to_dict())


@router.get("/stories", summary="Stories, largest first")
def stories(
    request: Request,
    min_articles: Annotated[int, Query(ge=1, le=100_000)] = 2,
    limit: Limit = 20,
) -> dict[str, Any]:
    found = _corpus(request).stories(min_articles=min_articles, limit=limit)
    return {"stories": [s.to_dict() for s in found], "truncated": len(found) == limit}


@router.get("/stories/{story_id}", summary="A story's articles in time order, shared events")
def story(request: Request, story_id: Id) -> dict[str, Any]:
    return _json(_found(_corpus(request).story(story_id), "story", story_id).to_dict())


# ---- aggregates, export, changes -----------------------------------------------------------


@router.get("/stats", summary="Event counts per day, week or month × type × country")
def stats(request: Request, filters: Filters, period: Period = Period.day) -> dict[str, Any]:
    return _json(_corpus(request).stats(filters.query, period=period.value).to_dict())


@router.get("/network", summary="Actor → recipient edges with event counts and types")
def network(
    request: Request, filters: Filters, limit: Annotated[int, Query(ge=1, le=5000)] = 200
) -> dict[str, Any]:
    edges = _corpus(request).network(filters.query, limit=limit + 1)
    return _json({"edges": [e.to_dict() for e in edges[:limit]], "truncated": len(edges) > limit})


@router.get(
    "/export",
    summary="The corpus or the filtered events, streamed without a size cap",
    response_class=StreamingResponse,
)
def export(
    request: Request, filters: Filters, format: ExportFormat = ExportFormat.jsonl
) -> StreamingResponse:
    corpus = _corpus(request)
    export = Export(corpus, format.value, filters.query)
    name = f"letopis.{'jsonl' if format.value == 'plover' else format.value}"
    return StreamingResponse(
        export.chunks(),
        media_type=export.media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/changes", summary="New, changed and deleted articles, events and reviews")
def changes(
    request: Request,
    since: Annotated[str | None, Query(max_length=20, pattern=r"^\d+$")] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
) -> dict[str, Any]:
    page = _corpus(request).changes(since, limit=limit)
    data = page.to_dict()
    data["next_link"] = _next_link(request, page.next, "since")
    return data


@router.get("/counts", summary="How many articles, duplicates, stories, events, entities")
def counts(request: Request) -> dict[str, Any]:
    return _corpus(request).counts()


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)
