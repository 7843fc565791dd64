"""Rebuild letopis/data/story_df.tsv.gz, the lemma document-frequency prior of story grouping,
from the Telegram news posts (CC BY 4.0) beside the repository.

    python tools/build_story_df.py [../shared/data/tg-news-posts-2024/raw]

Re-run it whenever the lemmatiser in letopis/corpus/text.py changes its keys.
"""

import json
import sys
from pathlib import Path

from letopis.corpus.stories import DF_RESOURCE, write_document_frequencies

RAW = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/tg-news-posts-2024/raw")
OUT = Path(__file__).resolve().parents[1] / "letopis" / "data" / DF_RESOURCE


def texts():
    for path in sorted(RAW.glob("*.json")):
        for message in json.loads(path.read_text(encoding="utf-8")):
            yield message.get("text") or ""


if __name__ == "__main__":
    print(f"{write_document_frequencies(texts(), OUT)} posts counted into {OUT}")
