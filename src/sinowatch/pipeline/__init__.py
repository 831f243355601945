"""The pipeline: the only place stages are chained. The CLI, the demo and the daemon call these."""

from sinowatch.pipeline.core import Context, analyse, store_article
from sinowatch.pipeline.digesting import DigestOutcome, run_digest
from sinowatch.pipeline.fetching import fetch_source, fetch_sources
from sinowatch.pipeline.importing import ImportResult, import_paths

__all__ = ["Context", "DigestOutcome", "ImportResult", "analyse", "fetch_source", "fetch_sources",
           "import_paths", "run_digest", "store_article"]
