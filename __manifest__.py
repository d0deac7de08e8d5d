# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "After-Sales Service",
    "summary": "Warranty vouchers, claims, service stations, defective returns, "
    "supplier warranty deposits and spare-parts plans",
    "version": "18.0.1.0.0",
    "development_status": "Alpha",
    "category": "Services/After-Sales",
    "website": "https://github.com/aftersales-service/aftersales_service",
    "author": "aftersales_service contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "depends": [
        "account",
        "crm",
        "helpdesk_mgmt",
        "portal",
        "purchase_stock",
        "report_xlsx",
        "stock",
    ],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/aftersales_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "wizards/aftersales_warranty_voucher_void_views.xml",
        "wizards/aftersales_warranty_check_views.xml",
        "views/aftersales_warranty_part_views.xml",
        "views/aftersales_warranty_policy_views.xml",
        "views/aftersales_warranty_voucher_views.xml",
        "views/res_partner_views.xml",
        "views/stock_lot_views.xml",
        "views/product_template_views.xml",
        "views/res_config_settings_views.xml",
        "report/aftersales_warranty_voucher_reports.xml",
        "report/aftersales_warranty_voucher_templates.xml",
        "views/aftersales_menus.xml",
    ],
    "demo": [
        "demo/aftersales_demo_users.xml",
        "demo/aftersales_vehicle_demo.xml",
        "demo/aftersales_lighting_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "aftersales_service/static/tests/tours/**/*.esm.js",
        ],
    },
    "application": True,
}
