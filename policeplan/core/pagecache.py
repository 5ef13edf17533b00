"""Pages cached whole for the public, with the per-response CSP nonce put back in.

A cached page holds NONCE_MARK where the nonce of the response that rendered it stood;
`thaw` gives each later response its own nonce, so inline scripts still run under the CSP.
"""

from __future__ import annotations

from django.http import HttpRequest

NONCE_MARK = "\x00csp-nonce\x00"


def nonce(request: HttpRequest) -> str:
    return str(request._csp_nonce)  # type: ignore[attr-defined]


def freeze(html: str, request: HttpRequest) -> str:
    """The page as it may be cached: this response's nonce replaced by the mark."""
    return html.replace(nonce(request), NONCE_MARK)


def thaw(page: str, request: HttpRequest) -> str:
    """A cached page with this response's nonce."""
    return page.replace(NONCE_MARK, nonce(request))
