"""How every form field is laid out: one template for the whole project.

``templates/forms/field.html`` puts the label, the widget, the help text (with the id
that Django's ``aria-describedby`` points at) and the errors (with theirs) in one
``<div class="field">``; radio and checkbox groups get a ``<fieldset>`` with a legend.
Templates render a field with ``{{ form.name.as_field_group }}``.
"""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"
