"""PDFs from Django templates: a record's printable sheet.

fpdf2 lays out a template's HTML (headings, paragraphs, bold, lists, tables; no CSS, no italics) in
pure Python, so it installs with pip on Windows and Linux alike, and embeds the DejaVu Sans font
(static/vendor/dejavu/), which has the Greek letters the PDF standard fonts lack.

The PDF names its language and its title, and readers show the title rather than the file's name. It is
not tagged: fpdf2 (2.8) builds a structure tree for images and links only, not for headings, paragraphs
and tables, and no library that installs with pip alone does better. So every PDF is the printable copy of
a page that has the same contents in accessible HTML, and the link to the PDF stands on that page.
When local.py names the organisation's key (PDF_SIGNING), each PDF is signed with it (files/signatures.py).
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.generic.detail import SingleObjectTemplateResponseMixin
from fpdf import FPDF, ViewerPreferences

FONT_DIR = settings.BASE_DIR / "static" / "vendor" / "dejavu"


def render_pdf(template_name, context, request=None):
    """The PDF of ``template_name`` rendered with ``context``, as bytes."""
    pdf = FPDF(format="A4")
    pdf.set_title(str(context.get("title", "")))
    pdf.set_lang(translation.get_language() or settings.LANGUAGE_CODE)
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.add_font("DejaVu", "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    pdf.write_html(render_to_string(template_name, context, request))
    if not settings.PDF_SIGNING:
        return bytes(pdf.output())
    from .signatures import sign_pdf  # pyHanko: imported only where PDFs are signed or checked

    return sign_pdf(bytes(pdf.output()))


class PdfDetailView(SingleObjectTemplateResponseMixin):
    """For a DetailView: answers with the PDF of ``template_name``, named after the object."""

    def render_to_response(self, context, **response_kwargs):
        context["title"] = str(self.object)
        pdf = render_pdf(self.get_template_names()[0], context, self.request)
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"{slugify(str(self.object), allow_unicode=True) or self.object.pk}.pdf"
        response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=filename)
        return response
