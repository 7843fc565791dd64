"""`letopis serve`: the chronicle over HTTP (API under /api/v1) and as a web page, from one
process, with every script and map served by Letopis itself."""

from letopis.serve.app import create_app
from letopis.serve.settings import Settings

__all__ = ["Settings", "create_app"]
