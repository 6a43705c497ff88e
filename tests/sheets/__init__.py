"""Tests of the sheets part of regional-kg."""
