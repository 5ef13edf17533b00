"""Static files as production serves them: WhiteNoise's compressed, hashed copies, with our
own JavaScript modules' dynamic imports pointed at the hashed names.

A measure page loads the small charts.mjs, which loads the big chart-engine.mjs with
`import("./chart-engine.mjs")` only when a reader asks to explore a chart. collectstatic
renames every file to carry its hash, so that import has to be rewritten to the engine's
hashed name, as Django already does for `url()` in CSS. Only our `.mjs` modules (built by
frontend/build.mjs) are rewritten; GOV.UK Frontend's `.js` is served as published.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage

DYNAMIC_IMPORT = (r"""(?P<matched>import\(["'](?P<url>\./.*?)["']\))""", """import("%(url)s")""")


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = (*CompressedManifestStaticFilesStorage.patterns, ("*.mjs", (DYNAMIC_IMPORT,)))
