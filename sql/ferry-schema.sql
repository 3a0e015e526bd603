-- Ferry's system tables. One copy lives at every site, in the `ferry` database.
-- `ferry run` creates them when missing (the Ferry user then needs CREATE on ferry.*);
-- a DBA can instead run this file once per site. Running it twice is safe.
CREATE DATABASE IF NOT EXISTS `ferry` CHARACTER SET utf8mb4;

-- One row per committable applied at this site. It is inserted first in every transaction a Ferry
-- sink commits, so it is also the stamp by which every Ferry binlog reader drops that transaction
-- (no echo). A repeated commit after a restore finds its row and skips. Pruned after 7 days.
CREATE TABLE IF NOT EXISTS `ferry`.`ferry_commit` (
  channel      VARCHAR(64)  NOT NULL,
  direction    VARCHAR(140) NOT NULL,
  subtask      INT          NOT NULL,
  epoch        BIGINT       NOT NULL COMMENT 'start time of the writer that made the committable',
  seq          BIGINT       NOT NULL COMMENT 'committable number within that writer',
  row_count    BIGINT       NOT NULL,
  committed_at DATETIME(6)  NOT NULL,
  source_position VARCHAR(255) NULL COMMENT 'source binlog position up to which this committable applies',
  PRIMARY KEY (channel, direction, subtask, epoch, seq),
  KEY committed_at (committed_at)
) ENGINE=InnoDB;

-- One row per direction job that reads this site, updated about every second with the job's own
-- clock. It closes the last source transaction while the source is idle, and measures lag.
CREATE TABLE IF NOT EXISTS `ferry`.`ferry_heartbeat` (
  channel   VARCHAR(64)  NOT NULL,
  direction VARCHAR(140) NOT NULL,
  ts_ms     BIGINT       NOT NULL,
  PRIMARY KEY (channel, direction)
) ENGINE=InnoDB;


-- One row per DDL statement a Ferry sink executed at this site: 'pending' just before the statement
-- runs (binlog readers then drop that table's next DDL, whose tag the server may have rewritten
-- away), then its outcome, with the commit marker, right after it. 'already-satisfied' means the target refused it because its effect was
-- already there (the column existed, the table was gone, ...); replication went on.
-- A row change this site refused for good (a CHECK constraint, a value the column cannot hold, a
-- column or table missing here, a trigger's SIGNAL) holds its table: its row here says 'held'
-- (subtask -1, epoch 0, seq = the change's id in ferry_held; detail: the error and the fix), and the
-- table's changes wait in ferry_held. An operator sets outcome to 'retry' (after fixing this site),
-- 'skip' (drop that change; the row then says 'skipped') or 'manual' with manual_sql (Ferry runs it,
-- then retries); the row then says 'released'.
CREATE TABLE IF NOT EXISTS `ferry`.`ferry_ddl` (
  channel         VARCHAR(64)   NOT NULL,
  direction       VARCHAR(140)  NOT NULL,
  subtask         INT           NOT NULL,
  epoch           BIGINT        NOT NULL,
  seq             BIGINT        NOT NULL,
  table_schema    VARCHAR(64)   NOT NULL,
  table_name      VARCHAR(64)   NOT NULL,
  statement       MEDIUMTEXT    NOT NULL COMMENT 'as executed here, with the ferry tag',
  source_position VARCHAR(200)  NOT NULL COMMENT 'binlog file:position at the source',
  outcome         VARCHAR(20)   NOT NULL COMMENT 'pending (about to run), applied, already-satisfied, held, retry, skip, manual, released, skipped',
  detail          VARCHAR(1000) NULL     COMMENT 'the error that showed it was already satisfied, or why it is held and the fix',
  index_set_after TEXT          NULL     COMMENT 'the table''s secondary indexes after the statement',
  applied_at      DATETIME(6)   NOT NULL COMMENT 'UTC',
  manual_sql      MEDIUMTEXT    NULL     COMMENT 'an operator''s SQL for outcome manual (last: older installations get it added)',
  PRIMARY KEY (channel, direction, subtask, epoch, seq),
  KEY applied_at (applied_at)
) ENGINE=InnoDB;

-- Installations made before manual_sql existed get it from 'ferry run' and 'ferry prepare' (see
-- Preflight.ensureFerryTables); by hand: ALTER TABLE `ferry`.`ferry_ddl` ADD COLUMN manual_sql MEDIUMTEXT NULL.

-- The changes (rows, and later DDL) of a held table, in arrival order, until an operator decides; written
-- in the transactions of the commit markers, so none is lost or applied twice.
CREATE TABLE IF NOT EXISTS `ferry`.`ferry_held` (
  id           BIGINT       NOT NULL AUTO_INCREMENT,
  channel      VARCHAR(64)  NOT NULL,
  direction    VARCHAR(140) NOT NULL,
  table_schema VARCHAR(64)  NOT NULL,
  table_name   VARCHAR(64)  NOT NULL,
  event        LONGBLOB     NOT NULL COMMENT 'the change, in Ferry''s encoding',
  held_at      DATETIME(6)  NOT NULL,
  PRIMARY KEY (id),
  KEY by_table (channel, direction, table_schema, table_name, id)
) ENGINE=InnoDB;

-- The latest change to a replicated table's secondary indexes, written by a direction job at its
-- source when they changed there, e.g. by a standalone CREATE INDEX or DROP INDEX (which Flink CDC
-- does not deliver). The row travels through the binlog; the target adds and drops the same indexes.
CREATE TABLE IF NOT EXISTS `ferry`.`ferry_index_sync` (
  channel      VARCHAR(64)  NOT NULL,
  direction    VARCHAR(140) NOT NULL,
  table_schema VARCHAR(64)  NOT NULL,
  table_name   VARCHAR(64)  NOT NULL,
  index_change TEXT         NOT NULL COMMENT 'one line per index: DROP `name` or ADD <definition>',
  detected_at  DATETIME(6)  NOT NULL,
  PRIMARY KEY (channel, direction, table_schema, table_name)
) ENGINE=InnoDB;

-- One row per conflict met while applying at this site, written in the same transaction as its
-- resolution (so a replay after a restore never records one twice). A conflict never stops
-- replication; policy 'manual' keeps the target row and leaves the decision to an operator here.
-- A change that continues a change already lost on the same row is counted on that row (follow_ups).
-- Times are UTC.
CREATE TABLE IF NOT EXISTS `ferry`.`ferry_conflict` (
  id                  BIGINT        NOT NULL AUTO_INCREMENT,
  channel             VARCHAR(64)   NOT NULL,
  direction           VARCHAR(140)  NOT NULL COMMENT 'the direction whose incoming change conflicted',
  table_schema        VARCHAR(64)   NOT NULL,
  table_name          VARCHAR(64)   NOT NULL,
  row_key             VARCHAR(1000) NOT NULL COMMENT 'primary key values as a JSON array',
  conflict_type       VARCHAR(30)   NOT NULL COMMENT 'insert-exists, insert-unique-key, update-mismatch, update-missing, update-unique-key, delete-mismatch, delete-missing',
  resolution          VARCHAR(30)   NOT NULL COMMENT 'incoming-applied, target-kept, row-removed, kept-for-operator, nothing-to-do',
  policy              VARCHAR(200)  NOT NULL,
  incoming_before     MEDIUMTEXT    NULL     COMMENT 'JSON object',
  incoming_after      MEDIUMTEXT    NULL     COMMENT 'JSON object',
  target_row          MEDIUMTEXT    NULL     COMMENT 'the row found here before the resolution, JSON object',
  source_position     VARCHAR(200)  NULL     COMMENT 'binlog file:position of the change at its source',
  source_committed_at DATETIME(3)   NULL     COMMENT 'when the source committed the change (its clock)',
  detected_at         DATETIME(6)   NOT NULL,
  follow_ups          INT           NOT NULL DEFAULT 0 COMMENT 'later changes of the same row from the same direction that continued the lost change and lost too (incoming_after is the latest)',
  last_seen_at        DATETIME(6)   NULL     COMMENT 'when the latest follow-up was met',
  PRIMARY KEY (id),
  KEY by_row (channel, direction, table_schema, table_name, row_key(200)),
  KEY detected_at (detected_at)
) ENGINE=InnoDB;
