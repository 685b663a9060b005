"""``{% parentvoice_queue_link %}``: the care queue's link to parents' requests about the
record, with how many are open (one count query; nothing for other users)."""

from django import template

from bondgenoot import access
from bondgenoot.parentvoice.models import RecordRequest

register = template.Library()


@register.inclusion_tag("parentvoice/_queue_link.html", takes_context=True)
def parentvoice_queue_link(context) -> dict:
    user = context["request"].user
    if not access.record_request_schools(user):
        return {"show": False}
    requests = access.record_requests_for_care(user).filter(status=RecordRequest.Status.OPEN)
    return {"show": True, "open": requests.count()}
