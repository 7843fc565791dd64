"""`letopis eval ner`: exact-span NER quality on factRuEval-2016 and NEREL.

A predictor maps a text to mentions; the scorer compares any predictor's mentions with the
gold ones, so Letopis and bare Natasha are measured by the same code on the same documents.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer

from letopis.eval.metrics import Counts

TYPES = ("PER", "ORG", "LOC")

FACTRU_TYPES = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}
NEREL_TYPES = {
    "PERSON": "PER",
    "ORGANIZATION": "ORG",
    "CITY": "LOC",
    "COUNTRY": "LOC",
    "STATE_OR_PROVINCE": "LOC",
    "LOCATION": "LOC",
    "DISTRICT": "LOC",
}


@dataclass(frozen=True, order=True)
class Mention:
    start: int
    end: int
    type: str


@dataclass
class GoldDoc:
    id: str
    text: str
    mentions: list[Mention]


Predictor = Callable[[str], Iterable[Mention]]


# --- readers ---------------------------------------------------------------------------------


def read_text(path: Path) -> str:
    # newline="" keeps CR characters, so offsets count them as the annotators' tools did.
    with path.open(encoding="utf-8-sig", newline="") as file:
        return file.read()


def read_factru(folder: Path, convention: str = "names") -> list[GoldDoc]:
    """factRuEval-2016 documents (book_N.txt + .spans + .objects).

    convention "names" (the one Natasha's naeval benchmark uses, and the issue's reference
    numbers): a Person is its object's extent; an Org is each of its org_name spans, a
    Location/LocOrg each of its loc_name spans (descriptors such as "МИД", "журнал" and
    adjectives left out); overlapping mentions keep the outer one; mentions that do not start
    and end on razdel token bounds are dropped.
    convention "objects": one mention per object, from its first to its last span.
    """
    if convention not in FACTRU_CONVENTIONS:
        raise ValueError(f"unknown factRuEval convention {convention!r}")
    docs = []
    for text_path in sorted(folder.glob("book_*.txt"), key=natural_key):
        spans_path = text_path.with_suffix(".spans")
        objects_path = text_path.with_suffix(".objects")
        if not spans_path.exists() or not objects_path.exists():
            continue
        text = read_text(text_path)
        spans = _factru_spans(spans_path)
        mentions: list[Mention] = []
        for line in objects_path.read_text(encoding="utf-8").splitlines():
            fields = line.split("#", 1)[0].split()
            if len(fields) < 3 or fields[1] not in FACTRU_TYPES:
                continue
            parts = [spans[span_id] for span_id in fields[2:]]
            if convention == "objects":
                mentions.append(_extent(parts, FACTRU_TYPES[fields[1]]))
            else:
                mentions.extend(_factru_name_mentions(fields[1], parts))
        if convention == "names":
            mentions = _token_aligned(_drop_overlapping(mentions), text)
        docs.append(GoldDoc(text_path.stem, text, sorted(set(mentions))))
    return docs


FACTRU_CONVENTIONS = ("names", "objects")
_FACTRU_NAME_SPANS = {"Org": "org_name", "Location": "loc_name", "LocOrg": "loc_name"}


def _extent(parts: list[tuple[int, int, str]], type_: str) -> Mention:
    return Mention(min(part[0] for part in parts), max(part[1] for part in parts), type_)


def _factru_name_mentions(object_type: str, parts: list[tuple[int, int, str]]) -> list[Mention]:
    type_ = FACTRU_TYPES[object_type]
    if object_type == "Person":
        return [_extent(parts, type_)]
    wanted = _FACTRU_NAME_SPANS[object_type]
    names = [Mention(start, end, type_) for start, end, kind in parts if kind == wanted]
    return _drop_overlapping(names)


def _drop_overlapping(mentions: list[Mention]) -> list[Mention]:
    """Keep a mention unless it overlaps one that starts earlier (or equally, and is longer)."""
    kept: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if kept and kept[-1].end > mention.start:
            continue
        kept.append(mention)
    return kept


def _token_aligned(mentions: list[Mention], text: str) -> list[Mention]:
    from razdel import tokenize

    tokens = list(tokenize(text))
    starts = {token.start for token in tokens}
    ends = {token.stop for token in tokens}
    return [m for m in mentions if m.start in starts and m.end in ends]


def _factru_spans(path: Path) -> dict[str, tuple[int, int, str]]:
    spans = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 4:
            start, length = int(fields[2]), int(fields[3])
            spans[fields[0]] = (start, start + length, fields[1])
    return spans


def read_nerel(folder: Path) -> list[GoldDoc]:
    """NEREL brat documents (N.txt + N.ann): the outermost of the PER/ORG/LOC mentions."""
    docs = []
    for text_path in sorted(folder.glob("*.txt"), key=natural_key):
        ann_path = text_path.with_suffix(".ann")
        if not ann_path.exists():
            continue
        mapped = set()
        for line in ann_path.read_text(encoding="utf-8").splitlines():
            mention = _brat_mention(line)
            if mention is not None:
                mapped.add(mention)
        docs.append(GoldDoc(text_path.stem, read_text(text_path), _outermost(mapped)))
    return docs


def _brat_mention(line: str) -> Mention | None:
    if not line.startswith("T"):
        return None
    fields = line.split("\t")
    if len(fields) < 2:
        return None
    label, _, offsets = fields[1].partition(" ")
    if label not in NEREL_TYPES:
        return None
    # A discontinuous mention ("0 5;9 14") is measured by its whole extent.
    numbers = [int(number) for number in re.split(r"[ ;]", offsets) if number]
    return Mention(min(numbers), max(numbers), NEREL_TYPES[label])


def _outermost(mentions: Iterable[Mention]) -> list[Mention]:
    mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
    kept: list[Mention] = []
    for mention in mentions:
        inside = any(
            other.start <= mention.start and mention.end <= other.end and other != mention
            for other in kept
        )
        if not inside:
            kept.append(mention)
    return sorted(kept)


def natural_key(path: Path) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.stem))


READERS: dict[str, Callable[[Path], list[GoldDoc]]] = {"factru": read_factru, "nerel": read_nerel}


# --- scoring ---------------------------------------------------------------------------------


@dataclass
class Scores:
    by_type: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TYPES})

    @property
    def micro(self) -> Counts:
        total = Counts()
        for counts in self.by_type.values():
            total.add(counts)
        return total

    def as_dict(self) -> dict[str, dict[str, float | int]]:
        result = {name: counts.as_dict() for name, counts in self.by_type.items()}
        result["micro"] = self.micro.as_dict()
        return result


def score_doc(gold: Iterable[Mention], predicted: Iterable[Mention], scores: Scores) -> None:
    """Exact match: a prediction counts only with the gold start, end and type."""
    gold_set = set(gold)
    predicted_set = set(predicted)
    for mention in gold_set | predicted_set:
        counts = scores.by_type.setdefault(mention.type, Counts())
        if mention in gold_set and mention in predicted_set:
            counts.tp += 1
        elif mention in predicted_set:
            counts.fp += 1
        else:
            counts.fn += 1


def score(docs: Iterable[GoldDoc], predict: Predictor) -> Scores:
    scores = Scores()
    for doc in docs:
        predicted = [m for m in predict(doc.text) if m.type in TYPES]
        score_doc(doc.mentions, predicted, scores)
    return scores


# --- predictors ------------------------------------------------------------------------------


def letopis_predictor(components: Sequence[str] = ("nlp", "mentions")) -> Predictor:
    """Letopis spans after the pipeline's components up to "mentions"."""
    from letopis.ingest.article import Article
    from letopis.pipeline import Pipeline

    pipeline = Pipeline(components=components)

    def predict(text: str) -> list[Mention]:
        doc = pipeline.process(Article(id="eval", text=text))
        return [Mention(span.start, span.end, span.type) for span in doc.spans]

    return predict


def natasha_predictor() -> Predictor:
    """Bare Natasha: segmentation and NewsNERTagger spans, nothing else."""
    from natasha import Doc as NatashaDoc

    from letopis.analyze.models import load_models, pin_blas_threads

    pin_blas_threads()
    models = load_models()

    def predict(text: str) -> list[Mention]:
        nat = NatashaDoc(text)
        nat.segment(models.segmenter)
        nat.tag_ner(models.ner_tagger)
        return [Mention(span.start, span.stop, span.type) for span in nat.spans]

    return predict


PREDICTORS: dict[str, Callable[[], Predictor]] = {
    "letopis": letopis_predictor,
    "natasha": natasha_predictor,
}


# --- command ---------------------------------------------------------------------------------


def load_dataset(dataset: str, path: Path, factru_gold: str = "names") -> list[GoldDoc]:
    if dataset not in READERS:
        raise typer.BadParameter(f"unknown dataset {dataset!r} (known: factru, nerel)")
    if factru_gold not in FACTRU_CONVENTIONS:
        raise typer.BadParameter(f"unknown --factru-gold {factru_gold!r} (known: names, objects)")
    if not path.is_dir():
        raise typer.BadParameter(f"{path} is not a folder")
    docs = read_factru(path, factru_gold) if dataset == "factru" else read_nerel(path)
    if not docs:
        wanted = "book_N.txt/.spans/.objects" if dataset == "factru" else "N.txt/N.ann"
        raise typer.BadParameter(f"no {dataset} documents ({wanted}) in {path}")
    return docs


def ner_command(
    path: Annotated[
        Path, typer.Argument(metavar="PATH", help="Data set folder: factRuEval testset, NEREL test")
    ],
    dataset: Annotated[str, typer.Option("--dataset", "-d", help="factru | nerel")],
    system: Annotated[
        list[str] | None,
        typer.Option("--system", "-s", help="letopis | natasha, repeatable [default: both]"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON")] = False,
    limit: Annotated[int, typer.Option(help="Score only the first N documents")] = 0,
    factru_gold: Annotated[
        str, typer.Option(help="factRuEval gold convention: names (naeval's) | objects")
    ] = "names",
) -> None:
    """Exact-span precision, recall and F1 of PER/ORG/LOC mentions."""
    system = system or list(PREDICTORS)
    unknown = [name for name in system if name not in PREDICTORS]
    if unknown:
        raise typer.BadParameter(f"unknown system {unknown[0]!r} (known: letopis, natasha)")
    docs = load_dataset(dataset, path, factru_gold)
    if limit > 0:
        docs = docs[:limit]
    results = {name: score(docs, PREDICTORS[name]()) for name in dict.fromkeys(system)}
    if as_json:
        payload = {name: scores.as_dict() for name, scores in results.items()}
        header = {"dataset": dataset, "documents": len(docs)}
        if dataset == "factru":
            header["factru_gold"] = factru_gold
        typer.echo(json.dumps({**header, "systems": payload}, indent=2))
    else:
        _print_table(dataset, len(docs), results)


def _print_table(dataset: str, documents: int, results: dict[str, Scores]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"NER exact spans: {dataset}, {documents} documents")
    for column in ("system", "type", "P", "R", "F1", "TP", "FP", "FN"):
        table.add_column(column, justify="left" if column in ("system", "type") else "right")
    for name, scores in results.items():
        rows = [*scores.by_type.items(), ("micro", scores.micro)]
        for label, counts in rows:
            table.add_row(
                name,
                label,
                f"{counts.precision:.3f}",
                f"{counts.recall:.3f}",
                f"{counts.f1:.3f}",
                str(counts.tp),
                str(counts.fp),
                str(counts.fn),
                style="bold" if label == "micro" else None,
            )
        table.add_section()
    Console().print(table)
