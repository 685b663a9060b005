"""The Meldcode's five steps and its decision framework (afwegingskader), as rules.

Pure functions, no models: the actions ask them whether a step or an answer may be
recorded now, the pages ask them what comes next.

The decision framework asks, in order (stopping where the answer decides):
1. Is there, after steps 1 to 3, a suspicion of domestic violence or child abuse?
   No: the route ends without a report.
2. Is the child acutely or structurally unsafe? Yes: report to Veilig Thuis.
3. Can we offer or organise help that works? No: report.
4. Do the people concerned accept that help? No: report.
5. Does the help lead to lasting safety in time? No: report. Yes: help, no report.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

STEPS = {
    1: _("Map the signals"),
    2: _("Consult a colleague and, if needed, Veilig Thuis (anonymously)"),
    3: _("Talk with the parents and the pupil"),
    4: _("Weigh the risk with the decision framework"),
    5: _("Decide: organise help and/or report"),
}

QUESTIONS = {
    1: _("Is there a suspicion of domestic violence or child abuse?"),
    2: _("Is the child acutely or structurally unsafe?"),
    3: _("Can we offer or organise help that works?"),
    4: _("Do the people concerned accept that help?"),
    5: _("Does the help lead to lasting safety in time?"),
}

NO_SUSPICION, REPORT, HELP = "none", "report", "help"

# The decisions each outcome allows at step 5.
ALLOWED = {NO_SUSPICION: {"none"}, REPORT: {"report", "both"}, HELP: {"help", "both"}}


def outcome(answers: dict[int, bool]) -> str | None:
    """What the answers so far decide, or None while a question is still open."""
    if 1 not in answers:
        return None
    if not answers[1]:
        return NO_SUSPICION
    if 2 not in answers:
        return None
    if answers[2]:
        return REPORT
    for question in (3, 4, 5):
        if question not in answers:
            return None
        if not answers[question]:
            return REPORT
    return HELP


def next_question(answers: dict[int, bool]) -> int | None:
    if outcome(answers) is not None:
        return None
    return next(q for q in QUESTIONS if q not in answers)


def next_step(done: set[int]) -> int | None:
    return next((s for s in STEPS if s not in done), None)


def step_problem(
    step: int, done: set[int], answers: dict[int, bool], skip_reason: str, decision: str
) -> str:
    """Why this step cannot be recorded now ("" when it can)."""
    if step != next_step(done):
        return str(_("Record the steps in order."))
    if skip_reason and step != 3:
        return str(_("Only the talk with the parents and the pupil can be skipped."))
    if step == 4 and outcome(answers) is None:
        return str(_("First answer the questions of the decision framework."))
    if step == 5:
        result = outcome(answers)
        if result is None:
            return str(_("First answer the questions of the decision framework."))
        if decision not in ALLOWED[result]:
            return str(_("This decision does not follow from the decision framework."))
    return ""
