"""Exports: the Huey job, the CSV writer, where export files live, and their upkeep."""
