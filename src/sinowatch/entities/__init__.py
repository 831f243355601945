"""Entities: the shipped gazetteer, the matcher, and suggestions for names it does not know yet."""
