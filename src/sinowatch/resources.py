"""Where shipped files live: next to the package when installed, at the repository top in a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def shipped(name: str) -> Path:
    """The shipped `templates` or `feeds` directory.

    A wheel carries them as `sinowatch/_shipped/<name>`; an editable install (a checkout) reads the
    repository's own top-level directory, so editing `templates/` takes effect without reinstalling.
    """
    packaged = Path(str(resources.files("sinowatch"))) / "_shipped" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name
