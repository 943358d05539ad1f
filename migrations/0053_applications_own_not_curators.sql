-- A curator organisation reads applications by its assignment only (issue 8).
--
-- A curator's queue walks its applications of one status in order along
-- (assigned_org_id, status, submitted_at, id) and stops after a page. As the
-- curators' role (migration 0052) the two policies of applications became
-- two comparisons Postgres can index, "organization_id = the reader's" (an
-- applicant's own) or "assigned_org_id = the reader's" (a curator's), and
-- the generic plan of the queue's page of curated applications read all of
-- them through both indexes and sorted them: 16,126 rows and 32 ms a view at
-- 200,000 suppliers instead of 26 rows along the index. No curator
-- organisation applies, so the applicant's branch now says so: it is no
-- curator's, and in the curators' copy it folds away, leaving the
-- assignment alone, which the queue's walk uses as it did.

-- +goose Up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER POLICY applications_all ON applications
    USING (((SELECT app_org_kind()) <> 'curator' AND organization_id = (SELECT app_org_id()))
           OR (SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system')
    WITH CHECK (((SELECT app_org_kind()) <> 'curator' AND organization_id = (SELECT app_org_id()))
           OR (SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system');

-- +goose Down
SET LOCAL lock_timeout = '5s';
ALTER POLICY applications_all ON applications
    USING (organization_id = (SELECT app_org_id()) OR (SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system')
    WITH CHECK (organization_id = (SELECT app_org_id()) OR (SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system');
