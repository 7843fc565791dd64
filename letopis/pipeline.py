"""The Letopis pipeline: models loaded once, components applied in order to each article."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from letopis.analyze.doc import Doc
from letopis.analyze.models import load_models, pin_blas_threads
from letopis.errors import InputError
from letopis.ingest import limits
from letopis.ingest.article import Article, normalise_published
from letopis.record import Record
from letopis.registry import build, check_order

DEFAULT_COMPONENTS: tuple[str, ...] = (
    "nlp",
    "mentions",
    "entities",
    "places",
    "roles",
    "dates",
    "events",
)


class Pipeline:
    """Analyze articles into records. Build one and reuse it: model loading takes a second.
    An article longer than `max_article_bytes` (UTF-8; default: the configured article limit,
    see letopis.ingest.limits) is refused with an InputError."""

    def __init__(
        self,
        components: Sequence[str] = DEFAULT_COMPONENTS,
        max_article_bytes: int | None = None,
    ):
        self.max_article_bytes = max_article_bytes
        pin_blas_threads()
        self.component_names = tuple(components)
        check_order(self.component_names)
        models = load_models()
        self.components = [build(name, models) for name in self.component_names]

    def process(self, article: Article) -> Doc:
        if not article.text or not article.text.strip():
            raise InputError(f"article {article.id!r} has no text")
        limits.check_article(article.id, article.text, self.max_article_bytes)
        doc = Doc.from_article(article)
        for apply in self.components:
            doc = apply(doc)
        return doc

    def analyze(self, article: Article) -> Record:
        return self.process(article).to_record()

    def analyze_many(self, articles: Iterable[Article]) -> Iterator[Record]:
        for article in articles:
            yield self.analyze(article)


_shared: Pipeline | None = None


def shared_pipeline() -> Pipeline:
    global _shared
    if _shared is None:
        _shared = Pipeline()
    return _shared


def analyze(
    text: str,
    *,
    title: str | None = None,
    published: object = None,
    id: str | None = None,
    source: str | None = None,
    url: str | None = None,
) -> Record:
    """Analyze one article's text into a Record with the shared default pipeline."""
    article = Article(
        id=id or "doc",
        text=text,
        title=title,
        published=normalise_published(published),
        source=source,
        url=url,
    )
    return shared_pipeline().analyze(article)
