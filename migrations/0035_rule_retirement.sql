-- Assignment rules the ministry edits, reorders and retires (issue 12). A
-- retired rule stays, with when it was retired, so that the trail of who
-- sent which applications where keeps its meaning; the assignment loop
-- skips it.

-- +goose Up
ALTER TABLE assignment_rules ADD COLUMN retired_at timestamptz;

-- +goose Down
ALTER TABLE assignment_rules DROP COLUMN retired_at;
