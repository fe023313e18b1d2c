-- Names, titles and file names lose the bidirectional control characters
-- (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) that kring
-- now removes when they are typed (text_clean_name in src/core/text.c):
-- those stored before would still make "invoice<U+202E>FDP.exe.txt" read
-- as another name. Tags never held them but U+061C, which is left as it is
-- (removing it could merge two tags). A file whose clean name another file
-- of the same item and content already has keeps its name, as does one
-- whose clean name an earlier such file takes (two names that differ only
-- in their controls).
-- SQLite has no translate(): one replace() for each character, on the rows
-- that hold one of them.
UPDATE users SET name = trim(replace(replace(replace(replace(replace(replace(
	replace(replace(replace(replace(replace(replace(name,
	char(1564), ''), char(8206), ''), char(8207), ''), char(8234), ''), char(8235), ''), char(8236), ''),
	char(8237), ''), char(8238), ''), char(8294), ''), char(8295), ''), char(8296), ''), char(8297), ''))
	WHERE name GLOB '*[' || char(1564, 8206, 8207, 8234, 8235, 8236, 8237, 8238, 8294, 8295, 8296, 8297) || ']*';
UPDATE users SET title = trim(replace(replace(replace(replace(replace(replace(
	replace(replace(replace(replace(replace(replace(title,
	char(1564), ''), char(8206), ''), char(8207), ''), char(8234), ''), char(8235), ''), char(8236), ''),
	char(8237), ''), char(8238), ''), char(8294), ''), char(8295), ''), char(8296), ''), char(8297), ''))
	WHERE title GLOB '*[' || char(1564, 8206, 8207, 8234, 8235, 8236, 8237, 8238, 8294, 8295, 8296, 8297) || ']*';
UPDATE orgs SET name = trim(replace(replace(replace(replace(replace(replace(
	replace(replace(replace(replace(replace(replace(name,
	char(1564), ''), char(8206), ''), char(8207), ''), char(8234), ''), char(8235), ''), char(8236), ''),
	char(8237), ''), char(8238), ''), char(8294), ''), char(8295), ''), char(8296), ''), char(8297), ''))
	WHERE name GLOB '*[' || char(1564, 8206, 8207, 8234, 8235, 8236, 8237, 8238, 8294, 8295, 8296, 8297) || ']*';
UPDATE communities SET name = trim(replace(replace(replace(replace(replace(replace(
	replace(replace(replace(replace(replace(replace(name,
	char(1564), ''), char(8206), ''), char(8207), ''), char(8234), ''), char(8235), ''), char(8236), ''),
	char(8237), ''), char(8238), ''), char(8294), ''), char(8295), ''), char(8296), ''), char(8297), ''))
	WHERE name GLOB '*[' || char(1564, 8206, 8207, 8234, 8235, 8236, 8237, 8238, 8294, 8295, 8296, 8297) || ']*';
UPDATE items SET title = trim(replace(replace(replace(replace(replace(replace(
	replace(replace(replace(replace(replace(replace(title,
	char(1564), ''), char(8206), ''), char(8207), ''), char(8234), ''), char(8235), ''), char(8236), ''),
	char(8237), ''), char(8238), ''), char(8294), ''), char(8295), ''), char(8296), ''), char(8297), ''))
	WHERE title GLOB '*[' || char(1564, 8206, 8207, 8234, 8235, 8236, 8237, 8238, 8294, 8295, 8296, 8297) || ']*';
UPDATE method_variations SET title = trim(replace(replace(replace(replace(replace(replace(
	replace(replace(replace(replace(replace(replace(title,
	char(1564), ''), char(8206), ''), char(8207), ''), char(8234), ''), char(8235), ''), char(8236), ''),
	char(8237), ''), char(8238), ''), char(8294), ''), char(8295), ''), char(8296), ''), char(8297), ''))
	WHERE title GLOB '*[' || char(1564, 8206, 8207, 8234, 8235, 8236, 8237, 8238, 8294, 8295, 8296, 8297) || ']*';
UPDATE OR IGNORE item_files SET name = trim(replace(replace(replace(replace(replace(replace(
	replace(replace(replace(replace(replace(replace(name,
	char(1564), ''), char(8206), ''), char(8207), ''), char(8234), ''), char(8235), ''), char(8236), ''),
	char(8237), ''), char(8238), ''), char(8294), ''), char(8295), ''), char(8296), ''), char(8297), ''))
	WHERE name GLOB '*[' || char(1564, 8206, 8207, 8234, 8235, 8236, 8237, 8238, 8294, 8295, 8296, 8297) || ']*';
-- Pages cached with the old names are made anew.
UPDATE content_generation SET generation = generation + 1;
