"""The OpenAPI 3.1 document and the /docs page, built from what each API view declares."""
