"""What each page shows, assembled from selectors, analytics and charts.

One module per page (`overview`, `graph`, `timeline`, `deal`, `companies`, `articles`,
`search`), plus `filters` (the deal filter every page builds, its choices cached) and `flows`
(the money flows and loops the overview and the graph share). A view calls one function here
and renders what it returns.

The only code that caches (`cache`), besides the signals that bump the cache's generation
(`deals.signals`) and the synthetic-data loader.
"""
