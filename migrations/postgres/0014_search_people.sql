-- People and organisations in the search index (search/profiles.h):
-- derived from the users, their expertise and the orgs, rebuilt by
-- `kring reindex`, kept up to date when a profile or an organisation is
-- saved.
--
-- name_terms holds the terms of a member's name and handle (an
-- organisation's name), terms those and the rest: title, expertise, "ask
-- me about" and organisation (an organisation's description). Each text is
-- analysed in every language a query tries, as a profile has no one
-- language. words: the long words, folded but not stemmed, with a trigram
-- index for a query word found inside a compound.
CREATE TABLE search_people (
	user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	name_terms TSVECTOR NOT NULL,
	terms TSVECTOR NOT NULL,
	words TEXT NOT NULL
);
CREATE INDEX search_people_terms ON search_people USING gin (terms);
CREATE INDEX search_people_words ON search_people USING gin (words gin_trgm_ops);

CREATE TABLE search_orgs (
	org_id BIGINT PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE DEFERRABLE,
	name_terms TSVECTOR NOT NULL,
	terms TSVECTOR NOT NULL,
	words TEXT NOT NULL
);
CREATE INDEX search_orgs_terms ON search_orgs USING gin (terms);
CREATE INDEX search_orgs_words ON search_orgs USING gin (words gin_trgm_ops);

-- Members whose row changed since they were indexed (signed up, renamed,
-- added from the command line): the index catches up on them before it
-- is searched. A profile saved through its form is indexed at once.
CREATE TABLE search_people_stale (user_id BIGINT PRIMARY KEY);
CREATE FUNCTION search_people_mark_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO search_people_stale (user_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
CREATE TRIGGER search_people_changed AFTER INSERT OR UPDATE OF name, handle, title, ask_me_about, org_id ON users
	FOR EACH ROW EXECUTE FUNCTION search_people_mark_stale();
