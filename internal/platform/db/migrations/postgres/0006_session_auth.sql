-- When the person behind a session last proved who they are (password,
-- second factor or external login), as opposed to when the session was last
-- refreshed: turning on MFA or setting a first password asks for a recent
-- one. NULL (sessions made before this column) counts as long ago.
ALTER TABLE sessions ADD COLUMN auth_at TIMESTAMPTZ;
