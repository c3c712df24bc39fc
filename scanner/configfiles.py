"""Where config files live, and the one error type every config loader raises.

Lookup order: an explicit path, then `configs/` in the current working
directory, then the copy packaged with piiscan (`scanner/defaults/`), so a
plain `pip install .` still finds the default policy.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic costs ~75 ms at start-up; only loaders that validate need it
    from pydantic import ValidationError

PACKAGED_DEFAULTS = Path(__file__).parent / "defaults"


class ConfigError(Exception):
    """A config file is broken: names the file, the key and the problem on one line."""

    def __init__(self, file: str, key: str, problem: str):
        self.file, self.key, self.problem = file, key, problem
        super().__init__(f"{file}: {key + ': ' if key else ''}{problem}")

    @classmethod
    def from_validation(cls, file: str, exc: ValidationError) -> ConfigError:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first.get("loc", ()))
        return cls(file, key, first.get("msg", "invalid value"))


def find_config(name: str, cwd: Path | None = None) -> Path | None:
    for candidate in ((cwd or Path.cwd()) / "configs" / name, PACKAGED_DEFAULTS / name):
        if candidate.is_file():
            return candidate
    return None
