# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #11 (daily use): chinese.

helpdesk_mgmt and helpdesk_mgmt_sla ship no zh_CN.po: our module carries the
translations of their screens in i18n_extra/zh_CN.po, which Odoo applies by
the xmlids of the entries when zh_CN is installed or our module updated.
"""

import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

HELPDESK_MODULES = ("helpdesk_mgmt", "helpdesk_mgmt_sla")
EXTRA_PO = Path(__file__).resolve().parent.parent / "i18n_extra" / "zh_CN.po"
HAN = re.compile(r"[\u4e00-\u9fff]")


@tagged("post_install", "-at_install")
class TestDailyChinese(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # What installing zh_CN (or updating the module with it) does for us.
        cls.env["ir.module.module"].search(
            [("name", "=", "aftersales_service")]
        )._update_translations(["zh_CN"])
        cls.zh = cls.env(context=dict(cls.env.context, lang="zh_CN"))

    def assertChinese(self, text, expected=None):
        if expected is not None:
            self.assertEqual(text, expected)
        self.assertTrue(HAN.search(text or ""), f"{text!r} is not Chinese")

    def test_helpdesk_field_labels(self):
        fields = self.zh["helpdesk.ticket"].fields_get(
            [
                "stage_id",
                "channel_id",
                "category_id",
                "team_id",
                "user_id",
                "sla_deadline",
                "priority",
            ],
            ["string", "selection"],
        )
        self.assertChinese(fields["stage_id"]["string"], "阶段")
        self.assertChinese(fields["channel_id"]["string"], "渠道")
        self.assertChinese(fields["category_id"]["string"], "类别")
        self.assertChinese(fields["team_id"]["string"], "团队")
        self.assertChinese(fields["user_id"]["string"], "负责人")
        # helpdesk_mgmt_sla's field on the ticket
        self.assertChinese(fields["sla_deadline"]["string"], "SLA 时限")
        self.assertEqual(dict(fields["priority"]["selection"])["3"], "很高")
        sla = self.zh["helpdesk.sla"].fields_get(["ignore_stage_ids"], ["string"])
        self.assertChinese(sla["ignore_stage_ids"]["string"], "暂停计时阶段")

    def test_stages_channels_team(self):
        expected = {
            "helpdesk_mgmt.helpdesk_ticket_stage_new": "新建",
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress": "进行中",
            "helpdesk_mgmt.helpdesk_ticket_stage_awaiting": "等待中",
            "helpdesk_mgmt.helpdesk_ticket_stage_done": "已完成",
            "aftersales_service.helpdesk_ticket_stage_on_site": "到场",
            "helpdesk_mgmt.helpdesk_ticket_channel_phone": "电话",
            "aftersales_service.helpdesk_ticket_channel_letter": "信函",
            "aftersales_service.helpdesk_team_aftersales": "售后服务",
        }
        for xmlid, name in expected.items():
            self.assertChinese(self.zh.ref(xmlid).name, name)
        # English stays English for an English user.
        self.assertEqual(
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
            .with_context(lang="en_US")
            .name,
            "New",
        )

    def test_helpdesk_views_and_portal(self):
        form = self.zh["helpdesk.ticket"].get_views([(False, "form")])["views"]["form"]
        self.assertIn("指派给我", form["arch"])  # helpdesk_mgmt's "Assign to me"
        self.assertNotIn('string="Assign to me"', form["arch"])
        sla_form = self.zh["helpdesk.sla"].get_views([(False, "form")])["views"]["form"]
        self.assertIn("达成时限", sla_form["arch"])  # helpdesk_mgmt_sla's "Reach In"
        page = self.zh.ref("helpdesk_mgmt.portal_helpdesk_ticket_page").arch_db
        self.assertIn("此工单的当前阶段", page)
        self.assertNotIn("Current stage of this ticket", page)
        template = self.zh.ref("helpdesk_mgmt.closed_ticket_template")
        self.assertEqual(template.subject, "工单 {{object.number}} 已关闭。")

    def test_sla_rule_names(self):
        """Our SLA rules show in the ticket's deadlines: helpdesk_mgmt_sla
        stores their names untranslated unless our module makes them
        translatable (models/helpdesk_sla.py)."""
        self.assertTrue(
            self.env["helpdesk.sla"]._fields["name"].translate,
            "helpdesk.sla name must be translatable",
        )
        self.assertChinese(self.zh.ref("aftersales_service.sla_reply_urgent").name)
        self.assertChinese(self.zh.ref("aftersales_service.sla_on_site_far").name)

    def test_every_shipped_helpdesk_term_is_translated(self):
        """The zh_CN check of scripts/test, inside Odoo: every model and view
        term of the helpdesk modules has its translation in i18n_extra."""
        shipped = {entry.msgid: entry.msgstr for entry in polib.pofile(str(EXTRA_PO))}
        missing = set()
        reader = TranslationModuleReader(self.env.cr, modules=list(HELPDESK_MODULES))
        for module, ttype, _name, _res_id, source, *_rest in reader:
            ours = module in HELPDESK_MODULES and ttype in ("model", "model_terms")
            if ours and not shipped.get(source):
                missing.add(source)
        self.assertFalse(missing, f"helpdesk terms without zh_CN: {sorted(missing)}")
