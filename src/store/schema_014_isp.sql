-- duty-desk schema, key populations (issue 15): a person retired from the register keeps
-- their row and history; the town date they left and why, so that the weekly figures of
-- the weeks before still count them and `people list --all` can say so.
ALTER TABLE person ADD COLUMN retired_on TEXT;
ALTER TABLE person ADD COLUMN retired_reason TEXT NOT NULL DEFAULT '';
