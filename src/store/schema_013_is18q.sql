-- Issue 18: the town change history (`store::town::town_history`) reads the audit rows
-- named `town.<what>`, newest first. Without an index that was a scan of the whole audit
-- log (about 400 ms on a county's million rows) while the town popup is open. This partial
-- index holds only the town's rows, in id order: the newest `limit` of them are read
-- straight off its end, however long the log grows. The query names the same range
-- (`action >= 'town.' AND action < 'town/'`) so SQLite can use it.
CREATE INDEX IF NOT EXISTS audit_town_by_id ON audit(id)
    WHERE action >= 'town.' AND action < 'town/';
