"""Fault cases for benchmarks/faults.py: each module lists ``CASES``, callables Path -> Row."""
