"""Seeded synthetic instances for tests and benchmarks."""
