-- A history import owns its dates as "import-history <source id>": wider than 40 characters for a
-- long source id.
ALTER TABLE AGRI_RUN_OWNER ALTER COLUMN ACTION SET DATA TYPE VARCHAR(255);
