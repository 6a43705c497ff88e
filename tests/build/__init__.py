"""Tests of the build part of regional-kg."""
