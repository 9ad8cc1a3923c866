"""GeoReport v2's two formats: JSON (a list at the top, as clients expect) and schemaless XML.

The XML is the spec's element names without a namespace, built with the standard library: a list
becomes repeated elements named after their container (`<services><service>`, `<service_requests>
<request>`, `<attributes><attribute>`, `<errors><error>`), None an empty element, booleans `true`/
`false`. The format is chosen by the path's suffix alone (`.json`, `.xml`), never by the Accept
header: a client asking for requests.xml with `Accept: application/json` still gets XML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer

# Container element -> the name of each element inside it.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot carry at all (control characters a citizen's text may hold): dropped, so
# one report's stray \x0b cannot make the whole document unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        item_name = ITEM_NAMES[element.tag]
        for item in value:
            _fill(ET.SubElement(element, item_name), item)
    else:
        element.text = _text(value)


def to_xml(root: str, data: Any) -> bytes:
    """`data` under a `root` element: a list gives one element per item, a mapping one per key."""
    element = ET.Element(root)
    _fill(element, data)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8", xml_declaration=False)


class Open311JSONRenderer(JSONRenderer):
    charset = "utf-8"  # the spec asks for it in the Content-Type, though JSON is UTF-8 anyway
    ensure_ascii = False


class Open311XMLRenderer(BaseRenderer):
    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        context = renderer_context or {}
        response = context.get("response")
        if response is not None and response.exception:
            return to_xml("errors", data)
        return to_xml(getattr(context.get("view"), "xml_root", "service_requests"), data)


class FormatSuffixNegotiation(BaseContentNegotiation):
    """The renderer named by the path's `.json`/`.xml`; parsers chosen as DRF does."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return DefaultContentNegotiation().select_parser(request, parsers)

    def select_renderer(self, request: Any, renderers: Any, format_suffix: str | None = None) -> tuple[Any, str]:
        for renderer in renderers:
            if renderer.format == format_suffix:
                return renderer, renderer.media_type
        return renderers[0], renderers[0].media_type
