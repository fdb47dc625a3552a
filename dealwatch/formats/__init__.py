"""Dates and numbers as DealWatch writes them in each language (Django's FORMAT_MODULE_PATH)."""
