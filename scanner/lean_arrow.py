"""Keep pandas out of a scan's start-up: piiscan never uses it, pyarrow imports it anyway.

The first time `pa.array()` is given a Python list, pyarrow asks whether pandas
is installed (in Python, to recognise a Series; in C++, to recognise pandas' NA)
and imports it: 0.3 to 0.5 s, a third of
what `piiscan scan` takes on a small file. `skip_pandas_probe()` answers that
first question with "no" by hiding pandas for the one probe. pyarrow then treats
lists as lists; anything that asks for pandas explicitly (`to_pandas()`,
Spark) still gets it, because pyarrow imports it again when it is required.
"""

from __future__ import annotations

import sys


class _HidePandas:
    """A meta-path finder that says pandas is not there (used for one probe only)."""

    def find_spec(self, name: str, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(name)
        return None


def skip_pandas_probe() -> None:
    """Make pyarrow's "is pandas installed?" probe answer no, unless pandas is already loaded."""
    if "pandas" in sys.modules:
        return
    import pyarrow as pa

    hide = _HidePandas()
    sys.meta_path.insert(0, hide)
    try:
        pa.lib._pandas_api.have_pandas  # noqa: B018 - the Python-side probe
        pa.array(["probe", None])  # the C++ side's probe (for pandas' NA) runs on a first conversion
    finally:
        sys.meta_path.remove(hide)
