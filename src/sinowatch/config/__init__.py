"""Configuration: `sinowatch.toml` settings and `feeds/*.toml` sources, validated once and passed down."""

from sinowatch.config.fields import parse_interval
from sinowatch.config.settings import (
    DaemonSettings,
    FetchSettings,
    RelevanceSettings,
    Settings,
    SmtpSettings,
    Subscription,
    load_settings,
    settings_from_dict,
)
from sinowatch.config.sources import load_source_file, load_sources

__all__ = ["DaemonSettings", "FetchSettings", "RelevanceSettings", "Settings", "SmtpSettings", "Subscription",
           "load_settings", "load_source_file", "load_sources", "parse_interval", "settings_from_dict"]
