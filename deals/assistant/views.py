"""Admin pages of the article assistant: add an article from text, review its drafts.

Hung on ArticleAdmin (see `admin.ArticleAssistantAdminMixin`), so they sit under
/admin/deals/article/, behind the admin's sign-in, for staff with the Editors' permissions.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from deals.models import Article, Deal, DealDraft

from . import services
from .forms import ArticleTextForm, DraftReviewForm
from .review import review_page

# Reviewing means adding articles, deals and their citations; the Editors group has these.
PERMISSIONS = (
    "deals.add_article",
    "deals.change_dealdraft",
    "deals.add_deal",
    "deals.add_dealcitation",
    "deals.add_dealstatuschange",
)


def _allowed(request):
    if not request.user.has_perms(PERMISSIONS):
        raise PermissionDenied


def _context(model_admin, request, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "app_label": Article._meta.app_label,
        **extra,
    }


@csrf_exempt  # checked below, once the body is known to be readable
def article_from_text(request, model_admin):
    """A paste over the server's DATA_UPLOAD_MAX_MEMORY_SIZE cannot be read: Django refuses it
    with a bare "Bad Request (400)" wherever the body is first read, the CSRF check included.
    So the body is read here first, a refusal is shown on the form (writing nothing, so no
    CSRF check is needed for it), and every readable request is CSRF-checked as usual."""
    _allowed(request)
    try:
        request.POST  # noqa: B018 (reads and parses the body)
    except RequestDataTooBig:
        refusal = _(
            "The text is over 1 MB; articles that long are refused. Nothing was stored: "
            "shorten it, or upload it as a file to see its size."
        )
        return _from_text_page(request, model_admin, ArticleTextForm(), refusal, status=413)
    return _article_from_text(request, model_admin)


@csrf_protect
def _article_from_text(request, model_admin):
    form = ArticleTextForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = services.article_submit(
                title=data["title"],
                body=data["text"],
                language=data["language"],
                published_on=data.get("published_on"),
                url=data.get("url", ""),
                source_file=data["source_file"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_errors(error)
        else:
            article = submission.article
            if not submission.created:
                messages.info(
                    request,
                    _("This text is already stored as “%(title)s”; here are its drafts.")
                    % {"title": article.title},
                )
            else:
                messages.success(
                    request,
                    _("Stored “%(title)s”. %(count)d draft(s) to review.")
                    % {"title": article.title, "count": len(submission.drafts)},
                )
            return redirect("admin:deals_article_review", article.pk)
    return _from_text_page(request, model_admin, form)


def _from_text_page(request, model_admin, form, refusal="", status=200):
    context = _context(
        model_admin,
        request,
        title=_("Add an article from text"),
        form=form,
        refusal=refusal,
        media=model_admin.media + form.media,
    )
    return TemplateResponse(request, "admin/deals/article/from_text.html", context, status=status)


def _forms(page, article, bound: DraftReviewForm | None = None, bound_pk: int | None = None):
    rows = []
    for view in page.proposed:
        if bound is not None and view.draft.pk == bound_pk:
            form = bound
        else:
            form = DraftReviewForm(view=view, article=article, prefix=f"draft-{view.draft.pk}")
        rows.append((view, form))
    return rows


def article_review(request, model_admin, article_id, bound=None, bound_pk=None, status=200):
    _allowed(request)
    article = get_object_or_404(Article, pk=article_id)
    page = review_page(article)
    rows = _forms(page, article, bound, bound_pk)
    media = model_admin.media
    for _view, form in rows[:1]:
        media += form.media
    context = _context(
        model_admin,
        request,
        title=_("Review the deals of this article"),
        article=article,
        page=page,
        rows=rows,
        original=article,
        media=media,
    )
    return TemplateResponse(request, "admin/deals/article/review.html", context, status=status)


def draft_review(request, model_admin, article_id, draft_id):
    """POST one draft's form: accept it, add it as a citation of the deal it repeats, or
    reject it. A refusal re-shows the review page with the messages next to the fields."""
    _allowed(request)
    if request.method != "POST":
        return redirect("admin:deals_article_review", article_id)
    draft = get_object_or_404(DealDraft, pk=draft_id, article_id=article_id)
    action = request.POST.get("action", "")
    form = DraftReviewForm(request.POST, prefix=f"draft-{draft.pk}")
    back = reverse("admin:deals_article_review", args=[article_id])
    try:
        if action == "reject":
            services.draft_reject(draft=draft, user=request.user)
            messages.success(request, _("Draft rejected; nothing was published."))
            return redirect(back)
        if action not in ("accept", "cite") or not form.is_valid():
            if action not in ("accept", "cite"):
                form.is_valid()
                form.add_error(None, _("Choose Accept, Reject or Add as a citation."))
            return article_review(request, model_admin, article_id, form, draft.pk)
        if action == "cite":
            deal = Deal.objects.filter(pk=request.POST.get("cite_deal")).first()
            if deal is None:
                raise ValidationError(_("The deal to cite no longer exists; reload the page."))
            services.draft_cite_existing(
                draft=draft, deal=deal, reported=form.reported(), user=request.user
            )
            messages.success(
                request,
                _("Added this article as a citation of “%(deal)s”.") % {"deal": deal},
            )
        else:
            deal = services.draft_accept(draft=draft, reviewed=form.reviewed(), user=request.user)
            messages.success(
                request,
                _("Accepted: “%(deal)s” is now a deal, cited to this article.") % {"deal": deal},
            )
    except ValidationError as error:
        form.add_errors(error)
        return article_review(request, model_admin, article_id, form, draft.pk)
    return redirect(back)
