"""Following, the watchlist, sign-in for readers, and the unsubscribe link of every digest."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from companies.models import Company
from dealwatch.language import reader_language

from . import services
from .emails import reader_of_token
from .forms import DigestSettingsForm
from .models import Follow
from .roles import FOLLOW_PERMISSION
from .saved_filters import canonical_query, describe, filter_of

QUERY_MAX_LENGTH = Follow._meta.get_field("query").max_length


def _back(request) -> str:
    """Where the button was pressed (the `next` field), if it is a page of this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("watch:watchlist")


def _problem(request, message: str, status: int = 400):
    return render(request, "watch/problem.html", {"message": message}, status=status)


def _followed(request) -> dict | None:
    """What the form names: {"company": Company} or {"query": canonical string}; None when
    it names nothing that can be followed (the caller answers 400)."""
    if request.POST.get("company"):
        company = Company.objects.filter(slug=request.POST["company"]).first()
        return {"company": company} if company is not None else None
    filters = filter_of(request.POST.get("query", ""))
    query = canonical_query(filters)
    if filters.error_messages or not query or len(query) > QUERY_MAX_LENGTH:
        return None
    return {"query": query}


def _signed_in_follower(request):
    """None when the user may follow; otherwise the response to send instead."""
    if not request.user.is_authenticated:
        return redirect_to_login(_back(request), reverse("watch:login"))
    if not request.user.has_perm(FOLLOW_PERMISSION):
        raise PermissionDenied(_("Your account cannot follow; ask an admin for the Readers role."))
    return None


@require_POST
def follow(request):
    refused = _signed_in_follower(request)
    if refused:
        return refused
    followed = _followed(request)
    if followed is None:
        return _problem(request, _("There is nothing to follow here: no such company or filter."))
    services.follow(user=request.user, language=reader_language(), **followed)
    return redirect(_back(request))


@require_POST
def unfollow(request):
    refused = _signed_in_follower(request)
    if refused:
        return refused
    if request.POST.get("follow", "").isdigit():
        Follow.objects.filter(user=request.user, pk=int(request.POST["follow"])).delete()
        return redirect(_back(request))
    followed = _followed(request)
    if followed is None:
        return _problem(request, _("There is nothing to unfollow here: no such company or filter."))
    services.unfollow(user=request.user, **followed)
    return redirect(_back(request))


def watchlist(request):
    """What the signed-in user follows, and their digest settings."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("watch:login"))
    reader = services.reader_for(request.user, language=reader_language())
    form = DigestSettingsForm(request.POST or None, instance=reader)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("watch:watchlist")
    follows = list(Follow.objects.of_user(request.user))
    for item in follows:
        item.title = item.company.display_name if item.company_id else describe(item.query)
        item.link = (
            item.company.get_absolute_url()
            if item.company_id
            else f"{reverse('deals:timeline')}?{item.query}"
        )
    return render(request, "watch/watchlist.html", {"follows": follows, "form": form})


@csrf_exempt  # Mail clients POST here for one-click unsubscribe (RFC 8058): the token is the key.
def unsubscribe(request, token: str):
    """Stop (or, from the page's button, restart) the digests of the reader in the token."""
    reader = reader_of_token(token)
    if reader is None:
        return _problem(request, _("This unsubscribe link is not valid. Copy the whole link."))
    receives = request.method == "POST" and request.POST.get("resubscribe") == "1"
    services.set_digests(reader=reader, receives=receives)
    return render(request, "watch/unsubscribe.html", {"reader": reader, "token": token})
