"""Reading API answers in tests."""


def next_link(response):
    """The URL in the Link: rel="next" header, or None."""
    link = response.headers.get("Link")
    if not link:
        return None
    assert link.endswith('>; rel="next"')
    return link[1:link.index(">")]
