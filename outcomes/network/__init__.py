"""A research network: what a clinic sends (:func:`export_site`: client-level rows under network
pseudonyms, no session rows or dates; or counts and moments only) and the network's summary from
them (:func:`pool_sites`), equal to the summary of the pooled session rows, and its report
(:func:`network_report`, small cells suppressed)."""

from __future__ import annotations

from .moments import MOMENT_COLUMNS, UNAVAILABLE, combine_moments, moments_of, summary_from_moments
from .pool import PooledNetwork, pool_sites, read_site
from .site import EXPORT_VERSION, SITE_COLUMNS, export_site, site_table, withhold_small_groups, write_site

__all__ = [
    "EXPORT_VERSION",
    "MOMENT_COLUMNS",
    "SITE_COLUMNS",
    "UNAVAILABLE",
    "PooledNetwork",
    "combine_moments",
    "export_site",
    "moments_of",
    "network_report",
    "pool_sites",
    "read_site",
    "site_table",
    "summary_from_moments",
    "withhold_small_groups",
    "write_site",
]


def __getattr__(name: str) -> object:
    # the report draws its figures: loaded when asked for, so that a clinic's export loads no matplotlib
    if name == "network_report":
        from ..reporting.network import network_report

        return network_report
    raise AttributeError(f"module 'outcomes.network' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "network_report"})
