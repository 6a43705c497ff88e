"""Tests of the commands part of regional-kg."""
