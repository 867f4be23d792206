-- The job execution that owns the date, when the owner is a history import (its execution exists
-- before it claims its dates): a claimant that takes over from a dead import marks that execution
-- FAILED, as it does the date's nightly executions. Null for nightly runs (their executions are
-- found by their businessDate parameter).
ALTER TABLE AGRI_RUN_OWNER ADD COLUMN JOB_EXECUTION_ID BIGINT;
