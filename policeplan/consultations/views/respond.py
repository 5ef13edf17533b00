"""The questionnaire, on the GOV.UK question-page pattern.

Steps: each section (or every question on one page), then publishing consent and contact,
then the optional equality questions, then check your answers, then confirmation. Answers
are saved to an unsent response as people go, so they can save and return with a code.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import Any

from django.contrib.messages import get_messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from policeplan.consultations import equality, forms, selectors, services
from policeplan.consultations.models import Consultation, Response, ResponseStatus, Section
from policeplan.consultations.questions import AnswersForm, QuestionContext, initial_for
from policeplan.consultations.services.responses import RESUME_DAYS
from policeplan.consultations.views import refusals
from policeplan.core import pagecache, ratelimit

SIGNING_NAMESPACE = "policeplan.consultations.response-token"


def _key(consultation: Consultation) -> str:
    return f"consultation-response:{consultation.pk}"


def _done_key(consultation: Consultation) -> str:
    return f"consultation-sent:{consultation.pk}"


def _withdrawal_key(consultation: Consultation) -> str:
    return f"consultation-withdrawal-code:{consultation.pk}"


def _url(consultation: Consultation, step: str | int = "") -> str:
    if isinstance(step, int):
        return reverse("consultations:section", args=[consultation.slug, step])
    name = {"": "respond", "publishing": "publishing", "equality": "equality"}.get(step, step)
    return reverse(f"consultations:{name}", args=[consultation.slug])


def _current(request: HttpRequest, consultation: Consultation) -> Response | None:
    response = selectors.response_by_token(token=request.session.get(_key(consultation)))
    if response is None or response.consultation_id != consultation.pk:
        return None
    if response.status != ResponseStatus.IN_PROGRESS:
        return None
    return response


def _closed(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    return render(
        request,
        "consultations/closed.html",
        {"consultation": consultation, "status": consultation.status()},
        status=200 if consultation.status() != "unpublished" else 404,
    )


# The questionnaire's sections, questions and plan priorities, kept by each process: they are
# read on every page of every response and change only while nobody is answering. Services
# that change a question touch the consultation, so its modified time is part of the key.
_STRUCTURE: dict[tuple[int, Any], tuple[list[Section], QuestionContext]] = {}


def _structure(consultation: Consultation) -> tuple[list[Section], QuestionContext]:
    key = (consultation.pk, consultation.modified_at)
    found = _STRUCTURE.get(key)
    if found is None:
        found = (
            selectors.sections_with_questions(consultation=consultation),
            selectors.question_context(consultation=consultation),
        )
        if len(_STRUCTURE) > 64:
            _STRUCTURE.clear()
        _STRUCTURE[key] = found
    return found


def _open_consultation(request: HttpRequest, slug: str) -> tuple[Consultation, list[Section]]:
    consultation = selectors.consultation_for_respondent(slug=slug, user=request.user)
    return consultation, _structure(consultation)[0]


def _initial(response: Response | None, questions: list[Any], ctx: QuestionContext) -> dict:
    if response is None:
        return {}
    saved = selectors.response_answers(response=response)
    initial: dict[str, Any] = {}
    for q in questions:
        if q.pk in saved:
            initial.update(initial_for(q, saved[q.pk].value, ctx))
    return initial


@never_cache
def respond(request: HttpRequest, slug: str) -> HttpResponse:
    consultation, sections = _open_consultation(request, slug)
    if not consultation.is_open:
        return _closed(request, consultation)
    if consultation.one_page:
        return _one_page(request, consultation, sections)
    if not sections:
        raise Http404("This questionnaire has no questions yet")
    return redirect(_url(consultation, 1))


CSRF_MARK = "\x00csrf-token\x00"
SUBMISSION_MARK = "\x00submission-token\x00"
REFERENCE_MARK = "\x00reference\x00"
WITHDRAWAL_MARK = "\x00withdrawal-code\x00"


def _page_key(kind: str, consultation: Consultation) -> str:
    stamp = f"{consultation.pk}:{consultation.modified_at}:{static('application.css')}"
    return f"{kind}:{hashlib.sha256(stamp.encode()).hexdigest()}"


def _confirmation(
    request: HttpRequest, consultation: Consultation, reference: str, code: str = ""
) -> HttpResponse:
    """The confirmation panel. For the public it is the same page for everyone but the
    reference (and the withdrawal code, for a response sent without an email address), so
    it is rendered once and those put in."""
    if request.user.is_authenticated:
        return render(
            request,
            "consultations/respond/confirmation.html",
            {"consultation": consultation, "reference": reference, "withdrawal_code": code},
        )
    key = _page_key("confirmation-code" if code else "confirmation", consultation)
    page = cache.get(key)
    if page is None:
        rendered = render(
            request,
            "consultations/respond/confirmation.html",
            {
                "consultation": consultation,
                "reference": REFERENCE_MARK,
                "withdrawal_code": WITHDRAWAL_MARK if code else "",
            },
        )
        page = pagecache.freeze(rendered.content.decode(), request)
        cache.set(key, page, 60 * 60)
    filled = page.replace(REFERENCE_MARK, reference).replace(WITHDRAWAL_MARK, code)
    return HttpResponse(pagecache.thaw(filled, request))


def _withdrawal_code(response: Response) -> str:
    """The code to show on the confirmation page: only for a response with no email."""
    if services.needs_withdrawal_code(response):
        return services.response_withdrawal_code(response=response)
    return ""


def _one_page(
    request: HttpRequest, consultation: Consultation, sections: list[Section]
) -> HttpResponse:
    ctx = _structure(consultation)[1]
    questions = [q for s in sections for q in s.questions.all()]
    data = request.POST if request.method == "POST" else None
    shared = data is None and not request.user.is_authenticated and not get_messages(request)
    page_key = _page_key("one-page-form", consultation)
    if shared and (page := cache.get(page_key)) is not None:
        # The blank questionnaire is the same for everyone: only the CSRF token, this
        # submission's token and the CSP nonce differ, and they are put in on the way out.
        fresh = signing.dumps(str(uuid.uuid4()), salt=SIGNING_NAMESPACE)
        return HttpResponse(
            pagecache.thaw(
                page.replace(CSRF_MARK, get_token(request)).replace(SUBMISSION_MARK, fresh),
                request,
            )
        )
    answers = AnswersForm(data, questions=questions, context=ctx)
    publishing = forms.PublishingForm(data, prefix="about")
    monitoring = equality.EqualityForm(data, prefix="equality")
    honeypot = forms.HoneypotMixin(data)
    token = request.POST.get("token") if data else None
    if data is not None:
        if honeypot.is_spam():
            return refusals.spam(request)
        try:
            signed = signing.loads(token or "", salt=SIGNING_NAMESPACE, max_age=86400 * 2)
            token_value = uuid.UUID(signed)
        except (signing.BadSignature, ValueError):
            token_value = None
        valid = answers.is_valid() & publishing.is_valid() & monitoring.is_valid()
        if token_value is None:
            answers.add_error(
                None, "This page was open too long. Check your answers and send them again."
            )
        elif valid:
            if not ratelimit.allow(request, "respond"):
                return refusals.too_many(request)
            try:
                response, _ = services.response_submit_complete(
                    consultation=consultation,
                    token=token_value,
                    required=[q for q in questions if q.required],
                    answers=answers.answers(),
                    consent=publishing.cleaned_data["consent"],
                    name=publishing.cleaned_data["name"],
                    email=publishing.cleaned_data["email"],
                    equality=monitoring.data_to_store(),
                )
            except services.ConsultationClosed:
                return _closed(request, consultation)
            except services.ResponseIncomplete as error:
                answers.add_error(None, error.messages)
            else:
                # The confirmation is the answer to the POST itself (no session, no redirect):
                # sending the form again, by refresh or retry, shows the same reference.
                code = _withdrawal_code(response)
                return _confirmation(request, consultation, str(response.reference), code)
    token = signing.dumps(str(uuid.uuid4()), salt=SIGNING_NAMESPACE)
    rendered = render(
        request,
        "consultations/respond/one_page.html",
        {
            "consultation": consultation,
            "sections": sections,
            "form": answers,
            "publishing": publishing,
            "monitoring": monitoring,
            "all_forms": [answers, publishing, monitoring],
            "token": token,
            "ctx": ctx,
        },
    )
    if shared:
        page = re.sub(
            r'name="csrfmiddlewaretoken" value="[^"]*"',
            f'name="csrfmiddlewaretoken" value="{CSRF_MARK}"',
            pagecache.freeze(rendered.content.decode(), request).replace(token, SUBMISSION_MARK),
        )
        cache.set(page_key, page, 60 * 60)
    return rendered


@never_cache
def section(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    consultation, sections = _open_consultation(request, slug)
    if not consultation.is_open:
        return _closed(request, consultation)
    if not 1 <= number <= len(sections):
        raise Http404("No such section")
    current = sections[number - 1]
    questions = list(current.questions.all())
    ctx = _structure(consultation)[1]
    response = _current(request, consultation)
    changing = request.GET.get("change") == "1"
    if request.method == "POST":
        form = AnswersForm(request.POST, questions=questions, context=ctx)
        if forms.HoneypotMixin(request.POST).is_spam():
            return refusals.spam(request)
        if form.is_valid():
            try:
                if response is None:
                    # Each start stores a row: counted like a submission, so no one can fill
                    # the database with unfinished responses.
                    if not ratelimit.allow(request, "respond-start"):
                        return refusals.too_many(request)
                    response = services.response_start(consultation=consultation)
                    request.session[_key(consultation)] = str(response.token)
                services.response_save_answers(
                    token=response.token, answers=form.answers(), page=questions
                )
            except services.ConsultationClosed:
                return _closed(request, consultation)
            if "save_for_later" in request.POST:
                code = services.response_resume_code(token=response.token)
                request.session[f"consultation-code:{consultation.pk}"] = code
                return redirect("consultations:saved", slug=consultation.slug)
            if changing:
                return redirect(_url(consultation, "check"))
            nxt = number + 1
            return redirect(_url(consultation, nxt if nxt <= len(sections) else "publishing"))
    else:
        form = AnswersForm(
            initial=_initial(response, questions, ctx), questions=questions, context=ctx
        )
    back = (
        _url(consultation, number - 1)
        if number > 1
        else reverse("consultations:detail", args=[consultation.slug])
    )
    return render(
        request,
        "consultations/respond/section.html",
        {
            "consultation": consultation,
            "section": current,
            "number": number,
            "count": len(sections),
            "form": form,
            "ctx": ctx,
            "back": _url(consultation, "check") if changing else back,
        },
    )


def _require_response(
    request: HttpRequest, slug: str
) -> tuple[Consultation, Response | None, HttpResponse | None]:
    consultation = selectors.consultation_for_viewer(slug=slug, user=request.user)
    if not consultation.is_open:
        return consultation, None, _closed(request, consultation)
    response = _current(request, consultation)
    if response is None:
        return consultation, None, redirect(_url(consultation))
    return consultation, response, None


@never_cache
def publishing(request: HttpRequest, slug: str) -> HttpResponse:
    consultation, response, early = _require_response(request, slug)
    if early is not None or response is None:
        return early  # type: ignore[return-value]
    contact = getattr(response, "contact", None)
    initial = {
        "consent": response.publish_consent if response.answers.exists() else None,
        "name": contact.name if contact else "",
        "email": contact.email if contact else "",
    }
    form = forms.PublishingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_save_publishing(token=response.token, **form.cleaned_data)
        except services.ConsultationClosed:
            return _closed(request, consultation)
        if request.GET.get("change") == "1":
            return redirect(_url(consultation, "check"))
        return redirect(_url(consultation, "equality"))
    sections = selectors.sections_with_questions(consultation=consultation)
    return render(
        request,
        "consultations/respond/publishing.html",
        {"consultation": consultation, "form": form, "back": _url(consultation, len(sections))},
    )


@never_cache
def equality_page(request: HttpRequest, slug: str) -> HttpResponse:
    consultation, response, early = _require_response(request, slug)
    if early is not None or response is None:
        return early  # type: ignore[return-value]
    record = getattr(response, "equality", None)
    form = equality.EqualityForm(request.POST or None, initial=record.data if record else {})
    if request.method == "POST" and form.is_valid():
        try:
            services.response_save_equality(token=response.token, data=form.data_to_store())
        except services.ConsultationClosed:
            return _closed(request, consultation)
        return redirect(_url(consultation, "check"))
    return render(
        request,
        "consultations/respond/equality.html",
        {"consultation": consultation, "form": form, "back": _url(consultation, "publishing")},
    )


@never_cache
def check(request: HttpRequest, slug: str) -> HttpResponse:
    consultation, response, early = _require_response(request, slug)
    if early is not None or response is None:
        return early  # type: ignore[return-value]
    problems: list[str] = []
    if request.method == "POST":
        if request.POST.get("token") != str(response.token):
            problems.append("This answer sheet is out of date. Check your answers and send again.")
        elif not ratelimit.allow(request, "respond"):
            return refusals.too_many(request)
        else:
            try:
                sent = services.response_submit(token=response.token)
            except services.ConsultationClosed:
                return _closed(request, consultation)
            except services.ResponseIncomplete as error:
                problems = list(error.messages)
            except ValidationError as error:
                problems = list(error.messages)
            else:
                request.session.pop(_key(consultation), None)
                request.session[_done_key(consultation)] = sent.reference
                request.session[_withdrawal_key(consultation)] = _withdrawal_code(sent)
                return redirect("consultations:confirmation", slug=consultation.slug)
    sections = selectors.sections_with_questions(consultation=consultation)
    saved = selectors.response_answers(response=response)
    record = getattr(response, "equality", None)
    return render(
        request,
        "consultations/respond/check.html",
        {
            "consultation": consultation,
            "response": response,
            "sections": sections,
            "saved": saved,
            "contact": getattr(response, "contact", None),
            "equality_answered": len(record.data) if record else 0,
            "problems": problems,
            "problem_items": [{"text": p} for p in problems],
            "back": _url(consultation, "equality"),
        },
    )


@never_cache
@require_safe
def saved(request: HttpRequest, slug: str) -> HttpResponse:
    consultation, response, early = _require_response(request, slug)
    if early is not None or response is None:
        return early  # type: ignore[return-value]
    code = request.session.get(f"consultation-code:{consultation.pk}")
    if not code:
        return redirect(_url(consultation, "check"))
    return render(
        request,
        "consultations/respond/saved.html",
        {
            "consultation": consultation,
            "code": code,
            "days": RESUME_DAYS,
            # The code stops working at whichever comes first: its own expiry or the close.
            "until": min(
                response.resume_expires_at or consultation.closes_at, consultation.closes_at
            ),
            "closes_first": not response.resume_expires_at
            or consultation.closes_at <= response.resume_expires_at,
        },
    )


@never_cache
@require_safe
def confirmation(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_for_viewer(slug=slug, user=request.user)
    reference = request.session.get(_done_key(consultation))
    if not reference:
        return redirect("consultations:detail", slug=consultation.slug)
    return render(
        request,
        "consultations/respond/confirmation.html",
        {
            "consultation": consultation,
            "reference": reference,
            "withdrawal_code": request.session.get(_withdrawal_key(consultation), ""),
        },
    )


@never_cache
def resume(request: HttpRequest) -> HttpResponse:
    form = forms.ResumeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow(request, "resume"):
            return refusals.too_many(request)
        response = services.response_resume(code=form.cleaned_data["code"])
        if response is None:
            form.add_error(
                "code",
                "We could not find a saved response with that code. Check it, or start again: "
                "codes last 28 days and stop working once a response is sent.",
            )
        elif not response.consultation.is_open:
            return _closed(request, response.consultation)
        else:
            request.session[_key(response.consultation)] = str(response.token)
            return redirect(_resume_at(response))
    return render(request, "consultations/resume.html", {"form": form})


def _resume_at(response: Response) -> str:
    """Where a returning respondent carries on: the first section with nothing answered in
    it, else (every section has answers) checking their answers."""
    consultation = response.consultation
    if consultation.one_page:
        return _url(consultation)
    answered = set(selectors.response_answers(response=response))
    for number, section in enumerate(_structure(consultation)[0], start=1):
        if not any(q.pk in answered for q in section.questions.all()):
            return _url(consultation, number)
    return _url(consultation, "check")
