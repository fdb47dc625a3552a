"""The article assistant: an editor pastes an article, reviews the deals it reports, and only
what they accept becomes a Deal (services.py for the writes, review.py for what the review
page shows, views.py for the admin pages; its reads are in deals/selectors/drafts.py).
"""
