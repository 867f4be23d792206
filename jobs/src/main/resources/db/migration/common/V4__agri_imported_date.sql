-- The dates a history import (agri import-history) filed rows under, one row per import and date,
-- with the rows it read, accepted and quarantined for that date: `agri status --date D` shows them
-- beside the date's nightly runs. The import's job execution itself is in BATCH_JOB_EXECUTION.
CREATE TABLE AGRI_IMPORTED_DATE (
  JOB_EXECUTION_ID BIGINT NOT NULL,
  BUSINESS_DATE VARCHAR(10) NOT NULL,
  SOURCE_ID VARCHAR(100) NOT NULL,
  READ_COUNT BIGINT NOT NULL,
  ACCEPTED_COUNT BIGINT NOT NULL,
  QUARANTINED_COUNT BIGINT NOT NULL,
  PRIMARY KEY (JOB_EXECUTION_ID, BUSINESS_DATE)
);

CREATE INDEX AGRI_IMPORTED_DATE_IX ON AGRI_IMPORTED_DATE (BUSINESS_DATE);
