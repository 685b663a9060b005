"""``{% case_summaries pupil lang %}``: on the parent portal's child page, this parent's
open invitations to a case discussion about the child (answered on the invitation's own
page, so with or without an account), and the published
summaries of case discussions about this child, only while a parent's or the pupil's
consent is in force (``access.summaries_for_parent``), in the parent's language where a
translation exists (else Dutch), with a heading from ``parent_texts.toml``."""

from django import template

from bondgenoot import access
from bondgenoot.cases import texts

register = template.Library()


@register.inclusion_tag("cases/_parent_summaries.html", takes_context=True)
def case_summaries(context, pupil, lang: str) -> dict:
    user = context["request"].user
    rows = []
    for item in access.summaries_for_parent(user, pupil).only("summary", "discussion__starts_at"):
        translated = {t.language: t.text for t in item.translations.all()}
        language = lang if translated.get(lang) else "nl"
        rows.append(
            {
                "at": item.discussion.starts_at,
                "text": translated.get(lang) or item.summary,
                "language": language,
            }
        )
    language = texts.language_for(lang)
    invitations = [
        {"token": i.token, "when": texts.when(i.item.discussion, language), "answer": i.answer}
        for i in access.case_invitations_for_parent(user, pupil).only(
            "token", "answer", "item__discussion__starts_at"
        )
    ]
    return {
        "invitations": invitations,
        "t": texts.texts(language),
        "rows": rows,
        "pupil": pupil,
        "lang": lang,
        "heading": texts.texts(texts.language_for(lang))["summary_heading"],
    }
