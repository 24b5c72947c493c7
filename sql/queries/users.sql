-- name: list
SELECT id, name, email, role, created_at AS "createdAt"
FROM users
ORDER BY created_at, id;

-- name: insert
INSERT INTO users (name, email, role)
VALUES (%(name)s, %(email)s, %(role)s)
RETURNING id, name, email, role, created_at AS "createdAt";

-- name: role
SELECT role FROM users WHERE id = %(id)s;
