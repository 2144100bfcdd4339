"""Letter pages, under the case's reference. Every case page starts from ``get_case_for_letters`` and every letter
from ``get_letter_for_user``: outside what the user may see is a 404. Writes go through ``letters.services``."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponsePermanentRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts import roles
from accounts.models import Partnership
from govuk.refusals import refusals_to
from letters import bsl, selectors, services
from letters.content import LetterContent, check_kind_for, recipient_for, recipients_for
from letters.demo import demo_content
from letters.forms import (
    BslVideoForm,
    GenerateLetterForm,
    LetterTemplateForm,
    MarkSentForm,
    PrintRunDayForm,
    PrintRunPdfForm,
    TranslatedWordingForm,
    TranslationForm,
)
from letters.models import BslVideo, Letter, LetterFormat, LetterTemplate
from letters.renderer import LetterRenderer
from letters.services import LetterFileProblem, LetterStoreUnavailable
from letters.wording import LIST_PLACEHOLDERS, placeholders_for
from rjcases.permissions import can_edit_case_work
from rjcases.services import TRANSITIONS, log_read


def _pdf_response(data: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return _no_store(response)


def _no_store(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------------------------------------------
# A case's letters


@login_required
@require_GET
def old_case_address(request, case_id: int, view: str = "case"):
    """The old address by database id: a permanent redirect to the reference, for a user who may see it."""
    case = selectors.get_case_for_letters(request.user, case_id=case_id)
    return HttpResponsePermanentRedirect(reverse(f"letters:{view}", args=[case.reference]))


@login_required
@require_GET
def old_letter_address(request, pk: int, view: str = "detail"):
    letter = selectors.get_letter_for_user(request.user, pk)
    return HttpResponsePermanentRedirect(selectors.letter_url(letter, view))


@login_required
@require_GET
def case_letters(request, reference: str):
    case = selectors.get_case_for_letters(request.user, reference)
    context = {
        "page_title": f"Letters – {case.reference}",
        "case": case,
        "letters": selectors.letters_for_case(case, request.user),
        "can_create": can_edit_case_work(case, request.user),
    }
    return render(request, "letters/case_letters.html", context)


@login_required
def generate(request, reference: str):
    """Choose a kind of letter and a recipient; preview it, or generate and store it."""
    case = selectors.get_case_for_letters(request.user, reference)
    if not can_edit_case_work(case, request.user):
        raise PermissionDenied("Only the case's facilitator or a manager can create letters.")
    recipients = recipients_for(case)
    form = GenerateLetterForm(
        request.POST or None,
        recipients=recipients,
        initial={"kind": request.GET.get("kind", ""), "recipient": request.GET.get("to", "")},
    )
    preview, translation_needed = None, ""
    if request.method == "POST" and form.is_valid():
        kind, key, fmt = form.cleaned_data["kind"], form.cleaned_data["recipient"], form.cleaned_data["format"]
        with refusals_to(form, field="kind"):
            if request.POST.get("action") == "preview":
                preview, translation_needed = _preview_for_case(case, kind, key, fmt)
            else:
                letter = services.generate_letter(case, request.user, kind=kind, recipient_key=key, fmt=fmt or None)
                messages.success(request, f"{letter} was created. It is waiting to be sent.")
                return redirect(selectors.letter_url(letter))
    context = {
        "page_title": f"Create a letter – {case.reference}",
        "case": case,
        "form": form,
        "preview": preview,
        "translation_needed": translation_needed,
    }
    return render(request, "letters/generate.html", context)


def _preview_for_case(case, kind: str, key: str, fmt: str) -> tuple[LetterContent, str]:
    """The letter as it would be made now, not stored (refused for the same reasons as generating), and the
    language it would be flagged as needing a translation into (empty when it is in the person's language)."""
    recipient = recipient_for(case, key)
    check_kind_for(case, kind, recipient)
    content, template = services.render_content(case, kind, recipient, fmt or recipient.default_format)
    return content, services.translation_needed(template, recipient)


# ---------------------------------------------------------------------------------------------------
# One letter


@login_required
@require_GET
def detail(request, reference: str, pk: int):
    letter = selectors.get_letter_for_user(request.user, pk, reference)
    context = {
        "page_title": str(letter),
        "letter": letter,
        "case": letter.case,
        "versions": selectors.versions_of(letter),
        "can_regenerate": can_edit_case_work(letter.case, request.user),
        "transition_label": TRANSITIONS[letter.transition.name].label if letter.transition_id else "",
        "translation_form": TranslationForm() if letter.held_for_translation else None,
    }
    return render(request, "letters/letter_detail.html", context)


@login_required
@require_GET
def download(request, reference: str, pk: int):
    letter = selectors.get_letter_for_user(request.user, pk, reference)
    try:
        handle = services.open_letter_file(letter)
    except (LetterFileProblem, FileNotFoundError) as problem:
        message = (
            str(problem)
            if isinstance(problem, LetterFileProblem)
            else "The stored file of this letter is missing. Regenerate the letter."
        )
        return render(
            request,
            "letters/file_problem.html",
            {"page_title": "This letter cannot be opened", "letter": letter, "message": message},
            status=503 if isinstance(problem, LetterStoreUnavailable) else 409,
        )
    log_read(request.user, letter.case, "document", letter.pk, request.path)
    # Streamed from the letter store through the app (whichever server answers), never from a bucket's URL.
    response = FileResponse(handle, as_attachment=True, filename=letter.download_name, content_type="application/pdf")
    return _no_store(response)


@login_required
@require_GET
def accessible(request, reference: str, pk: int):
    """The same letter as semantic HTML, for screen readers (reportlab does not tag PDFs)."""
    letter = selectors.get_letter_for_user(request.user, pk, reference)
    if letter.file_status == Letter.FileStatus.REMOVED:
        return render(
            request,
            "letters/file_problem.html",
            {"page_title": "This letter cannot be opened", "letter": letter, "message": letter.file_problem},
            status=410,
        )
    log_read(request.user, letter.case, "document", letter.pk, request.path)
    context = {
        "page_title": letter.content.get("subject") or str(letter),
        "letter": letter,
        "content": LetterContent.from_dict(letter.content),
    }
    return render(request, "letters/letter_accessible.html", context)


@login_required
@require_POST
def regenerate(request, reference: str, pk: int):
    letter = selectors.get_letter_for_user(request.user, pk, reference)
    with refusals_to(request=request) as refusal:
        new = services.regenerate_letter(letter, request.user)
    if refusal:
        return redirect(selectors.letter_url(letter))
    messages.success(request, f"Version {new.version} was created. Earlier versions are kept.")
    return redirect(selectors.letter_url(new))


@login_required
@require_POST
def resolve_translation(request, reference: str, pk: int):
    """A facilitator lets a letter held for translation go to the print run (copy attached, or send in English)."""
    letter = selectors.get_letter_for_user(request.user, pk, reference)
    form = TranslationForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["resolution"][0])
        return redirect(selectors.letter_url(letter))
    with refusals_to(request=request) as refusal:
        done = services.resolve_translation(letter, request.user, form.cleaned_data["resolution"])
    if not refusal:
        messages.success(request, f"{done}: {done.get_translation_display().lower()}. It can be printed now.")
    if request.POST.get("back_to") == "print_run":
        return redirect(f"{reverse('letters:print_run')}?date={_day_from(request).isoformat()}")
    return redirect(selectors.letter_url(letter))


@login_required
@require_POST
def write_file(request, reference: str, pk: int):
    """ "Try again": write the file of a letter whose file could not be written. Back to the print run if asked."""
    letter = selectors.get_letter_for_user(request.user, pk, reference)
    with refusals_to(request=request):
        letter = services.retry_letter_file(letter, request.user)
    if letter.file_written:
        messages.success(request, f"The file of {letter} is written. It can be printed now.")
    elif letter.file_status == letter.FileStatus.FAILED:
        messages.error(request, f"The file of {letter} could not be written again. {letter.file_problem}")
    else:
        messages.info(request, f"The file of {letter} is being written. Refresh the page in a moment.")
    if request.POST.get("back_to") == "print_run":
        return redirect(f"{reverse('letters:print_run')}?date={_day_from(request).isoformat()}")
    return redirect(selectors.letter_url(letter))


# ---------------------------------------------------------------------------------------------------
# Wording (managers)


def _require_template_editor(user) -> None:
    if not services.may_edit_templates(user):
        raise PermissionDenied("Only a manager can change letter wording.")


def _may_preview_templates(user) -> bool:
    return services.may_edit_templates(user) or roles.is_facilitator(user)


def _wording_scope(user):
    """The wording a user may open: their partnerships' own and the default; another partnership's is a 404."""
    return LetterTemplate.objects.filter(
        Q(partnership__isnull=True) | Q(partnership_id__in=roles.partnership_ids(user))
    ).select_related("partnership")


def _partnership_for_wording(request) -> Partnership | None:
    """The partnership whose wording the page shows: ``?partnership=<code>`` among the user's own, else their first
    (None for someone who works for none: the default wording). Another partnership's code is a 404."""
    own = list(Partnership.objects.filter(pk__in=roles.partnership_ids(request.user)).order_by("name"))
    code = request.GET.get("partnership")
    if code:
        chosen = next((p for p in own if p.code == code), None)
        if chosen is None:
            raise Http404("Not one of your partnerships")
        return chosen
    return own[0] if own else None


def _own_version(template: LetterTemplate, partnership: Partnership | None) -> LetterTemplate | None:
    """The partnership's own wording of the same letter, when ``template`` is the default it overrides."""
    if template.partnership_id is not None or partnership is None:
        return None
    return LetterTemplate.objects.filter(
        partnership=partnership,
        kind=template.kind,
        variant=template.variant,
        format=template.format,
        language=template.language,
    ).first()


def _query(partnership: Partnership | None) -> str:
    return f"?partnership={partnership.code}" if partnership is not None else ""


def _placeholders(kind: str) -> list[dict]:
    return [
        {"name": name, "description": text, "is_list": name in LIST_PLACEHOLDERS}
        for name, text in placeholders_for(kind).items()
    ]


@login_required
@require_GET
def template_list(request):
    """The wording a partnership's letters use: its own where it has some, else the default."""
    if not _may_preview_templates(request.user):
        raise PermissionDenied
    services.ensure_default_templates()
    partnership = _partnership_for_wording(request)
    in_force: dict[tuple, LetterTemplate] = {}
    rows = _wording_scope(request.user).filter(Q(partnership__isnull=True) | Q(partnership=partnership))
    for template in rows.select_related("updated_by"):
        key = (template.kind, template.variant, template.format, template.language)
        if key not in in_force or template.partnership_id is not None:
            in_force[key] = template
    return render(
        request,
        "letters/template_list.html",
        {
            "page_title": "Letter wording",
            "templates": [in_force[key] for key in sorted(in_force)],
            "partnership": partnership,
            "partnerships": Partnership.objects.filter(pk__in=roles.partnership_ids(request.user)),
            "query": _query(partnership),
            "can_edit": services.may_edit_templates(request.user),
            "can_set_bsl_videos": roles.is_manager(request.user),
        },
    )


@login_required
def template_edit(request, pk: int):
    _require_template_editor(request.user)
    template = get_object_or_404(_wording_scope(request.user), pk=pk)
    partnership = template.partnership or _partnership_for_wording(request)
    own = _own_version(template, partnership)
    if own is not None:
        return redirect(reverse("letters:template_edit", args=[own.pk]) + _query(partnership))
    form = LetterTemplateForm(request.POST or None, instance=LetterTemplate.objects.get(pk=pk))
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "preview":
            preview = demo_content(
                template.kind,
                template.variant,
                template.format,
                subject=data["subject"],
                body=data["body"],
                closing=data["closing"],
                language=template.language,
                partnership=partnership,
            )
        else:
            with refusals_to(form) as refusal:
                saved = services.update_template(
                    template,
                    request.user,
                    subject=data["subject"],
                    body=data["body"],
                    closing=data["closing"],
                    partnership=partnership,
                )
            if not refusal:
                messages.success(request, f"{saved.title}: version {saved.version} saved.")
                return redirect(reverse("letters:template_edit", args=[saved.pk]) + _query(partnership))
    context = {
        "page_title": f"Edit wording – {template.title}",
        "template": template,
        "partnership": partnership,
        "query": _query(partnership),
        "form": form,
        "preview": preview,
        "placeholders": _placeholders(template.kind),
    }
    return render(request, "letters/template_edit.html", context)


@login_required
def template_add_language(request, pk: int):
    """Wording of this letter in another language, started from the English (``pk``): previewed, then saved as the
    partnership's own."""
    _require_template_editor(request.user)
    english = get_object_or_404(_wording_scope(request.user), pk=pk)
    partnership = english.partnership or _partnership_for_wording(request)
    taken = set(
        LetterTemplate.objects.filter(
            Q(partnership__isnull=True) | Q(partnership=partnership),
            kind=english.kind,
            variant=english.variant,
            format=english.format,
        ).values_list("language", flat=True)
    )
    initial = {"subject": english.subject, "body": english.body, "closing": english.closing}
    form = TranslatedWordingForm(request.POST or None, initial=initial, taken=taken)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "preview":
            preview = demo_content(
                english.kind,
                english.variant,
                english.format,
                subject=data["subject"],
                body=data["body"],
                closing=data["closing"],
                language=data["language"],
                partnership=partnership,
            )
        else:
            with refusals_to(form) as refusal:
                saved = services.add_template(
                    request.user,
                    kind=english.kind,
                    variant=english.variant,
                    fmt=english.format,
                    language=data["language"],
                    subject=data["subject"],
                    body=data["body"],
                    closing=data["closing"],
                    partnership=partnership,
                )
            if not refusal:
                messages.success(request, f"{saved.title}: version 1 saved.")
                return redirect(reverse("letters:template_edit", args=[saved.pk]) + _query(partnership))
    context = {
        "page_title": f"Wording in another language – {english.title}",
        "template": english,
        "partnership": partnership,
        "query": _query(partnership),
        "form": form,
        "preview": preview,
        "placeholders": _placeholders(english.kind),
    }
    return render(request, "letters/template_add_language.html", context)


@login_required
@require_GET
def template_history(request, pk: int):
    _require_template_editor(request.user)
    template = get_object_or_404(_wording_scope(request.user), pk=pk)
    versions = template.history.select_related("history_user").order_by("-history_date", "-history_id")
    return render(
        request,
        "letters/template_history.html",
        {"page_title": f"Wording history – {template.title}", "template": template, "versions": versions},
    )


@login_required
@require_GET
def template_preview(request, pk: int):
    """The saved wording as a PDF letter to a made-up person (no case data), on the partnership's letterhead."""
    if not _may_preview_templates(request.user):
        raise PermissionDenied
    template = get_object_or_404(_wording_scope(request.user), pk=pk)
    fmt = request.GET.get("format") or (template.format if template.format != "standard" else LetterFormat.STANDARD)
    if fmt not in LetterFormat.values:
        raise Http404("No such format")
    content = demo_content(
        template.kind,
        template.variant,
        fmt,
        subject=template.subject,
        body=template.body,
        closing=template.closing,
        language=template.language,
        partnership=template.partnership or _partnership_for_wording(request),
    )
    pdf = LetterRenderer(fmt).render(content)
    return _pdf_response(pdf, f"preview-{template.kind.replace('_', '-')}-v{template.version}.pdf", inline=True)


# ---------------------------------------------------------------------------------------------------
# The print run


def _day_from(request) -> date:
    """The print run's day as links and the page's own buttons send it (``date``, ISO); today without one."""
    raw = request.GET.get("date") or request.POST.get("date") or ""
    try:
        return date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        raise Http404("Not a date")


def _day_form(request) -> PrintRunDayForm:
    """The day boxes of the print run: bound when a day was typed in them, else showing the day of the link."""
    if any(f"date-{part}" in request.GET for part in ("day", "month", "year")):
        return PrintRunDayForm(request.GET)
    return PrintRunDayForm(initial={"date": _day_from(request)})


def _require_print_run(user) -> None:
    if not (roles.is_manager(user) or roles.is_facilitator(user)):
        raise PermissionDenied


@login_required
def print_run(request):
    """The day's letters waiting to be posted: download them as one PDF, then mark them sent."""
    _require_print_run(request.user)
    day_form = _day_form(request)
    day = day_form.cleaned_data["date"] if day_form.is_bound and day_form.is_valid() else _day_from(request)
    if request.method == "POST":
        form = MarkSentForm(request.POST, queryset=selectors.print_run_scope(request.user))
        if form.is_valid():
            with refusals_to(request=request):
                marked, skipped = services.mark_sent(request.user, form.cleaned_data["letters"])
            text = f"{marked} letter{'s' if marked != 1 else ''} marked as sent."
            if skipped:
                text += (
                    f" {skipped} had already been sent or replaced, or had no file to print,"
                    " and were left as they were."
                )
            messages.success(request, text)
            return redirect(f"{reverse('letters:print_run')}?date={day.isoformat()}")
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    found = selectors.print_run_letters(request.user, day)
    letters = [letter for letter in found if letter.printable]
    older_days = selectors.older_pending_days(request.user, day)
    context = {
        "page_title": "Letters to post",
        "day": day,
        "day_form": day_form,
        "pdf_form": PrintRunPdfForm(),
        "letters": letters,
        # Shown with the reason and "Try again", and left out of the PDF and of marking sent.
        "without_file": [letter for letter in found if not letter.file_written],
        # Written in English for someone whose language it is not: held until released (``resolve_translation``).
        "held": [letter for letter in found if letter.file_written and letter.held_for_translation],
        "older_days": older_days,
        # The five latest backlog days as links, newest first; the count and the oldest say the rest.
        "recent_older_days": older_days[::-1][:5],
        "without_address": [letter for letter in letters if not letter.has_postal_address],
    }
    return render(request, "letters/print_run.html", context)


@login_required
@require_GET
def print_run_pdf(request):
    _require_print_run(request.user)
    day = _day_from(request)
    letters = [letter for letter in selectors.print_run_letters(request.user, day) if letter.printable]
    wanted = request.GET.getlist("letter")
    if wanted:
        letters = [letter for letter in letters if str(letter.pk) in wanted]
    if not letters:
        messages.info(request, "There are no letters waiting to be posted for that day.")
        return redirect(f"{reverse('letters:print_run')}?date={day.isoformat()}")
    try:
        data = services.print_run_pdf(letters, double_sided=request.GET.get("double_sided") == "1")
    except (LetterFileProblem, FileNotFoundError) as problem:
        messages.error(
            request,
            str(problem)
            if isinstance(problem, LetterFileProblem)
            else "A stored letter file is missing. Regenerate it before printing.",
        )
        return redirect(f"{reverse('letters:print_run')}?date={day.isoformat()}")
    for letter in letters:
        log_read(request.user, letter.case, "document", letter.pk, request.path)
    return _pdf_response(data, f"letters-to-post-{day.isoformat()}.pdf")


# ---------------------------------------------------------------------------------------------------
# BSL videos: a link per kind of letter (and for the reporting-centre survey), set by managers (letters.bsl)


def _require_manager(user) -> None:
    if not roles.is_manager(user):
        raise PermissionDenied("Only a manager can change the BSL videos.")


@login_required
@require_GET
def bsl_videos(request):
    _require_manager(request.user)
    videos = bsl.bsl_videos()
    rows = [(subject, label, videos.get(subject)) for subject, label in BslVideo.SUBJECTS]
    history = BslVideo.history.select_related("history_user").order_by("-history_date", "-history_id")[:20]
    context = {"page_title": "BSL videos", "rows": rows, "history": history}
    return render(request, "letters/bsl_videos.html", context)


@login_required
def bsl_video_edit(request, subject: str):
    _require_manager(request.user)
    labels = dict(BslVideo.SUBJECTS)
    if subject not in labels:
        raise Http404("No such kind of letter.")
    form = BslVideoForm(request.POST or None, initial={"url": bsl.bsl_video_url(subject)})
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refusal:
            video = bsl.set_bsl_video(request.user, subject, form.cleaned_data["url"])
        if not refusal:
            messages.success(request, f"BSL video {'set' if video else 'removed'} for {labels[subject].lower()}.")
            return redirect("letters:bsl_videos")
    context = {"page_title": f"BSL video: {labels[subject]}", "form": form, "label": labels[subject]}
    return render(request, "letters/bsl_video_edit.html", context)
