-- The index now holds kring's terms as analysed, built in C, where
-- PostgreSQL's parser split some of them again (spacing marks such as
-- viramas) or lower-cased them (Cherokee) in a database with a UTF-8
-- character type. Taking the ranking lists' average away has the next
-- start rebuild the whole index (search_index_ready in src/search/index.c).
UPDATE search_top_average SET items = -1;
