"""How a paper's or a report's text is written (shared by both models)."""

from django.db import models


class BodyFormat(models.TextChoices):
    MARKDOWN = "markdown", "Markdown"
    HTML = "html", "HTML (cleaned: scripts, styles and unknown tags are removed)"
