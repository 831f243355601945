"""Entities: the shipped gazetteer, the matcher, and suggestions for names it does not know yet."""

from .gazetteer import Gazetteer, load_gazetteer
from .matcher import Matcher

__all__ = ["Gazetteer", "Matcher", "load_gazetteer"]
