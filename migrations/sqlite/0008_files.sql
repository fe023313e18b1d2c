-- Files attached to items. The bytes are kept once per content (the
-- SHA-256 of the bytes, in hexadecimal, is the key) in the database, so
-- every node serves them and a file attached twice is stored once.
CREATE TABLE blobs (
	sha256 TEXT PRIMARY KEY,
	size INTEGER NOT NULL,
	data BLOB NOT NULL,
	created_at INTEGER NOT NULL
);

-- One attachment: a blob under the name it was uploaded with, on an item.
-- mime is the type detected from the bytes when it was uploaded.
CREATE TABLE item_files (
	id INTEGER PRIMARY KEY,
	item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	sha256 TEXT NOT NULL REFERENCES blobs(sha256),
	name TEXT NOT NULL,
	mime TEXT NOT NULL,
	size INTEGER NOT NULL,
	uploader_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	downloads INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	UNIQUE (item_id, sha256, name)
);
CREATE INDEX item_files_item ON item_files(item_id, id);
CREATE INDEX item_files_blob ON item_files(sha256, name);
