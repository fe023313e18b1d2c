/* questions: the question kind, the question list with its filters, and
 * accepting one answer. */
#include "features/questions.h"

#include "auth/policy.h"
#include "db/db.h"
#include "features/answers.h"
#include "features/communities.h"
#include "features/items.h"
#include "features/orgs.h"
#include "features/tags.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool one_of(const char *v, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(v, *allowed) == 0)
			return true;
	return false;
}

json_t *questions_list(struct req *r)
{
	static const char *const statuses[] = {"unanswered", "answered", "accepted", NULL};
	static const char *const sorts[] = {"newest", "active", "reactions", NULL};
	struct item_filter f = {.kind = "question"};
	f.status = req_query(r, "status");
	f.sort = req_query(r, "sort");
	f.cursor = req_query(r, "cursor");
	if (f.status && *f.status && !one_of(f.status, statuses))
		return req_fail(r, 400, "bad_filter", N_("Unknown status; use unanswered, answered or accepted."));
	if (f.sort && *f.sort && !one_of(f.sort, sorts))
		return req_fail(r, 400, "bad_filter", N_("Unknown order; use newest, active or reactions."));
	if (f.status && !*f.status)
		f.status = NULL;
	if (f.sort && !*f.sort)
		f.sort = NULL;

	const char *tag = req_query(r, "tag");
	char norm[4 * TAG_MAX_CHARS + 8];
	if (tag && *tag) {
		if (!tag_normalise(tag, norm, sizeof(norm)))
			return req_fail(r, 400, "bad_filter", N_("A tag has 1 to 32 letters, digits or hyphens."));
		f.tag = norm;
	}
	const char *community = req_query(r, "community");
	struct community_access c;
	if (community && *community) {
		/* A community the viewer cannot see filters to nothing, as if it
		 * did not exist. */
		if (!communities_access(r, community, &c) || !c.can_read)
			return req_fail(r, 404, "not_found", N_("There is no such community."));
		f.community_id = c.id;
	}
	const char *org = req_query(r, "org");
	if (org && *org) {
		struct org o;
		if (!orgs_find(r->db, &r->arena, org, &o))
			return req_fail(r, 404, "not_found", N_("There is no such organisation."));
		f.org_id = o.id;
	}
	json_t *page = items_list(r, &f);
	if (!page)
		return NULL;
	json_object_set_new(page, "title", json_string(tr(r, N_("Questions"))));
	static const char *const status_labels[] = {N_("Unanswered"), N_("Answered"), N_("Accepted")};
	static const char *const sort_labels[] = {N_("Newest"), N_("Recently active"), N_("Most reactions")};
	json_t *status_options = json_array(), *sort_options = json_array();
	for (int i = 0; i < 3; i++) {
		json_array_append_new(status_options, json_pack("{s:s, s:s, s:b}", "code", statuses[i],
				      "label", tr(r, status_labels[i]), "selected", f.status && strcmp(f.status, statuses[i]) == 0));
		json_array_append_new(sort_options, json_pack("{s:s, s:s, s:b}", "code", sorts[i],
				      "label", tr(r, sort_labels[i]), "selected", f.sort && strcmp(f.sort, sorts[i]) == 0));
	}
	json_object_set_new(page, "status_options", status_options);
	json_object_set_new(page, "sort_options", sort_options);
	json_object_set_new(page, "filter", json_pack("{s:s, s:s, s:s, s:s, s:s}",
			    "status", f.status ? f.status : "", "sort", f.sort ? f.sort : "newest",
			    "tag", f.tag ? f.tag : "", "community", community ? community : "",
			    "org", org ? org : ""));
	/* The query string of the next page keeps the filters. */
	json_t *next = json_object_get(page, "next");
	if (json_is_string(next)) {
		struct buf q = {0};
		buf_puts(&q, "?cursor=");
		buf_put_url(&q, json_string_value(next));
		const char *keys[] = {"status", "sort", "tag", "community", "org"};
		const char *vals[] = {f.status, f.sort, f.tag, community, org};
		buf_put_query(&q, keys, vals, 5);
		json_object_set_new(page, "next_query", json_string(q.data));
		buf_free(&q);
	}
	return page;
}

const struct item_kind kind_question = {
	.name = "question",
	.label = N_("Question"),
	.compose_title = N_("Ask a question"),
	.submit_label = N_("Ask"),
	.places = KIND_IN_COMMUNITY,
	.title_missing = N_("Write your question as a title."),
	.title_label = N_("Your question"),
	.body_field = "body",
	.body_label = N_("Details"),
	.body_max = 20000,
	.body_too_long = N_("The text has at most 20000 characters."),
	.tagged = true,
	.has_deadline = true,
	.answered = true,
};

json_t *questions_accept(struct req *r)
{
	struct item q;
	if (!answers_load_question(r, &q))
		return NULL;
	if (!q.can_accept)
		return req_fail(r, 403, "forbidden", N_("Only the asker or a host can accept an answer."));
	char *end = NULL;
	const char *text = req_param(r, "answer");
	long long answer = text ? strtoll(text, &end, 10) : 0;
	/* An accepted answer is shown to all: not one hidden or waiting for
	 * approval (the conditions as no one in particular reads them). */
	if (!text || *end || answer <= 0 ||
	    !db_exists(r->db, "SELECT 1 FROM items WHERE id = ? AND parent_id = ? AND kind = 'answer'"
			      " AND deleted_at IS NULL AND " POLICY_NOT_HIDDEN_SQL("item", "id", "author_id")
			      " AND " POLICY_NOT_PENDING_SQL("item", "id", "author_id"),
		       DB_ARGS(db_int(answer), db_int(q.id), POLICY_NOT_HIDDEN_ARGS(0), POLICY_NOT_PENDING_ARGS(0)))) {
		req_fail(r, 422, "invalid", N_("Choose one of this question's answers."));
		r->error.field = "answer";
		return NULL;
	}
	/* Accepting the accepted answer again takes the acceptance back. */
	bool accept = answer != q.accepted_answer_id;
	if (db_exec(r->db, "UPDATE items SET accepted_answer_id = ?, activity_at = ? WHERE id = ?",
		    DB_ARGS(accept ? db_int(answer) : db_null(), db_int(r->now), db_int(q.id))) != 1 ||
	    !event_record(r->db, &(struct event){.type = EVENT_ANSWER_ACCEPTED, .actor_id = r->user->id,
						  .community_id = q.community_id, .item_id = q.id, .object_id = answer,
						  .created_at = r->now, .payload = json_pack("{s:b}", "accepted", accept)}))
		return req_fail_internal(r);
	const char *url = arena_printf(&r->arena, "%s#answer-%lld", link_item(&r->arena, q.id, q.title), answer);
	return req_done(r, 200, url, json_pack("{s:I, s:o, s:s}", "question", (json_int_t)q.id,
					       "accepted_answer", accept ? json_integer(answer) : json_null(),
					       "status", items_status(q.answer_count, accept)));
}
