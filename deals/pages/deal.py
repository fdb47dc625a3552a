"""What one deal's page shows: the deal with its sources, and the edits made to it."""

from django.http import Http404
from django.utils.translation import gettext as _

from deals.models import Deal
from deals.selectors.deal import deal_detail
from deals.selectors.history import deal_change_history


def deal_page(slug: str) -> dict:
    """The deal page's context; Http404 when no deal has the id `slug`."""
    try:
        deal = deal_detail(slug=slug)
    except Deal.DoesNotExist as error:
        raise Http404(_("No deal has the id “%(id)s”.") % {"id": slug}) from error
    return {"deal": deal, "change_history": deal_change_history(deal)}
