"""Watched news sources: feeds and pages DealWatch reads on a schedule (fetch_sources), storing
each new article verbatim and proposing the deals it reports as drafts for an editor to review.

models.py holds what is watched and what was seen; fetching.py the polite HTTP client;
reading.py turns a feed or a page into items and an item's page into article text; collect.py
runs one pass over the sources. Nothing here publishes a deal: drafts wait for an editor.
"""
