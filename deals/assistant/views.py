"""Admin pages of the article assistant: add an article from text, review its drafts.

Hung on ArticleAdmin (see `admin.ArticleAssistantAdminMixin`), so they sit under
/admin/deals/article/, behind the admin's sign-in, for staff with the Editors' permissions.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from deals.models import Article, Deal, DealDraft

from . import inbox, services
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
                    _with_title(
                        _("This text is already stored as “%(title)s”; here are its drafts."),
                        article.title,
                    ),
                )
            else:
                count = len(submission.drafts)
                text = ngettext(
                    "Stored “%(title)s”. %(count)s draft to review.",
                    "Stored “%(title)s”. %(count)s drafts to review.",
                    count,
                )
                messages.success(request, _with_title(text, article.title, count=count))
            return redirect("admin:deals_article_review", article.pk)
    return _from_text_page(request, model_admin, form)


def _with_title(text: str, title: str, **values) -> SafeString:
    """`text` with the article's title isolated in <bdi>: an Arabic title in an English
    sentence (or the reverse) would otherwise reorder the punctuation and number around it."""
    isolated = format_html('<bdi dir="auto">{}</bdi>', title)
    # The sentence is escaped and the title escaped inside its <bdi>.
    return mark_safe(escape(text) % {"title": isolated, **values})  # noqa: S308


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


def draft_add(request, model_admin, article_id):
    """POST a sentence the editor selected: a new draft for the deal the assistant missed,
    completed in the same review form. A quote not in the article is refused, with nothing
    stored."""
    _allowed(request)
    if request.method != "POST":
        return redirect("admin:deals_article_review", article_id)
    article = get_object_or_404(Article, pk=article_id)
    try:
        draft = inbox.draft_add_missed(
            article=article,
            quote=request.POST.get("quote", ""),
            deal_type=request.POST.get("deal_type", ""),
            user=request.user,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(reverse("admin:deals_article_review", args=[article_id]) + "#add-missed")
    messages.success(request, _("Added a draft for the missed deal: complete it, then accept it."))
    return redirect(reverse("admin:deals_article_review", args=[article_id]) + f"#draft-{draft.pk}")


def article_mark(request, model_admin, article_id):
    """POST: mark the article reviewed or ignored (it leaves the inbox), or new again."""
    _allowed(request)
    if request.method != "POST":
        return redirect("admin:deals_article_review", article_id)
    article = get_object_or_404(Article, pk=article_id)
    try:
        review = inbox.article_mark(
            article=article, state=request.POST.get("state", ""), user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("admin:deals_article_review", article_id)
    messages.success(
        request,
        _with_title(
            _("“%(title)s” is now marked: %(state)s."),
            article.title,
            state=review.get_state_display(),
        ),
    )
    return redirect("admin:sources_inboxarticle_changelist")
