"""Tests of the stores part of regional-kg."""
