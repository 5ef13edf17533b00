"""collectstatic as production runs it: our modules' dynamic imports follow the hashed names."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings as settings_module
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command


def test_a_modules_dynamic_import_is_pointed_at_the_hashed_file(settings, tmp_path):
    source, out = tmp_path / "src", tmp_path / "out"
    source.mkdir()
    (source / "loader.mjs").write_text('let e;const l=()=>e??=import("./engine.mjs");l();\n')
    (source / "engine.mjs").write_text("export const drawn = 1;\n")
    # Files we did not build (GOV.UK Frontend's .js) are served as published.
    (source / "vendor.js").write_text('import("./engine.mjs");\n')
    settings.STATICFILES_DIRS = [source]
    settings.STATIC_ROOT = out
    call_command("collectstatic", "--noinput", verbosity=0)

    engine = staticfiles_storage.stored_name("engine.mjs")
    assert engine != "engine.mjs" and engine.startswith("engine.")
    loader = (out / staticfiles_storage.stored_name("loader.mjs")).read_text()
    assert f'import("./{engine}")' in loader
    assert (out / staticfiles_storage.stored_name("vendor.js")).read_text() == (
        'import("./engine.mjs");\n'
    )


def test_every_page_preloads_exactly_the_fonts_its_stylesheet_uses(client, db):
    html = client.get("/cookies/").text
    preloaded = set(re.findall(r'<link rel="preload" href="([^"]+)" as="font"', html))
    css_name = staticfiles_storage.stored_name("application.css")
    css = (Path(settings_module.STATIC_ROOT) / css_name).read_text()
    # Regular and bold: a GOV.UK Frontend upgrade that renames them fails here, not quietly.
    assert preloaded == set(re.findall(r'url\("([^"]+\.woff2)"\)', css))
    assert len(preloaded) == 2
