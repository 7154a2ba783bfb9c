-- Issue 19, item 5: a cancelled request or trip keeps why it was called off (also in its
-- audit row). NULL for trips cancelled before this column, and for the others.
ALTER TABLE transport ADD COLUMN cancel_reason TEXT;
