-- What each write changed, for the page cache (src/http/cache.h): a scope
-- (a thread, a community, or everything) and the content generation of its
-- last change. Each node reads the rows newer than what it has seen, so a
-- cached page is checked without a statement of its own. One row per scope.
CREATE TABLE IF NOT EXISTS page_scopes (
	kind TEXT NOT NULL,
	id INTEGER NOT NULL,
	generation INTEGER NOT NULL,
	PRIMARY KEY (kind, id)
);
CREATE INDEX IF NOT EXISTS page_scopes_by_generation ON page_scopes (generation);
