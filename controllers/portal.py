# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import binascii

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

CLAIMS_PER_PAGE = 20
HANDLING_METHODS = ("repair", "exchange", "refund", "paid_repair", "none")


class AftersalesPortal(CustomerPortal):
    """Station staff: warranty check, claims with appraisal, photos, signatures."""

    def _station(self):
        """The station of the portal user, or an empty recordset."""
        if not request.env.user.has_group(
            "aftersales_service.group_aftersales_station"
        ):
            return request.env["aftersales.station"]
        return request.env["aftersales.station"].search(
            [("state", "=", "active")], limit=1
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "claim_count" in counters:
            Claim = request.env["aftersales.claim"]
            values["claim_count"] = (
                Claim.search_count([]) if Claim.has_access("read") else 0
            )
        return values

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["aftersales_station"] = self._station()
        return values

    # ------------------------------------------------------------------
    # Warranty check
    # ------------------------------------------------------------------

    @http.route("/my/warranty", type="http", auth="user", website=True)
    def portal_warranty_check(self, serial=None, date=None, mileage=None, part=None):
        station = self._station()
        if not station:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="warranty_check",
            serial=serial or "",
            date=date or fields.Date.to_string(fields.Date.context_today(station)),
            mileage=mileage or "",
            part=part or "",
            parts=request.env["aftersales.warranty.part"].sudo().search([]),
        )
        if serial:
            values.update(
                self._check_warranty_for_station(station, serial, date, mileage, part)
            )
        return request.render("aftersales_service.portal_warranty_check", values)

    def _check_warranty_for_station(self, station, serial, date, mileage, part):
        # Stations read no vouchers: the answer is computed for them, within
        # their company, and shows no customer data.
        Voucher = request.env["aftersales.warranty.voucher"].sudo()
        try:
            mileage_value = float(mileage) if mileage else None
            voucher = Voucher._find_for_serial(serial, company=station.company_id)
            if not voucher:
                answer = Voucher.check_warranty("", date=date)
            else:
                answer = voucher._answer(
                    Voucher._parse_check_date(date),
                    mileage=mileage_value,
                    part=int(part) if part else None,
                )
        except (ValueError, ValidationError) as error:
            return {"error": str(error.args[0] if error.args else error)}
        return {
            "answer": answer,
            "answer_product": voucher.product_id.display_name if voucher else "",
        }

    # ------------------------------------------------------------------
    # Claims
    # ------------------------------------------------------------------

    @http.route(
        ["/my/claims", "/my/claims/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_claims(self, page=1, **kw):
        Claim = request.env["aftersales.claim"]
        if not Claim.has_access("read"):
            return request.redirect("/my")
        total = Claim.search_count([])
        pager = portal_pager(
            url="/my/claims", total=total, page=page, step=CLAIMS_PER_PAGE
        )
        # The rules choose the claims; sudo only reads what they show (the
        # serial's lot is not readable by portal users).
        claims = Claim.search(
            [],
            order="date desc, id desc",
            limit=CLAIMS_PER_PAGE,
            offset=pager["offset"],
        ).sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="claims",
            claims=claims,
            pager=pager,
            default_url="/my/claims",
        )
        return request.render("aftersales_service.portal_my_claims", values)

    @http.route("/my/claims/<int:claim_id>", type="http", auth="user", website=True)
    def portal_my_claim(self, claim_id, access_token=None, message=None, **kw):
        try:
            claim_sudo = self._document_check_access(
                "aftersales.claim", claim_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            claim_sudo, access_token, {}, "my_claims_history", False
        )
        values.update(
            page_name="claim",
            claim=claim_sudo,
            message=message,
            can_sign=claim_sudo.state in ("draft", "submitted"),
        )
        return request.render("aftersales_service.portal_my_claim", values)

    @http.route(
        "/my/claims/<int:claim_id>/submit",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_claim_submit(self, claim_id, access_token=None, **kw):
        try:
            claim_sudo = self._document_check_access(
                "aftersales.claim", claim_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            # As the user: the record rules, not sudo, decide.
            request.env["aftersales.claim"].browse(claim_sudo.id).action_submit()
        except UserError as error:
            return request.redirect(
                claim_sudo.get_portal_url(query_string=f"&message={error.args[0]}")
            )
        return request.redirect(claim_sudo.get_portal_url())

    @http.route(
        "/my/claims/<int:claim_id>/sign", type="json", auth="user", website=True
    )
    def portal_claim_sign(self, claim_id, access_token=None, name=None, signature=None):
        role = request.httprequest.args.get("role", "station")
        try:
            claim_sudo = self._document_check_access(
                "aftersales.claim", claim_id, access_token
            )
        except (AccessError, MissingError):
            return {"error": request.env._("Invalid claim.")}
        if claim_sudo.state not in ("draft", "submitted"):
            return {"error": request.env._("This claim can no longer be signed.")}
        if not signature or role not in ("customer", "station"):
            return {"error": request.env._("Signature is missing.")}
        try:
            claim_sudo.write(
                {
                    f"{role}_signature": signature,
                    f"{role}_signed_by": name,
                    f"{role}_signed_on": fields.Datetime.now(),
                }
            )
        except (TypeError, binascii.Error):
            return {"error": request.env._("Invalid signature data.")}
        claim_sudo.message_post(
            body=request.env._("Signed by %(name)s.", name=name),
            author_id=request.env.user.partner_id.id,
        )
        return {"force_refresh": True, "redirect_url": claim_sudo.get_portal_url()}

    @http.route("/my/claims/new", type="http", auth="user", website=True)
    def portal_claim_new(self, **post):
        station = self._station()
        if not station:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="claim_new",
            parts=request.env["aftersales.warranty.part"].sudo().search([]),
            post=post,
            error=None,
        )
        if request.httprequest.method == "POST":
            try:
                claim = self._create_portal_claim(station, post)
            except (UserError, ValidationError, ValueError) as error:
                values["error"] = str(error.args[0] if error.args else error)
            else:
                return request.redirect(claim.get_portal_url())
        return request.render("aftersales_service.portal_claim_new", values)

    def _create_portal_claim(self, station, post):
        env = request.env
        serial = (post.get("serial") or "").strip()
        if not serial:
            raise UserError(env._("Enter the serial or lot number of the product."))
        if not (post.get("fault_phenomenon") or "").strip():
            raise UserError(env._("Describe the fault."))
        lot = (
            env["stock.lot"]
            .sudo()
            .search(
                [
                    ("name", "=", serial),
                    ("company_id", "in", [station.company_id.id, False]),
                ],
                limit=1,
            )
        )
        if not lot:
            raise UserError(
                env._("No product with serial or lot %(serial)s.", serial=serial)
            )
        voucher = env["aftersales.warranty.voucher"]._find_for_lot(
            lot, station.company_id
        )
        handling = post.get("handling_method")
        claim = env["aftersales.claim"].create(
            {
                "company_id": station.company_id.id,
                "station_id": station.id,
                "partner_id": voucher.partner_id.id or False,
                "customer_name": (post.get("customer_name") or "").strip() or False,
                "product_id": lot.product_id.id,
                "lot_id": lot.id,
                "failure_date": post.get("failure_date") or fields.Date.today(),
                "mileage": float(post.get("mileage") or 0),
                "part_id": int(post["part_id"]) if post.get("part_id") else False,
                "fault_phenomenon": post["fault_phenomenon"].strip(),
                "cause_analysis": (post.get("cause_analysis") or "").strip(),
                "handling_method": handling if handling in HANDLING_METHODS else False,
            }
        )
        photos = request.httprequest.files.getlist("photos")
        attachments = (
            env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": photo.filename,
                        "datas": base64.b64encode(photo.read()),
                        "res_model": "aftersales.claim",
                        "res_id": claim.id,
                    }
                    for photo in photos
                    if photo.filename
                ]
            )
        )
        if attachments:
            claim.sudo().photo_ids = [fields.Command.set(attachments.ids)]
        return claim
