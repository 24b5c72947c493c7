-- name: list_users
SELECT id, name, email, role, created_at AS "createdAt"
FROM users
ORDER BY created_at, id;

-- name: insert_user<!
INSERT INTO users (name, email, role)
VALUES (:name, :email, :role)
RETURNING id, name, email, role, created_at AS "createdAt";

-- name: user_role$
SELECT role FROM users WHERE id = :id;
