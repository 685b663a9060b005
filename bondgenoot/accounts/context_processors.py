from bondgenoot import access


def navigation(request):
    """What the main navigation offers this user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_families": access.can_list_families(user),
        "nav_audit": access.can_browse_audit(user),
        "nav_actions": access.works_with_contacts(user),
        "nav_campaign": access.works_with_contacts(user),
        "nav_monitor": access.can_view_monitor(user),
        "nav_messages": access.works_with_contacts(user),
        "nav_meetings": access.can_organise_meetings(user),
        "nav_signals": access.can_record_signals(user),
        "nav_partner": access.can(user, "partner.inbox"),
        "nav_registry": access.can_view_registry(user),
        "nav_bridges": access.can(user, "bridges.key_figure"),
        "nav_cases": access.can_manage_cases(user) or access.can(user, "cases.participate"),
        "nav_patterns": access.can_view_patterns(user),
        # Protocols: in the menu for their writers and for staff without case discussions
        # (school leaders, administrators); the others find them on the case list.
        "nav_protocols": access.can_write_protocols(user)
        or (access.can(user, "protocols.staff") and not access.can(user, "cases.participate")),
        "nav_admin": access.can_read_register(user),
    }
