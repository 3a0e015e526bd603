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
