"""marshmallow schemas for every request and response body, with the API's camelCase keys.

Request schemas validate and normalise input (load). Response schemas
document what the API answers; the SQL already returns rows in that shape,
and the tests check real responses against these schemas.
"""
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from taskflask.schema_names import schema_name_problem

TASK_STATUSES = ("pending", "completed")
EXPORT_STATUSES = ("pending", "processing", "completed", "failed", "expired")
ROLES = ("admin", "member")


class Text(fields.String):
    """A string without NUL characters (PostgreSQL cannot store them), trimmed unless strip=False."""

    def __init__(self, *args, strip=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.strip = strip

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in value:
            raise ValidationError("Must not contain NUL characters.")
        return value.strip() if self.strip else value


def valid_schema_name(name):
    """marshmallow validator for tenant schema names."""
    problem = schema_name_problem(name)
    if problem:
        raise ValidationError(f"Schema name {problem}.")


class RequestSchema(Schema):
    """Input schemas ignore unknown keys, as the original API did."""

    class Meta:
        unknown = EXCLUDE


class OrganizationCreateSchema(RequestSchema):
    name = Text(required=True, validate=validate.Length(1, 200))
    schema_name = Text(required=True, data_key="schemaName", validate=valid_schema_name)


class OrganizationDeleteSchema(RequestSchema):
    """The schema name, repeated as confirmation that this organization is the one to delete."""

    schema_name = Text(required=True, data_key="schemaName")


class UserCreateSchema(RequestSchema):
    name = Text(required=True, validate=validate.Length(1, 200))
    email = fields.Email(required=True, validate=validate.Length(3, 320))
    role = fields.String(load_default="member", validate=validate.OneOf(ROLES))


class TaskCreateSchema(RequestSchema):
    title = Text(required=True, validate=validate.Length(1, 200))
    description = Text(load_default=None, allow_none=True, strip=False, validate=validate.Length(max=10_000))


class TaskUpdateSchema(RequestSchema):
    title = Text(validate=validate.Length(1, 200))
    description = Text(allow_none=True, strip=False, validate=validate.Length(max=10_000))
    status = fields.String(validate=validate.OneOf(TASK_STATUSES))


class TaskListQuerySchema(RequestSchema):
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000))
    status = fields.String(load_default=None, validate=validate.OneOf(TASK_STATUSES))
    cursor = Text(load_default=None, validate=validate.Length(1, 200))


# Responses: what the API answers (timestamps are ISO 8601 in UTC).


class OrganizationSchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    schemaName = fields.String(required=True)
    createdAt = fields.DateTime(required=True)


class UserSchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    email = fields.Email(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    createdAt = fields.DateTime(required=True)


class TaskSchema(Schema):
    id = fields.UUID(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(TASK_STATUSES))
    createdBy = fields.UUID(required=True)
    createdAt = fields.DateTime(required=True)
    updatedAt = fields.DateTime(required=True)
    completedAt = fields.DateTime(required=True, allow_none=True)


class ExportSchema(Schema):
    id = fields.UUID(required=True)
    status = fields.String(required=True, validate=validate.OneOf(EXPORT_STATUSES))
    requestedBy = fields.UUID(required=True)
    rowCount = fields.Integer(required=True, allow_none=True)
    fileUrl = fields.String(required=True, allow_none=True)
    error = fields.String(required=True, allow_none=True)
    createdAt = fields.DateTime(required=True)
    completedAt = fields.DateTime(required=True, allow_none=True)
    rowsWritten = fields.Integer(required=True, allow_none=True, metadata={
        "description": "Rows written so far: live while processing (0 until the COPY starts), "
                       "rowCount once completed; null while pending or after a failure"})
    rowsExpected = fields.Integer(required=True, allow_none=True, metadata={
        "description": "The rows the running attempt expects to write (counted when it started), "
                       "rowCount once completed; null while pending or after a failure"})


class ExportCreatedSchema(Schema):
    exportId = fields.UUID(required=True)
    jobId = fields.String(required=True)


class HealthSchema(Schema):
    status = fields.String(required=True)
    checks = fields.Dict(keys=fields.String(), values=fields.String())


class ErrorSchema(Schema):
    error = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    checks = fields.Dict(keys=fields.String(), values=fields.String())
    exportId = fields.UUID()
