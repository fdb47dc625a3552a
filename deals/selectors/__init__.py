"""Reads: each module answers one page's questions in a fixed number of queries.

Keyword-only arguments, model instances and plain data out; no words, no cache, no Http404
(a missing row raises the model's DoesNotExist). `keyset` is the newest-first walk that every
list of deals shares.
"""
