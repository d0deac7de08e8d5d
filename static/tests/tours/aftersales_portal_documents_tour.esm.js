/* Copyright 2026 aftersales_service contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_portal_documents_tour", {
    steps: () => [
        {
            content: "The station's documents list its manual",
            trigger:
                ".o_aftersales_portal_documents .o_aftersales_document_row a:contains('Vehicles repair manual')",
            run: "click",
        },
        {
            content: "The manual shows its latest version first",
            trigger:
                ".o_aftersales_portal_document .o_aftersales_document_version:first-child:contains('2026-B'):contains('Latest')",
        },
        {
            content: "The older version is still there",
            trigger:
                ".o_aftersales_portal_document .o_aftersales_document_version:contains('2026-A')",
        },
        {
            content: "Download the latest version: the PDF comes as a file",
            trigger: ".o_aftersales_portal_document a.o_aftersales_document_download",
            async run() {
                const response = await fetch(this.anchor.getAttribute("href"));
                const disposition = response.headers.get("Content-Disposition") || "";
                if (!response.ok || !disposition.startsWith("attachment")) {
                    throw new Error(`Download refused: ${response.status}`);
                }
                document.body.classList.add("o_aftersales_manual_downloaded");
            },
        },
        {
            content: "The manual was downloaded",
            trigger: "body.o_aftersales_manual_downloaded",
        },
    ],
});
