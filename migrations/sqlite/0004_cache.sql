-- The content generation: every write that can change what pages show moves
-- it on, and cached pages made under an older one are made anew. One row,
-- created by the first write (so a new database has no rows to copy over).
CREATE TABLE content_generation (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	generation INTEGER NOT NULL
);
