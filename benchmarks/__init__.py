"""Benchmarks of baked projects; run them from the repository's root as modules (see README.md)."""
