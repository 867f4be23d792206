-- One row per business date while a process runs it: the claim that allows one execution of a date
-- at a time, across processes and machines sharing this job repository (org.agrifusion.jobs.run).
-- SINCE is the owner's clock (compared with its process start on the same host); HEARTBEAT is the
-- database's clock, so owners on hosts with skewed clocks are judged alike.
CREATE TABLE AGRI_RUN_OWNER (
  BUSINESS_DATE VARCHAR(10) NOT NULL PRIMARY KEY,
  CLAIM_ID VARCHAR(36) NOT NULL,
  HOST VARCHAR(255) NOT NULL,
  PID BIGINT NOT NULL,
  ACTION VARCHAR(40) NOT NULL,
  SINCE TIMESTAMP WITH TIME ZONE NOT NULL,
  HEARTBEAT TIMESTAMP WITH TIME ZONE NOT NULL
);
