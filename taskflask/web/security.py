"""Security headers on every response."""

# The SPA loads only its own hashed scripts and styles; /docs has one inline <style>.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response):
    """after_request: the fixed headers a view did not set, and no caching of tenant data by shared caches.

    One pass over the response's headers (setdefault and ``in`` would each scan them again).
    """
    present = {}
    for name, value in response.headers.items():
        present.setdefault(name.lower(), value)  # the first, as Headers.get reads
    response.headers.extend([(name, value) for name, value in HEADERS.items() if name.lower() not in present])
    content_type = present.get("content-type")
    if content_type and content_type.partition(";")[0].strip() == "application/json" and "cache-control" not in present:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app):
    app.after_request(add_security_headers)
