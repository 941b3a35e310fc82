"""Signals computed on a cleaned document: off-topic span, quality, dedup."""
