# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report's HTML documents, rendered with autoescape on.

    siak_render_html(context, template_name, template_dir)
        render one template of ``template_dir`` with the variables of ``context`` and
        return the HTML text.

Ansible's own templating (``ansible.builtin.template``, the ``template`` lookup) turns
Jinja2's autoescape off, so a host's text (a switch's port description, a file name, a log
line, an inventory name) would land in the page as live HTML. Its engine generates native
Python code that ignores even ``{% autoescape true %}`` blocks (ansible-core 2.19): an HTML
template must never be rendered by it. This filter renders with a Jinja2 environment of its
own: autoescape always on, an undefined variable is an error, the report's filters
(``siak_summary``) registered. Every value is text in the page; only the templates' own
markup is markup. The templates also wrap their bodies in ``{% autoescape true %}``, so a
plain Jinja2 engine with autoescape off still writes every value as text.
"""

from __future__ import annotations

import base64
import importlib.util
import os

import jinja2

_HERE = os.path.dirname(os.path.abspath(__file__))


def _report_filters():
    """The filters of siak_summary.py and siak_texts.py (beside this file), loaded from their paths.

    Ansible loads each filter plugin under a name of its own, so a plain ``import`` of a
    sibling plugin does not work inside Ansible.
    """
    filters = {}
    for name in ("siak_summary", "siak_texts"):
        spec = importlib.util.spec_from_file_location("_siak_html_" + name, os.path.join(_HERE, name + ".py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        filters.update(module.FilterModule().filters())
    return filters


_FILTERS = _report_filters()


def siak_render_html(context, template_name, template_dir):
    """Render ``template_name`` from ``template_dir`` with autoescape on; return the HTML text.

    The layout settings are those of ``ansible.builtin.template`` (trim_blocks, trailing
    newline kept), so a report with ordinary text is the same document as before.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(_FILTERS)
    return str(env.get_template(str(template_name)).render(dict(context)))


# The image types a letterhead logo may be, by file name ending.
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
              ".svg": "image/svg+xml", ".webp": "image/webp"}
# A logo larger than this is not embedded (the report stays small enough to mail).
MAX_LOGO_BYTES = 512 * 1024


def siak_logo_data_uri(path):
    """The office's logo file as a ``data:`` URI, so that the HTML stays one file.

    Returns {"uri": ..., "problem": ...}: an empty ``path`` gives no logo and no problem; a
    file that is missing, unreadable, too large or not an image type in LOGO_TYPES gives no
    logo and a problem naming the cause (the report is written all the same, without logo).
    """
    path = str(path or "").strip()
    if not path:
        return {"uri": "", "problem": ""}
    mime = LOGO_TYPES.get(os.path.splitext(path)[1].lower())
    if mime is None:
        return {"uri": "", "problem": "logo %s: jenis berkas tidak dikenal (harus %s)" % (
            path, ", ".join(sorted(LOGO_TYPES)))}
    try:
        size = os.path.getsize(path)
        if size > MAX_LOGO_BYTES:
            return {"uri": "", "problem": "logo %s: terlalu besar (%d bait, paling besar %d)" % (path, size, MAX_LOGO_BYTES)}
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return {"uri": "", "problem": "logo %s tidak dapat dibaca: %s" % (path, exc.strerror or exc)}
    return {"uri": "data:%s;base64,%s" % (mime, base64.b64encode(data).decode("ascii")), "problem": ""}


class FilterModule:
    """HTML rendering filters."""

    def filters(self):
        return {"siak_render_html": siak_render_html, "siak_logo_data_uri": siak_logo_data_uri}
