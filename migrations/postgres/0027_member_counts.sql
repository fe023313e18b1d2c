-- A community's active members, counted when they change (the member
-- events, src/features/counters.c) instead of on every view of the
-- community: a large one has thousands.
CREATE TABLE IF NOT EXISTS community_counts (
	community_id BIGINT PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE DEFERRABLE,
	members BIGINT NOT NULL
);
INSERT INTO community_counts (community_id, members)
	SELECT c.id, (SELECT COUNT(*) FROM memberships m WHERE m.community_id = c.id AND m.state = 'active')
	FROM communities c WHERE true
	ON CONFLICT (community_id) DO UPDATE SET members = excluded.members;
