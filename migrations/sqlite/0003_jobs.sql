-- Background jobs, claimed by the worker of any kring node. A claim is a
-- lease (locked_by, locked_until): a node that dies lets it lapse and
-- another node runs the job again. unique_key stores a job that every node
-- enqueues (hourly maintenance) once.

CREATE TABLE jobs (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	payload TEXT NOT NULL DEFAULT '{}',
	unique_key TEXT UNIQUE,
	run_at INTEGER NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	locked_by TEXT,
	locked_until INTEGER,
	done_at INTEGER,
	failed_at INTEGER,
	last_error TEXT,
	created_at INTEGER NOT NULL
);
-- The jobs still to run, in the order workers take them.
CREATE INDEX jobs_due ON jobs(run_at, id) WHERE done_at IS NULL AND failed_at IS NULL;
-- Recent jobs of a kind, newest first (the admin's delivery list).
CREATE INDEX jobs_kind ON jobs(kind, id DESC);
