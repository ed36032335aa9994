-- The second factor (TOTP, RFC 6238), one-time recovery codes, and the stage of a session.
-- Same change as migrations/postgres/0004_second_factor.sql.

-- The TOTP secret in base32: it must be read back to compute codes, so it cannot be hashed.
-- enrolled_at is NULL while the account is still setting it up (the secret shown, not yet
-- confirmed with a code). last_step: the newest 30-second step whose code was accepted; a code
-- of that step or an earlier one is refused (replay).
CREATE TABLE second_factors (
    account_id  TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    secret      TEXT NOT NULL,
    enrolled_at TEXT,
    last_step   INTEGER,
    created_at  TEXT NOT NULL
);

-- Only the SHA-256 of a recovery code is stored; each works once.
CREATE TABLE recovery_codes (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    TEXT,
    PRIMARY KEY (account_id, code_hash)
);

-- full: a logged-in session. second-factor: the password was right, the code is still asked
-- for. enrol: the password was right, and the account must set up a second factor first.
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'full'
    CHECK (stage IN ('full', 'second-factor', 'enrol'));
