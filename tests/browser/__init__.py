"""Tests of the stepping page in a real browser against the real server."""
