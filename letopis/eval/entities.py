"""`letopis eval entities --dataset nerel PATH`: cross-document entity quality.

The NEREL texts are ingested into a temporary corpus (the same ``Corpus.add_articles`` a user's
``letopis ingest`` runs); every gold PER / ORG / LOC mention that NEREL links to Wikidata
(``N… Reference T… Wikidata:Q…``; ``Wikidata:NULL`` is no link) is given the canonical entity
of the stored mention at its span (the same span, else the largest overlap with a mention of
the same type). Gold mentions Letopis did not find at all (mostly adjectives, "американских",
and places nested in organisation names, "МИД России") are left out and counted (``found`` of
``linked``): finding mentions is what ``letopis eval ner`` measures; this measures how the found
ones are joined. The canonical entities are scored against the Wikidata ids, per gold type:

- B-cubed: per mention, precision = share of its system cluster with its gold id, recall =
  share of its gold cluster in its system cluster; averaged over mentions;
- pairwise: precision and recall of the pairs of mentions put in one cluster.

Beside Letopis, ``exact name`` groups the same mentions by their system entity's type and
folded name: what the resolver adds over grouping by name.

API: ``read_links(folder) -> list[LinkedDoc]``, ``cluster_scores(gold, system) -> dict``,
``evaluate(docs, corpus) -> dict``, ``entities_command`` (Typer).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Annotated, Any

import typer

from letopis.errors import InputError
from letopis.eval.metrics import Counts
from letopis.eval.ner import NEREL_TYPES, TYPES, natural_key, read_text
from letopis.ingest.article import Article

_WIKIDATA = re.compile(r"Wikidata:(Q\d+)")


@dataclass(frozen=True)
class LinkedMention:
    doc: str
    start: int
    end: int
    type: str  # PER | ORG | LOC
    identity: str  # Wikidata id


@dataclass
class LinkedDoc:
    id: str
    text: str
    mentions: list[LinkedMention]


def read_links(folder: Path) -> list[LinkedDoc]:
    """Every N.txt + N.ann under ``folder`` (a NEREL split, or the data set with its splits)."""
    docs = []
    for text_path in sorted(folder.rglob("*.txt"), key=lambda p: (p.parent.name, natural_key(p))):
        ann_path = text_path.with_suffix(".ann")
        if not ann_path.exists():
            continue
        doc_id = f"{text_path.parent.name}/{text_path.stem}"
        lines = ann_path.read_text(encoding="utf-8").splitlines()
        docs.append(LinkedDoc(doc_id, read_text(text_path), _linked_mentions(doc_id, lines)))
    return docs


def _linked_mentions(doc_id: str, lines: list[str]) -> list[LinkedMention]:
    spans: dict[str, tuple[int, int, str]] = {}
    links: dict[str, str] = {}
    for line in lines:
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        if line.startswith("T"):
            label, _, offsets = fields[1].partition(" ")
            if label in NEREL_TYPES:
                numbers = [int(n) for n in re.split(r"[ ;]", offsets) if n]
                spans[fields[0]] = (min(numbers), max(numbers), NEREL_TYPES[label])
        elif line.startswith("N"):
            parts = fields[1].split()
            found = _WIKIDATA.search(fields[1])
            if len(parts) >= 3 and parts[0] == "Reference" and found:
                links[parts[1]] = found.group(1)
    return [
        LinkedMention(doc_id, *spans[t], identity) for t, identity in links.items() if t in spans
    ]


# ---- scoring --------------------------------------------------------------------------------


@dataclass
class ClusterScores:
    bcubed_precision: float
    bcubed_recall: float
    pairwise: Counts
    mentions: int
    entities: int  # distinct gold identities

    @property
    def bcubed_f1(self) -> float:
        p, r = self.bcubed_precision, self.bcubed_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "mentions": self.mentions,
            "entities": self.entities,
            "bcubed": {
                "precision": round(self.bcubed_precision, 4),
                "recall": round(self.bcubed_recall, 4),
                "f1": round(self.bcubed_f1, 4),
            },
            "pairwise": self.pairwise.as_dict(),
        }


def cluster_scores(gold: Mapping[Any, str], system: Mapping[Any, str]) -> ClusterScores:
    """B-cubed and pairwise scores of a system clustering against a gold one (item → label)."""
    gold_groups: dict[str, set] = defaultdict(set)
    system_groups: dict[str, set] = defaultdict(set)
    for item, label in gold.items():
        gold_groups[label].add(item)
        system_groups[system[item]].add(item)
    precision = recall = 0.0
    for item, label in gold.items():
        mine, truth = system_groups[system[item]], gold_groups[label]
        shared = len(mine & truth)
        precision += shared / len(mine)
        recall += shared / len(truth)
    count = len(gold) or 1
    system_pairs = {frozenset(p) for g in system_groups.values() for p in combinations(g, 2)}
    gold_pairs = {frozenset(p) for g in gold_groups.values() for p in combinations(g, 2)}
    pairwise = Counts(
        tp=len(system_pairs & gold_pairs),
        fp=len(system_pairs - gold_pairs),
        fn=len(gold_pairs - system_pairs),
    )
    return ClusterScores(precision / count, recall / count, pairwise, len(gold), len(gold_groups))


# ---- running Letopis ------------------------------------------------------------------------


@dataclass(frozen=True)
class SystemMention:
    start: int
    end: int
    type: str
    canonical: str  # the canonical entity's key
    name_key: str  # type and folded name of the article's entity


def system_mentions(corpus) -> dict[str, list[SystemMention]]:
    """Input id → the stored mentions with their canonical entities."""
    from letopis.store import models

    found: dict[str, list[SystemMention]] = defaultdict(list)
    with corpus.store.session() as session:
        rows = session.query(models.Entity).filter(models.Entity.canonical_id.isnot(None))
        for entity in rows:
            for mention in entity.mentions:
                found[entity.article.key].append(
                    SystemMention(
                        mention.start,
                        mention.end,
                        entity.type,
                        entity.canonical.key,
                        f"{entity.type}:{entity.name_key}",
                    )
                )
    return found


def _match(gold: LinkedMention, candidates: Iterable[SystemMention]) -> SystemMention | None:
    best, best_overlap = None, 0
    for mention in candidates:
        if (mention.start, mention.end) == (gold.start, gold.end):
            return mention
        overlap = min(mention.end, gold.end) - max(mention.start, gold.start)
        if mention.type == gold.type and overlap > best_overlap:
            best, best_overlap = mention, overlap
    return best


def evaluate(
    docs: list[LinkedDoc], found: Mapping[str, list[SystemMention]]
) -> tuple[dict[str, dict[str, ClusterScores]], dict[str, int]]:
    """({"letopis" | "exact name": {type: ClusterScores}} over the linked gold mentions Letopis
    found, {type: linked gold mentions in all})."""
    results: dict[str, dict[str, ClusterScores]] = {"letopis": {}, "exact name": {}}
    linked: dict[str, int] = {}
    for kind in TYPES:
        gold, system, by_name = {}, {}, {}
        linked[kind] = 0
        for doc in docs:
            for number, mention in enumerate(m for m in doc.mentions if m.type == kind):
                linked[kind] += 1
                matched = _match(mention, found.get(doc.id, ()))
                if matched is None:
                    continue
                item = (doc.id, number)
                gold[item] = mention.identity
                system[item] = matched.canonical
                by_name[item] = matched.name_key
        results["letopis"][kind] = cluster_scores(gold, system)
        results["exact name"][kind] = cluster_scores(gold, by_name)
    return results, linked


def ingest_docs(docs: list[LinkedDoc], url: str, progress=None):
    from letopis.corpus.corpus import Corpus

    corpus = Corpus(url)
    summary = corpus.add_articles((Article(doc.id, doc.text) for doc in docs), progress=progress)
    return corpus, summary


# ---- command --------------------------------------------------------------------------------


def entities_command(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="PATH", help="NEREL folder (all splits) or one split, e.g. ../shared/data/nerel"
        ),
    ],
    dataset: Annotated[str, typer.Option("--dataset", "-d", help="nerel")] = "nerel",
    limit: Annotated[int, typer.Option(help="Only the first N documents (0: all).")] = 0,
    db: Annotated[
        str | None,
        typer.Option(help="Keep the corpus in this database (default: a temporary SQLite file)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """B-cubed and pairwise P/R/F1 of canonical entities against NEREL's Wikidata links."""
    from rich.console import Console
    from rich.progress import Progress

    if dataset != "nerel":
        raise InputError(f"unknown dataset {dataset!r} (known: nerel)")
    if not path.is_dir():
        raise InputError(f"{path} is not a folder")
    docs = read_links(path)
    if limit > 0:
        docs = docs[:limit]
    if not any(doc.mentions for doc in docs):
        raise InputError(f"no NEREL documents with Wikidata links (N.txt + N.ann) in {path}")
    with tempfile.TemporaryDirectory() as folder:
        url = db or str(Path(folder) / "nerel.db")
        with Progress(console=Console(stderr=True)) as bar:
            task = bar.add_task("ingesting", total=len(docs))
            corpus, summary = ingest_docs(
                docs, url, progress=lambda done, _total: bar.update(task, completed=done)
            )
        with corpus:
            found = system_mentions(corpus)
    for line in summary.failed:
        typer.echo(f"failed: {line}", err=True)
    results, linked = evaluate(docs, found)
    if as_json:
        payload = {
            name: {kind: s.as_dict() for kind, s in scores.items()}
            for name, scores in results.items()
        }
        header = {"dataset": dataset, "documents": len(docs), "linked": linked}
        typer.echo(json.dumps({**header, **payload}, indent=2))
        return
    _print_table(len(docs), results, linked)


def _print_table(
    documents: int, results: dict[str, dict[str, ClusterScores]], linked: dict[str, int]
) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Canonical entities vs NEREL Wikidata links, {documents} documents")
    columns = ("system", "type", "found/linked", "ids", "B³ P", "B³ R", "B³ F1", "pair P")
    for column in (*columns, "pair R", "pair F1"):
        table.add_column(column, justify="left" if column in ("system", "type") else "right")
    for name, scores in results.items():
        for kind, s in scores.items():
            table.add_row(
                name,
                kind,
                f"{s.mentions}/{linked[kind]}",
                str(s.entities),
                f"{s.bcubed_precision:.3f}",
                f"{s.bcubed_recall:.3f}",
                f"{s.bcubed_f1:.3f}",
                f"{s.pairwise.precision:.3f}",
                f"{s.pairwise.recall:.3f}",
                f"{s.pairwise.f1:.3f}",
                style="bold" if name == "letopis" else None,
            )
        table.add_section()
    Console(width=max(100, Console().width)).print(table)
