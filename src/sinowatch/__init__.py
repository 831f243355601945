"""sinowatch: Korean-language news on China's AI industry, each story once, mailed as a digest."""

__version__ = "0.1.0"

from sinowatch import native  # noqa: E402  # before any compiled module is imported: decides compiled or pure
