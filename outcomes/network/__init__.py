"""A research network: what a clinic sends (:func:`export_site`: client-level rows under network
pseudonyms, no session rows or dates) and the network's summary from them (:func:`pool_sites`),
equal to the summary of the pooled session rows."""

from __future__ import annotations

from .pool import PooledNetwork, pool_sites, read_site
from .site import EXPORT_VERSION, SITE_COLUMNS, export_site, site_table, write_site

__all__ = [
    "EXPORT_VERSION",
    "SITE_COLUMNS",
    "PooledNetwork",
    "export_site",
    "pool_sites",
    "read_site",
    "site_table",
    "write_site",
]
