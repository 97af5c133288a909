"""Where :func:`network_report` was first defined; it lives in :mod:`outcomes.reporting.network`.

Importing this module loads the report (and matplotlib); ``outcomes.network.network_report``
does the same when first asked for.
"""

from __future__ import annotations

from ..reporting.network import network_report

__all__ = ["network_report"]
