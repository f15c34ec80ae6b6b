"""Helpers of the tests, the benchmarks and the scripts (not of the app): the app served on a
loopback port, and headless Debian Chromium."""
