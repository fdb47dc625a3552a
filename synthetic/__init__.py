"""Synthetic DealWatch data for scale tests and benchmarks (`manage.py seed_synthetic`).

Tooling, not part of the site. `generator` runs the steps (`company_rows`, `valuation_rows`,
`deal_rows`); `shape` holds every proportion, `words` the names and sentences in both
languages, `writers` the three ways rows reach the database, and `existing` counts and deletes
earlier synthetic rows. See docs/synthetic.md.
"""
