-- What each run of the nightly job published (org.agrifusion.jobs.lake.Publications): the Iceberg
-- snapshot of every lake table as the run left it, and the business dates whose rows it wrote (its
-- own date, and earlier dates a late waybill or order changed). Readers of a date (index, extract,
-- report, `agri extract`) read each table at the snapshot of the latest publication naming the date,
-- so a run that died half-way through never shows them a mixed date.
CREATE TABLE AGRI_PUBLICATION (
  JOB_EXECUTION_ID BIGINT NOT NULL PRIMARY KEY,
  BUSINESS_DATE VARCHAR(10) NOT NULL,
  PUBLISHED_AT TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE AGRI_PUBLICATION_SNAPSHOT (
  JOB_EXECUTION_ID BIGINT NOT NULL REFERENCES AGRI_PUBLICATION (JOB_EXECUTION_ID),
  TABLE_NAME VARCHAR(255) NOT NULL,
  SNAPSHOT_ID BIGINT NOT NULL,
  PRIMARY KEY (JOB_EXECUTION_ID, TABLE_NAME)
);

CREATE TABLE AGRI_PUBLICATION_DATE (
  JOB_EXECUTION_ID BIGINT NOT NULL REFERENCES AGRI_PUBLICATION (JOB_EXECUTION_ID),
  BUSINESS_DATE VARCHAR(10) NOT NULL,
  PRIMARY KEY (JOB_EXECUTION_ID, BUSINESS_DATE)
);

CREATE INDEX AGRI_PUBLICATION_DATE_IX ON AGRI_PUBLICATION_DATE (BUSINESS_DATE);
