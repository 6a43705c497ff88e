"""Tests of the catalogue part of regional-kg."""
