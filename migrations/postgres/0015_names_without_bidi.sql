-- Names, titles and file names lose the bidirectional control characters
-- (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) that kring
-- now removes when they are typed (text_clean_name in src/core/text.c):
-- those stored before would still make "invoice<U+202E>FDP.exe.txt" read
-- as another name. Tags never held them but U+061C, which is left as it is
-- (removing it could merge two tags). A file whose clean name another file
-- of the same item and content already has keeps its name, as does one
-- whose clean name an earlier such file takes (two names that differ only
-- in their controls).
UPDATE users SET name = btrim(regexp_replace(name, '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]', '', 'g')) WHERE name ~ '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]';
UPDATE users SET title = btrim(regexp_replace(title, '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]', '', 'g')) WHERE title ~ '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]';
UPDATE orgs SET name = btrim(regexp_replace(name, '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]', '', 'g')) WHERE name ~ '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]';
UPDATE communities SET name = btrim(regexp_replace(name, '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]', '', 'g')) WHERE name ~ '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]';
UPDATE items SET title = btrim(regexp_replace(title, '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]', '', 'g')) WHERE title ~ '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]';
UPDATE method_variations SET title = btrim(regexp_replace(title, '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]', '', 'g')) WHERE title ~ '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]';
UPDATE item_files f SET name = btrim(regexp_replace(f.name, '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]', '', 'g'))
	WHERE f.name ~ '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]'
	AND NOT EXISTS (SELECT 1 FROM item_files o WHERE o.item_id = f.item_id AND o.sha256 = f.sha256
		AND (o.name = btrim(regexp_replace(f.name, '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]', '', 'g'))
			OR (o.id < f.id AND o.name ~ '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]' AND btrim(regexp_replace(o.name, '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]', '', 'g'))
				= btrim(regexp_replace(f.name, '[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]', '', 'g')))));
-- Pages cached with the old names are made anew.
UPDATE content_generation SET generation = generation + 1;
