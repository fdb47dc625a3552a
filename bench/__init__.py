"""`make bench` and `make loadtest`: DealWatch against Datasette, the Django admin and the floor.

Run with `python -m bench --help`. See docs/benchmarks.md for the latest results.
"""
