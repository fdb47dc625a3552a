"""The article assistant: an editor pastes an article, reviews the deals it reports, and only
what they accept becomes a Deal (see services.py for the writes, views.py for the admin pages).
"""
