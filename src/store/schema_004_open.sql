-- duty-desk schema: the newest audit time is looked up by every write (its timestamp is
-- never earlier than the newest already in the log), so it is read from an index.

CREATE INDEX IF NOT EXISTS audit_by_at ON audit(at);
