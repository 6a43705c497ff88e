"""Tests of the page part of regional-kg."""
