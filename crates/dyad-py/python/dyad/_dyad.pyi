"""Type stubs of the native module (re-exported by ``dyad``)."""

from os import PathLike
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

Event = Dict[str, Any]
"""One event as ``dyad code --format jsonl`` writes it: doc_id, sentence, date, code, label,
goldstein, quad_class, source, target, verb, negated, attribution, mentions, dict_version, ..."""

Doc = Union[Dict[str, Any], str, bytes]
"""A document: a dict with the fields of a JSONL input record (``text`` or ``html``, and
optionally ``id``, ``url``, ``title``, ``published``, ``source``, ``language``, ``author``), its
plain text (str), or one JSONL line (bytes)."""

MAX_THREADS: int
"""The largest thread count accepted (256, as ``dyad code --threads``)."""

class DyadError(Exception):
    """Dictionaries or syntax model that cannot be loaded."""

class Coder:
    """Dictionaries and syntax model, loaded once and shared by every call and thread.

    ``dict_dir`` defaults to ``$DYAD_DICT``, else the dictionaries in the package; ``model`` to
    ``$DYAD_MODEL``, else the syntax model in the package. Raises DyadError with the message
    ``dyad`` prints when they cannot be loaded.
    """

    def __init__(
        self,
        dict_dir: Optional[Union[str, PathLike]] = None,
        model: Optional[Union[str, PathLike]] = None,
    ) -> None: ...
    @property
    def dict_version(self) -> str: ...
    @property
    def dict_dir(self) -> Path: ...
    @property
    def model_path(self) -> Path: ...
    def code(
        self,
        text: str,
        date: Optional[str] = None,
        url: Optional[str] = None,
        html: bool = False,
        id: Optional[str] = None,
        title: Optional[str] = None,
    ) -> List[Event]:
        """Codes one document; its events, as ``dyad code --format jsonl`` writes them.

        ``html=True`` reads ``text`` as a web page and codes its article text. ``date``
        (YYYY-MM-DD) is the publication date that relative dates resolve against. The GIL is
        released while coding. Raises ValueError for a bad date or a document with no text.
        """
    def code_batch(
        self,
        docs: Iterable[Doc],
        threads: int = 1,
        errors: str = "raise",
        name: str = "docs",
    ) -> Iterator[List[Event]]:
        """Codes documents in parallel; yields one list of events per document, in order.

        Documents are read as the lines of a JSONL file called ``name`` (one without ``id``
        gets ``name:N``, N counting from 1), 256 at a time, and coded on ``threads`` threads
        (1 to 256) without the GIL. A bad record raises ValueError with the message ``dyad``
        prints (``docs:3: no `text` or `html` field``) after the documents before it are
        yielded; with ``errors="skip"`` it is skipped with a warning and yields ``[]``.
        """
    def explain(self, sentence: str, date: Optional[str] = None) -> Dict[str, Any]:
        """What ``dyad explain`` prints: ``{"dict_version", "trace", "events"}``."""
    def _code_records(self, docs: List[str], threads: int = 1) -> Dict[str, List[Any]]: ...

def explain(sentence: str, date: Optional[str] = None) -> Dict[str, Any]:
    """``dyad explain`` as a dict (``dict_version``, ``trace``, ``events``), with the default
    dictionaries and model, loaded on first use."""

def _read_documents(
    name: str, data: bytes, dict_version: str
) -> Tuple[Dict[str, List[str]], List[str]]: ...
def _parquet_columns() -> List[Tuple[str, str, bool]]: ...
