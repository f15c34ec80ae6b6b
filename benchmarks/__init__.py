"""Benchmarks of the engine, API, page and memory; run by `make bench`, not by `make test`."""
