"""Tests of the graph part of regional-kg."""
