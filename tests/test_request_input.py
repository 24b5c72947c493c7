"""The request's own input: UUID headers, bodies read only when sent, query strings loaded once per text."""
import io
import uuid

import pytest

from taskflask.api.tasks import LIST_QUERY
from taskflask.web.input import load_query, query_args, request_body
from taskflask.web.tenancy import header_uuid


class UnreadableInput(io.RawIOBase):
    """A wsgi.input that fails the test if anything reads it."""

    def read(self, size=-1):
        raise AssertionError("the body was read")


@pytest.mark.parametrize("spelling", [str.upper, str.lower, lambda text: f"  {text.upper()}\t"])
def test_a_uuid_header_comes_back_in_uuids_own_form(app, spelling):
    value = str(uuid.uuid4())
    with app.test_request_context("/tasks", headers={"x-tenant-id": spelling(value)}):
        assert header_uuid("x-tenant-id", required=True) == str(uuid.UUID(value)) == value


def test_a_request_without_a_body_does_not_read_its_input(app):
    # As gunicorn hands it over: a stream that ends itself, which the body would be read from.
    environ = {"wsgi.input": UnreadableInput(), "wsgi.input_terminated": True}
    with app.test_request_context("/tasks", method="GET", environ_overrides=environ):
        assert request_body() == b""


def test_a_body_with_its_length_is_read(app):
    with app.test_request_context("/tasks", method="POST", data=b'{"title": "t"}',
                                  content_type="application/json"):
        assert request_body() == b'{"title": "t"}'


def test_a_chunked_body_is_read(app):
    environ = {"wsgi.input": io.BytesIO(b'{"title": "t"}'), "wsgi.input_terminated": True,
               "HTTP_TRANSFER_ENCODING": "chunked"}
    with app.test_request_context("/tasks", method="POST", environ_overrides=environ):
        assert request_body() == b'{"title": "t"}'


def test_a_query_text_asked_again_is_not_loaded_again_and_each_caller_gets_its_own_dict(app):
    with app.test_request_context(f"/tasks?limit=7&status=pending&q={uuid.uuid4().hex}"):
        first = query_args(LIST_QUERY)
        first["limit"] = 99  # a caller changing its dict
        hits = load_query.cache_info().hits
        second = query_args(LIST_QUERY)
        assert load_query.cache_info().hits == hits + 1
    assert second["limit"] == 7 and second["status"] == "pending"


@pytest.mark.parametrize("query", ["limit=0", "q=%ED%A0%80", "status=done"])
def test_a_refused_query_is_refused_every_time(client, tenant, query):
    for _ in range(3):
        response = client.get(f"/tasks?{query}", headers=tenant.headers())
        assert response.status_code == 400 and response.json["error"] == "validation_error", response.json


def test_the_same_query_text_reads_each_tenants_own_tasks(client, tenant, other_tenant):
    tenant.add_task("ours")
    other_tenant.add_task("theirs")
    for fixture, title in ((tenant, "ours"), (other_tenant, "theirs"), (tenant, "ours")):
        assert [task["title"] for task in client.get("/tasks?limit=5", headers=fixture.headers()).json] == [title]
