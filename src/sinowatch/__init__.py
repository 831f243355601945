"""sinowatch: Korean-language news on China's AI industry, each story once, mailed as a digest."""

__version__ = "0.1.0"
