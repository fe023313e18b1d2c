-- Experts per tag. An admin names one (via 'admin', granted_by the admin
-- when known), or enough experts in the tag endorse a member (via
-- 'endorsements'); see features/experts.h.
CREATE TABLE tag_experts (
	tag_id INTEGER NOT NULL REFERENCES tags(id),
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	granted_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	via TEXT NOT NULL CHECK (via IN ('admin', 'endorsements')),
	created_at INTEGER NOT NULL,
	PRIMARY KEY (tag_id, user_id)
);
CREATE INDEX tag_experts_user ON tag_experts(user_id, tag_id);

-- An expert's word for a member in the tag; enough of them make an expert.
CREATE TABLE expert_endorsements (
	tag_id INTEGER NOT NULL REFERENCES tags(id),
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	endorser_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (tag_id, user_id, endorser_id)
);

-- The current verification of an article, a method or an answer by an
-- expert in one of its tags (tag_id). It holds until expires_at; edited_at
-- is set when someone other than the verifier changes the item, which
-- then needs review as an expired one does.
CREATE TABLE verifications (
	item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
	verifier_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	tag_id INTEGER NOT NULL REFERENCES tags(id),
	note TEXT NOT NULL DEFAULT '',
	verified_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	edited_at INTEGER
);
CREATE INDEX verifications_expiry ON verifications(expires_at);
