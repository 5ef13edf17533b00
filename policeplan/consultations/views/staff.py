"""Staff pages to build a consultation: details, timeline, questionnaire, events, results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from policeplan.consultations import extract, forms, selectors, services
from policeplan.consultations.models import Consultation, Question, Section
from policeplan.core.access import require
from policeplan.core.roles import Perm, can
from policeplan.core.uploads import upload_limit
from policeplan.core.views.formpage import form_page as _form_page
from policeplan.plans import selectors as plans


def _overview(consultation: Consultation) -> str:
    return reverse("consultations:staff-detail", args=[consultation.pk])


@require(Perm.READ_RESPONSES)
@require_safe
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "consultations/staff/list.html",
        {
            "consultations": list(selectors.consultations_for_staff()),
            "can_run": can(request.user, Perm.RUN_CONSULTATIONS),
            "section": "consultations",
        },
    )


@require(Perm.RUN_CONSULTATIONS)
def consultation_new(request: HttpRequest) -> HttpResponse:
    form = forms.ConsultationForm(request.POST or None, versions=plans.versions_consultable())
    return _form_page(
        request,
        form=form,
        heading="Create a consultation",
        back=reverse("consultations:staff-list"),
        save=lambda: services.consultation_save(user=request.user, data=form.data_for_service()),
        done=_overview,
        message="Consultation created. Add its questions, timeline and events, then publish it.",
        button="Create the consultation",
    )


@require(Perm.READ_RESPONSES)
@require_safe
def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    page = selectors.consultation_page(consultation=consultation)
    return render(
        request,
        "consultations/staff/detail.html",
        {
            "consultation": consultation,
            "status": consultation.status(),
            "sections": selectors.sections_with_questions(consultation=consultation),
            "can_run": can(request.user, Perm.RUN_CONSULTATIONS),
            "can_personal": can(request.user, Perm.PERSONAL_DATA),
            "can_analyse": can(request.user, Perm.ANALYSE),
            "section": "consultations",
            **page,
        },
    )


@require(Perm.RUN_CONSULTATIONS)
def consultation_edit(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    form = forms.ConsultationForm(request.POST or None, versions=plans.versions_consultable())
    if request.method != "POST":
        form.initial = {
            "title": consultation.title,
            "plan_version": consultation.plan_version_id,
            "summary": consultation.summary,
            "one_page": consultation.one_page,
            "privacy_notice": consultation.privacy_notice,
            "retain_until": consultation.retain_until,
            "contact_email": consultation.contact_email,
        }
        form.initial_from(consultation)
    return _form_page(
        request,
        form=form,
        heading="Change the consultation’s details",
        caption=consultation.title,
        back=_overview(consultation),
        save=lambda: services.consultation_save(
            user=request.user, data=form.data_for_service(), consultation=consultation
        ),
        done=_overview,
        message="Details saved.",
    )


@require(Perm.RUN_CONSULTATIONS)
@require_POST
def consultation_publish(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    try:
        services.consultation_publish(user=request.user, consultation=consultation)
    except ValidationError as error:
        messages.error(request, "It cannot be published yet: " + "; ".join(error.messages) + ".")
    else:
        messages.success(request, "Published. The public can see it on the consultation hub.")
    return redirect(_overview(consultation))


@require(Perm.RUN_CONSULTATIONS)
def results(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    form = forms.ResultsForm(
        request.POST or None, initial={"results_summary": consultation.results_summary}
    )
    return _form_page(
        request,
        form=form,
        heading="Publish the results",
        caption=consultation.title,
        back=_overview(consultation),
        save=lambda: services.consultation_results_publish(
            user=request.user, consultation=consultation, **form.cleaned_data
        ),
        done=_overview,
        message="Results published on the consultation page.",
        button="Publish the results",
    )


@require(Perm.RUN_CONSULTATIONS)
def stage_form(
    request: HttpRequest, consultation_id: int, stage_id: int | None = None
) -> HttpResponse:
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    stage = consultation.stages.filter(pk=stage_id).first() if stage_id else None
    if stage_id and stage is None:
        raise Http404("No such stage")
    initial = (
        {k: getattr(stage, k) for k in ("title", "description", "starts_on", "ends_on")}
        if stage
        else {}
    )
    form = forms.StageForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form=form,
        heading="Change a stage" if stage else "Add a stage to the timeline",
        caption=consultation.title,
        back=_overview(consultation),
        save=lambda: services.stage_save(
            user=request.user, consultation=consultation, data=form.cleaned_data, stage=stage
        ),
        done=lambda _: _overview(consultation),
        message="Timeline saved.",
    )


@require(Perm.RUN_CONSULTATIONS)
def section_form(
    request: HttpRequest, consultation_id: int, section_id: int | None = None
) -> HttpResponse:
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    item = consultation.sections.filter(pk=section_id).first() if section_id else None
    if section_id and item is None:
        raise Http404("No such section")
    initial = {"title": item.title, "description": item.description} if item else {}
    form = forms.SectionForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form=form,
        heading="Change a section" if item else "Add a section",
        caption=consultation.title,
        back=_overview(consultation),
        save=lambda: services.section_save(
            user=request.user, consultation=consultation, data=form.cleaned_data, section=item
        ),
        done=lambda _: _overview(consultation),
        message="Section saved.",
    )


def _question(consultation: Consultation, question_id: int) -> Question:
    question = (
        Question.objects.select_related("section")
        .filter(section__consultation=consultation, pk=question_id)
        .first()
    )
    if question is None:
        raise Http404("No such question")
    return question


@require(Perm.RUN_CONSULTATIONS)
def question_form(
    request: HttpRequest, consultation_id: int, question_id: int | None = None
) -> HttpResponse:
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    question = _question(consultation, question_id) if question_id else None
    target: Section | None
    if question is not None:
        target = question.section
    else:
        section = request.GET.get("section", "")
        target = consultation.sections.filter(pk=section).first() if section.isdigit() else None
        if target is None:
            raise Http404("Choose a section to add the question to")
    version = consultation.plan_version
    form = forms.QuestionForm(
        request.POST or None,
        priorities=plans.version_priorities_queryset(version=version),
        chapters=plans.version_chapters_queryset(version=version),
    )
    if question is not None and request.method != "POST":
        form.initial = {
            k: getattr(question, k)
            for k in ("kind", "text", "hint", "required", "max_length", "options")
        } | {"priority": question.priority_id, "chapter": question.chapter_id}

    def save() -> Question:
        data = dict(form.cleaned_data)
        data["hint"] = data.get("hint") or ""
        return services.question_save(
            user=request.user, section=target, data=data, question=question
        )

    return _form_page(
        request,
        form=form,
        heading="Change a question" if question else f"Add a question to ‘{target.title}’",
        caption=consultation.title,
        back=_overview(consultation),
        save=save,
        done=lambda _: _overview(consultation),
        message="Question saved.",
    )


@require(Perm.RUN_CONSULTATIONS)
@require_POST
def item_move(request: HttpRequest, consultation_id: int, kind: str, item_id: int) -> HttpResponse:
    """Move a section or a question up or down (a button per item, no JavaScript needed)."""
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    item: Section | Question
    if kind == "sections":
        found = consultation.sections.filter(pk=item_id).first()
        if found is None:
            raise Http404("No such section")
        item = found
    elif kind == "questions":
        item = _question(consultation, item_id)
    else:
        raise Http404("Only sections and questions move")
    try:
        services.consultation_item_move(
            user=request.user, item=item, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_overview(consultation) + "#questionnaire")


@require(Perm.RUN_CONSULTATIONS)
def question_remove(request: HttpRequest, consultation_id: int, question_id: int) -> HttpResponse:
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    question = _question(consultation, question_id)
    if request.method == "POST":
        try:
            services.question_remove(user=request.user, question=question)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Question removed.")
        return redirect(_overview(consultation))
    answered = selectors.question_answer_count(question=question)
    return render(
        request,
        "consultations/staff/remove.html",
        {
            "item": question,
            "back": _overview(consultation),
            "section": "staff",
            "refusal": services.removal_refusal(answered) if answered else "",
        },
    )


@require(Perm.RUN_CONSULTATIONS)
def event_form(
    request: HttpRequest, consultation_id: int, event_id: int | None = None
) -> HttpResponse:
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    item = (
        selectors.event_for_staff(consultation=consultation, event_id=event_id)
        if event_id
        else None
    )
    boroughs = selectors.performance.borough_names()
    form = forms.EventForm(request.POST or None, boroughs=boroughs)
    if request.method != "POST":
        if item is not None:
            form.initial = {k: getattr(item, k) for k in forms.EventForm.FIELDS}
            form.initial_from(item)
        else:
            form.initial = {"public_registration": True}

    def save() -> Any:
        saved = services.event_save(
            user=request.user, consultation=consultation, data=form.data_for_service(), event=item
        )
        services.event_capacity_changed(event=saved)
        return saved

    return _form_page(
        request,
        form=form,
        heading="Change an event" if item else "Add an event",
        caption=consultation.title,
        back=_overview(consultation),
        save=save,
        done=lambda e: reverse("consultations:staff-event", args=[consultation.pk, e.pk]),
        message="Event saved.",
    )


@require(Perm.PERSONAL_DATA)
def event_detail(request: HttpRequest, consultation_id: int, event_id: int) -> HttpResponse:
    """Who registered, who came, and the notes of what was raised (personal details)."""
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    item = selectors.event_for_staff(consultation=consultation, event_id=event_id)
    registrations = selectors.event_registrations(event=item)
    confirmed = [r for r in registrations if r.status == "confirmed"]
    form = forms.AttendanceForm(request.POST or None, registrations=confirmed)
    if request.method != "POST":
        form.initial = {
            "attended": [str(r.pk) for r in confirmed if r.attended],
            "notes": item.notes,
            "issues_raised": item.issues_raised,
        }
    elif form.is_valid():
        services.attendance_record(
            user=request.user,
            event=item,
            attended={int(pk) for pk in form.cleaned_data["attended"]},
            notes=form.cleaned_data["notes"],
            issues_raised=form.cleaned_data["issues_raised"],
        )
        messages.success(request, "Attendance and notes saved.")
        return redirect(reverse("consultations:staff-event", args=[consultation.pk, item.pk]))
    return render(
        request,
        "consultations/staff/event.html",
        {
            "consultation": consultation,
            "event": item,
            "registrations": registrations,
            "form": form,
            "boroughs": selectors.performance.borough_names(),
            "section": "consultations",
        },
    )


@upload_limit(forms.IMPORT_MAX_BYTES)
@require(Perm.RUN_CONSULTATIONS)
def consultation_import(request: HttpRequest) -> HttpResponse:
    """Import an export from another survey tool as a consultation, to analyse it here."""
    import tempfile
    from pathlib import Path

    form = forms.ImportForm(
        request.POST or None, request.FILES or None, versions=plans.versions_consultable()
    )

    def save() -> Any:
        data = dict(form.cleaned_data)
        upload = data.pop("upload")
        suffix = Path(upload.name).suffix.lower()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            return services.consultation_import(
                user=request.user, path=path, name=upload.name, **data
            )

    return _form_page(
        request,
        form=form,
        heading="Import a consultation run elsewhere",
        back=reverse("consultations:staff-list"),
        save=save,
        done=lambda c: _overview(c),
        message="Imported. The consultation is not published: analyse it from its page.",
        button="Import",
        enctype="multipart/form-data",
    )


@upload_limit(extract.MAX_BYTES)
@require(Perm.RUN_CONSULTATIONS)
def submission_new(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    form = forms.SubmissionForm(request.POST or None, request.FILES or None)

    def save() -> Any:
        return services.submission_add(
            user=request.user, consultation=consultation, **form.cleaned_data
        )

    return _form_page(
        request,
        form=form,
        heading="Add a letter, email or written submission",
        caption=consultation.title,
        back=_overview(consultation),
        save=save,
        done=lambda r: reverse("consultations:staff-response", args=[consultation.pk, r.pk]),
        message="Submission added. It counts in the totals and goes into the analysis.",
        button="Add the submission",
        enctype="multipart/form-data",
    )
