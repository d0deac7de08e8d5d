# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may do what: one table, every role, every workflow step.

Each row is a document in a given state (made as the superuser), an
operation (create, write of a workflow field, unlink, an ``action_*``
method) and the roles that may do it; every other role is refused. Roles
named in ``user_error`` may reach the operation but the workflow refuses it
(a ``UserError`` that is not an ``AccessError``: wrong state, final record,
field owned by a transition); the rest get an ``AccessError``.

Adding a public method or a workflow field adds a row here.
"""

from contextlib import closing
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from .test_project_retention import post_invoice, project_contract, retention_accounting
from .test_return_batches import ReturnCommon
from .test_supplier_deposits import deposit_accounting

ROLES = ("user", "manager", "finance", "warehouse", "station", "internal", "portal")
# The reviewers of seed 001 §8.8 (after-sales users too): checked on the rows
# that name one of them, refused there unless named.
REVIEWERS = ("quality", "general")
INTERNAL = ("user", "manager", "finance")
JUNE = date(2026, 6, 1)


class Row:
    def __init__(self, label, fixture, operation, ok=(), user_error=(), context=None):
        self.label = label
        self.fixture = fixture
        self.operation = operation
        self.ok = set(ok.split() if isinstance(ok, str) else ok)
        self.user_error = set(
            user_error.split() if isinstance(user_error, str) else user_error
        )
        self.context = context or {}
        assert not (self.ok & self.user_error), label
        assert self.ok | self.user_error <= set(ROLES + REVIEWERS), label

    def roles(self):
        if (self.ok | self.user_error) & set(REVIEWERS):
            return ROLES + REVIEWERS
        return ROLES

    def expected(self, role):
        if role in self.ok:
            return None
        if role in self.user_error:
            return UserError
        return AccessError


def create(vals_factory):
    def operation(test, model):
        return model.create(vals_factory(test))

    return operation


def write(vals_factory):
    def operation(test, record):
        return record.write(
            vals_factory(test) if callable(vals_factory) else vals_factory
        )

    return operation


def unlink(test, record):
    return record.unlink()


def call(method, *args, **kwargs):
    def operation(test, record):
        return getattr(record, method)(*args, **kwargs)

    return operation


def wizard(model, vals_factory, method="action_confirm"):
    """Open a wizard on the record as the role and confirm it."""

    def operation(test, record):
        wiz = record.env[model].create(vals_factory(test, record))
        return getattr(wiz, method)()

    return operation


def _slot_wizard(appointment):
    action = appointment.action_find_slots()
    return appointment.env[action["res_model"]].browse(action["res_id"])


def book_first_slot(test, appointment):
    """Find the free slots as the role and book the first one."""
    return _slot_wizard(appointment).line_ids[:1].action_book()


def search_slots_again(test, appointment):
    """Find the free slots as the role, then search again."""
    return _slot_wizard(appointment).action_search()


def add_appointment_part(test, appointment):
    return appointment.env["aftersales.appointment.line"].create(
        {"appointment_id": appointment.id, "product_id": test.spare.id}
    )


U, M, F = "user", "manager", "finance"
ALL_INTERNAL = "user manager finance"

MATRIX = [
    # ---------------------------------------------------------------- claims
    Row(
        "claim: create a draft",
        "claim_model",
        create(lambda t: t._claim_vals()),
        ok=ALL_INTERNAL,
    ),
    Row(
        "claim: create already approved",
        "claim_model",
        create(lambda t: dict(t._claim_vals(), state="approved")),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim: create already eligible",
        "claim_model",
        create(lambda t: dict(t._claim_vals(), eligible=True)),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim: write state",
        "claim_draft",
        write({"state": "approved"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim: write eligibility",
        "claim_submitted",
        write({"eligible": True, "remedy": "Refund"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim: write rejection reason",
        "claim_appraised",
        write({"rejection_reason": "typed"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim: write the repair-fee bill link",
        "claim_approved",
        write(lambda t: {"compensation_move_id": t._some_bill().id}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim: write signed on",
        "claim_draft",
        write({"customer_signed_on": "2026-06-02 10:00:00"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim: edit a draft",
        "claim_draft",
        write({"fault_phenomenon": "Noise"}),
        ok=ALL_INTERNAL,
    ),
    Row(
        "claim: move a draft to another station",
        "claim_draft",
        write(lambda t: {"station_id": t.other_station.id}),
        ok=ALL_INTERNAL,
    ),
    Row(
        "claim: edit an approved claim's customer",
        "claim_approved",
        write(lambda t: {"partner_id": t.dealer.id}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim: edit an approved claim's failure date",
        "claim_approved",
        write({"failure_date": "2026-05-01"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim: record the repair result of an approved claim",
        "claim_approved",
        write({"repair_result": "fixed"}),
        ok=ALL_INTERNAL,
    ),
    Row(
        "claim: change an appraised claim's failure date",
        "claim_appraised",
        write({"failure_date": "2026-05-01", "mileage": 99999}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim: complete an appraised claim's costs",
        "claim_appraised",
        write({"surcharge_percent": 12.0}),
        ok=ALL_INTERNAL,
    ),
    Row(
        "claim: NaN mileage",
        "claim_draft",
        write({"mileage": float("nan")}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim: impossible failure date",
        "claim_draft",
        write({"failure_date": "2026-02-30"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim line: infinite cost",
        "claim_draft_line",
        write({"unit_cost": float("inf")}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim line: text as its claim",
        "claim_model",
        lambda t, model: model.env["aftersales.claim.line"].create(
            {"claim_id": "x", "line_type": "labour", "name": "x"}
        ),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim: edit a done claim's handling details",
        "claim_done",
        write({"handling_note": "changed"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim: add a line to an approved claim through the claim",
        "claim_approved",
        write(
            lambda t: {
                "line_ids": [
                    Command.create(
                        {"line_type": "labour", "name": "More", "unit_cost": 500000}
                    )
                ]
            }
        ),
        user_error=ALL_INTERNAL,
    ),
    Row("claim: delete a draft", "claim_draft", unlink, ok=ALL_INTERNAL),
    Row("claim: delete an approved", "claim_approved", unlink, user_error=ALL_INTERNAL),
    Row(
        "claim: action_submit",
        "claim_draft",
        call("action_submit"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "claim: action_appraise",
        "claim_submitted",
        call("action_appraise"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "claim: action_approve",
        "claim_appraised",
        call("action_approve"),
        ok="manager",
    ),
    Row(
        "claim: action_approve a draft",
        "claim_draft",
        call("action_approve"),
        user_error="manager",
    ),
    Row(
        "claim: action_reject opens the wizard",
        "claim_appraised",
        call("action_reject"),
        ok="manager",
    ),
    Row(
        "claim: reject wizard",
        "claim_appraised",
        wizard(
            "aftersales.claim.reject",
            lambda t, claim: {"claim_ids": [Command.set(claim.ids)], "reason": "No"},
        ),
        ok="manager",
    ),
    Row(
        "claim: action_done",
        "claim_approved",
        call("action_done"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "claim: action_done of an appraised claim",
        "claim_appraised",
        call("action_done"),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim: action_reset_to_draft",
        "claim_submitted",
        call("action_reset_to_draft"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "claim: action_check_warranty",
        "claim_submitted",
        call("action_check_warranty"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "claim: action_check_warranty once approved",
        "claim_approved",
        call("action_check_warranty"),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim: action_create_quotation",
        "claim_paid_appraised",
        call("action_create_quotation"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "claim: action_create_quotation of a covered repair",
        "claim_appraised",
        call("action_create_quotation"),
        user_error=ALL_INTERNAL,
    ),
    # ----------------------------------------------------------- claim lines
    Row(
        "claim line: add to a draft claim",
        "claim_draft",
        lambda t, claim: claim.env["aftersales.claim.line"].create(
            {
                "claim_id": claim.id,
                "line_type": "labour",
                "name": "x",
                "unit_cost": 5,
            }
        ),
        ok=ALL_INTERNAL,
    ),
    Row(
        "claim line: add to an approved claim",
        "claim_approved",
        lambda t, claim: claim.env["aftersales.claim.line"].create(
            {
                "claim_id": claim.id,
                "line_type": "labour",
                "name": "x",
                "unit_cost": 500000,
            }
        ),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim line: change the cost on an approved claim",
        "claim_approved_line",
        write({"unit_cost": 500000}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim line: move onto another claim",
        "claim_draft_line",
        write(lambda t: {"claim_id": t._claim().id}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "claim line: delete from a done claim",
        "claim_done_line",
        unlink,
        user_error=ALL_INTERNAL,
    ),
    # ------------------------------------------------------- quality reports
    Row(
        "quality report: write state",
        "quality_report",
        write({"state": "closed"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "quality report: action_analyse",
        "quality_report",
        call("action_analyse"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "quality report: action_corrective_action",
        "quality_report_in_analysis",
        call("action_corrective_action"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "quality report: action_close without corrective action",
        "quality_report_in_action",
        call("action_close"),
        user_error=ALL_INTERNAL,
    ),
    # -------------------------------------------------------------- stations
    Row(
        "station: write state",
        "station_candidate",
        write({"state": "active"}),
        user_error="manager",
    ),
    Row(
        "station: action_activate",
        "station_candidate",
        call("action_activate"),
        ok="manager",
    ),
    Row(
        "station: suspend through the wizard",
        "station_active",
        wizard(
            "aftersales.station.state.change",
            lambda t, station: {
                "station_ids": [Command.set(station.ids)],
                "new_state": "suspended",
                "reason": "Audit",
            },
        ),
        ok="manager",
    ),
    Row(
        "station: edit a closed station",
        "station_closed",
        write({"station_type": "dealer"}),
        user_error="manager",
    ),
    Row(
        "station: delete an active station",
        "station_active",
        unlink,
        user_error="manager",
    ),
    # -------------------------------------------------------------- vouchers
    Row(
        "voucher: create already issued",
        "voucher_model",
        create(lambda t: dict(t._voucher_vals(), state="active")),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "voucher: issued back to draft",
        "voucher_active",
        write({"state": "draft"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "voucher: extend an issued voucher",
        "voucher_active",
        write({"date_end": "2036-01-01"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "voucher: change an issued voucher's customer",
        "voucher_active",
        write(lambda t: {"partner_id": t.dealer.id}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "voucher: action_issue",
        "voucher_draft",
        call("action_issue"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "voucher: void through the wizard",
        "voucher_active",
        wizard(
            "aftersales.warranty.voucher.void",
            lambda t, voucher: {
                "voucher_ids": [Command.set(voucher.ids)],
                "reason": "Sold by mistake",
            },
        ),
        ok="manager",
    ),
    Row(
        "voucher: action_void opens the wizard",
        "voucher_active",
        call("action_void"),
        ok="manager",
    ),
    Row(
        "voucher: delete an issued one", "voucher_active", unlink, user_error="manager"
    ),
    Row(
        "voucher: check_warranty with a number as date",
        "voucher_model",
        call("check_warranty", "CLM-TRUCK", date=20260601),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "voucher: check_warranty",
        "voucher_model",
        call("check_warranty", "CLM-TRUCK", date="2026-06-01"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "voucher: check_warranty_batch",
        "voucher_model",
        call(
            "check_warranty_batch",
            [{"serial": "CLM-TRUCK", "date": "2026-06-01"}, {"serial": "NONE"}],
        ),
        ok=ALL_INTERNAL,
    ),
    Row(
        "voucher: check_warranty_batch with a malformed request",
        "voucher_model",
        call("check_warranty_batch", [{"serial": "CLM-TRUCK", "mileage": "far"}]),
        user_error=ALL_INTERNAL,
    ),
    # --------------------------------------------------------- return batches
    Row(
        "return batch: write state",
        "batch_draft",
        write({"state": "approved"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "return batch: action_submit",
        "batch_draft",
        call("action_submit"),
        ok=ALL_INTERNAL,
        context={"freeze": "2026-06-03"},
    ),
    Row(
        "return batch: action_approve",
        "batch_submitted",
        call("action_approve"),
        ok="manager",
    ),
    Row(
        "return batch: change the month of an approved batch",
        "batch_approved",
        write({"period_date": "2026-07-01"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "return batch: change a shipped batch's quantity",
        "batch_shipped_line",
        write({"quantity": 1}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "return batch: move a line to another batch",
        "batch_draft_line",
        write(lambda t: {"batch_id": t._batch(period=date(2026, 7, 1)).id}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "return batch: settle a shipped batch",
        "batch_shipped",
        call("action_settle"),
        user_error="warehouse",
    ),
    Row(
        "return batch: receive an approved batch",
        "batch_approved",
        call("action_receive"),
        user_error="warehouse",
    ),
    Row(
        "return batch: ship before the window",
        "batch_approved",
        call("action_ship"),
        user_error=ALL_INTERNAL,
        context={"freeze": "2026-06-03"},
    ),
    Row(
        "return batch: count a shipped line",
        "batch_shipped_line",
        write({"received_qty": 10}),
        ok="warehouse",
    ),
    Row(
        "return batch: cancel an approved batch",
        "batch_approved",
        call("action_cancel"),
        ok="manager",
    ),
    Row(
        "return batch: back to draft",
        "batch_submitted",
        call("action_draft"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "return batch: open the special approval",
        "batch_draft",
        call("action_open_special_approval"),
        ok="manager",
    ),
    # ------------------------------------------------------ spare-parts plans
    Row(
        "parts plan: write state",
        "plan_submitted",
        write({"state": "approved"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "parts plan: action_approve",
        "plan_submitted",
        call("action_approve"),
        ok="manager",
    ),
    Row(
        "parts plan: action_approve with a system context key",
        "plan_submitted",
        call("action_approve"),
        ok="manager",
        context={"aftersales_system": True, "aftersales_workflow": True},
    ),
    Row(
        "parts plan: cancel a procured plan",
        "plan_procured",
        call("action_cancel"),
        ok="manager",
    ),
    Row(
        "parts plan: cancel a draft plan",
        "plan_draft",
        call("action_cancel"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "parts plan: change a procured plan's quantity",
        "plan_procured_line",
        write({"product_qty": 99}),
        user_error=ALL_INTERNAL,
    ),
    # ------------------------------------------------------ supplier deposits
    Row(
        "deposit: write state",
        "deposit_draft",
        write({"state": "active"}),
        user_error="finance",
    ),
    Row(
        "deposit: action_activate",
        "deposit_draft",
        call("action_activate"),
        ok="finance",
    ),
    Row(
        "deposit: move the warranty dates once withheld",
        "movement_proposed_deposit",
        write({"date_start": "2025-01-01", "date_end": "2025-12-31"}),
        user_error="finance",
    ),
    Row(
        "deposit movement: a future-dated release is still early",
        "release_future_dated",
        call("action_approve"),
        ok="manager",
    ),
    Row(
        "deposit movement: NaN amount",
        "movement_proposed",
        write({"amount": float("nan")}),
        user_error="manager finance",
    ),
    Row(
        "deposit: cancel one with posted movements",
        "movement_proposed_deposit",
        call("action_cancel"),
        user_error="finance",
    ),
    Row(
        "deposit movement: cancel a proposed deduction",
        "movement_proposed",
        call("action_cancel"),
        ok="manager finance",
    ),
    Row(
        "deposit movement: reverse a posted deduction",
        "movement_posted",
        call("action_reverse"),
        ok="finance",
    ),
    Row(
        "deposit movement: edit a posted deduction",
        "movement_posted",
        write({"amount": 1.0}),
        user_error="manager finance",
    ),
    Row(
        "deposit movement: write state",
        "movement_proposed",
        write({"state": "posted"}),
        user_error="manager finance",
    ),
    Row(
        "deposit movement: approve a deduction",
        "movement_proposed",
        call("action_approve"),
        ok="manager",
    ),
    Row(
        "deposit movement: approve a deduction with a system context key",
        "movement_proposed",
        call("action_approve"),
        ok="manager",
        context={"aftersales_system": True},
    ),
    Row(
        "deposit movement: post an approved deduction",
        "movement_approved",
        call("action_post"),
        ok="finance",
    ),
    # ------------------------------------------- customer retention (project)
    Row(
        "project: open its retention",
        "project_provisional",
        call("action_view_aftersales_retention"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "retention: action_activate",
        "retention_draft",
        call("action_activate"),
        ok="finance",
    ),
    Row(
        "retention: propose a deduction",
        "retention_active",
        call("action_propose_deduction"),
        user_error="manager finance",
    ),
    Row(
        "retention: propose the collection",
        "retention_active",
        call("action_propose_release"),
        ok="finance",
    ),
    Row(
        "retention: turn it into a supplier deposit once withheld",
        "retention_active",
        write({"side": "supplier"}),
        user_error="finance",
    ),
    Row(
        "retention movement: approve an early collection",
        "collection_early",
        call("action_approve"),
        ok="manager",
    ),
    Row(
        "retention movement: post an approved collection",
        "collection_approved",
        call("action_post"),
        ok="finance",
    ),
    Row(
        "retention movement: edit a posted withholding",
        "retention_withholding",
        write({"amount": 1.0}),
        user_error="manager finance",
    ),
    # ------------------------------------------------------ links both ways
    Row(
        "claim: open its quality report",
        "claim_approved",
        call("action_view_quality_report"),
        # The station reads its claim; the link reveals no more than the id.
        ok=ALL_INTERNAL + " station",
    ),
    Row(
        "quality report: open its claim",
        "quality_report",
        call("action_view_claim"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "voucher: open its claims",
        "voucher_active",
        call("action_view_claims"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "voucher: open its service requests",
        "voucher_active",
        call("action_view_tickets"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "station: open its service requests",
        "station_active",
        call("action_view_tickets"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "station: open its claims",
        "station_active",
        call("action_view_claims"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "station: open its return batches",
        "station_active",
        call("action_view_return_batches"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "region: list the provinces without a region",
        "region_model",
        call("action_view_unassigned_states"),
        ok=ALL_INTERNAL,
    ),  # ------------------------------------------------------------ statistics
    Row(
        "claims statistics: read a row of the station's claim",
        "claim_report_row",
        call("read", ["warranty_cost", "customer_amount"]),
        ok="user manager finance station",
    ),
    Row(
        "claims statistics: read what suppliers owe",
        "claim_report_row",
        call("read", ["supplier_amount", "supplier_id"]),
        ok=ALL_INTERNAL,
    ),
    Row(
        "claims statistics: read another station's row",
        "claim_report_other_station_row",
        call("read", ["warranty_cost"]),
        ok=ALL_INTERNAL,
    ),
    Row(
        "claims statistics: write",
        "claim_report_row",
        write({"total_cost": 1.0}),
    ),
    Row(
        "returned goods statistics: read a line of the station",
        "return_report_row",
        call("read", ["quantity", "received_qty"]),
        ok="user manager finance station",
    ),
    Row(
        "voucher statistics: read",
        "voucher_report_row",
        call("read", ["nbr", "active_nbr"]),
        ok=ALL_INTERNAL,
    ),
    Row(
        "indicator run: action_compute",
        "indicator_run_draft",
        call("action_compute"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "indicator run: action_reset_to_draft",
        "indicator_run_computed",
        call("action_reset_to_draft"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "indicator run: write state",
        "indicator_run_draft",
        write({"state": "computed"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "indicator run: open the matrix",
        "indicator_run_computed",
        call("action_view_matrix"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "indicator line: write a figure",
        "indicator_line",
        write({"r1000": 1.0}),
    ),
    Row(
        "ticket: action_send_feedback_card",
        "ticket_done_with_email",
        call("action_send_feedback_card"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "satisfaction campaign: action_start",
        "campaign_draft",
        call("action_start"),
        ok=M,
    ),
    Row(
        "satisfaction campaign: write state",
        "campaign_draft",
        write({"state": "closed"}),
        user_error=M,
    ),
    Row(
        "satisfaction campaign: action_compute_index",
        "campaign_running",
        call("action_compute_index"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "satisfaction campaign: action_close",
        "campaign_running",
        call("action_close"),
        ok=M,
    ),
    Row(
        "satisfaction index: action_recompute_feedback",
        "satisfaction_score_model",
        call("action_recompute_feedback"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "overview: get_work_overview",
        "overview_model",
        call("get_work_overview"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "overview: open the claims to appraise",
        "overview_model",
        call("action_open_tile", "claims_to_appraise"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "overview: open the claims to approve",
        "overview_model",
        call("action_open_tile", "claims_to_approve"),
        ok=M,
    ),
    Row(
        "overview: open the deposits due for release",
        "overview_model",
        call("action_open_tile", "deposits_due"),
        ok=F,
    ),
    Row(
        "overview: open the retentions due for collection",
        "overview_model",
        call("action_open_tile", "retentions_due"),
        ok=F,
    ),
    Row(
        "statistics workbook: print",
        "overview_model",
        wizard(
            "aftersales.statistics.wizard",
            lambda t, record: {"period": "year", "year": 2026},
            method="action_print",
        ),
        ok=ALL_INTERNAL,
    ),
    Row(
        "indicator run: open the chart",
        "indicator_run_computed",
        call("action_view_chart"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "satisfaction campaign: open its invitations",
        "campaign_running",
        call("action_view_invitations"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "satisfaction campaign: open its index",
        "campaign_running",
        call("action_view_scores"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "ticket: open its feedback cards",
        "ticket_done_with_email",
        call("action_view_feedback_cards"),
        ok="user manager finance station",
    ),
    # ------------------------------------------------- engineering projects
    Row(
        "project: open the provisional handover",
        "project_fresh",
        call("action_provisional_handover"),
        ok=M,
    ),
    Row(
        "project: open the formal handover before the provisional",
        "project_fresh",
        call("action_formal_handover"),
        user_error=M,
    ),
    Row(
        "project: open the formal handover",
        "project_provisional",
        call("action_formal_handover"),
        ok=M,
    ),
    Row(
        "project: record the formal handover (wizard)",
        "project_provisional",
        wizard(
            "aftersales.project.handover",
            lambda t, r: {"project_id": r.id, "kind": "formal"},
        ),
        ok=M,
    ),
    Row(
        "project: type a handover date",
        "project_provisional",
        write({"date_formal_handover": JUNE}),
    ),
    Row(
        "project: open its vouchers",
        "project_provisional",
        call("action_view_aftersales_vouchers"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "project: open its service requests",
        "project_provisional",
        call("action_view_aftersales_tickets"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "project: open its claims",
        "project_provisional",
        call("action_view_aftersales_claims"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "project: open its cost plans",
        "project_provisional",
        call("action_view_aftersales_cost_plans"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "project: open its owner contacts",
        "project_provisional",
        call("action_log_owner_contact"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "project: open the cost recording",
        "project_provisional",
        call("action_record_aftersales_cost"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "project: record a cost within the budget (wizard)",
        "project_with_budget",
        wizard(
            "aftersales.project.cost",
            lambda t, r: {"project_id": r.id, "name": "Taxi", "amount": 50.0},
        ),
        ok=ALL_INTERNAL,
    ),
    Row(
        "project: record a cost beyond the budget (wizard)",
        "project_with_budget",
        wizard(
            "aftersales.project.cost",
            lambda t, r: {"project_id": r.id, "name": "Crane", "amount": 99999.0},
        ),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "project: log an owner contact",
        "project_provisional",
        lambda t, r: r.env["aftersales.project.contact"].create(
            {"project_id": r.id, "outcome": "Runs well"}
        ),
        ok=ALL_INTERNAL,
    ),
    Row(
        "project: add installed equipment",
        "project_provisional",
        lambda t, r: r.env["aftersales.project.equipment"].create(
            {"project_id": r.id, "product_id": t.truck.id}
        ),
        ok=ALL_INTERNAL,
    ),
    Row(
        "cost plan: create",
        "cost_plan_model",
        create(lambda t: {"project_id": t.project_provisional().id}),
        ok=ALL_INTERNAL,
    ),
    Row("cost plan: submit", "cost_plan_draft", call("action_submit"), ok=ALL_INTERNAL),
    Row(
        "cost plan: approve",
        "cost_plan_submitted",
        call("action_approve"),
        ok=M,
    ),
    Row(
        "cost plan: send back",
        "cost_plan_submitted",
        call("action_reset_to_draft"),
        ok=M,
    ),
    Row(
        "cost plan: approve an approved",
        "cost_plan_approved",
        call("action_approve"),
        user_error=M,
    ),
    Row(
        "cost plan: write the state",
        "cost_plan_draft",
        write({"state": "approved"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "cost plan: change an approved line",
        "cost_plan_approved",
        lambda t, r: r.line_ids.write({"amount": 1.0}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "cost plan: delete an approved",
        "cost_plan_approved",
        unlink,
        user_error=ALL_INTERNAL,
    ),
    Row(
        "ticket: print the service report of a project",
        "project_ticket",
        call("action_print_service_report"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "ticket: record a cost on its project",
        "project_ticket",
        call("action_record_project_cost"),
        ok=ALL_INTERNAL,
    ),
    # ------------------------------------------------------------- knowledge
    Row(
        "technical document: publish to the stations",
        "document_draft",
        call("action_publish"),
        ok=M,
    ),
    Row(
        "technical document: withdraw",
        "document_published",
        call("action_withdraw"),
        ok=M,
    ),
    Row(
        "technical document: write its status",
        "document_draft",
        write({"state": "published"}),
        user_error=M,
    ),
    Row(
        "technical document: open its downloads",
        "document_published",
        call("action_view_downloads"),
        ok=M,
    ),
    Row(
        "technical document version: replace a released file",
        "document_version",
        write({"filename": "other.pdf"}),
        user_error=M,
    ),
    Row(
        "technical document version: add a version",
        "document_version_model",
        create(
            lambda t: dict(
                t._document_version_vals("2.0"), document_id=t.document_published().id
            )
        ),
        ok=M,
    ),
    Row(
        "claim: publish its case note",
        "claim_approved",
        call("action_publish_case_note"),
        ok=M,
    ),
    Row(
        "claim: publish the case note of a draft",
        "claim_draft",
        call("action_publish_case_note"),
        user_error=M,
    ),
    Row(
        "case note: withdraw",
        "case_note_published",
        call("action_withdraw"),
        ok=M,
    ),
    Row(
        "case note: publish again",
        "case_note_withdrawn",
        call("action_publish"),
        ok=M,
    ),
    Row(
        "exchange criterion: create",
        "exchange_criterion_model",
        create(
            lambda t: {
                "policy_id": t.policy_vehicles.id,
                "kind": "repair_days",
                "number": 3,
            }
        ),
        ok=M,
    ),
    # --------------------------------------------------------- appointments
    Row(
        "appointment: create a draft",
        "appointment_model",
        create(lambda t: t._appointment_vals()),
        ok=ALL_INTERNAL,
    ),
    Row(
        "appointment: create already confirmed",
        "appointment_model",
        create(lambda t: dict(t._appointment_vals(), state="confirmed")),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "appointment: write state",
        "appointment_draft",
        write({"state": "done"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "appointment: write reminder sent",
        "appointment_confirmed",
        write({"reminder_sent": True}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "appointment: write the arrival",
        "appointment_confirmed",
        write({"arrival": "on_time"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "appointment: edit a draft",
        "appointment_draft",
        write({"fault_description": "Noise at start"}),
        ok=ALL_INTERNAL,
    ),
    Row(
        "appointment: move a confirmed appointment's time",
        "appointment_confirmed",
        write(lambda t: {"date_start": fields.Datetime.now() + timedelta(days=3)}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "appointment: edit a done appointment's fault",
        "appointment_done",
        write({"fault_description": "Rewritten"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "appointment: note on a done appointment",
        "appointment_done",
        write({"note": "Kept the old part"}),
        ok=ALL_INTERNAL,
    ),
    Row(
        "appointment: find free slots",
        "appointment_draft",
        call("action_find_slots"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "appointment: book a proposed slot",
        "appointment_draft",
        book_first_slot,
        ok=ALL_INTERNAL,
    ),
    Row(
        "appointment: search the free slots again",
        "appointment_draft",
        search_slots_again,
        ok=ALL_INTERNAL,
    ),
    Row(
        "appointment: confirm",
        "appointment_draft",
        call("action_confirm"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "appointment: confirm twice",
        "appointment_confirmed",
        call("action_confirm"),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "appointment: done, on time",
        "appointment_confirmed",
        call("action_done"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "appointment: done, arrived late",
        "appointment_confirmed",
        call("action_done_late"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "appointment: no-show",
        "appointment_confirmed",
        call("action_no_show"),
        ok=ALL_INTERNAL,
        context={"freeze": "2031-01-01 12:00:00"},
    ),
    Row(
        "appointment: no-show before it starts",
        "appointment_confirmed",
        call("action_no_show"),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "appointment: cancel",
        "appointment_confirmed",
        call("action_cancel"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "appointment: reschedule (back to draft)",
        "appointment_confirmed",
        call("action_draft"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "appointment: cancel a done appointment",
        "appointment_done",
        call("action_cancel"),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "appointment: open its parts reservation",
        "appointment_confirmed",
        call("action_view_picking"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "appointment: open its calendar event",
        "appointment_confirmed",
        call("action_view_calendar_event"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "appointment: delete a draft",
        "appointment_draft",
        unlink,
        ok=ALL_INTERNAL,
    ),
    Row(
        "appointment: delete a confirmed appointment",
        "appointment_confirmed",
        unlink,
        user_error=ALL_INTERNAL,
    ),
    Row(
        "appointment part: add to a confirmed appointment",
        "appointment_confirmed",
        add_appointment_part,
        ok=ALL_INTERNAL,
    ),
    Row(
        "appointment part: add to a done appointment",
        "appointment_done",
        add_appointment_part,
        user_error=ALL_INTERNAL,
    ),
    Row(
        "station: open its appointments",
        "station_active",
        call("action_view_appointments"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "ticket: book an appointment",
        "ticket_open",
        call("action_book_appointment"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "ticket: open its appointments",
        "ticket_open",
        call("action_view_appointments"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "customer: open their appointments",
        "customer_partner",
        call("action_view_aftersales_appointments"),
        ok=ALL_INTERNAL,
    ),
    # ------------------------------------------- reviews (seed 001 §8.8)
    Row(
        "claim: request_validation above the approval threshold",
        "claim_large_appraised",
        call("request_validation"),
        ok="user manager finance quality general",
    ),
    Row(
        "claim: action_approve above the threshold, not reviewed",
        "claim_large_appraised",
        call("action_approve"),
        user_error="manager",
    ),
    Row(
        "claim: action_approve while the general manager has not validated",
        "claim_quality_reviewed",
        call("action_approve"),
        user_error="manager",
    ),
    Row(
        "claim: action_approve once both tiers validated",
        "claim_reviewed",
        call("action_approve"),
        ok="manager",
    ),
    Row(
        "claim: validate_tier at the quality manager's turn",
        "claim_under_review",
        call("validate_tier"),
        ok="quality",
        user_error="general",
    ),
    Row(
        "claim: reject_tier at the quality manager's turn",
        "claim_under_review",
        call("reject_tier"),
        ok="quality",
        user_error="general",
    ),
    Row(
        "claim: validate_tier at the general manager's turn",
        "claim_quality_reviewed",
        call("validate_tier"),
        ok="general",
    ),
    Row(
        "claim: reject_tier at the general manager's turn",
        "claim_quality_reviewed",
        call("reject_tier"),
        ok="general",
    ),
    Row(
        "claim: restart_validation",
        "claim_under_review",
        call("restart_validation"),
        ok="user manager finance quality general",
    ),
    Row(
        "tier review: write a claim review's status",
        "claim_quality_review",
        write({"status": "approved"}),
        user_error="user manager finance warehouse internal quality general",
    ),
    Row(
        "tier review: create a claim review",
        "tier_review_model",
        create(lambda t: t._tier_review_vals()),
        user_error="user manager finance warehouse internal quality general",
    ),
    Row(
        "deposit movement: request_validation of a large deduction",
        "movement_large_proposed",
        call("request_validation"),
        ok="manager finance",
    ),
    Row(
        "deposit movement: approve a large deduction not reviewed",
        "movement_large_proposed",
        call("action_approve"),
        user_error="manager",
    ),
    Row(
        "deposit movement: validate_tier at the quality manager's turn",
        "movement_large_under_review",
        call("validate_tier"),
        ok="quality",
        user_error="general",
    ),
    Row(
        "deposit movement: reject_tier at the quality manager's turn",
        "movement_large_under_review",
        call("reject_tier"),
        ok="quality",
        user_error="general",
    ),
    Row(
        "deposit movement: approve a large deduction once reviewed",
        "movement_large_reviewed",
        call("action_approve"),
        ok="manager",
    ),
    Row(
        "deposit movement: post a reviewed and approved large deduction",
        "movement_large_approved",
        call("action_post"),
        ok="finance",
    ),
    # ------------------------------------------------- periodic inspections
    Row(
        "inspection plan: create",
        "service_plan_model",
        create(lambda t: t._service_plan_vals()),
        ok=M,
    ),
    Row(
        "inspection plan: change the interval",
        "service_plan",
        write({"interval_months": 3}),
        ok=M,
    ),
    Row(
        "inspection plan: negative interval",
        "service_plan",
        write({"interval_months": -1}),
        user_error=M,
    ),
    Row("inspection plan: delete", "service_plan", unlink, ok=M),
    Row(
        "inspection plan: write where its re-planning stands",
        "service_plan",
        write({"replan_pending": True, "replan_after_id": 0}),
    ),
    Row(
        "inspection plan: open its vouchers",
        "service_plan",
        call("action_view_vouchers"),
        ok=ALL_INTERNAL,
    ),
    Row(
        "voucher: write the next inspection date",
        "voucher_active",
        write({"service_date_next": "2026-02-01"}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "voucher: write the inspection plan",
        "voucher_active",
        write(lambda t: {"service_plan_id": t.service_plan().id}),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "voucher: add a reading to a live voucher",
        "voucher_active",
        write({"mileage_reading_ids": [Command.create({"date": JUNE, "km": 1200})]}),
        ok=ALL_INTERNAL,
    ),
    Row(
        "mileage reading: type one",
        "mileage_reading_model",
        create(lambda t: t._mileage_reading_vals()),
        ok=ALL_INTERNAL,
    ),
    Row(
        "mileage reading: type one as a claim's",
        "mileage_reading_model",
        create(lambda t: dict(t._mileage_reading_vals(), source="claim")),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "mileage reading: backwards",
        "mileage_reading_model",
        create(lambda t: dict(t._mileage_reading_vals(), km=10)),
        user_error=ALL_INTERNAL,
    ),
    Row(
        "mileage reading: correct the km",
        "mileage_reading",
        write({"km": 5100}),
        ok=M,
    ),
    Row(
        "mileage reading: move to another voucher",
        "mileage_reading",
        write(lambda t: {"voucher_id": t.voucher_active().id}),
        user_error=M,
    ),
    Row("mileage reading: delete", "mileage_reading", unlink, ok=M),
    Row(
        "requested inspection: create",
        "service_due_model",
        create(
            lambda t: {
                "voucher_id": t.voucher_active().id,
                "company_id": t.env.company.id,
                "kind": "periodic",
                "date_due": "2026-07-15",
            }
        ),
    ),
    Row(
        "requested inspection: move its due date",
        "service_due",
        write({"date_due": "2026-08-01"}),
    ),
    Row("requested inspection: delete", "service_due", unlink),
    Row(
        "ticket: record the odometer",
        "ticket_of_voucher",
        write({"mileage": 4000}),
        ok=ALL_INTERNAL,
    ),
    Row(
        "ticket: a negative odometer",
        "ticket_of_voucher",
        write({"mileage": -4000}),
        user_error=ALL_INTERNAL,
    ),
]


@tagged("post_install", "-at_install")
class TestAccessMatrix(ReturnCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_return_data()
        env = cls.env
        cls.other_station = env["aftersales.station"].create(
            {
                "partner_id": env["res.partner"]
                .create({"name": "Matrix Other Station", "is_company": True})
                .id,
                "region_id": cls.region_east.id,
            }
        )
        station_contact = env["res.partner"].create(
            {"name": "Matrix station clerk", "parent_id": cls.station_partner.id}
        )
        cls.roles = {
            "user": cls.user,
            "manager": cls.manager,
            "finance": new_test_user(
                env,
                login="matrix_finance",
                groups="aftersales_service.group_aftersales_finance",
            ),
            "warehouse": cls.stock_user,
            "station": new_test_user(
                env,
                login="matrix_station",
                groups="base.group_portal,aftersales_service.group_aftersales_station",
                partner_id=station_contact.id,
            ),
            "internal": new_test_user(
                env, login="matrix_internal", groups="base.group_user"
            ),
            "portal": new_test_user(
                env, login="matrix_portal", groups="base.group_portal"
            ),
            "quality": new_test_user(
                env,
                login="matrix_quality",
                groups="aftersales_service.group_aftersales_quality_manager",
            ),
            "general": new_test_user(
                env,
                login="matrix_general",
                groups="aftersales_service.group_aftersales_general_manager",
            ),
        }
        cls.company.aftersales_approval_threshold = 20000.0
        # Plans and deposits
        cls.office_wh = env["stock.warehouse"].create(
            {"name": "Matrix Office", "code": "MXO"}
        )
        cls.region_east.warehouse_id = cls.office_wh
        vendor = env["res.partner"].create({"name": "Matrix Vendor"})
        cls.spare = env["product.product"].create(
            {
                "name": "Matrix spring",
                "is_storable": True,
                "aftersales_spare_part": True,
                "standard_price": 10.0,
                "route_ids": [
                    Command.set(env.ref("purchase_stock.route_warehouse0_buy").ids)
                ],
                "seller_ids": [Command.create({"partner_id": vendor.id, "price": 10})],
            }
        )
        deposit_accounting(env, "99811")
        cls.chassis_part = env["product.product"].create(
            {
                "name": "Matrix chassis assembly",
                "purchase_method": "purchase",
                "supplier_taxes_id": [Command.clear()],
            }
        )

    # ------------------------------------------------------------------
    # Fixtures, made as the superuser
    # ------------------------------------------------------------------

    def claim_model(self):
        return self.env["aftersales.claim"]

    def region_model(self):
        return self.env["aftersales.region"]

    def claim_draft(self):
        return self._claim()

    def claim_submitted(self):
        claim = self._claim()
        claim.action_submit()
        return claim

    def claim_appraised(self):
        claim = self.claim_submitted()
        claim.action_appraise()
        return claim

    def claim_paid_appraised(self):
        claim = self._claim(handling_method="paid_repair")
        claim.action_submit()
        claim.action_appraise()
        return claim

    def claim_approved(self):
        claim = self.claim_appraised()
        claim.action_approve()
        return claim

    def claim_done(self):
        claim = self.claim_approved()
        claim.action_done()
        return claim

    def claim_draft_line(self):
        return self.claim_draft().line_ids[:1]

    def claim_approved_line(self):
        return self.claim_approved().line_ids[:1]

    def _report_row(self, model, record):
        self.env.flush_all()
        return self.env[model].browse(record.id)

    def claim_report_row(self):
        return self._report_row("aftersales.claim.report", self.claim_approved())

    def claim_report_other_station_row(self):
        claim = self._claim(station_id=self.other_station.id)
        return self._report_row("aftersales.claim.report", claim)

    def return_report_row(self):
        line = self.batch_draft().line_ids.filtered(
            lambda line: line.station_id == self.station
        )
        return self._report_row("aftersales.return.report", line)

    def voucher_report_row(self):
        return self._report_row("aftersales.voucher.report", self.voucher_active())

    def indicator_run_draft(self):
        return self.env["aftersales.indicator.run"].create(
            {
                "basis": "sale",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 6, 30),
            }
        )

    def indicator_run_computed(self):
        self.claim_done()
        run = self.indicator_run_draft()
        run.action_compute()
        return run

    def indicator_line(self):
        line = self.indicator_run_computed().line_ids[:1]
        self.assertTrue(line, "the matrix has no cell")
        return line

    def ticket_done_with_email(self):
        partner = self.env["res.partner"].create(
            {"name": "Matrix surveyed customer", "email": "surveyed@example.com"}
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Matrix done ticket",
                "description": "x",
                "team_id": self.env.ref(
                    "aftersales_service.helpdesk_team_aftersales"
                ).id,
                "partner_id": partner.id,
                "station_id": self.station.id,
            }
        )
        ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        return ticket

    def campaign_draft(self):
        return self.env["aftersales.satisfaction.campaign"].create(
            {"year": fields.Date.today().year}
        )

    def campaign_running(self):
        self.ticket_done_with_email()
        campaign = self.campaign_draft()
        campaign.action_start()
        return campaign

    def satisfaction_score_model(self):
        return self.env["aftersales.satisfaction.score"]

    def overview_model(self):
        return self.env["aftersales.overview"]

    def claim_done_line(self):
        return self.claim_done().line_ids[:1]

    def _some_bill(self):
        return self.env["account.move"].create(
            {"move_type": "in_invoice", "partner_id": self.station_partner.id}
        )

    def quality_report(self):
        return self.claim_approved().quality_report_id

    def quality_report_in_analysis(self):
        report = self.quality_report()
        report.action_analyse()
        return report

    def quality_report_in_action(self):
        report = self.quality_report_in_analysis()
        report.action_corrective_action()
        return report

    def station_candidate(self):
        return self.env["aftersales.station"].create(
            {
                "partner_id": self.env["res.partner"]
                .create({"name": "Matrix candidate", "is_company": True})
                .id,
                "region_id": self.region_east.id,
            }
        )

    def station_active(self):
        station = self.station_candidate()
        station.action_activate()
        return station

    def station_closed(self):
        station = self.station_active()
        station._change_state("closed", "Closed down")
        return station

    def _voucher_vals(self):
        return {
            "partner_id": self.customer.id,
            "product_id": self.truck.id,
            "lot_id": self._lot(self.truck, f"MX-{self._serial()}").id,
            "date_delivery": date(2026, 1, 15),
        }

    def _serial(self):
        self._serials = getattr(self, "_serials", 0) + 1
        return self._serials

    def voucher_model(self):
        return self.env["aftersales.warranty.voucher"]

    def voucher_draft(self):
        return self.env["aftersales.warranty.voucher"].create(self._voucher_vals())

    def voucher_active(self):
        voucher = self.voucher_draft()
        voucher.action_issue()
        return voucher

    def batch_draft(self):
        return self._batch()

    def batch_submitted(self):
        batch = self._batch()
        with freeze_time("2026-06-03"):
            batch.action_submit()
        return batch

    def batch_approved(self):
        return self._approved()

    def batch_shipped(self):
        return self._shipped()

    def batch_draft_line(self):
        return self.batch_draft().line_ids[:1]

    def batch_shipped_line(self):
        return self.batch_shipped().line_ids[:1]

    def _plan_vals(self):
        today = fields.Date.context_today(self.env["aftersales.parts.plan"])
        return {
            "warehouse_id": self.office_wh.id,
            "period_date": (today + timedelta(days=62)).replace(day=1),
            "line_ids": [
                Command.create({"product_id": self.spare.id, "product_qty": 5})
            ],
        }

    def plan_draft(self):
        return self.env["aftersales.parts.plan"].create(self._plan_vals())

    def plan_submitted(self):
        plan = self.plan_draft()
        plan.action_submit()
        return plan

    def plan_procured(self):
        plan = self.plan_submitted()
        plan.action_approve()
        return plan

    def plan_procured_line(self):
        return self.plan_procured().line_ids[:1]

    def deposit_draft(self):
        return self.env["aftersales.supplier.deposit"].create(
            {
                "partner_id": self.chassis_maker.id,
                "date_start": fields.Date.today() - timedelta(days=30),
            }
        )

    def _active_deposit_with_balance(self, price=20000.0):
        """A withholding deposit of a purchase whose bill withheld 5%."""
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.chassis_maker.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.chassis_part.id,
                            "product_qty": 1,
                            "price_unit": price,
                            "taxes_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        deposit = self.env["aftersales.supplier.deposit"].create(
            {
                "partner_id": self.chassis_maker.id,
                "purchase_id": order.id,
                "date_start": fields.Date.today() - timedelta(days=30),
            }
        )
        deposit.action_activate()
        bill = self.env["account.move"].browse(order.action_create_invoice()["res_id"])
        bill.invoice_date = fields.Date.today()
        bill.action_post()
        self.assertGreater(deposit.balance, 0, "the bill withheld nothing")
        return deposit, self.env["aftersales.supplier.deposit.movement"]

    def movement_proposed(self):
        deposit, Movement = self._active_deposit_with_balance()
        return Movement.create(
            {
                "deposit_id": deposit.id,
                "kind": "deduction",
                "name": "Matrix deduction",
                "amount": 100.0,
                "reason": "Cracked frame",
                "attachment_ids": [
                    Command.create({"name": "photo.jpg", "raw": b"evidence"})
                ],
            }
        )

    def movement_proposed_deposit(self):
        return self.movement_proposed().deposit_id

    def release_future_dated(self):
        """All of the balance, dated after the warranty ends: still early."""
        deposit, Movement = self._active_deposit_with_balance()
        return Movement.create(
            {
                "deposit_id": deposit.id,
                "kind": "release",
                "name": "Matrix release",
                "amount": deposit.balance,
                "date": deposit.date_end + timedelta(days=1),
                "reason": "Asked early",
            }
        )

    def movement_approved(self):
        movement = self.movement_proposed()
        movement.action_approve()
        return movement

    def retention_draft(self):
        retention_accounting(self.env, "99812")
        project = self.project_fresh()
        project_contract(self.env, project, 40000.0)
        return self.env["aftersales.supplier.deposit"].create(
            {"side": "customer", "project_id": project.id}
        )

    def retention_active(self):
        """A project's retention that withheld 5% of its first invoice."""
        retention = self.retention_draft()
        retention.action_activate()
        post_invoice(retention.project_id.aftersales_sale_order_id)
        self.assertEqual(retention.balance, 2000.0)
        return retention

    def retention_withholding(self):
        return self.retention_active().movement_ids

    def collection_early(self):
        retention = self.retention_active()
        return self.env["aftersales.supplier.deposit.movement"].create(
            {
                "deposit_id": retention.id,
                "kind": "collection",
                "name": "Matrix collection",
                "amount": retention.balance,
                "reason": "Asked early",
            }
        )

    def collection_approved(self):
        movement = self.collection_early()
        movement.action_approve()
        return movement

    def movement_posted(self):
        movement = self.movement_approved()
        movement.action_post()
        return movement

    # Engineering projects

    def project_fresh(self):
        return self.env["project.project"].create(
            {
                "name": "Matrix plant",
                "partner_id": self.customer.id,
                "company_id": self.env.company.id,
                "is_aftersales_project": True,
            }
        )

    def project_provisional(self):
        project = self.project_fresh()
        project._record_handover(
            "provisional", fields.Date.today() - timedelta(days=10)
        )
        return project

    def project_with_budget(self):
        project = self.project_provisional()
        self._cost_plan(project, "approved")
        return project

    def _cost_plan(self, project, state):
        return self.env["aftersales.project.cost.plan"].create(
            {
                "project_id": project.id,
                "state": state,
                "line_ids": [Command.create({"cost_type": "travel", "amount": 900})],
            }
        )

    def cost_plan_model(self):
        return self.env["aftersales.project.cost.plan"]

    def cost_plan_draft(self):
        return self._cost_plan(self.project_provisional(), "draft")

    def cost_plan_submitted(self):
        return self._cost_plan(self.project_provisional(), "submitted")

    def cost_plan_approved(self):
        return self._cost_plan(self.project_provisional(), "approved")

    def project_ticket(self):
        return self.env["helpdesk.ticket"].create(
            {
                "name": "Matrix pump",
                "description": "x",
                "project_id": self.project_provisional().id,
                "team_id": self.env.ref(
                    "aftersales_service.helpdesk_team_aftersales"
                ).id,
            }
        )

    def _appointment_station(self):
        """The station open round the clock, with a technician and a bay."""
        station = self.station
        if not station.bay_ids:
            station.resource_calendar_id = self.env["resource.calendar"].create(
                {
                    "name": "Matrix round the clock",
                    "tz": "UTC",
                    "attendance_ids": [Command.clear()]
                    + [
                        Command.create(
                            {
                                "name": "Day",
                                "dayofweek": str(day),
                                "hour_from": 0,
                                "hour_to": 24,
                                "day_period": "morning",
                            }
                        )
                        for day in range(7)
                    ],
                }
            )
            self.env["aftersales.station.technician"].create(
                {"name": "Matrix technician", "station_id": station.id}
            )
            self.env["aftersales.station.bay"].create(
                {"name": "Matrix bay", "station_id": station.id}
            )
        return station

    def _appointment_vals(self):
        start = fields.Datetime.now() + timedelta(days=1)
        return {
            "partner_id": self.customer.id,
            "station_id": self._appointment_station().id,
            "date_start": start.replace(minute=0, second=0, microsecond=0),
            "duration": 1.0,
            "fault_description": "Matrix fault",
        }

    def appointment_model(self):
        return self.env["aftersales.appointment"]

    def appointment_draft(self):
        return self.env["aftersales.appointment"].create(self._appointment_vals())

    def appointment_confirmed(self):
        appointment = self.appointment_draft()
        appointment.line_ids = [Command.create({"product_id": self.spare.id})]
        appointment.action_confirm()
        return appointment

    def appointment_done(self):
        appointment = self.appointment_confirmed()
        appointment.action_done()
        return appointment

    def ticket_open(self):
        return self.env["helpdesk.ticket"].create(
            {
                "name": "Matrix open ticket",
                "description": "x",
                "partner_id": self.customer.id,
                "station_id": self.station.id,
            }
        )

    def customer_partner(self):
        return self.customer

    # Reviews (seed 001 §8.8): 30,300 above the 20,000 threshold.

    def claim_large_appraised(self):
        claim = self._claim(
            line_ids=[
                Command.create(
                    {
                        "line_type": "part",
                        "product_id": self.compressor.id,
                        "quantity": 30,
                    }
                ),
                Command.create(
                    {"line_type": "labour", "name": "Labour", "unit_cost": 300.0}
                ),
            ]
        )
        claim.action_submit()
        claim.action_appraise()
        return claim

    def claim_under_review(self):
        claim = self.claim_large_appraised()
        claim.request_validation()
        return claim

    def claim_quality_reviewed(self):
        claim = self.claim_under_review()
        claim.with_user(self.roles["quality"]).validate_tier()
        return claim

    def claim_reviewed(self):
        claim = self.claim_quality_reviewed()
        claim.with_user(self.roles["general"]).validate_tier()
        return claim

    def claim_quality_review(self):
        return self.claim_under_review().review_ids.sorted("sequence")[:1]

    def tier_review_model(self):
        return self.env["tier.review"]

    def _tier_review_vals(self):
        claim = self.claim_large_appraised()
        return {
            "model": claim._name,
            "res_id": claim.id,
            "definition_id": self.env.ref(
                "aftersales_service.tier_definition_claim_general_manager"
            ).id,
            "status": "approved",
        }

    def movement_large_proposed(self):
        deposit, Movement = self._active_deposit_with_balance(price=1000000.0)
        return Movement.create(
            {
                "deposit_id": deposit.id,
                "kind": "deduction",
                "name": "Matrix large deduction",
                "amount": 21000.0,
                "reason": "Chassis series failure",
                "attachment_ids": [
                    Command.create({"name": "photo.jpg", "raw": b"evidence"})
                ],
            }
        )

    def movement_large_under_review(self):
        movement = self.movement_large_proposed()
        movement.request_validation()
        return movement

    def movement_large_reviewed(self):
        movement = self.movement_large_under_review()
        movement.with_user(self.roles["quality"]).validate_tier()
        movement.with_user(self.roles["general"]).validate_tier()
        return movement

    def movement_large_approved(self):
        movement = self.movement_large_reviewed()
        movement.action_approve()
        return movement

    # ------------------------------------------------------------------

    def _document_version_vals(self, name="1.0"):
        return {
            "name": name,
            "datas": "JVBERi0=",
            "filename": f"manual-{name}.pdf",
        }

    def document_draft(self):
        return self.env["aftersales.technical.document"].create(
            {
                "name": "Matrix manual",
                "categ_id": self.categ_vehicles.id,
                "version_ids": [Command.create(self._document_version_vals())],
            }
        )

    def document_published(self):
        document = self.document_draft()
        document.action_publish()
        return document

    def document_version(self):
        return self.document_published().version_ids

    def document_version_model(self):
        return self.env["aftersales.technical.document.version"]

    def case_note_published(self):
        action = self.claim_approved().action_publish_case_note()
        return self.env["aftersales.case.note"].browse(action["res_id"])

    def case_note_withdrawn(self):
        note = self.case_note_published()
        note.action_withdraw()
        return note

    def exchange_criterion_model(self):
        return self.env["aftersales.warranty.exchange.criterion"]

    def _run(self, row, role):
        user = self.roles[role]
        with closing(self.env.cr.savepoint()):
            subject = getattr(self, row.fixture)()
            subject = subject.with_user(user).with_context(**row.context)
            if "freeze" in row.context:
                with freeze_time(row.context["freeze"]):
                    return self._attempt(row, subject)
            return self._attempt(row, subject)

    def _attempt(self, row, subject):
        try:
            row.operation(self, subject)
            subject.env.flush_all()
        except Exception as error:  # noqa: BLE001 - a traceback is a finding too
            return error
        return None

    def test_access_matrix(self):
        """Every row, every role: allowed, or refused with the right error."""
        mismatches = []
        for row in MATRIX:
            for role in row.roles():
                expected = row.expected(role)
                got = self._run(row, role)
                if expected is None:
                    wrong = got is not None
                elif expected is AccessError:
                    wrong = not isinstance(got, AccessError)
                else:
                    wrong = not isinstance(got, UserError) or isinstance(
                        got, AccessError
                    )
                if wrong:
                    mismatches.append(
                        f"{row.label} as {role}: expected "
                        f"{expected.__name__ if expected else 'allowed'}, got "
                        f"{type(got).__name__ if got else 'allowed'}"
                        f"{f' ({got})' if got else ''}"
                    )
        self.assertFalse(mismatches, "\n" + "\n".join(mismatches))

    def test_matrix_rows_name_known_fixtures(self):
        for row in MATRIX:
            self.assertTrue(callable(getattr(self, row.fixture, None)), row.label)

    def test_links_stay_within_the_company(self):
        """Linking another company's customer, serial or station is refused:
        the link would show its name to users of this company."""
        other = self.env["res.company"].create({"name": "Matrix Other Maker"})
        foreign_customer = self.env["res.partner"].create(
            {"name": "Secret customer", "company_id": other.id}
        )
        foreign_lot = self.env["stock.lot"].create(
            {"name": "SECRET-1", "product_id": self.truck.id, "company_id": other.id}
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Matrix ticket",
                "description": "x",
                "team_id": self.env.ref(
                    "aftersales_service.helpdesk_team_aftersales"
                ).id,
            }
        )
        claim = self._claim()
        customer = ticket.partner_id
        for record, values in (
            (ticket, {"partner_id": foreign_customer.id}),
            (ticket, {"lot_id": foreign_lot.id}),
            (claim, {"partner_id": foreign_customer.id}),
            (claim, {"lot_id": foreign_lot.id}),
        ):
            with self.subTest(model=record._name, values=values):
                with self.assertRaisesText(UserError, "(?i)compan"):
                    record.with_user(self.user).write(values)
        self.assertEqual(ticket.partner_id, customer)
        self.assertEqual(claim.partner_id, self.customer)

    def test_values_out_of_range_are_refused_in_words(self):
        """What would overflow the date arithmetic, the currency rounding or a
        database CHECK is refused with the field's name, nothing written."""
        finance = self.roles["finance"]
        cases = [
            (
                self.policy_vehicles.with_user(self.manager),
                {"repair_months": 10**8},
                "at most 1200",
            ),
            (
                self.voucher.coverage_line_ids[:1].with_user(self.manager),
                {"months": 10**8},
                "at most 1200|Active",
            ),
            (
                self.plan_draft().with_user(self.user),
                {"history_months": 100000},
                "at most 120",
            ),
        ]
        for record, values, message in cases:
            with self.subTest(model=record._name):
                with self.assertRaisesText(UserError, message):
                    record.write(values)
        Wizard = self.env["aftersales.station.deposit"].with_user(finance)
        with self.assertRaisesText(ValidationError, "a number is expected"):
            Wizard.create({"station_id": self.station.id, "amount": float("nan")})
        self.assertEqual(self.policy_vehicles.repair_months, 24)

    # ------------------------------------------------ periodic inspections

    def _service_plan_vals(self):
        category = self.env["product.category"].create(
            {"name": f"Matrix plan {self._serial()}"}
        )
        return {"name": "Matrix plan", "categ_id": category.id, "interval_months": 6}

    def service_plan_model(self):
        return self.env["aftersales.service.plan"]

    def service_plan(self):
        return self.service_plan_model().create(self._service_plan_vals())

    def mileage_reading_model(self):
        return self.env["aftersales.mileage.reading"]

    def _mileage_reading_vals(self):
        voucher = self.voucher_active()
        self.mileage_reading_model().create(
            {"voucher_id": voucher.id, "date": "2026-05-01", "km": 3000}
        )
        return {"voucher_id": voucher.id, "date": JUNE, "km": 5000}

    def mileage_reading(self):
        return self.mileage_reading_model().create(self._mileage_reading_vals())

    def service_due_model(self):
        return self.env["aftersales.service.due"]

    def service_due(self):
        voucher = self.voucher_active()
        return self.service_due_model().create(
            {
                "voucher_id": voucher.id,
                "company_id": voucher.company_id.id,
                "kind": "periodic",
                "sequence": 1,
                "date_due": "2026-07-15",
            }
        )

    def ticket_of_voucher(self):
        voucher = self.voucher_active()
        return self.env["helpdesk.ticket"].create(
            {
                "name": "Matrix inspected",
                "description": "x",
                "team_id": self.env.ref(
                    "aftersales_service.helpdesk_team_aftersales"
                ).id,
                "partner_id": voucher.partner_id.id,
                "lot_id": voucher.lot_id.id,
                "station_id": self.station.id,
            }
        )
