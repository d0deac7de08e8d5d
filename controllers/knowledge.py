# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request

from .portal import MAX_ID, AftersalesPortal

DOCUMENT = "aftersales.technical.document"
CASE_NOTE = "aftersales.case.note"


class AftersalesKnowledgePortal(AftersalesPortal):
    """Technical documents and case notes, read by the stations they are
    published to (seed 000 §4.2.3.2 b, seed 003 第三条 8-10).

    The record rules choose what a station reads; a document that is not
    published to the user's station answers 404, as one that does not exist,
    so that guessing ids tells nothing. Files are streamed with sudo after
    that check, and every download is logged.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_document_count" in counters:
            # Only station staff have the page; the others see no tile.
            values["aftersales_document_count"] = (
                request.env[DOCUMENT].search_count([]) if self._station() else 0
            )
        return values

    def _knowledge_record(self, model, record_id):
        """The record of ``model`` published to the user's station, sudo;
        NotFound otherwise (no station, no such record, not published to
        it, archived)."""
        station = self._station()
        if not station or not 0 < record_id <= MAX_ID:
            raise NotFound()
        record = request.env[model].browse(record_id)
        if not record.exists():
            raise NotFound()
        try:
            # The record rules, not sudo, decide whether the station reads it.
            record.check_access("read")
        except AccessError:
            raise NotFound() from None
        if "active" in record._fields and not record.active:
            raise NotFound()
        return station, record.sudo()

    @http.route(
        ["/my/documents", "/my/case-notes"], type="http", auth="user", website=True
    )
    def portal_my_documents(self, kind=None, **kw):
        station = self._station()
        if not station:
            return request.redirect("/my")
        Document = request.env[DOCUMENT]
        kinds = dict(Document._fields["kind"]._description_selection(request.env))
        domain = [("kind", "=", kind)] if kind in kinds else []
        # The rules choose; sudo only reads what they let through (versions
        # and categories are not readable by portal users).
        documents = Document.search(domain).sudo()
        notes = request.env[CASE_NOTE].search([]).sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="documents",
            documents=documents,
            notes=notes,
            kinds=kinds,
            kind=kind if kind in kinds else None,
            station=station,
        )
        return request.render("aftersales_service.portal_my_documents", values)

    @http.route(
        "/my/documents/<int:document_id>", type="http", auth="user", website=True
    )
    def portal_my_document(self, document_id, **kw):
        station, document = self._knowledge_record(DOCUMENT, document_id)
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="document",
            document=document,
            versions=document.version_ids,
            station=station,
        )
        return request.render("aftersales_service.portal_my_document", values)

    @http.route(
        [
            "/my/documents/<int:document_id>/download",
            "/my/documents/<int:document_id>/versions/<int:version_id>/download",
        ],
        type="http",
        auth="user",
        website=True,
    )
    def portal_document_download(self, document_id, version_id=None, **kw):
        """The latest version, or the one named, of a document published to
        the user's station; logged."""
        station, document = self._knowledge_record(DOCUMENT, document_id)
        version = document._portal_version(version_id)
        if not version:
            raise NotFound()
        document._log_download(version, station)
        stream = request.env["ir.binary"]._get_stream_from(
            version, "datas", filename=version.filename
        )
        return stream.get_response(as_attachment=True)

    @http.route("/my/case-notes/<int:note_id>", type="http", auth="user", website=True)
    def portal_my_case_note(self, note_id, **kw):
        station, note = self._knowledge_record(CASE_NOTE, note_id)
        values = self._prepare_portal_layout_values()
        values.update(page_name="case_note", note=note, station=station)
        return request.render("aftersales_service.portal_my_case_note", values)
