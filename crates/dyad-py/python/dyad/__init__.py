"""dyad: political event data from news, coded in CAMEO.

>>> import dyad
>>> coder = dyad.Coder()
>>> events = coder.code("Russia and Ukraine met in Istanbul on Friday.", date="2024-03-08")

Events are dicts in the schema ``dyad code --format jsonl`` writes (README, "Output").
``Coder.code_batch`` codes many documents on several threads; ``python -m dyad.spark`` codes a
corpus with Apache Spark.
"""

from ._dyad import MAX_THREADS, Coder, DyadError, explain

__all__ = ["Coder", "DyadError", "MAX_THREADS", "explain"]
