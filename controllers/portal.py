# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import binascii
import math

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request
from odoo.osv.expression import AND, OR
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.safe_eval import safe_eval, time

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

CLAIMS_PER_PAGE = 20
HANDLING_METHODS = ("repair", "exchange", "refund", "paid_repair", "none")
LINE_TYPES = ("part", "labour")
SIGNATURE_ROLES = ("customer", "station")
# Station portal users read claims and their lines; these controllers write
# for them, after their own checks, and only these fields of what was posted.
# Everything else (state, station, customer, eligibility, approval, bills) is
# set by the server or by the after-sales department.
PORTAL_CLAIM_FIELDS = frozenset(
    {
        "customer_name",
        "failure_date",
        "mileage",
        "part_id",
        "fault_phenomenon",
        "cause_analysis",
        "handling_method",
    }
)
# A part line costs the part's cost price; a labour line what the station
# declares, which the after-sales department appraises and approves.
PORTAL_LINE_FIELDS = frozenset({"line_type", "product_id", "name", "quantity"})
PORTAL_LABOUR_FIELDS = PORTAL_LINE_FIELDS | {"unit_cost"}
# The form's inputs, echoed back when the form shows an error.
CLAIM_FORM_INPUTS = ("serial",) + tuple(sorted(PORTAL_CLAIM_FIELDS))
# Uploads (photos, signatures): images, recognised by their bytes (not by
# their name), each of at most UPLOAD_MAX_BYTES. The claim checks the same on
# the server whoever writes them; checking here answers in the form.
UPLOAD_MIMETYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
SIGNER_NAME_MAX = 128
# PostgreSQL integer columns: larger ids are not ids.
MAX_ID = 2**31 - 1
CLAIM_REPORT = "aftersales_service.action_report_claim_appraisal"
# The portal home's counters: what the station has, and what waits for it.
CLAIM_COUNTERS = {
    "claim_count": [],
    "claim_draft_count": [("state", "=", "draft")],
    "claim_rejected_count": [("state", "=", "rejected")],
}


def _text(value):
    """A posted text, stripped; anything else (a file, nothing) is empty."""
    return value.strip() if isinstance(value, str) else ""


def _parse_id(value, message):
    """A record id typed or chosen in a form, or None when empty."""
    text = _text(value)
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
        raise UserError(message)
    return int(text)


def _parse_number(value, message, default=None):
    """A finite number, zero or more, typed in a form; default when empty."""
    text = _text(value)
    if not text:
        return default
    try:
        number = float(text)
    except ValueError:
        raise UserError(message) from None
    if not math.isfinite(number) or number < 0:
        raise UserError(message)
    return number


def _check_image(env, name, raw):
    """Refuse what is not an image of an accepted type and size."""
    if len(raw) > UPLOAD_MAX_BYTES:
        raise UserError(
            env._(
                "%(name)s is larger than %(size)s MB: attach a smaller image.",
                name=name,
                size=UPLOAD_MAX_BYTES // (1024 * 1024),
            )
        )
    if guess_mimetype(raw) not in UPLOAD_MIMETYPES:
        raise UserError(
            env._(
                "%(name)s is not an image: attach PNG, JPEG, GIF or WebP files.",
                name=name,
            )
        )


class AftersalesPortal(CustomerPortal):
    """Station staff: warranty check, claims with appraisal, photos, signatures.

    Station users only read claims (ACL); every change goes through these
    routes, which check the station, the claim and its state, then write a
    whitelist of fields with sudo.
    """

    def _station(self):
        """The active station of the portal user, or an empty recordset.

        The user belongs to a station when the station's partner is the
        user's company (commercial partner).
        """
        Station = request.env["aftersales.station"]
        user = request.env.user
        if not user.has_group("aftersales_service.group_aftersales_station"):
            return Station
        return Station.search(
            [
                ("partner_id", "=", user.commercial_partner_id.id),
                ("state", "=", "active"),
            ],
            limit=1,
        )

    def _station_parts(self, station, part_id=None):
        """The failed parts a station can name: its company's catalogue (or
        the one given by id, when it is in it)."""
        domain = [("company_id", "in", [station.company_id.id, False])]
        if part_id:
            domain.append(("id", "=", part_id))
        return request.env["aftersales.warranty.part"].sudo().search(domain)

    def _station_products(self, station, product_id=None):
        """The spare parts a station can put on a claim line (or the one
        given by id, when it is one of them)."""
        domain = [
            ("aftersales_spare_part", "=", True),
            ("company_id", "in", [station.company_id.id, False]),
        ]
        if product_id:
            domain.append(("id", "=", product_id))
        return (
            request.env["product.product"]
            .sudo()
            .search(domain, order="default_code, name, id")
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        wanted = [name for name in CLAIM_COUNTERS if name in counters]
        if wanted:
            Claim = request.env["aftersales.claim"]
            readable = Claim.has_access("read")
            for name in wanted:
                values[name] = (
                    Claim.search_count(CLAIM_COUNTERS[name]) if readable else 0
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
            serial=_text(serial),
            date=_text(date)
            or fields.Date.to_string(fields.Date.context_today(station)),
            mileage=_text(mileage),
            part=_text(part),
            parts=self._station_parts(station),
        )
        if _text(serial):
            values.update(
                self._check_warranty_for_station(station, serial, date, mileage, part)
            )
        return request.render("aftersales_service.portal_warranty_check", values)

    def _check_warranty_for_station(self, station, serial, date, mileage, part):
        # Stations read no vouchers: the answer is computed for them, within
        # their company, and shows no customer data.
        env = request.env
        Voucher = env["aftersales.warranty.voucher"].sudo()
        try:
            on_date = Voucher._parse_check_date(_text(date))
            mileage_value = _parse_number(
                mileage, env._("Enter the mileage as a number of km, zero or more.")
            )
            part_id = _parse_id(part, env._("Choose the part from the list."))
            if part_id and not self._station_parts(station, part_id):
                raise UserError(env._("Choose the part from the list."))
            voucher = Voucher._find_for_serial(
                _text(serial), company=station.company_id
            )
            if not voucher:
                answer = Voucher.check_warranty("", date=on_date)
            else:
                answer = voucher._answer(on_date, mileage=mileage_value, part=part_id)
        except UserError as error:
            return {"error": error.args[0]}
        return {
            "answer": answer,
            "answer_product": voucher.product_id.display_name if voucher else "",
        }

    # ------------------------------------------------------------------
    # Claims: reading
    # ------------------------------------------------------------------

    def _claim_searchbar_sortings(self):
        env = request.env
        return {
            "date": {"label": env._("Newest"), "order": "date desc, id desc"},
            "failure_date": {
                "label": env._("Failure Date"),
                "order": "failure_date desc, id desc",
            },
            "name": {"label": env._("Number"), "order": "name desc, id desc"},
        }

    def _claim_searchbar_filters(self):
        env = request.env
        return {
            "all": {"label": env._("All"), "domain": []},
            "draft": {"label": env._("To Submit"), "domain": [("state", "=", "draft")]},
            "review": {
                "label": env._("In Review"),
                "domain": [("state", "in", ("submitted", "appraised"))],
            },
            "approved": {
                "label": env._("Approved"),
                "domain": [("state", "=", "approved")],
            },
            "rejected": {
                "label": env._("Rejected"),
                "domain": [("state", "=", "rejected")],
            },
            "done": {"label": env._("Done"), "domain": [("state", "=", "done")]},
        }

    def _claim_searchbar_inputs(self):
        env = request.env
        return {
            "all": {"input": "all", "label": env._("Search in All")},
            "name": {"input": "name", "label": env._("Search in Number")},
            "serial": {"input": "serial", "label": env._("Search in Serial/Lot")},
            "product": {"input": "product", "label": env._("Search in Product")},
            "customer": {"input": "customer", "label": env._("Search in Customer")},
            "fault": {"input": "fault", "label": env._("Search in Fault")},
        }

    def _claim_search_domain(self, search_in, search):
        """Claims matching the search. Station users read no lots, and not
        every product or contact: those are matched with sudo, and the
        claims they lead to are still chosen by the user's record rules."""
        env = request.env
        domains = []
        if search_in in ("name", "all"):
            domains.append([("name", "ilike", search)])
        if search_in in ("serial", "all"):
            lots = (
                env["stock.lot"]
                .sudo()
                .with_context(active_test=False)
                ._search([("name", "ilike", search)])
            )
            domains.append([("lot_id", "in", lots)])
        if search_in in ("product", "all"):
            products = (
                env["product.product"]
                .sudo()
                .with_context(active_test=False)
                ._search([("display_name", "ilike", search)])
            )
            domains.append([("product_id", "in", products)])
        if search_in in ("customer", "all"):
            partners = (
                env["res.partner"]
                .sudo()
                .with_context(active_test=False)
                ._search([("name", "ilike", search)])
            )
            domains.append([("customer_name", "ilike", search)])
            domains.append([("partner_id", "in", partners)])
        if search_in in ("fault", "all"):
            domains.append([("fault_phenomenon", "ilike", search)])
        return OR(domains)

    @http.route(
        ["/my/claims", "/my/claims/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_claims(
        self, page=1, sortby=None, filterby=None, search=None, search_in=None, **kw
    ):
        Claim = request.env["aftersales.claim"]
        if not Claim.has_access("read"):
            return request.redirect("/my")
        sortings = self._claim_searchbar_sortings()
        filters = self._claim_searchbar_filters()
        inputs = self._claim_searchbar_inputs()
        # Unknown options (typed or stale URLs) fall back to the defaults.
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        search_in = search_in if search_in in inputs else "all"
        search = _text(search)
        domain = filters[filterby]["domain"]
        if search:
            domain = AND([domain, self._claim_search_domain(search_in, search)])
        total = Claim.search_count(domain)
        pager = portal_pager(
            url="/my/claims",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search_in": search_in,
                "search": search,
            },
            total=total,
            page=page,
            step=CLAIMS_PER_PAGE,
        )
        # The rules choose the claims; sudo only reads what they show (the
        # serial's lot is not readable by portal users).
        claims = Claim.search(
            domain,
            order=sortings[sortby]["order"],
            limit=CLAIMS_PER_PAGE,
            offset=pager["offset"],
        ).sudo()
        request.session["my_claims_history"] = claims.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="claims",
            claims=claims,
            pager=pager,
            default_url="/my/claims",
            searchbar_sortings=sortings,
            searchbar_filters=filters,
            searchbar_inputs=inputs,
            sortby=sortby,
            filterby=filterby,
            search_in=search_in,
            search=search,
        )
        return request.render("aftersales_service.portal_my_claims", values)

    @http.route("/my/claims/<int:claim_id>", type="http", auth="user", website=True)
    def portal_my_claim(
        self, claim_id, access_token=None, report_type=None, download=None, **kw
    ):
        if claim_id > MAX_ID:
            return request.redirect("/my")
        if report_type:
            return self._claim_report(claim_id, report_type, download == "true")
        try:
            claim_sudo = self._document_check_access(
                "aftersales.claim", claim_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._render_claim(claim_sudo, access_token)

    def _claim_report(self, claim_id, report_type, download):
        """The appraisal form of a claim the user reads by the record rules
        (a station: its own claims), printed with sudo as the back office
        prints it. No access token here: a shared link shows the page, it
        does not print another station's claim."""
        try:
            claim_sudo = self._document_check_access("aftersales.claim", claim_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type not in ("pdf", "html"):
            return self._render_claim(
                claim_sudo,
                error=request.env._("This document cannot be printed that way."),
                status=400,
            )
        try:
            return self._show_report(
                model=claim_sudo,
                report_type=report_type,
                report_ref=CLAIM_REPORT,
                download=download,
            )
        except UserError as error:
            # No wkhtmltopdf, or it failed: say so on the claim's page.
            return self._render_claim(claim_sudo, error=error.args[0], status=503)

    def _get_http_headers(self, model, report_type, report, download):
        if model._name != "aftersales.claim":
            return super()._get_http_headers(model, report_type, report, download)
        # Claims name their file as the back office does (the report's
        # print_report_name); they have no _get_report_base_filename.
        headers = {
            "Content-Type": "application/pdf" if report_type == "pdf" else "text/html",
            "Content-Length": len(report),
        }
        if report_type == "pdf":
            report_sudo = request.env.ref(CLAIM_REPORT).sudo()
            name = safe_eval(
                report_sudo.print_report_name, {"object": model, "time": time}
            )
            headers["Content-Disposition"] = content_disposition(
                f"{name}.pdf",
                disposition_type="attachment" if download else "inline",
            )
        return headers

    def _upload_hint(self):
        return request.env._(
            "PNG, JPEG, GIF or WebP images, at most %(size)s MB each.",
            size=UPLOAD_MAX_BYTES // (1024 * 1024),
        )

    def _render_claim(
        self, claim_sudo, access_token=None, error=None, line_post=None, status=200
    ):
        station = self._station()
        editable = bool(station) and claim_sudo._portal_editable_by(station)
        values = self._get_page_view_values(
            claim_sudo, access_token, {}, "my_claims_history", False
        )
        values.update(
            page_name="claim",
            claim=claim_sudo,
            error=error,
            can_edit=editable,
            can_sign=editable,
            products=self._station_products(station) if editable else [],
            line_post=line_post or {},
            upload_hint=self._upload_hint(),
        )
        return request.render(
            "aftersales_service.portal_my_claim", values, status=status
        )

    # ------------------------------------------------------------------
    # Claims: what the station changes, written for it after the checks
    # ------------------------------------------------------------------

    def _station_claim(self, claim_id):
        """The claim of the user's station that it may still change, sudo.

        :raise AccessError: not a station user, or not a claim it can read
        :raise MissingError: no such claim
        :raise UserError: another station's claim, or past submitted
        """
        station = self._station()
        claim = request.env["aftersales.claim"].browse(claim_id)
        if not station:
            raise AccessError(request.env._("Only station staff change claims."))
        if claim_id > MAX_ID or not claim.exists():
            raise MissingError(request.env._("This document does not exist."))
        # The record rules, not sudo, decide whether the user sees it.
        claim.check_access("read")
        # Wait for a concurrent transition (approval...) and decide on what
        # it committed.
        claim_sudo = claim.sudo()._lock_rows()
        claim_sudo._portal_check_editable(station)
        return station, claim_sudo

    def _claim_or_redirect(self, claim_id):
        """(station, claim) or a redirect to the portal home."""
        try:
            return self._station_claim(claim_id), None
        except (AccessError, MissingError):
            return None, request.redirect("/my")
        except UserError as error:
            claim_sudo = request.env["aftersales.claim"].sudo().browse(claim_id)
            return None, self._render_claim(claim_sudo, error=error.args[0])

    @http.route(
        "/my/claims/<int:claim_id>/submit",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_claim_submit(self, claim_id, **kw):
        found, response = self._claim_or_redirect(claim_id)
        if response:
            return response
        __, claim_sudo = found
        try:
            with request.env.cr.savepoint():
                # The transition itself: the station cannot call it, the
                # controller does after checking the claim is the station's.
                claim_sudo.action_submit()
        except UserError as error:
            return self._render_claim(claim_sudo, error=error.args[0])
        return request.redirect(claim_sudo.get_portal_url())

    @http.route(
        "/my/claims/<int:claim_id>/sign", type="json", auth="user", website=True
    )
    def portal_claim_sign(self, claim_id, name=None, signature=None, **kw):
        env = request.env
        role = request.httprequest.args.get("role", "station")
        try:
            __, claim_sudo = self._station_claim(claim_id)
        except (AccessError, MissingError):
            return {"error": env._("Invalid claim.")}
        except UserError as error:
            return {"error": error.args[0]}
        name = _text(name)
        if role not in SIGNATURE_ROLES or not isinstance(signature, str):
            return {"error": env._("Signature is missing.")}
        if not name or len(name) > SIGNER_NAME_MAX:
            return {"error": env._("Type the name of the person who signs.")}
        if claim_sudo[f"{role}_signature"]:
            return {"error": env._("This claim is already signed.")}
        try:
            raw = base64.b64decode(signature, validate=True)
            if not raw:
                return {"error": env._("Signature is missing.")}
            _check_image(env, env._("The signature"), raw)
            with env.cr.savepoint():
                # The claim stamps the time of the signature itself.
                claim_sudo.write(
                    {f"{role}_signature": signature, f"{role}_signed_by": name}
                )
        except (binascii.Error, ValueError):
            return {"error": env._("Invalid signature data.")}
        except UserError as error:
            return {"error": error.args[0]}
        claim_sudo.message_post(
            body=env._("Signed by %(name)s.", name=name),
            author_id=env.user.partner_id.id,
        )
        return {"force_refresh": True, "redirect_url": claim_sudo.get_portal_url()}

    @http.route(
        "/my/claims/<int:claim_id>/photos",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_claim_photos(self, claim_id, **kw):
        found, response = self._claim_or_redirect(claim_id)
        if response:
            return response
        __, claim_sudo = found
        try:
            photos = self._read_photos()
            if not photos:
                raise UserError(request.env._("Choose the photos to attach."))
            with request.env.cr.savepoint():
                self._attach_photos(claim_sudo, photos)
        except UserError as error:
            return self._render_claim(claim_sudo, error=error.args[0])
        return request.redirect(claim_sudo.get_portal_url())

    @http.route(
        "/my/claims/<int:claim_id>/lines",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_claim_add_line(self, claim_id, **post):
        found, response = self._claim_or_redirect(claim_id)
        if response:
            return response
        station, claim_sudo = found
        try:
            vals = self._prepare_line_vals(station, claim_sudo, post)
            with request.env.cr.savepoint():
                request.env["aftersales.claim.line"].sudo().create(vals)
        except UserError as error:
            return self._render_claim(
                claim_sudo,
                error=error.args[0],
                line_post={key: _text(post.get(key)) for key in PORTAL_LABOUR_FIELDS},
            )
        return request.redirect(claim_sudo.get_portal_url())

    @http.route(
        "/my/claims/<int:claim_id>/lines/<int:line_id>/delete",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_claim_delete_line(self, claim_id, line_id, **kw):
        found, response = self._claim_or_redirect(claim_id)
        if response:
            return response
        __, claim_sudo = found
        line = claim_sudo.line_ids.filtered(lambda ln: ln.id == line_id)
        if not line:
            return self._render_claim(
                claim_sudo, error=request.env._("This line is not on the claim.")
            )
        try:
            with request.env.cr.savepoint():
                line.unlink()
        except UserError as error:
            return self._render_claim(claim_sudo, error=error.args[0])
        return request.redirect(claim_sudo.get_portal_url())

    def _prepare_line_vals(self, station, claim_sudo, post):
        """A claim line from the posted form: whitelisted, checked values."""
        env = request.env
        line_type = _text(post.get("line_type"))
        if line_type not in LINE_TYPES:
            raise UserError(env._("Choose whether the line is a part or labour."))
        quantity = _parse_number(
            post.get("quantity"),
            env._("Enter the quantity as a positive number."),
            default=1.0,
        )
        if not quantity:
            raise UserError(env._("Enter the quantity as a positive number."))
        vals = {
            "line_type": line_type,
            "name": _text(post.get("name")) or False,
            "quantity": quantity,
        }
        allowed = PORTAL_LINE_FIELDS
        if line_type == "part":
            product_id = _parse_id(
                post.get("product_id"), env._("Choose the part from the list.")
            )
            if not product_id or not self._station_products(station, product_id):
                raise UserError(env._("Choose the part from the list."))
            vals["product_id"] = product_id
        else:
            if not vals["name"]:
                raise UserError(env._("Describe the labour."))
            vals["unit_cost"] = _parse_number(
                post.get("unit_cost"),
                env._("Enter the labour cost as an amount, zero or more."),
                default=0.0,
            )
            allowed = PORTAL_LABOUR_FIELDS
        # The line goes on the checked claim, never on a posted one.
        return dict(
            {key: value for key, value in vals.items() if key in allowed},
            claim_id=claim_sudo.id,
        )

    # ------------------------------------------------------------------
    # Claims: filing
    # ------------------------------------------------------------------

    @http.route("/my/claims/new", type="http", auth="user", website=True)
    def portal_claim_new(self, **post):
        station = self._station()
        if not station:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="claim_new",
            parts=self._station_parts(station),
            post={key: _text(post.get(key)) for key in CLAIM_FORM_INPUTS},
            error=None,
            upload_hint=self._upload_hint(),
        )
        if request.httprequest.method == "POST":
            try:
                # Checked before anything is written; the savepoint undoes
                # what the claim's own constraints refuse.
                vals = self._prepare_claim_vals(station, post)
                photos = self._read_photos()
                with request.env.cr.savepoint():
                    claim = request.env["aftersales.claim"].sudo().create(vals)
                    self._attach_photos(claim, photos)
            except UserError as error:
                values["error"] = error.args[0]
            else:
                return request.redirect(claim.get_portal_url())
        return request.render("aftersales_service.portal_claim_new", values)

    def _prepare_claim_vals(self, station, post):
        """The new claim's values: the station's, and the posted whitelist."""
        env = request.env
        serial = _text(post.get("serial"))
        if not serial:
            raise UserError(env._("Enter the serial or lot number of the product."))
        fault = _text(post.get("fault_phenomenon"))
        if not fault:
            raise UserError(env._("Describe the fault."))
        failure_date = env["aftersales.warranty.voucher"]._parse_check_date(
            _text(post.get("failure_date"))
        )
        if failure_date > fields.Date.context_today(station):
            raise UserError(env._("The failure date cannot be later than today."))
        mileage = _parse_number(
            post.get("mileage"),
            env._("Enter the mileage as a number of km, zero or more."),
            default=0.0,
        )
        part_id = _parse_id(
            post.get("part_id"), env._("Choose the part from the list.")
        )
        if part_id and not self._station_parts(station, part_id):
            raise UserError(env._("Choose the part from the list."))
        handling = _text(post.get("handling_method"))
        if handling and handling not in HANDLING_METHODS:
            raise UserError(env._("Choose the handling method from the list."))
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
        posted = {
            "customer_name": _text(post.get("customer_name")) or False,
            "failure_date": failure_date,
            "mileage": mileage,
            "part_id": part_id or False,
            "fault_phenomenon": fault,
            "cause_analysis": _text(post.get("cause_analysis")) or False,
            "handling_method": handling or False,
        }
        # The station, company, customer and product come from the server:
        # the user's station and the serial's voucher, never from the form.
        return dict(
            {key: posted[key] for key in PORTAL_CLAIM_FIELDS},
            company_id=station.company_id.id,
            station_id=station.id,
            partner_id=voucher.partner_id.id or False,
            product_id=lot.product_id.id,
            lot_id=lot.id,
        )

    def _read_photos(self):
        """The uploaded photos as (name, bytes), each checked to be an image."""
        env = request.env
        photos = []
        for upload in request.httprequest.files.getlist("photos"):
            if not upload.filename:
                continue
            raw = upload.read(UPLOAD_MAX_BYTES + 1)
            _check_image(env, upload.filename, raw)
            photos.append((upload.filename, raw))
        return photos

    def _attach_photos(self, claim_sudo, photos):
        if not photos:
            return
        attachments = (
            request.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name,
                        "raw": raw,
                        "res_model": "aftersales.claim",
                        "res_id": claim_sudo.id,
                    }
                    for name, raw in photos
                ]
            )
        )
        claim_sudo.write(
            {"photo_ids": [fields.Command.link(a.id) for a in attachments]}
        )


def _is_datetime(value):
    """Whether a URL argument is a date or date and time PostgreSQL takes."""
    try:
        return bool(value) and bool(fields.Datetime.to_datetime(value))
    except ValueError:
        return False


def _may_close_ticket(ticket):
    """Portal users close their own tickets only: those of their company as
    the customer, not those they read as a station or a follower."""
    user = request.env.user
    return not user.share or (
        ticket.sudo().partner_id.commercial_partner_id == user.commercial_partner_id
    )


class AftersalesHelpdeskPortal(CustomerPortalHelpdesk):
    @http.route()
    def portal_my_tickets(
        self,
        page=1,
        date_begin=None,
        date_end=None,
        sortby=None,
        filterby=None,
        search=None,
        search_in=None,
        groupby=None,
        **kw,
    ):
        """The tickets list, its options checked first: an unknown option or
        a date that is not one falls back to the default instead of failing
        (KeyError, or PostgreSQL refusing the date)."""
        if sortby not in self._ticket_get_searchbar_sortings():
            sortby = None
        if groupby not in self._ticket_get_searchbar_groupby():
            groupby = None
        if search_in not in self._ticket_get_searchbar_inputs():
            search_in = None
        if not (_is_datetime(date_begin) and _is_datetime(date_end)):
            date_begin = date_end = None
        return super().portal_my_tickets(
            page=page,
            date_begin=date_begin,
            date_end=date_end,
            sortby=sortby,
            filterby=filterby,
            search=_text(search) or None,
            search_in=search_in,
            groupby=groupby,
            **kw,
        )

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        if not _may_close_ticket(ticket):
            values["closed_stages"] = request.env["helpdesk.ticket.stage"]
        return values


class AftersalesHelpdeskTicketController(HelpdeskTicketController):
    @http.route()
    def submit_ticket(self, **kw):
        """File a ticket from the portal, its choices checked first.

        OCA helpdesk_mgmt converts the posted category and team with int():
        anything else failed with "invalid literal for int()". Here a bad
        choice shows the form again with the error in words.
        """
        env = request.env
        try:
            if not _text(kw.get("subject")):
                raise UserError(env._("Enter the subject of the ticket."))
            if not isinstance(kw.get("description"), str):
                raise UserError(env._("Describe your request."))
            category_id = _parse_id(
                kw.get("category"), env._("Choose the category from the list.")
            )
            if category_id and category_id not in self._get_categories().ids:
                raise UserError(env._("Choose the category from the list."))
            _parse_id(kw.get("team"), env._("Choose the team from the list."))
        except UserError as error:
            values = self._get_create_new_ticket_values(**kw)
            values["ticket_error"] = error.args[0]
            return request.render(
                "helpdesk_mgmt.portal_create_ticket", values, status=400
            )
        return super().submit_ticket(**kw)

    @http.route()
    def support_ticket_close(self, **kw):
        """Close a ticket from the portal: only its customer, only to a stage
        the ticket's team offers for it.

        OCA helpdesk_mgmt finds the ticket with sudo by the posted id, so any
        portal user could close any ticket; station staff also read the
        tickets of their station, which they do not own. Here the record
        rules decide whether the user reads the ticket, a portal user must be
        its customer (its partner's company), and the write is done for them.
        """
        env = request.env
        user = env.user
        try:
            ticket_id = _parse_id(kw.get("ticket_id"), "ticket_id")
            stage_id = _parse_id(kw.get("stage_id"), "stage_id")
        except UserError:
            return request.redirect("/my")
        ticket = env["helpdesk.ticket"].browse(ticket_id or [])
        if not ticket or not ticket.exists() or not ticket.has_access("read"):
            return request.redirect("/my")
        ticket_sudo = ticket.sudo()
        if not _may_close_ticket(ticket):
            return request.redirect("/my")
        stage = env["helpdesk.ticket.stage"].sudo().browse(stage_id or [])
        allowed = ticket_sudo.team_id._get_applicable_stages().filtered(
            "close_from_portal"
        )
        if stage and stage in allowed and not ticket_sudo.closed:
            if user.share:
                ticket_sudo.stage_id = stage
            else:
                # Internal users: their own rights decide.
                try:
                    with env.cr.savepoint():
                        ticket.stage_id = stage
                except AccessError:
                    return request.redirect("/my")
        return request.redirect(f"/my/ticket/{ticket.id}")
