"""`letopis.Corpus(url)`: ingest articles into a store and query the chronicle they make.

Ingest is idempotent and crash-safe. Each input item is identified by a hash of all its fields:
an item stored before is skipped without analysis. An exact copy of a stored article's text (a
repost) is stored as that article's duplicate, unanalyzed. Anything else is analyzed and
written with its record, its story, its canonical entities and its merged events in one
transaction, so a process killed at any moment leaves every article either fully stored or
absent, and running the same command again completes the corpus.

What the indexes (near duplicates, stories, entity resolution, event merging) remember is kept
in the store (letopis.corpus.state over the index_state table) and written in each article's
transaction, so opening a corpus replays nothing and the indexes never disagree with the
database; a process holds only what the articles it adds look up. After a failed transaction,
or when another process wrote in between, what was loaded is dropped and read again. Writers take
turns: each ingest holds the store's write lock (letopis.store.lock) while it adds articles, so
concurrent ingests leave exactly what running them one after the other would. A corpus written
before the index state existed is indexed into it once, in arrival order, on its first write.
"""

from __future__ import annotations

import io
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from letopis.corpus.dedup import EMPTY_HASH, DuplicateIndex
from letopis.corpus.dedup import content_hash as text_hash
from letopis.corpus.exports import Export, event_row
from letopis.corpus.merge import CorpusEvent as MergedState
from letopis.corpus.merge import EventMerger
from letopis.corpus.resolve import CanonicalEntity as CanonicalState
from letopis.corpus.resolve import EntityResolver
from letopis.corpus.state import State, StateMap
from letopis.corpus.stories import StoryIndex
from letopis.corpus.text import lemmatizer
from letopis.errors import InputError
from letopis.ingest.article import Article
from letopis.ingest.readers import Problems
from letopis.ingest.sources import read_inputs
from letopis.output import atomic_output
from letopis.record import Record
from letopis.store import browse, models, queries
from letopis.store.db import Store
from letopis.store.queries import (
    ArticleHit,
    CorpusEntity,
    CorpusEvent,
    EventFilter,
    StoryInfo,
    Timeline,
)
from letopis.store.state import StateTable
from letopis.store.write import add_article, input_hash
from letopis.text import name_key

Progress = Callable[[int, int], None]  # (articles done, articles in all)


@dataclass
class IngestSummary:
    new: int = 0  # analyzed and stored (near duplicates included)
    duplicates: int = 0  # exact copies of stored articles, stored as their duplicates
    near_duplicates: int = 0  # of `new`: near copies of a stored article
    already_stored: int = 0  # the same items, ingested before
    failed: list[str] = field(default_factory=list)  # one line each: what and why
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    analyzed_seconds: float = 0.0  # of `seconds`: spent analyzing and storing new articles

    @property
    def read(self) -> int:
        return self.new + self.duplicates + self.already_stored

    @property
    def articles_per_second(self) -> float:
        return self.new / self.analyzed_seconds if self.analyzed_seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates,
            "already_stored": self.already_stored,
            "failed": list(self.failed),
            "warnings": list(self.warnings),
            "seconds": round(self.seconds, 2),
            "articles_per_second": round(self.articles_per_second, 2),
        }


@dataclass
class _Indexes:
    """Deduplication, story grouping, entity resolution and event merging over the store's
    index state. Article ids inside are the store's article ids as strings."""

    state: State
    duplicates: DuplicateIndex
    stories: StoryIndex
    resolver: EntityResolver
    merger: EventMerger
    progress: StateMap[int]  # "indexed": the newest article the indexes have seen

    @classmethod
    def over(cls, table: StateTable) -> _Indexes:
        state = State(table)
        return cls(
            state,
            DuplicateIndex(state=state),
            StoryIndex(state=state),
            EntityResolver(state=state),
            EventMerger(state=state),
            state.map("corpus"),
        )

    def saw(self, article_id: int) -> None:
        """Write what the article changed (in its transaction)."""
        self.progress["indexed"] = article_id
        self.state.flush()


class Corpus:
    """A corpus in a database: `Corpus()` is `letopis.db` here, `Corpus("postgresql://…")`
    a PostgreSQL database. The analysis pipeline is loaded on the first ingest."""

    def __init__(self, url: str | None = None, *, pipeline=None, create: bool = True):
        if not create:
            _require_existing(url)
        self.store = Store(url)
        self._pipeline = pipeline
        self._state_table = StateTable()
        self._indexes: _Indexes | None = None
        self._loading_seconds = 0.0  # models and index rebuilds, kept out of articles/s
        self._writing = False  # holding the store's write lock
        self._last_article: int | None = None  # the newest article id when we last wrote

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- ingest ------------------------------------------------------------------------

    def ingest(
        self,
        paths_or_urls: str | Iterable[str],
        progress: Progress | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> IngestSummary:
        """Read every input (files, directories, JSONL, HTML, feeds, Telegram JSON, URLs),
        store what is new. Inputs that cannot be read are listed in `failed`."""
        names = [paths_or_urls] if isinstance(paths_or_urls, str) else list(paths_or_urls)
        problems = Problems(notify=notify or (lambda message: None))
        started = time.perf_counter()
        articles = list(read_inputs(names, problems))
        summary = self.add_articles(articles, progress=progress, notify=notify)
        summary.failed[:0] = problems.errors
        summary.warnings[:0] = problems.warnings
        summary.seconds = time.perf_counter() - started
        return summary

    def add_articles(
        self,
        articles: Iterable[Article],
        progress: Progress | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> IngestSummary:
        """Store each article, holding the store's write lock throughout; `notify` hears once
        when another process holds it and this one waits."""
        return self.add_records([(article, None) for article in articles], progress, notify)

    def add_records(
        self,
        analyzed: Iterable[tuple[Article, Record | None]],
        progress: Progress | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> IngestSummary:
        """Store articles with their records when analyzed elsewhere (`letopis batch`): the same
        corpus steps, in the same order, as `add_articles`, without analyzing again."""
        items = list(analyzed)
        with self.writing(notify):
            return self._add_all(items, progress)

    def _add_all(
        self, items: list[tuple[Article, Record | None]], progress: Progress | None
    ) -> IngestSummary:
        summary = IngestSummary()
        started = time.perf_counter()
        for done, (article, record) in enumerate(items, start=1):
            outcome = self._add_safely(article, summary, record)
            if outcome == "new":
                summary.new += 1
            elif outcome == "near":
                summary.new += 1
                summary.near_duplicates += 1
            elif outcome == "duplicate":
                summary.duplicates += 1
            elif outcome == "stored":
                summary.already_stored += 1
            if progress is not None:
                progress(done, len(items))
        summary.seconds = time.perf_counter() - started
        return summary

    @contextmanager
    def writing(self, notify: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the store's write lock (re-entrant). Indexes built before another process
        wrote are dropped, to be rebuilt from the database."""
        if self._writing:
            yield
            return
        with self.store.lock("write", notify or (lambda message: None)):
            self._writing = True
            try:
                if self._indexes is not None and self._newest_article() != self._last_article:
                    self._indexes = None
                yield
            finally:
                self._writing = False
                self._last_article = self._newest_article()

    def _newest_article(self) -> int | None:
        try:
            with self._session() as session:
                return session.scalar(select(func.max(models.Article.id)))
        except SQLAlchemyError:
            return None  # unknown: the indexes are rebuilt on the next write

    def add(self, article: Article, record: Record | None = None) -> str:
        """Store one article: 'new', 'near' (a near copy, analyzed), 'duplicate' (an exact
        copy, not analyzed) or 'stored' (this very item is in the corpus already). `record`
        is the article's analysis when it was made elsewhere; else the pipeline makes it."""
        with self.writing():
            return self._add_one(article, record)

    def _add_one(self, article: Article, record: Record | None = None) -> str:
        if self._stored(input_hash(article)):
            return "stored"
        with self._session() as session:
            digest = text_hash(article.text)
            original = self._original(session, digest)
            if original is not None:
                self._add_exact_duplicate(session, article, digest, original)
                return "duplicate"
        if record is None:
            record = self.pipeline.analyze(article)
        try:
            with self._transaction() as session:
                return self._add_analyzed(session, article, record, digest)
        except IntegrityError:
            # Another process may have stored the same item between our check and our write.
            if self._stored(input_hash(article)):
                return "stored"
            raise

    def _stored(self, identity: str) -> bool:
        with self._session() as session:
            return (
                session.scalar(
                    select(models.Article.id).where(models.Article.content_hash == identity)
                )
                is not None
            )

    @property
    def pipeline(self):
        if self._pipeline is None:
            from letopis.pipeline import shared_pipeline

            started = time.perf_counter()
            self._pipeline = shared_pipeline()
            self._loading_seconds += time.perf_counter() - started
        return self._pipeline

    def _add_safely(
        self, article: Article, summary: IngestSummary, record: Record | None = None
    ) -> str | None:
        started = time.perf_counter() - self._loading_seconds
        try:
            outcome = self._add_one(article, record)
        except InputError as error:
            summary.failed.append(f"{article.id}: {error}")
            return None
        except Exception as error:  # noqa: BLE001 - one article's analysis bug must not stop a run
            summary.failed.append(
                f"{article.id}: analysis failed ({type(error).__name__}: {_first_line(error)})"
            )
            return None
        if outcome in ("new", "near"):
            summary.analyzed_seconds += time.perf_counter() - started - self._loading_seconds
        return outcome

    def _original(self, session: Session, digest: str) -> models.Article | None:
        """The first analyzed article with this normalised text (a near copy may be one)."""
        if digest == EMPTY_HASH:
            return None
        return session.scalars(
            select(models.Article)
            .where(models.Article.text_hash == digest, models.Article.record.is_not(None))
            .order_by(models.Article.id)
            .limit(1)
        ).first()

    def _add_exact_duplicate(
        self, session: Session, article: Article, digest: str, original: models.Article
    ) -> None:
        with self._rollback_resets(session):
            indexes = self._loaded_indexes(session)
            row = add_article(
                session, article, text_hash=digest, duplicate_of=original.id, duplicate_kind="exact"
            )
            row.story_id = original.story_id
            session.flush()
            if original.story_id is not None:
                _update_story(session, original.story_id)
            indexes.duplicates.add(str(row.id), article.text)
            indexes.saw(row.id)
            session.commit()

    def _add_analyzed(self, session: Session, article: Article, record: Record, digest: str) -> str:
        indexes = self._loaded_indexes(session)
        row = add_article(
            session, article, text_hash=digest, record=record, lemmas=" ".join(_lemmas(article))
        )
        found = indexes.duplicates.add(str(row.id), article.text)
        outcome = "new"
        replay_story = None
        if found is not None:
            row.duplicate_of = int(found.of)
            row.duplicate_kind = found.kind
            outcome = "near" if found.kind == "near" else "new"
            replay_story = session.get(models.Article, int(found.of)).story_id
        story = _add_to_stories(
            indexes.stories, str(row.id), record, str(replay_story) if replay_story else None
        )
        row.story_id = _ensure_story(session, int(story), row)
        canonical = indexes.resolver.add(str(row.id), record.entities)
        _store_canonical(session, row, canonical, indexes.resolver)
        merged = {
            event.id: indexes.merger.add_event(
                str(row.id), event, article.source, article.published, canonical, article.url
            )
            for event in record.events
        }
        _store_merged(session, row, merged, indexes.merger)
        _update_story(session, row.story_id)
        indexes.saw(row.id)
        return outcome

    def _loaded_indexes(self, session: Session) -> _Indexes:
        """The indexes, reading through `session`; a corpus stored before the index state
        existed (or by an older Letopis) is indexed into it first."""
        self._state_table.session = session
        if self._indexes is None:
            self._indexes = _Indexes.over(self._state_table)
            started = time.perf_counter()
            _catch_up(session, self._indexes)
            self._loading_seconds += time.perf_counter() - started
        return self._indexes

    @contextmanager
    def _session(self) -> Iterator[Session]:
        session = self.store.session()
        try:
            yield session
        finally:
            session.close()

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with self._session() as session, self._rollback_resets(session):
            yield session
            session.commit()

    @contextmanager
    def _rollback_resets(self, session: Session) -> Iterator[None]:
        """On any failure the transaction is rolled back and the in-memory indexes, which
        may have seen the article, are dropped to be rebuilt from the database."""
        try:
            yield
        except BaseException:
            session.rollback()
            self._indexes = None
            raise

    # ---- queries -----------------------------------------------------------------------

    def events(
        self,
        actor: str | None = None,
        recipient: str | None = None,
        type: str | None = None,
        country: str | None = None,
        place: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        *,
        limit: int | None = None,
        reports: bool = True,
    ) -> list[CorpusEvent]:
        """Corpus events (each merges every report of one action), oldest first."""
        where = EventFilter(actor, recipient, type, country, place, date_from, date_to)
        with self._session() as session:
            try:
                return queries.events(session, where, limit=limit, reports=reports)
            except ValueError as error:
                raise InputError(str(error)) from None

    def search(self, text: str, *, limit: int = 20) -> list[ArticleHit]:
        """Articles containing every word of `text` in any form (words are lemmatised)."""
        lemmas = list(dict.fromkeys(lemmatizer().content_lemmas(text)))
        with self._session() as session:
            return queries.search(session, lemmas, limit=limit)

    def entities(
        self, type: str | None = None, name: str | None = None, *, limit: int | None = 50
    ) -> list[CorpusEntity]:
        with self._session() as session:
            return queries.entities(session, type=type, name=name, limit=limit)

    def stories(self, *, min_articles: int = 2, limit: int | None = 20) -> list[StoryInfo]:
        with self._session() as session:
            return queries.stories(session, min_articles=min_articles, limit=limit)

    def timeline(self, entity: str, *, all_statuses: bool = False) -> Timeline:
        """An entity's articles and events per day; events only as reported unless
        `all_statuses` (future, hypothetical and negated ones too)."""
        with self._session() as session:
            found = queries.find_entity(session, entity)
            if found is None:
                raise InputError(f"no entity called {entity!r} in the corpus")
            statuses = None if all_statuses else ("reported",)
            return queries.timeline(session, found, statuses=statuses)

    def counts(self) -> dict[str, int]:
        with self._session() as session:
            return queries.counts(session)

    def records(self, *, duplicates: bool = False) -> Iterator[Record]:
        """The stored record of every analyzed article, in ingest order."""
        with self._session() as session:
            query = select(models.Article.record).where(models.Article.record.is_not(None))
            if not duplicates:
                query = query.where(models.Article.duplicate_kind.is_distinct_from("exact"))
            for (data,) in session.execute(query.order_by(models.Article.id)).yield_per(200):
                yield Record.from_dict(json.loads(data))

    # ---- browsing (shared by the CLI, the HTTP API and the web page) --------------------

    def event_page(
        self,
        where: browse.EventQuery | None = None,
        *,
        sort: str = "newest",
        limit: int = 50,
        cursor: str | None = None,
        reports: bool = False,
    ) -> browse.EventPage:
        """A page of corpus events matching `where`, newest first, with the total and the
        cursor of the next page."""
        with self._reading() as session:
            return browse.event_page(
                session,
                where or browse.EventQuery(),
                sort=sort,
                limit=limit,
                cursor=cursor,
                reports=reports,
            )

    def event_extras(self, ids: list[int]) -> dict[int, dict]:
        """Highest confidence and place geonameid of each of these corpus events."""
        with self._reading() as session:
            return browse.event_extras(session, ids)

    def stats(self, where: browse.EventQuery | None = None, *, period: str = "day") -> browse.Stats:
        with self._reading() as session:
            return browse.stats(session, where or browse.EventQuery(), period=period)

    def network(
        self, where: browse.EventQuery | None = None, *, limit: int = 200
    ) -> list[browse.Edge]:
        with self._reading() as session:
            return browse.network(session, where or browse.EventQuery(), limit=limit)

    def event(self, event_id: int) -> browse.EventDetail | None:
        """One corpus event with the sentence behind it in every article, and its reviews."""
        with self._reading() as session:
            return browse.event_detail(session, event_id)

    def article(self, article_id: int) -> browse.ArticleDetail | None:
        with self._reading() as session:
            return browse.article_detail(session, article_id)

    def article_record(self, article_id: int) -> Record | None:
        with self._reading() as session:
            return browse.article_record(session, article_id)

    def articles(
        self, *, source: str | None = None, limit: int = 50, cursor: str | None = None
    ) -> tuple[list[ArticleHit], int, str | None]:
        with self._reading() as session:
            return browse.article_page(session, source=source, limit=limit, cursor=cursor)

    def entity(self, entity_id: int) -> browse.EntityDetail | None:
        with self._reading() as session:
            return browse.entity_detail(session, entity_id)

    def story(self, story_id: int) -> browse.StoryDetail | None:
        with self._reading() as session:
            return browse.story_detail(session, story_id)

    def changes(self, since: str | None = None, *, limit: int = 500) -> browse.ChangePage:
        with self._reading() as session:
            return browse.changes(session, since, limit=limit)

    def review(
        self,
        event_id: int,
        *,
        reviewer: str,
        verdict: str,
        correction: dict | None = None,
        note: str | None = None,
    ) -> browse.ReviewInfo:
        """Store an analyst's verdict on a corpus event; the machine coding stays as it is.
        LookupError when there is no such event."""
        with self._reading() as session:
            return browse.add_review(
                session,
                event_id,
                reviewer=reviewer,
                verdict=verdict,
                correction=correction,
                note=note,
            )

    def reviews(self, event_id: int | None = None) -> list[browse.ReviewInfo]:
        with self._reading() as session:
            return browse.reviews(session, event_id)

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """A session whose bad filters (ValueError) are the user's mistake (InputError)."""
        with self._session() as session:
            try:
                yield session
            except ValueError as error:
                raise InputError(str(error)) from None

    # ---- export ------------------------------------------------------------------------

    def export(
        self,
        format: str,
        file: str | Path | IO | None = None,
        where: browse.EventQuery | None = None,
    ) -> int:
        """Write the corpus (`letopis.corpus.exports.ExportFormat`): jsonl and plover one record
        per article; csv, parquet and geojson one row per corpus event matching `where`.
        `file` is a path (written through a temporary file), an open file, or None for
        standard output. Returns the rows written."""
        export = Export(self, format, where)
        with self._output(file) as out:
            text = isinstance(out, io.TextIOBase)
            for chunk in export.chunks():
                out.write(chunk.decode("utf-8") if text else chunk)
        return export.rows

    @contextmanager
    def _output(self, file: str | Path | IO | None) -> Iterator[IO]:
        """Standard output, an open file, or a path written through a temporary file (never
        one of the store's own files)."""
        if file is None or file == "-":
            yield sys.stdout.buffer
        elif isinstance(file, str | Path):
            with atomic_output(file, binary=True, protected=self.store.files()) as out:
                yield out
        else:
            yield file

    def event_rows(self) -> list[dict[str, Any]]:
        """Corpus events flattened into table rows (names and codes joined with ';')."""
        return [event_row(event) for event in self.events(reports=True)]


# ---- ingest helpers ------------------------------------------------------------------------


def _lemmas(article: Article) -> list[str]:
    """What full-text search indexes: content-word lemmas of the title and text."""
    text = article.text
    if article.title and not text.lstrip().startswith(article.title.strip()):
        text = f"{article.title}\n{text}"
    return lemmatizer().content_lemmas(text)


def _catch_up(session: Session, indexes: _Indexes) -> None:
    """Index the stored articles the index state has not seen, in arrival order, as they were
    decided (stories keep their stored ids): a store written before the state existed."""
    article = models.Article
    seen = indexes.progress.get("indexed", 0)
    rows = session.execute(
        select(article.id, article.text, article.record, article.story_id)
        .where(article.id > seen)
        .order_by(article.id)
    ).yield_per(500)
    newest = None
    for article_id, text, data, story_id in rows:
        key = str(article_id)
        indexes.duplicates.add(key, text)
        if data is not None and story_id is not None:
            record = Record.from_dict(json.loads(data))
            _add_to_stories(indexes.stories, key, record, str(story_id))
            canonical = indexes.resolver.add(key, record.entities)
            for event in record.events:
                indexes.merger.add_event(
                    key, event, record.source, record.published, canonical, record.url
                )
        newest = article_id
    if newest is not None:
        indexes.saw(newest)


def _add_to_stories(stories: StoryIndex, key: str, record: Record, story_id: str | None) -> str:
    return stories.add(
        key,
        record.text,
        record.title,
        record.published,
        [entity.name for entity in record.entities],
        record.dates,
        story_id=story_id,
    )


def _ensure_story(session: Session, story_id: int, first: models.Article) -> int:
    """Story ids are the ids of their first articles (as the story index names them)."""
    if session.get(models.Story, story_id) is None:
        session.add(
            models.Story(
                id=story_id, title=queries.headline(first), article_count=0, source_count=0
            )
        )
        session.flush()
    return story_id


def _update_story(session: Session, story_id: int) -> None:
    """Counts and time span of a story, from its member rows."""
    article = models.Article
    count, sources, first, last = session.execute(
        select(
            func.count(),
            func.count(func.distinct(article.source)),
            func.min(article.published_at),
            func.max(article.published_at),
        ).where(article.story_id == story_id)
    ).one()
    story = session.get(models.Story, story_id)
    story.article_count = count
    story.source_count = sources
    story.first_published = first
    story.last_published = last


def _store_canonical(
    session: Session,
    article: models.Article,
    canonical: dict[str, str],
    resolver: EntityResolver,
) -> None:
    """Mirror the canonical entities the article touched into their rows, and link the
    article's entities and event arguments to them (written at the next flush)."""
    rows = _rows_by_key(session, models.CanonicalEntity, set(canonical.values()))
    for key, row in rows.items():
        _fill_canonical(row, resolver.get(key))
    for entity in article.entities:
        row = rows.get(canonical.get(entity.local_id, ""))
        entity.canonical = row
        if row is not None and entity.sector and not row.sector:
            row.sector = entity.sector
    for event in article.events:
        for argument in event.arguments:
            if argument.entity is not None:
                argument.canonical = argument.entity.canonical


def _rows_by_key(session: Session, model, keys: set[str]) -> dict:
    """The rows with these keys, new (added to the session) where none is stored yet."""
    if not keys:
        return {}
    with session.no_autoflush:
        rows = {row.key: row for row in session.scalars(select(model).where(model.key.in_(keys)))}
    for key in sorted(keys - rows.keys()):  # new rows get ids in the same order every run
        rows[key] = model(key=key)
        session.add(rows[key])
    return rows


def _fill_canonical(row: models.CanonicalEntity, state: CanonicalState) -> None:
    row.type = state.type
    row.name = state.name
    row.name_key = name_key(state.name)
    row.country = state.country
    row.aliases = [alias for alias, _ in state.aliases.most_common() if alias != state.name]
    row.roles = dict(state.roles.most_common())
    row.mention_count = state.mentions
    row.article_count = state.articles


def _store_merged(
    session: Session, article: models.Article, merged: dict[str, str], merger: EventMerger
) -> None:
    """Mirror the corpus events the article's events joined or created into their rows."""
    rows = _rows_by_key(session, models.MergedEvent, set(merged.values()))
    for key, row in rows.items():
        _fill_merged(row, merger.get(key), article)
    for event in article.events:
        event.merged = rows.get(merged.get(event.local_id, ""))


def _fill_merged(row: models.MergedEvent, state: MergedState, article: models.Article) -> None:
    place = state.place
    row.type = state.type
    row.status = state.status
    row.date = _event_day(state, article)
    row.place = place.name if place else None
    row.place_key = name_key(place.name) if place else None
    row.lat = place.lat if place else None
    row.lon = place.lon if place else None
    row.country = place.country if place else None
    row.actors = list(state.actors.values())
    row.recipients = list(state.recipients.values())
    row.mention_count = state.mentions
    row.article_count = state.articles
    row.source_count = state.sources
    moment = article.published_at
    if moment is not None:
        row.first_published = min(filter(None, (row.first_published, moment)))
        row.last_published = max(filter(None, (row.last_published, moment)))


def _event_day(state: MergedState, article: models.Article) -> str | None:
    """The day the event happened (its own date, else its first report's day); a coarser own
    date ("2024-05", "1979") is kept as it is rather than replaced by the report's day."""
    if state.date and state.date[:4].isdigit() and len(state.date) < 10:
        return state.date
    if state.anchor is not None:
        return state.anchor.isoformat()
    return (article.published or "")[:10] or None


def _require_existing(url: str | None) -> None:
    from letopis.store.db import database_url

    parsed = database_url(url)
    database = parsed.database or ":memory:"
    if (
        parsed.get_backend_name() == "sqlite"
        and database != ":memory:"
        and not Path(database).exists()
    ):
        raise InputError(f"no corpus at {parsed.database}: run `letopis ingest` first or pass --db")


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else ""


__all__ = ["Corpus", "IngestSummary"]
