# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def selection_of(model_name, field_name):
    """The options of a document's selection field, for a report's copy of it.

    The labels come translated from the document's field, so that the
    statistics say what the documents say in every language.
    """

    def options(report):
        field = report.env[model_name]._fields[field_name]
        return field._description_selection(report.env)

    return options
