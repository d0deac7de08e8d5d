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

from .test_return_batches import ReturnCommon
from .test_supplier_deposits import deposit_accounting

ROLES = ("user", "manager", "finance", "warehouse", "station", "internal", "portal")
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
        assert self.ok | self.user_error <= set(ROLES), label

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
        }
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

    def _active_deposit_with_balance(self):
        """A withholding deposit of a purchase whose bill withheld 5%."""
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.chassis_maker.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.chassis_part.id,
                            "product_qty": 1,
                            "price_unit": 20000.0,
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

    def movement_posted(self):
        movement = self.movement_approved()
        movement.action_post()
        return movement

    # ------------------------------------------------------------------

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
            for role in ROLES:
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
