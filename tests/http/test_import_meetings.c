/* test_import_meetings: kring import takes events whose time is counted
 * from the day of the import ("starts_in_days", "at" on the event's clock,
 * "minutes"), across the night the clocks go forward, with who signed up
 * ("going", the rest of them waitlisted past the capacity), and comments
 * on a case kept with their round; a line with a mistake is refused with
 * its number and what is wrong. */
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Thursday 2030-03-28 12:00 UTC; Sunday the 31st, clocks in Stockholm go
 * from 02:00 CET to 03:00 CEST. */
#define NOW 1900929600
#define SUNDAY_1830_CEST 1901205000

static int import_server_setup(void **state)
{
	test_clock_start(NOW);
	return server_setup(state);
}

/* Writes text to NAME in the server's directory and imports it; the exit
 * code, with its output in *out. */
static int import_text_file(const struct server *s, const char *name, const char *text, char **out)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", s->dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return kring_command(out, NULL, NULL, NULL, "import '%s' --db '%s'", path, s->db);
}

#define PEOPLE                                                                                                   \
	"{\"type\": \"person\", \"handle\": \"lena\", \"name\": \"Lena\", \"email\": \"lena@example.org\"}\n"     \
	"{\"type\": \"person\", \"handle\": \"mo\", \"name\": \"Mo\", \"email\": \"mo@example.org\"}\n"           \
	"{\"type\": \"person\", \"handle\": \"ida\", \"name\": \"Ida\", \"email\": \"ida@example.org\"}\n"        \
	"{\"type\": \"community\", \"slug\": \"plaza\", \"name\": \"Plaza\", \"visibility\": \"public\","         \
	" \"join_policy\": \"open\", \"hosts\": [\"lena\"], \"members\": [\"mo\", \"ida\"]}\n"

static void events_and_rounds_are_imported(void **state)
{
	const struct server *s = *state;
	char *out;
	int rc = import_text_file(
		s, "meetings.jsonl",
		PEOPLE "{\"type\": \"item\", \"ref\": \"e1\", \"kind\": \"event\", \"author\": \"lena\","
		       " \"community\": \"plaza\", \"title\": \"Sunday fika\", \"body\": \"Buns.\", \"event_type\": \"fika\","
		       " \"starts_in_days\": 3, \"at\": \"18:30\", \"minutes\": 90, \"location\": \"The square\","
		       " \"capacity\": 2, \"going\": [\"mo\", \"lena\", \"ida\"]}\n"
		       "{\"type\": \"community\", \"slug\": \"peers\", \"name\": \"Peers\", \"kind\": \"circle\","
		       " \"visibility\": \"private\", \"join_policy\": \"invite\", \"hosts\": [\"lena\"], \"members\": [\"mo\"],"
		       " \"circle\": {\"purpose\": \"Cases.\"}}\n"
		       "{\"type\": \"item\", \"ref\": \"c1\", \"kind\": \"case\", \"author\": \"mo\", \"community\": \"peers\","
		       " \"title\": \"Night shifts\", \"situation\": \"Too many.\", \"question\": \"How to say no?\","
		       " \"round\": \"analysis\"}\n"
		       "{\"type\": \"comment\", \"on\": \"c1\", \"author\": \"lena\", \"round\": \"clarifying\","
		       " \"body\": \"Who plans them?\"}\n"
		       "{\"type\": \"comment\", \"on\": \"c1\", \"author\": \"lena\", \"body\": \"It is the rota.\"}\n",
		&out);
	if (rc != 0)
		fail_msg("kring import failed (%d): %s", rc, out);
	char want[128];
	snprintf(want, sizeof want, "%d|%d|Europe/Stockholm\n", SUNDAY_1830_CEST, SUNDAY_1830_CEST + 90 * 60);
	assert_string_equal(sql_rows(s, "SELECT starts_at, ends_at, timezone FROM event_details"), want);
	assert_string_equal(sql_rows(s, "SELECT u.handle, r.state FROM event_rsvps r JOIN users u ON u.id = r.user_id"
					" ORDER BY r.id"),
			    "mo|going\nlena|going\nida|waitlisted\n");
	assert_string_equal(sql_rows(s, "SELECT k.body, cc.round FROM case_contributions cc"
					" JOIN comments k ON k.id = cc.comment_id ORDER BY k.id"),
			    "Who plans them?|clarifying\nIt is the rota.|analysis\n");

	/* The event reads as the product keeps it: two going, one waiting. */
	struct actor *reader = member(s, "reader");
	struct response *r = get_item(reader, atoll(sql_rows(s, "SELECT item_id FROM event_details")));
	assert_status(r, 200);
	assert_int_equal(jint(r, "event.going_count"), 2);
	assert_int_equal(jint(r, "event.waitlist_count"), 1);
	assert_string_equal(json_string_value(json_path(r->json, "event.when_text")), "2030-03-31 18:30 – 20:00 CEST");
	response_free(r);
}

struct refused {
	const char *line, *why;
};

static void mistakes_are_refused(void **state)
{
	const struct server *s = *state;
	static const struct refused cases[] = {
		{"\"starts_in_days\": 3, \"at\": \"25:00\", \"minutes\": 60", "\"at\" must be a time HH:MM"},
		{"\"starts_in_days\": 3, \"at\": \"18:00\"", "\"minutes\" must be a whole number"},
		{"\"starts_in_days\": \"soon\", \"at\": \"18:00\", \"minutes\": 60", "\"starts_in_days\" must be"},
		/* 02:30 on the Sunday does not exist in Stockholm */
		{"\"starts_in_days\": 3, \"at\": \"02:30\", \"minutes\": 60", "\"at\" does not exist that day"},
		{"\"starts_in_days\": 3, \"at\": \"18:00\", \"minutes\": 60, \"going\": [\"nobody\"]",
		 "\"going\" entry 1 is not defined above"},
		{"\"starts_in_days\": 3, \"at\": \"18:00\", \"minutes\": 60, \"going\": [\"mo%zu\", \"mo%zu\"]",
		 "\"going\" names someone twice"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* Each file brings its people and community under names of its own. */
		char line[512], text[2048], name[32], *out;
		snprintf(line, sizeof line, cases[i].line, i, i);
		snprintf(text, sizeof text,
			 "{\"type\": \"person\", \"handle\": \"host%zu\", \"name\": \"Host\","
			 " \"email\": \"host%zu@example.org\"}\n"
			 "{\"type\": \"person\", \"handle\": \"mo%zu\", \"name\": \"Mo\", \"email\": \"mo%zu@example.org\"}\n"
			 "{\"type\": \"community\", \"slug\": \"square%zu\", \"name\": \"Square\", \"visibility\": \"public\","
			 " \"join_policy\": \"open\", \"hosts\": [\"host%zu\"], \"members\": [\"mo%zu\"]}\n"
			 "{\"type\": \"item\", \"ref\": \"e\", \"kind\": \"event\", \"author\": \"host%zu\","
			 " \"community\": \"square%zu\", \"title\": \"Fika\", \"body\": \"Buns.\", \"event_type\": \"fika\","
			 " \"location\": \"The square\", %s}\n",
			 i, i, i, i, i, i, i, i, i, line);
		snprintf(name, sizeof name, "bad%zu.jsonl", i);
		int rc = import_text_file(s, name, text, &out);
		assert_int_not_equal(rc, 0);
		if (!strstr(out, "line 4: ") || !strstr(out, cases[i].why))
			fail_msg("case %zu: line 4: %s is not in: %s", i, cases[i].why, out);
	}
	char *out;
	int rc = import_text_file(s, "round.jsonl",
				  PEOPLE "{\"type\": \"item\", \"ref\": \"q1\", \"kind\": \"question\", \"author\": \"mo\","
				  " \"community\": \"plaza\", \"title\": \"Where is the square?\"}\n"
				  "{\"type\": \"comment\", \"on\": \"q1\", \"author\": \"lena\", \"round\": \"advice\","
				  " \"body\": \"Downtown.\"}\n",
				  &out);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(out, "line 6: \"round\" is for a comment on a case"));
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM event_details"), "0\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(events_and_rounds_are_imported, import_server_setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(mistakes_are_refused, import_server_setup, teardown_releasing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
