"""Sub-commands of ``rkg``; see :mod:`regional_kg.cli`."""
