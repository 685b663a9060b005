"""The one access policy: who may see and do what.

Every view and every query that touches pupils, families or records goes through this
package. ``core`` holds the capability table (which roles may do what at a school) and
the primitives; one module per domain builds the record rules from them. It answers in
two forms:

* querysets: ``families_visible_to(user)``, ``pupils_visible_to(user)``, ... which
  views filter on, so that a list can never show more than the user may see;
* helpers that return one object or raise ``Http404`` (never 403 for records the user
  may not see, so that a user cannot learn that a record exists): ``get_family``.

A user can hold several roles (at one or more schools): they get the union.
Memberships are read once per request and cached on the user object.

The layers: views and panels call this package; it uses the querysets and models of
the apps; models and querysets never import it.
"""

from .bridges import (
    ConsentScope,
    bridged_families,
    can_view_registry,
    consent_scope,
    consented_bridges,
    get_bridge_for_edit,
    get_bridge_for_key_figure,
    get_key_figure_for_edit,
    key_figures_visible_to,
    registry_schools,
)
from .core import (
    CAPABILITIES,
    authored_by,
    can,
    forget_roles,
    get_or_404,
    has_role,
    is_active_user,
    requires_two_factor,
    roles,
    roles_by_school,
    schools_for,
    schools_with_role,
)
from .families import (
    can_edit_family,
    can_list_families,
    families_visible_to,
    get_family,
    get_family_for_edit,
    get_pupil,
    groups_for_filter,
    mentored_pupils,
    parent_pupils,
    pupils_visible_to,
    taught_pupils,
    works_with_families,
    works_with_family,
)
from .figures import (
    audit_schools,
    can_browse_audit,
    can_list_monitor_names,
    can_view_monitor,
    monitor_families,
    monitor_groups,
    monitor_schools,
)
from .ledger import (
    can_view_contacts,
    contact_families,
    contacts_visible_to,
    get_contact_for_edit,
    get_family_for_logging,
    get_next_step_for_edit,
    loggable_pupils,
    next_step_owner_choices,
    next_steps_visible_to,
    own_contacts,
    works_with_contacts,
)
from .meetings import (
    can_check_in,
    can_manage_meeting,
    can_organise_meetings,
    check_in_families,
    get_meeting,
    meeting_schools,
    meetings_visible_to,
    whole_school_meeting_schools,
)
from .messages import can_write_messages, get_message, message_groups, messages_visible_to
from .network import (
    agreement_schools,
    can_break_glass,
    can_record_signals,
    care_schools,
    chronology_pupil,
    get_share_for_care,
    get_share_for_partner,
    get_signal,
    own_signals,
    partner_shares,
    queue_shares,
    queue_signals,
    sees_interpretation,
    signal_count_schools,
    signals_visible_to,
)
