-- Words are now letters and digits of any script, folded by utf8proc
-- (src/core/fold.h): Greek, Cyrillic or Romanian text that the index left
-- out, and the terms of letters such as ł or ș that it spelled otherwise.
-- Taking the ranking lists' average away has the next start rebuild the
-- whole index (search_index_ready in src/search/index.c), after the tags
-- have been renamed to their new lower case (tags_refold).
UPDATE search_top_average SET items = -1;
