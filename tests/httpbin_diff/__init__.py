"""Differential test of our httpbin API against Debian's python3-httpbin (see conftest.py)."""
