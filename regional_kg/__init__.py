"""regional-kg: a curated knowledge graph and toolkit for international relations in Central Asia."""
