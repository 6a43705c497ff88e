"""Tests of the network part of regional-kg."""
