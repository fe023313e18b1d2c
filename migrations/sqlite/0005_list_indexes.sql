-- Lists that are not narrowed to one kind, community, author or
-- organisation (the home stream, a tag's page) walk these in order and stop
-- after a page, instead of sorting every item; so does "most reactions" on
-- the question list. The directories walk people and organisations by name,
-- and a community page its newest members and its hosts.
CREATE INDEX items_created ON items(created_at DESC, id DESC);
CREATE INDEX items_kind_reactions ON items(kind, reaction_count DESC, id DESC);
CREATE INDEX users_name ON users(lower(name), id);
CREATE INDEX users_created ON users(created_at DESC, id DESC);
CREATE INDEX orgs_name ON orgs(lower(name), id);
CREATE INDEX memberships_newest ON memberships(community_id, state, created_at DESC, user_id DESC);
CREATE INDEX memberships_role ON memberships(community_id, role, state);
