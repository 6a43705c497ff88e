"""Helpers shared by the tests: real servers, the browser, fixture graphs, paths."""
