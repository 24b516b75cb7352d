"""Message bodies as safe HTML: what a user types is cleaned by nh3 (a maintained allow-list sanitiser)."""
from __future__ import annotations

import nh3
from markupsafe import Markup, escape

TAGS = {"p", "br", "strong", "em", "b", "i", "u", "s", "ul", "ol", "li", "a", "blockquote", "code", "pre"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(text: str) -> str:
    """``text`` (HTML or plain text) with only harmless formatting kept; plain line breaks become ``<br>``.

    Scripts, event handlers, styles and ``javascript:`` links are removed, with
    the text of removed tags kept (``<script>`` and ``<style>`` lose their content).
    """
    cleaned = nh3.clean(text.strip(), tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                        link_rel="noopener noreferrer nofollow")
    return cleaned.replace("\r\n", "\n").replace("\n", "<br>")


def text_as_html(text: str) -> str:
    """Plain text (an email's body) as HTML: escaped, line breaks kept."""
    return str(escape(text.strip())).replace("\r\n", "\n").replace("\n", Markup("<br>"))
