-- People and organisations in the search index (search/profiles.h):
-- derived from the users, their expertise and the orgs, rebuilt by
-- `kring reindex`, kept up to date when a profile or an organisation is
-- saved. rowid is the member's or the organisation's id.
--
-- name holds the terms of a member's name and handle (an organisation's
-- name), profile those of the rest: title, expertise, "ask me about" and
-- organisation (an organisation's description). Each text is analysed in
-- every language a query tries, as a profile has no one language.
CREATE VIRTUAL TABLE search_people USING fts5(name, profile, tokenize = 'ascii');
CREATE VIRTUAL TABLE search_orgs USING fts5(name, profile, tokenize = 'ascii');
-- Their long words, folded but not stemmed, indexed by trigrams: a query
-- word found inside a compound ("förbättring" in "förbättringsarbete").
CREATE VIRTUAL TABLE search_people_words USING fts5(words, tokenize = 'trigram');
CREATE VIRTUAL TABLE search_orgs_words USING fts5(words, tokenize = 'trigram');

-- Members whose row changed since they were indexed (signed up, renamed,
-- added from the command line): the index catches up on them before it
-- is searched. A profile saved through its form is indexed at once.
CREATE TABLE search_people_stale (user_id INTEGER PRIMARY KEY);
CREATE TRIGGER search_people_added AFTER INSERT ON users BEGIN
	INSERT OR IGNORE INTO search_people_stale (user_id) VALUES (new.id);
END;
CREATE TRIGGER search_people_changed AFTER UPDATE OF name, handle, title, ask_me_about, org_id ON users BEGIN
	INSERT OR IGNORE INTO search_people_stale (user_id) VALUES (new.id);
END;
