"""The Dask engine: auto-coding and reports over partitions of files on a Dask cluster.

Optional (``pip install 'qualcode[dask]'``). The local engine (one machine's
process pool) stays the default; a ``distributed.Client`` passed as *client*
(``autocode_frame``, ``build_report``) or ``--scheduler``/``--engine dask`` on
the command line runs the same functions on the workers of a cluster, one
partition of files per task, and puts the results together in corpus order.
See ``docs/scale.md``.
"""

from qualcode.engine.cluster import ENGINES, connect, dask_client
from qualcode.engine.records import RecordSource

__all__ = ["ENGINES", "RecordSource", "connect", "dask_client"]
