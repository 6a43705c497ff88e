"""Tests of the server part of regional-kg."""
