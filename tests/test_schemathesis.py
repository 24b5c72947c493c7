"""Schemathesis against /openapi.json, positive and negative cases, on the real database.

Checks: no 5xx ever, every status and content type is one the document
declares, and every body matches its declared schema.
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                 status_code_conformance)

from conftest import TenantFixture

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FUZZ_SETTINGS = settings(max_examples=30, deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                HealthCheck.filter_too_much])


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


@pytest.fixture(scope="module")
def fuzz_tenant(app):
    return TenantFixture(app.test_client(), "fuzz")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@FUZZ_SETTINGS
def test_generated_requests_get_documented_answers(case):
    """Headers as generated: mostly refused, always with a documented JSON error."""
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_generated_requests_as_a_real_admin_get_documented_answers(case, fuzz_tenant):
    """With a real tenant and admin, generated bodies and parameters reach the views."""
    case.call_and_validate(headers=fuzz_tenant.as_admin, checks=CHECKS)
