"""Train the eventivity model on gold event files and cross-validate it by document.

Candidates are every event the lexicon proposes (the coder in `keep_all` mode); a candidate
is positive when the shared scorer's matching pairs it with a required gold event (at the
+actor level first, then at the type level), unlabelled when it pairs with an optional one,
negative otherwise. The learner is scikit-learn's logistic regression: it trains in seconds,
and its coefficients ship as a small JSON file read without scikit-learn at run time."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from letopis.eval.events import gold_article
from letopis.extract.events.eventivity import EventClassifier

C_GRID = (0.03, 0.1, 0.3, 1.0)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.2, 0.81, 0.02))
INNER_FOLDS = 4


@dataclass
class GoldDoc:
    gold: dict[str, Any]  # the gold document
    record: dict[str, Any]  # the system record with every candidate event
    features: list[dict[str, float]]  # one per candidate event
    labels: list[int | None]  # 1 real, 0 not, None: an optional gold event (not counted)
    required: int  # required gold events in the document
    group: int  # the document's number (folds never split a document)


def candidate_labels(
    scorer: ModuleType, gold_events: list[dict[str, Any]], events: list[dict[str, Any]]
) -> list[int | None]:
    labels: list[int | None] = [0] * len(events)
    free_sys, free_gold = list(range(len(events))), list(range(len(gold_events)))
    for level in ("actor", "type"):
        pairs = scorer.match(
            [events[i] for i in free_sys], [gold_events[j] for j in free_gold], level
        )
        used_sys, used_gold = set(), set()
        for local_i, local_j in pairs:
            i, j = free_sys[local_i], free_gold[local_j]
            labels[i] = 1 if gold_events[j].get("required", True) else None
            used_sys.add(i)
            used_gold.add(j)
        free_sys = [i for i in free_sys if i not in used_sys]
        free_gold = [j for j in free_gold if j not in used_gold]
    return labels


def collect(
    scorer: ModuleType,
    gold_docs: list[dict[str, Any]],
    pipeline: Any,
    progress: Any = None,
    first_group: int = 0,
) -> list[GoldDoc]:
    """Every candidate event of every gold document, with its features and label; documents
    are numbered from `first_group` (folds never split a number)."""
    coder = pipeline.components[pipeline.component_names.index("events")]
    coder.keep_all = True
    out = []
    try:
        for number, gold in enumerate(gold_docs, start=first_group):
            record = pipeline.process(gold_article(gold)).to_record().to_dict()
            events = record["events"]
            out.append(
                GoldDoc(
                    gold=gold,
                    record=record,
                    features=list(coder.last_features) if events else [],
                    labels=candidate_labels(scorer, gold.get("events", []), events),
                    required=sum(1 for g in gold.get("events", []) if g.get("required", True)),
                    group=number,
                )
            )
            if progress is not None:
                progress()
    finally:
        coder.keep_all = False
    return out


def _rows(docs: list[GoldDoc]) -> tuple[list[dict[str, float]], np.ndarray, np.ndarray]:
    feats, labels, groups = [], [], []
    for doc in docs:
        for f, label in zip(doc.features, doc.labels, strict=True):
            if label is not None:
                feats.append(f)
                labels.append(label)
                groups.append(doc.group)
    return feats, np.array(labels), np.array(groups)


def _fit(feats: list[dict[str, float]], labels: np.ndarray, c: float):
    vectorizer = DictVectorizer(sparse=True)
    x = vectorizer.fit_transform(feats)
    model = LogisticRegression(C=c, max_iter=5000, solver="lbfgs")
    model.fit(x, labels)
    return vectorizer, model


def _predict(vectorizer, model, feats: list[dict[str, float]]) -> np.ndarray:
    if not feats:
        return np.zeros(0)
    return model.predict_proba(vectorizer.transform(feats))[:, 1]


def _best_threshold(probs: np.ndarray, labels: np.ndarray, required: int) -> tuple[float, float]:
    """The cut with the best F1 over candidates; recall counts every required gold event."""
    best = (0.0, 0.5)
    for t in THRESHOLDS:
        kept = probs >= t
        true = int((kept & (labels == 1)).sum())
        p = true / kept.sum() if kept.sum() else 0.0
        r = true / required if required else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        best = max(best, (f, t))
    return best


def choose(docs: list[GoldDoc]) -> tuple[float, float]:
    """C and threshold by inner cross-validation on these documents only."""
    feats, labels, groups = _rows(docs)
    required = sum(d.required for d in docs)
    best = (-1.0, C_GRID[0], 0.5)
    for c in C_GRID:
        probs = np.zeros(len(labels))
        for train, test in GroupKFold(n_splits=INNER_FOLDS).split(feats, labels, groups):
            vectorizer, model = _fit([feats[i] for i in train], labels[train], c)
            probs[test] = _predict(vectorizer, model, [feats[i] for i in test])
        f, t = _best_threshold(probs, labels, required)
        best = max(best, (f, c, t))
    return best[1], best[2]


def train(docs: list[GoldDoc]) -> EventClassifier:
    c, threshold = choose(docs)
    feats, labels, _ = _rows(docs)
    vectorizer, model = _fit(feats, labels, c)
    weights = {
        name: round(float(w), 5)
        for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(w) >= 1e-5
    }
    return EventClassifier(
        weights=weights, bias=round(float(model.intercept_[0]), 5), threshold=threshold
    )


def decide(classifier: EventClassifier, doc: GoldDoc) -> dict[str, Any]:
    """The record as the pipeline with this classifier would write it."""
    events = []
    for event, feats in zip(doc.record["events"], doc.features, strict=True):
        p = round(classifier.probability(feats), 2)
        if p >= classifier.threshold:
            events.append({**event, "confidence": p})
    return {**doc.record, "events": events}


def cross_validate(
    docs: list[GoldDoc],
    folds: int = 5,
    extra: list[GoldDoc] | None = None,
    seed: int | None = None,
) -> dict[str, dict[str, Any]]:
    """Held-out records of every document: each fold's model never saw its documents. The
    `extra` documents (training-only gold) join every fold's training set and are not scored.
    Folds follow the documents' order, or a random order drawn with `seed`."""
    groups = np.array([d.group for d in docs])
    if seed is not None:
        groups = np.random.default_rng(seed).permutation(len(docs))
    out: dict[str, dict[str, Any]] = {}
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(groups, groups, groups):
        classifier = train([docs[i] for i in train_idx] + (extra or []))
        for i in test_idx:
            out[str(docs[i].gold["id"])] = decide(classifier, docs[i])
    return out
