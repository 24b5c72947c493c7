"""marshmallow schemas for every request and response body, with the API's camelCase keys.

Request schemas validate and normalise input (load). Response schemas
document what the API answers; the SQL already returns rows in that shape,
and the tests check real responses against these schemas.
"""
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from taskflask.tenants.names import schema_name_problem

TASK_STATUSES = ("pending", "completed")
EXPORT_STATUSES = ("pending", "processing", "completed", "failed", "expired")
ROLES = ("admin", "member")


# What names and titles lose at either end: the characters JavaScript's String.prototype.trim()
# removes, as in the original API. Written out, so that the server and the pattern in the OpenAPI
# document (where \s would mean something else in each regex engine) trim exactly the same.
TRIMMED = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
          "\u2028\u2029\u202f\u205f\u3000\ufeff"
TRIMMED_CLASS = r"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# Characters PostgreSQL cannot store in text: NUL (a lone UTF-16 surrogate, which JSON can carry but
# UTF-8 cannot, is refused too; a JSON Schema pattern cannot name it).
STORABLE_CHAR = r"[^\u0000]"
STORABLE_NOT_TRIMMED = rf"[^\u0000{TRIMMED_CLASS}]"


def storage_problem(value):
    """Why PostgreSQL cannot store ``value`` as text, or None."""
    if "\x00" in value:
        return "Must not contain NUL characters."
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "Must be valid Unicode text (no unpaired surrogates)."
    return None


def trimmed_text_pattern(min_length, max_length):
    """ECMA-262 regex of a text whose length after trimming TRIMMED is min_length..max_length (min 0 or 1)."""
    edge, inner = STORABLE_NOT_TRIMMED, STORABLE_CHAR
    core = rf"{edge}(?:{inner}{{0,{max_length - 2}}}{edge})?"
    if min_length == 0:
        core = f"(?:{core})?"
    return rf"^[{TRIMMED_CLASS}]*{core}[{TRIMMED_CLASS}]*$"


class Text(fields.String):
    """A string PostgreSQL can store, 0..max_length characters, counted after trimming when ``trim``.

    Its OpenAPI property says the same: a pattern (a trimmed length is not a maxLength), or
    maxLength and a pattern refusing NUL.
    """

    def __init__(self, *, max_length, min_length=0, trim=False, metadata=None, **kwargs):
        self.min_length, self.max_length, self.trim = min_length, max_length, trim
        if trim:
            document = {"pattern": trimmed_text_pattern(min_length, max_length),
                        "description": f"{min_length}-{max_length} characters after trimming surrounding "
                                       "whitespace; no NUL, no unpaired surrogate"}
        else:
            document = {"pattern": rf"^{STORABLE_CHAR}*$", "minLength": min_length, "maxLength": max_length,
                        "description": "No NUL, no unpaired surrogate"}
        super().__init__(metadata={**document, **(metadata or {})}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        problem = storage_problem(value)
        if problem:
            raise ValidationError(problem)
        if self.trim:
            value = value.strip(TRIMMED)
        if not self.min_length <= len(value) <= self.max_length:
            raise ValidationError(f"Length must be between {self.min_length} and {self.max_length}."
                                  if self.min_length else f"Longer than maximum length {self.max_length}.")
        return value


# Tenant schema names (taskflask.tenants.names), with the surrounding whitespace the server trims.
SCHEMA_NAME_PATTERN = (rf"^[{TRIMMED_CLASS}]*(?!pg_)(?!(?:public|information_schema)[{TRIMMED_CLASS}]*$)"
                       rf"[a-z_][a-z0-9_]{{0,62}}[{TRIMMED_CLASS}]*$")


class SchemaName(fields.String):
    """A tenant schema name (1-63 of a-z, 0-9, _, not starting with a digit, not reserved), trimmed."""

    def __init__(self, metadata=None, **kwargs):
        super().__init__(metadata={"pattern": SCHEMA_NAME_PATTERN, **(metadata or {})}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs).strip(TRIMMED)
        problem = schema_name_problem(value)
        if problem:
            raise ValidationError(f"Schema name {problem}.")
        return value


class EmailAddress(fields.Email):
    """An email address PostgreSQL can store."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        problem = storage_problem(value)
        if problem:
            raise ValidationError(problem)
        return value


class RequestSchema(Schema):
    """Input schemas ignore unknown keys, as the original API did."""

    class Meta:
        unknown = EXCLUDE


class OrganizationCreateSchema(RequestSchema):
    name = Text(required=True, trim=True, min_length=1, max_length=200, metadata={"example": "Acme Corp"})
    schema_name = SchemaName(required=True, data_key="schemaName", metadata={"example": "acme"})


class OrganizationDeleteSchema(RequestSchema):
    """The schema name, repeated as confirmation that this organization is the one to delete."""

    schema_name = Text(required=True, data_key="schemaName", trim=True, max_length=200, metadata={"example": "acme"})


class UserCreateSchema(RequestSchema):
    name = Text(required=True, trim=True, min_length=1, max_length=200, metadata={"example": "Alice"})
    email = EmailAddress(required=True, validate=validate.Length(3, 320), metadata={"example": "alice@acme.com"})
    role = fields.String(load_default="member", validate=validate.OneOf(ROLES), metadata={"example": "admin"})


class TaskCreateSchema(RequestSchema):
    title = Text(required=True, trim=True, min_length=1, max_length=200, metadata={"example": "Write tests"})
    description = Text(load_default=None, allow_none=True, max_length=10_000,
                       metadata={"example": "Unit + integration"})


class TaskUpdateSchema(RequestSchema):
    title = Text(trim=True, min_length=1, max_length=200)
    description = Text(allow_none=True, max_length=10_000)
    status = fields.String(validate=validate.OneOf(TASK_STATUSES))


def search_text():
    """``q``: the words to find in titles and descriptions (trimmed; empty means no search)."""
    return Text(load_default="", trim=True, max_length=200, metadata={
        "example": "report",
        "description": "Tasks whose title or description contains this text, in any case; "
                       "0-200 characters after trimming surrounding whitespace (empty: all tasks)"})


class TaskListQuerySchema(RequestSchema):
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000))
    status = fields.String(load_default=None, validate=validate.OneOf(TASK_STATUSES))
    q = search_text()
    # Opaque: only a cursor the server made (a Link header's) is valid; "cursor" names that format.
    cursor = fields.String(load_default=None, validate=validate.Length(1, 200),
                           metadata={"format": "cursor", "description": "From the Link header of the previous page"})


class TaskCountsQuerySchema(RequestSchema):
    q = search_text()


class OrganizationListQuerySchema(RequestSchema):
    """A page of the organization search; without any of these parameters the answer is every organization."""

    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000))
    q = Text(load_default=None, max_length=200, metadata={
        "description": "Part of a name or schema name, in any case; empty matches every organization"})
    # A name of 200 characters, each up to 4 bytes in UTF-8, and an id, in base64.
    cursor = fields.String(load_default=None, validate=validate.Length(1, 1200),
                           metadata={"format": "name-cursor",
                                     "description": "From the Link header of the previous page"})


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
    createdByName = fields.String(required=True, metadata={"description": "The creator's name as it is now"})


class TaskCountsSchema(Schema):
    total = fields.Integer(required=True)
    pending = fields.Integer(required=True)
    completed = fields.Integer(required=True)
    capped = fields.Boolean(metadata={
        "description": "Only with q, and only true: the search matched 500 tasks or more, and each count "
                       "stops at 500 (show 500 as \"500+\")"})


class ExportSchema(Schema):
    id = fields.UUID(required=True)
    status = fields.String(required=True, validate=validate.OneOf(EXPORT_STATUSES))
    requestedBy = fields.UUID(required=True)
    requestedByName = fields.String(required=True, metadata={"description": "The requester's name as it is now"})
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
