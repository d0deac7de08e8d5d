# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class ProjectRegisterXlsx(models.AbstractModel):
    """The register of engineering projects under after-sales service: one
    row per project with its handovers, warranty, costs against the
    approved plan and the owner contacts (seed 003)."""

    _name = "report.aftersales_service.project_register_xlsx"
    _inherit = "aftersales.xlsx.mixin"
    _description = "Engineering Projects Register (xlsx)"

    def generate_xlsx_report(self, workbook, data, projects):
        _ = self.env._
        projects._check_aftersales_user_for_report()
        projects = projects.filtered("is_aftersales_project")
        formats = self._xlsx_formats(workbook)
        phases = dict(
            projects._fields["aftersales_phase"]._description_selection(self.env)
        )
        headers = [
            _("Project"),
            _("Owner"),
            _("After-Sales Responsible"),
            _("Phase"),
            _("Provisional Handover"),
            _("Formal Handover"),
            _("Warranty End"),
            _("Approved Budget"),
            _("Actual Cost"),
            _("Budget Left"),
            _("Retention Held"),
            _("Retention Collected"),
            _("Last Owner Contact"),
            _("Next Owner Contact"),
            _("Return Visit"),
        ]
        plans = projects._aftersales_plan_amounts()
        actuals = projects._aftersales_actual_amounts()
        retentions = projects._aftersales_retention_amounts()
        rows = []
        for project in projects:
            currency = project.company_id.currency_id
            plan = plans.get(project.id, 0.0)
            actual = actuals.get(project.id, 0.0)
            held, collected = retentions.get(project.id, (0.0, 0.0))
            rows.append(
                [
                    project.name,
                    project.partner_id.name,
                    project.aftersales_user_id.name,
                    phases.get(project.aftersales_phase),
                    project.date_provisional_handover,
                    project.date_formal_handover,
                    project.date_warranty_end,
                    self._xlsx_money(formats, plan, currency),
                    self._xlsx_money(formats, actual, currency),
                    self._xlsx_money(formats, plan - actual, currency),
                    self._xlsx_money(formats, held, currency),
                    self._xlsx_money(formats, collected, currency),
                    project.aftersales_last_contact_date,
                    project.aftersales_contact_deadline,
                    (
                        _("Missing")
                        if project.aftersales_return_visit_missing
                        else (_("Done") if project.date_formal_handover else "")
                    ),
                ]
            )
        sheet = workbook.add_worksheet(_("Engineering Projects"))
        self._xlsx_table(sheet, formats, headers, rows)
