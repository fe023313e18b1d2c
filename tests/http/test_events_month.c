/* test_events_month: /events?month=YYYY-MM — the events that start in the
 * month on the site's clock (Europe/Stockholm), for whoever may see them,
 * in the order they start and with the list's filters; the grid's weeks
 * start on Monday with each event on its day, today marked, the months
 * before and after a click away, the names in the reader's language; a
 * month that is not one is a 400 naming the field. */
#include "actors.h"

#include <string.h>
#include <time.h>

/* 2030-03-10 12:00 UTC: a Sunday in March. */
#define NOW 1899374400

static int month_server_setup(void **state)
{
	test_clock_start(NOW);
	return server_setup(state);
}

static json_t *event_body(const char *title, const char *starts, const char *ends, const char *zone)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", "event", "title", title, "body",
			 "Coffee and a topic.", "event_type", "fika", "starts_at", starts, "ends_at", ends, "location",
			 "Room 4", "timezone", zone);
}

/* The titles of the events on day d of the grid, joined by "|". */
static const char *titles_on(json_t *grid, int day)
{
	static char out[256];
	out[0] = '\0';
	size_t w, d, e;
	json_t *week, *cell, *ev;
	json_array_foreach(json_object_get(grid, "weeks"), w, week) {
		json_array_foreach(json_object_get(week, "days"), d, cell) {
			if (json_integer_value(json_object_get(cell, "day")) != day)
				continue;
			json_array_foreach(json_object_get(cell, "events"), e, ev) {
				if (out[0])
					strcat(out, "|");
				strcat(out, json_string_value(json_object_get(ev, "title")));
			}
		}
	}
	return out;
}

static void month_view(void **state)
{
	const struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin"), *asa = member(s, "asa"), *bo = member(s, "bo");
	unlimited_posting(admin);
	make_community(admin, "fika", "Fika", "public", "open");
	make_community(admin, "board", "The Board", "private", "invite");
	bring_in(admin, "fika", asa);
	bring_in(admin, "fika", bo);
	bring_in(admin, "board", asa);

	int64_t first = new_item(asa, "event", "fika",
				 event_body("First of March", "2030-03-01T10:00", "2030-03-01T11:00", "Europe/Stockholm"));
	/* 23:30 on the 31st in Stockholm is still March there. */
	int64_t late = new_item(asa, "event", "fika",
				event_body("Late in March", "2030-03-31T23:30", "2030-04-01T00:30", "Europe/Stockholm"));
	/* 20:00 on the 31st in New York is 02:00 on 1 April in Stockholm. */
	int64_t york = new_item(asa, "event", "fika",
				event_body("New York evening", "2030-03-31T20:00", "2030-03-31T21:00", "America/New_York"));
	int64_t secret = new_item(asa, "event", "board",
				  event_body("Board fika", "2030-03-12T09:00", "2030-03-12T10:00", "Europe/Stockholm"));
	json_t *talk = event_body("Talk in March", "2030-03-20T18:00", "2030-03-20T19:00", "Europe/Stockholm");
	json_object_set_new(talk, "event_type", json_string("talk"));
	int64_t talk_id = new_item(asa, "event", "fika", talk);

	struct response *r = aget(bo, "/api/v1/events?month=2030-03");
	assert_status(r, 200);
	assert_ids(json_path(r->json, "items"), (int64_t[]){first, talk_id, late}, 3);
	json_t *grid = json_path(r->json, "month");
	assert_string_equal(json_string_value(json_object_get(grid, "label")), "March 2030");
	assert_string_equal(json_string_value(json_object_get(grid, "previous")), "2030-02");
	assert_string_equal(json_string_value(json_object_get(grid, "next")), "2030-04");
	assert_string_equal(json_string_value(json_object_get(grid, "next_url")), "/events?month=2030-04");
	/* 1 March 2030 is a Friday: four blank days, then five weeks in all. */
	json_t *weeks = json_object_get(grid, "weeks");
	assert_int_equal(json_array_size(weeks), 5);
	json_t *monday = json_array_get(json_object_get(json_array_get(weeks, 0), "days"), 0);
	assert_false(json_boolean_value(json_object_get(monday, "in_month")));
	json_t *friday = json_array_get(json_object_get(json_array_get(weeks, 0), "days"), 4);
	assert_int_equal(json_integer_value(json_object_get(friday, "day")), 1);
	assert_string_equal(titles_on(grid, 1), "First of March");
	assert_string_equal(titles_on(grid, 31), "Late in March");
	assert_string_equal(titles_on(grid, 12), ""); /* bo may not see the board's */
	json_t *sunday = json_array_get(json_object_get(json_array_get(weeks, 1), "days"), 6);
	assert_int_equal(json_integer_value(json_object_get(sunday, "day")), 10);
	assert_true(json_boolean_value(json_object_get(sunday, "today")));
	response_free(r);

	/* A member of the board sees its fika on the 12th; the filters hold. */
	r = aget(asa, "/api/v1/events?month=2030-03");
	assert_ids(json_path(r->json, "items"), (int64_t[]){first, secret, talk_id, late}, 4);
	assert_string_equal(titles_on(json_path(r->json, "month"), 12), "Board fika");
	response_free(r);
	r = aget(asa, "/api/v1/events?month=2030-03&type=talk&community=fika");
	assert_ids(json_path(r->json, "items"), (int64_t[]){talk_id}, 1);
	assert_string_equal(json_string_value(json_path(r->json, "month.previous_url")),
			    "/events?month=2030-02&type=talk&community=fika");
	response_free(r);
	r = aget(bo, "/api/v1/events?month=2030-04");
	assert_ids(json_path(r->json, "items"), (int64_t[]){york}, 1);
	assert_string_equal(titles_on(json_path(r->json, "month"), 1), "New York evening");
	response_free(r);

	/* The lists link to this month's view; the page draws the grid. */
	r = aget(bo, "/events");
	assert_body_contains(r, "/events?month=2030-03");
	response_free(r);
	r = aget(bo, "/events?month=2030-03");
	assert_status(r, 200);
	assert_body_contains(r, "<table class=\"month-grid\">");
	assert_body_contains(r, "aria-current=\"date\"");
	assert_body_contains(r, "Late in March");
	assert_body_contains(r, "/events?month=2030-04");
	response_free(r);
	r = fpost(bo, "/settings", (const char *const[]){"name", "Bo", "locale", "sv", NULL});
	response_free(r);
	r = aget(bo, "/events?month=2030-03");
	assert_body_contains(r, "mars 2030");
	assert_body_contains(r, "<th scope=\"col\">mån</th>");
	response_free(r);

	const char *bad[] = {"2030-13", "2030-3", "March", "2030-03-01", "1969-12"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = aget(bo, "/api/v1/events?month=%s", bad[i]);
		assert_status(r, 400);
		assert_jstr(r, "error.field", "month");
		response_free(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(month_view, month_server_setup, teardown_releasing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
