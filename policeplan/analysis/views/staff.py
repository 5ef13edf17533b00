"""Staff pages for analysis: the overview, codeframes and their changes, the machine's runs,
review, the blind sample, the dashboard, the respondent view and 'you said, we did'."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from policeplan.analysis import forms, selectors, services
from policeplan.analysis.models import Codeframe
from policeplan.consultations import selectors as consultations
from policeplan.consultations.disclosure import text_for_viewer
from policeplan.consultations.equality import QUESTIONS as EQUALITY
from policeplan.consultations.models import Channel, Consultation, RespondentType
from policeplan.core.access import require
from policeplan.core.govuk import apply_validation_error
from policeplan.core.roles import Perm
from policeplan.core.views.formpage import form_page
from policeplan.performance import charts
from policeplan.performance.selectors import borough_names
from policeplan.plans import selectors as plans
from policeplan.scrutiny import selectors_recommendations as scrutiny

SECTION = "consultations"


def _overview_url(consultation: Consultation) -> str:
    return reverse("analysis:overview", kwargs={"consultation_id": consultation.pk})


def _codeframe_url(codeframe: Codeframe) -> str:
    return reverse("analysis:codeframe", kwargs={"codeframe_id": codeframe.pk})


def _codeframe_name(codeframe: Codeframe) -> str:
    return codeframe.question.text if codeframe.question else "Written submissions and event notes"


@require(Perm.ANALYSE)
@require_safe
def overview(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = consultations.consultation_for_staff(consultation_id=consultation_id)
    rows = []
    for question in [*selectors.free_text_questions(consultation=consultation), None]:
        latest = selectors.codeframe_latest(consultation=consultation, question=question)
        final = selectors.codeframe_final(consultation=consultation, question=question)
        rows.append(
            {
                "question": question,
                "name": question.text if question else "Written submissions and event notes",
                "latest": latest,
                "final": final,
                "run": selectors.run_latest(codeframe=final) if final else None,
                "form": forms.SuggestForm(prefix=f"q{question.pk if question else 0}"),
            }
        )
    return render(
        request,
        "analysis/staff/overview.html",
        {"consultation": consultation, "rows": rows, "section": SECTION},
    )


@require(Perm.ANALYSE)
@require_POST
def suggest(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = consultations.consultation_for_staff(consultation_id=consultation_id)
    question_id = request.POST.get("question") or "0"
    question = next(
        (
            q
            for q in selectors.free_text_questions(consultation=consultation)
            if str(q.pk) == question_id
        ),
        None,
    )
    if question is None and question_id != "0":
        raise Http404("No such question")
    form = forms.SuggestForm(request.POST, prefix=f"q{question_id}")
    if form.is_valid():
        try:
            codeframe = services.codeframe_suggest(
                user=request.user,
                consultation=consultation,
                question=question,
                count=form.cleaned_data["count"],
                engine=settings.ANALYSIS_ENGINE,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Themes suggested. Change them as you need, then finalise.")
            return redirect(_codeframe_url(codeframe))
    else:
        messages.error(request, "Enter how many themes to suggest, from 2 to 30")
    return redirect(_overview_url(consultation))


OPS = {
    "rename": forms.RenameForm,
    "merge": forms.MergeForm,
    "split": forms.SplitForm,
    "add": forms.AddForm,
    "remove": forms.RemoveForm,
}


def _op(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    if kind == "rename":
        return {
            "op": kind,
            "theme": data["theme"],
            "label": data["label"],
            "description": data["description"],
        }
    if kind == "merge":
        return {"op": kind, "themes": data["themes"], "label": data["label"]}
    if kind == "split":
        return {"op": kind, "theme": data["theme"], "labels": data["labels"]}
    if kind == "add":
        return {"op": kind, "label": data["label"], "description": data["description"]}
    return {"op": kind, "theme": data["theme"]}


@require(Perm.ANALYSE)
def codeframe(request: HttpRequest, codeframe_id: int) -> HttpResponse:
    frame = selectors.codeframe_get(pk=codeframe_id)
    themes = list(frame.themes.all())
    bound = request.POST.get("op") if request.method == "POST" else None
    if bound is not None and bound not in OPS:
        raise Http404("No such change")
    edit_forms = {}
    for kind, cls in OPS.items():
        args: dict[str, Any] = {"prefix": kind}
        if kind not in ("add",):
            args["themes"] = themes
        edit_forms[kind] = cls(request.POST if kind == bound else None, **args)
    if bound is not None:
        form = edit_forms[bound]
        if form.is_valid():
            try:
                changed = services.codeframe_change(
                    user=request.user,
                    codeframe=frame,
                    operations=[_op(bound, form.cleaned_data)],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                note = " (a new draft version: the finalised one is kept)" if frame.is_final else ""
                messages.success(request, f"Codeframe changed{note}.")
                return redirect(_codeframe_url(changed))
    summary = selectors.codeframe_summary(codeframe=frame) if frame.texts.exists() else None
    return render(
        request,
        "analysis/staff/codeframe.html",
        {
            "codeframe": frame,
            "name": _codeframe_name(frame),
            "consultation": frame.consultation,
            "themes": themes,
            "examples": {
                t.pk: selectors.examples_for_viewer(theme=t, user=request.user) for t in themes
            },
            "summary": summary,
            "forms": edit_forms,
            "bound": bound,
            "history": selectors.codeframe_history(
                question=frame.question, consultation=frame.consultation
            ),
            "run": selectors.run_latest(codeframe=frame),
            "section": SECTION,
        },
    )


@require(Perm.ANALYSE)
@require_POST
def finalise(request: HttpRequest, codeframe_id: int) -> HttpResponse:
    frame = selectors.codeframe_get(pk=codeframe_id)
    try:
        services.codeframe_finalise(user=request.user, codeframe=frame)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Codeframe finalised. The machine can now assign its themes.")
    return redirect(_codeframe_url(frame))


@require(Perm.ANALYSE)
@require_POST
def run_start(request: HttpRequest, codeframe_id: int) -> HttpResponse:
    frame = selectors.codeframe_get(pk=codeframe_id)
    try:
        run = services.analysis_run_start(
            user=request.user, codeframe=frame, engine=settings.ANALYSIS_ENGINE
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_codeframe_url(frame))
    return redirect("analysis:run", run_id=run.pk)


@require(Perm.ANALYSE)
@require_safe
def run(request: HttpRequest, run_id: int) -> HttpResponse:
    found = selectors.run_get(pk=run_id)
    return render(
        request,
        "analysis/staff/run.html",
        {
            "run": found,
            "codeframe": found.codeframe,
            "name": _codeframe_name(found.codeframe),
            "busy": found.status in ("queued", "running"),
            "section": SECTION,
        },
    )


@require(Perm.ANALYSE)
@require_safe
def run_status(request: HttpRequest, run_id: int) -> JsonResponse:
    """The run's progress, for the page's script to follow (the page works without it)."""
    found = selectors.run_get(pk=run_id)
    return JsonResponse(
        {
            "status": found.status,
            "progress": found.progress,
            "stage": found.message,
            "finished": found.status not in ("queued", "running"),
        }
    )


@require(Perm.ANALYSE)
@require_safe
def review_queue(request: HttpRequest, codeframe_id: int) -> HttpResponse:
    frame = selectors.codeframe_get(pk=codeframe_id)
    reviewed = request.GET.get("show") == "reviewed"
    rows = selectors.review_queue(codeframe=frame, reviewed=reviewed)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    selectors.with_shown_texts(page.object_list, user=request.user)
    return render(
        request,
        "analysis/staff/queue.html",
        {
            "codeframe": frame,
            "name": _codeframe_name(frame),
            "page": page,
            "reviewed": reviewed,
            "section": SECTION,
        },
    )


@require(Perm.ANALYSE)
def review(request: HttpRequest, text_id: int) -> HttpResponse:
    coded = selectors.coded_text_get(pk=text_id)
    frame = coded.codeframe
    if coded.in_sample:
        return redirect("analysis:blind", codeframe_id=frame.pk)
    asks = bool(coded.stance)
    form = forms.CodingForm(
        request.POST or None,
        themes=list(frame.themes.all()),
        asks=asks,
        initial={
            "themes": [str(link.theme.lineage) for link in coded.links.all()],
            "stance": coded.stance,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.coded_text_review(
                user=request.user,
                coded=coded,
                themes=form.cleaned_data["themes"],
                stance=form.cleaned_data.get("stance") or None,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Coding saved. The next run learns from it.")
            following = selectors.review_queue(codeframe=frame).first()
            if following is None:
                return redirect("analysis:queue", codeframe_id=frame.pk)
            return redirect("analysis:review", text_id=following.pk)
    return render(
        request,
        "analysis/staff/review.html",
        {
            "coded": coded,
            "shown": selectors.shown_text(coded=coded, user=request.user),
            "codeframe": frame,
            "form": form,
            "section": SECTION,
        },
    )


@require(Perm.ANALYSE)
def sample(request: HttpRequest, codeframe_id: int) -> HttpResponse:
    frame = selectors.codeframe_get(pk=codeframe_id)
    form = forms.SampleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            drawn = services.sample_draw(
                user=request.user, codeframe=frame, size=form.cleaned_data["size"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{drawn} texts drawn for blind coding.")
            return redirect("analysis:sample", codeframe_id=frame.pk)
    rows = list(selectors.sample(codeframe=frame))
    return render(
        request,
        "analysis/staff/sample.html",
        {
            "codeframe": frame,
            "name": _codeframe_name(frame),
            "form": form,
            "sampled": len(rows),
            "coded": sum(1 for r in rows if r.blind is not None),
            "agreement": frame.agreement,
            "section": SECTION,
        },
    )


@require(Perm.ANALYSE)
def blind(request: HttpRequest, codeframe_id: int) -> HttpResponse:
    frame = selectors.codeframe_get(pk=codeframe_id)
    coded = selectors.sample_next(codeframe=frame)
    if coded is None:
        messages.success(request, "Every text in the sample is coded.")
        return redirect("analysis:sample", codeframe_id=frame.pk)
    form = forms.BlindForm(
        request.POST or None, themes=list(frame.themes.all()), initial={"text": coded.pk}
    )
    if request.method == "POST" and form.is_valid():
        if coded.pk != form.cleaned_data["text"]:
            messages.error(request, "That text was coded in the meantime: here is the next one.")
            return redirect("analysis:blind", codeframe_id=frame.pk)
        services.blind_code(user=request.user, coded=coded, themes=form.cleaned_data["themes"])
        return redirect("analysis:blind", codeframe_id=frame.pk)
    remaining = frame.texts.filter(in_sample=True, blind__isnull=True).count()
    return render(
        request,
        "analysis/staff/blind.html",
        {
            "coded": coded,
            "shown": selectors.shown_text(coded=coded, user=request.user),
            "codeframe": frame,
            "name": _codeframe_name(frame),
            "form": form,
            "remaining": remaining,
            "section": SECTION,
        },
    )


def _filters(request: HttpRequest) -> tuple[forms.FiltersForm, selectors.Filters]:
    equality = [
        (f"{key}:{value}", f"{text.rstrip('?')}: {label}")
        for key, (text, choices) in EQUALITY.items()
        for value, label in choices
    ]
    form = forms.FiltersForm(
        request.GET or None,
        boroughs=sorted(borough_names().items(), key=lambda kv: kv[1]),
        channels=list(Channel.choices),
        types=list(RespondentType.choices),
        equality=equality,
    )
    filters = selectors.Filters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        field, _, value = (data.get("equality") or "").partition(":")
        filters = selectors.Filters(
            borough=data.get("borough", ""),
            channel=data.get("channel", ""),
            respondent_type=data.get("respondent_type", ""),
            equality_field=field,
            equality_value=value,
        )
    return form, filters


def theme_chart(summary: selectors.CodeframeSummary) -> str:
    spec = charts.count_bars_spec(
        [(c.theme.label, c.texts) for c in summary.themes],
        label="theme",
        count="Texts",
        by_count=True,
        label_limit=320,
    )
    return charts.svg(spec)


@require(Perm.ANALYSE)
@require_safe
def dashboard(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = consultations.consultation_for_staff(consultation_id=consultation_id)
    form, filters = _filters(request)
    min_cell = settings.EQUALITY_MIN_CELL
    blocks = []
    for question in [*selectors.free_text_questions(consultation=consultation), None]:
        frame = selectors.codeframe_final(consultation=consultation, question=question)
        if frame is None or not frame.texts.exists():
            continue
        summary = selectors.codeframe_summary(codeframe=frame, filters=filters, min_cell=min_cell)
        blocks.append(
            {
                "summary": summary,
                "name": _codeframe_name(frame),
                "chart": theme_chart(summary) if summary.themes and summary.texts else "",
            }
        )
    return render(
        request,
        "analysis/staff/dashboard.html",
        {
            "consultation": consultation,
            "form": form,
            "filters": filters,
            "query": request.GET.urlencode(),
            "blocks": blocks,
            "min_cell": min_cell,
            "section": SECTION,
        },
    )


@require(Perm.ANALYSE)
@require_safe
def theme_texts(request: HttpRequest, codeframe_id: int, lineage: uuid.UUID) -> HttpResponse:
    frame = selectors.codeframe_get(pk=codeframe_id)
    form, filters = _filters(request)
    found = selectors.theme_texts(
        codeframe=frame, lineage=lineage, filters=filters, min_cell=settings.EQUALITY_MIN_CELL
    )
    page = Paginator(found.rows, 25).get_page(request.GET.get("page"))
    selectors.with_shown_texts(page.object_list, user=request.user)
    return render(
        request,
        "analysis/staff/theme.html",
        {
            "codeframe": frame,
            "name": _codeframe_name(frame),
            "theme": found.theme,
            "form": form,
            "page": page,
            "count": found.count,
            "listed": found.listed,
            "withheld": found.withheld,
            "min_cell": settings.EQUALITY_MIN_CELL,
            "query": request.GET.urlencode(),
            "section": SECTION,
        },
    )


@require(Perm.ANALYSE)
def respondent(request: HttpRequest, consultation_id: int, response_id: int) -> HttpResponse:
    """One respondent's answers with the themes each was coded into, and redaction."""
    consultation = consultations.consultation_for_staff(consultation_id=consultation_id)
    response = consultations.response_for_staff(consultation=consultation, response_id=response_id)
    form = forms.RedactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.redaction_add(user=request.user, response=response, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Masked wherever this response is quoted.")
            return redirect(request.path)
    phrases = [r.phrase for r in response.redactions.all()]
    answers: list[dict[str, Any]] = [
        {
            "question": a.question.text,
            "text": a.text,
            "themes": [],
            "quote": selectors.quote(a.text, phrases),
            "answer_id": a.pk,
        }
        for a in response.answers.all()
    ]
    themes = selectors.text_themes_for_response(response=response)
    for a in answers:
        a["themes"] = themes.get(a["answer_id"], [])
    return render(
        request,
        "analysis/staff/respondent.html",
        {
            "consultation": consultation,
            "response": response,
            "answers": answers,
            "body": text_for_viewer(text=response.body, user=request.user),
            "body_quote": selectors.quote(response.body, phrases) if response.body else "",
            "body_themes": themes.get(0, []),
            "redactions": list(response.redactions.select_related("created_by")),
            "quotable": selectors.quotable(response),
            "form": form,
            "section": SECTION,
        },
    )


def _final_themes(consultation: Consultation) -> list[Any]:
    out: list[Any] = []
    for question in [*selectors.free_text_questions(consultation=consultation), None]:
        frame = selectors.codeframe_final(consultation=consultation, question=question)
        if frame is not None:
            out.extend((frame, t) for t in frame.themes.all())
    return out


@require(Perm.ANALYSE)
@require_safe
def you_said(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = consultations.consultation_for_staff(consultation_id=consultation_id)
    written = {r.lineage: r for r in selectors.theme_responses(consultation=consultation)}
    rows = [
        {"codeframe": f, "theme": t, "response": written.get(t.lineage)}
        for f, t in _final_themes(consultation)
    ]
    return render(
        request,
        "analysis/staff/you_said.html",
        {
            "consultation": consultation,
            "rows": rows,
            "changes": selectors.plan_changes(consultation=consultation),
            "final": services.final_version_after(consultation),
            "section": SECTION,
        },
    )


@require(Perm.ANALYSE)
def theme_response(request: HttpRequest, consultation_id: int, lineage: uuid.UUID) -> HttpResponse:
    consultation = consultations.consultation_for_staff(consultation_id=consultation_id)
    found = next(((f, t) for f, t in _final_themes(consultation) if t.lineage == lineage), None)
    if found is None:
        raise Http404("No such theme in a finalised codeframe")
    _, theme = found
    existing = next(
        (r for r in selectors.theme_responses(consultation=consultation) if r.lineage == lineage),
        None,
    )
    form = forms.ThemeResponseForm(
        request.POST or None,
        initial={"you_said": existing.you_said, "we_did": existing.we_did} if existing else {},
    )
    back = reverse("analysis:you-said", kwargs={"consultation_id": consultation.pk})
    return form_page(
        request,
        form=form,
        heading=f"Respond to ‘{theme.label}’",
        caption=consultation.title,
        back=back,
        save=lambda: services.theme_response_save(
            user=request.user, consultation=consultation, theme=theme, **form.cleaned_data
        ),
        done=lambda _: back,
        message="Response saved.",
    )


@require(Perm.ANALYSE)
def plan_change(
    request: HttpRequest, consultation_id: int, change_id: int | None = None
) -> HttpResponse:
    consultation = consultations.consultation_for_staff(consultation_id=consultation_id)
    change = (
        selectors.plan_change_get(consultation=consultation, pk=change_id) if change_id else None
    )
    final = services.final_version_after(consultation)
    back = reverse("analysis:you-said", kwargs={"consultation_id": consultation.pk})
    if final is None:
        messages.error(request, "There is no final plan after the consultation draft yet.")
        return redirect(back)
    items = [
        f"{c.kind} {c.status}: {c.title}"
        for section in plans.plan_versions_compare(old=consultation.plan_version, new=final)
        for c in section.changes
    ]
    if change and change.item not in items:
        items.insert(0, change.item)
    responses = selectors.theme_responses(consultation=consultation)
    measures = [(str(m.lineage), m.title) for m in plans.version_measures(version=final)]
    recommendations = scrutiny.recommendations_on_version(version=consultation.plan_version)
    form = forms.PlanChangeForm(
        request.POST or None,
        items=items,
        theme_responses=responses,
        measures=measures,
        recommendations=recommendations,
        initial={
            "item": change.item,
            "summary": change.summary,
            "themes": [str(t.pk) for t in change.themes.all()],
            "recommendations": [str(r.pk) for r in change.recommendations.all()],
            "measure": str(change.measure_lineage or ""),
        }
        if change
        else {},
    )

    def save() -> Any:
        data = form.cleaned_data
        chosen = [r for r in responses if str(r.pk) in data["themes"]]
        cited = [r for r in recommendations if str(r.pk) in data["recommendations"]]
        return services.plan_change_save(
            user=request.user,
            consultation=consultation,
            change=change,
            data={
                "item": data["item"],
                "summary": data["summary"],
                "themes": chosen,
                "recommendations": cited,
                "measure_lineage": data["measure"] or None,
            },
        )

    return form_page(
        request,
        form=form,
        heading="Change a plan change" if change else "Record a change to the plan",
        caption=consultation.title,
        back=back,
        save=save,
        done=lambda _: back,
        message="Plan change saved.",
    )
