# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def post_init_hook(env):
    """Fit OCA's helpdesk stages to the after-sales deadlines.

    OCA's SLA counts a deadline as met once a ticket reaches a stage of equal
    or higher sequence: "On Site" (this module's) must come before "Awaiting",
    and closing as "Done" schedules the return visit. Done once, at install:
    later changes to the stages are the user's.
    """
    order = [
        ("aftersales_service.helpdesk_ticket_stage_on_site", 3),
        ("helpdesk_mgmt.helpdesk_ticket_stage_awaiting", 4),
        ("helpdesk_mgmt.helpdesk_ticket_stage_done", 5),
        ("helpdesk_mgmt.helpdesk_ticket_stage_cancelled", 6),
        ("helpdesk_mgmt.helpdesk_ticket_stage_rejected", 7),
    ]
    for xmlid, sequence in order:
        stage = env.ref(xmlid, raise_if_not_found=False)
        if stage:
            stage.sequence = sequence
    done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done", raise_if_not_found=False)
    if done:
        done.aftersales_return_visit = True
