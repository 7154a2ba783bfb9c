-- issue 18: the rule pass asks, for each finding, when a person last resolved its subject.
-- Without this index that was a scan of every escalation ever raised, once a second per
-- console; with it, one seek that reads the newest resolutions of that subject first.
CREATE INDEX IF NOT EXISTS escalation_resolved_by_subject
    ON escalation(subject, resolved_at, resolved_by)
    WHERE subject IS NOT NULL AND state = 'resolved';
