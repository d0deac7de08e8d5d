/* Copyright 2026 aftersales_service contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_portal_claim_pdf_tour", {
    steps: () => [
        {
            content: "The station opens its claim: no one has signed it yet",
            trigger: ".o_aftersales_portal_claim .o_claim_not_signed",
        },
        {
            content: "Wait for the claim's chatter",
            trigger: "#chatterRoot:shadow .o-mail-Chatter",
        },
        {
            content: "Download the claim's appraisal form",
            trigger:
                ".o_aftersales_portal_claim a.o_claim_download_pdf[href*='report_type=pdf'][href*='download=true']",
            run: "click",
        },
        {
            content: "The download leaves the claim's page open",
            trigger: ".o_aftersales_portal_claim .o_claim_state",
        },
    ],
});
