"""Every error Letopis raises on purpose, in one place.

The CLI, the API and the library all report these the same way: the message is written for the
person who can fix the cause, and a traceback is never needed to understand it.
"""

from __future__ import annotations


class LetopisError(Exception):
    """Base of the errors below; catch it to handle any of them."""


class InputError(LetopisError, ValueError):
    """A user's input that Letopis cannot read: a file, an option, a query value."""


class DataError(LetopisError):
    """A rule or data file shipped with Letopis (or given in its place) is malformed."""


class PipelineError(LetopisError):
    """Pipeline components that cannot run in the order or combination asked for."""


class StoreError(LetopisError):
    """The corpus store cannot be opened, created or written."""
