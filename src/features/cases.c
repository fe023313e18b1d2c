/* cases: cases brought to a circle, taken through rounds (see cases.h). */
#include "features/cases.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/text.h"
#include "db/db.h"
#include "features/case_lessons.h"
#include "features/items.h"
#include "http/req.h"
#include "import/import.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"
#include "render/markdown.h"
#include "render/plaintext.h"

#include <string.h>

#define QUESTION_MAX 500
#define SITUATION_MAX 10000
#define LESSONS_MAX 5000

enum round { ROUND_CLARIFYING, ROUND_ANALYSIS, ROUND_ADVICE, ROUND_REFLECTION, ROUND_CLOSED, ROUNDS };

static const struct {
	const char *name, *label, *rule;
} rounds[ROUNDS] = {
	[ROUND_CLARIFYING] = {"clarifying", N_("Clarifying questions"),
			      N_("Ask questions to understand the situation, no advice yet. The case-bringer answers.")},
	[ROUND_ANALYSIS] = {"analysis", N_("Analysis"),
			    N_("Share what you see going on in the case. The case-bringer listens.")},
	[ROUND_ADVICE] = {"advice", N_("Advice"), N_("Say what the case-bringer could do. The case-bringer listens.")},
	[ROUND_REFLECTION] = {"reflection", N_("Reflection"),
			      N_("The case-bringer says what they take from it; the others listen.")},
	[ROUND_CLOSED] = {"closed", N_("Closed"), N_("The case is closed with the lessons learned.")},
};

static int round_of(const char *name)
{
	for (int i = 0; i < ROUNDS; i++)
		if (name && strcmp(name, rounds[i].name) == 0)
			return i;
	return -1;
}

/* The case's round; -1 when the item is no case (or on an error). */
static int current_round(struct db *db, int64_t item_id)
{
	struct db_stmt *st = db_query(db, "SELECT round FROM cases WHERE item_id = ?", DB_ARGS(db_int(item_id)));
	int round = db_step(st) == DB_ROW ? round_of(db_text_col(st, 0)) : -1;
	db_done(st);
	return round;
}

/* ---- the kind ------------------------------------------------------------ */

struct case_input {
	const char *question;
	int round;           /* where an imported case stands; a new one clarifies */
	const char *lessons; /* an imported closed case's */
};

static void case_read(struct req *r, json_t *model, const struct item *current, void *input)
{
	struct case_input *in = input;
	const char *question = req_param_trimmed(r, "question");
	if (!question && current) {
		struct db_stmt *st = db_query(r->db, "SELECT question FROM cases WHERE item_id = ?",
					      DB_ARGS(db_int(current->id)));
		question = db_step(st) == DB_ROW ? arena_strdup(&r->arena, db_text_col(st, 0)) : "";
		db_done(st);
	}
	in->question = question ? question : "";
	if (!*in->question)
		req_field_error(r, model, "question", N_("Say what you would like to ask the circle."));
	else if (utf8_length(in->question) > QUESTION_MAX || !text_printable(in->question, true))
		req_field_error(r, model, "question", N_("A question has at most 500 characters."));
}

static bool case_store(struct db *db, int64_t item_id, const void *input)
{
	const struct case_input *in = input;
	/* An edit changes the question; the round is the hosts' to move. */
	return db_exec(db,
		       "INSERT INTO cases (item_id, question, round, lessons) VALUES (?, ?, ?, ?)"
		       " ON CONFLICT (item_id) DO UPDATE SET question = excluded.question",
		       DB_ARGS(db_int(item_id), db_text(in->question), db_text(rounds[in->round].name),
			       db_text(in->lessons ? in->lessons : ""))) == 1;
}

static json_t *case_history(struct db *db, const void *input)
{
	(void)db;
	const struct case_input *in = input;
	return json_pack("{s:s}", "question", in->question);
}

static void case_from_history(struct req *r, json_t *fields, void *input)
{
	struct case_input *in = input;
	const char *question = json_string_value(json_object_get(fields, "question"));
	in->question = arena_strdup(&r->arena, question ? question : "");
}

/* A case's fields from an import line (import/import.h): the question,
 * and where it stands ("round", "lessons" once closed). */
static bool case_import(struct importer *im, json_t *o, int64_t item_id, void *input)
{
	(void)item_id;
	struct case_input *in = input;
	in->question = import_text(im, o, "question", QUESTION_MAX, true);
	const char *round = in->question ? import_text(im, o, "round", 20, false) : NULL;
	in->lessons = round ? import_text(im, o, "lessons", LESSONS_MAX, false) : NULL;
	if (!in->lessons)
		return false;
	if (!*in->question)
		return import_fail(im, "\"question\" is empty");
	in->round = *round ? round_of(round) : ROUND_CLARIFYING;
	if (in->round < 0)
		return import_fail(im, "round \"%s\" is none of clarifying, analysis, advice, reflection, closed", round);
	return true;
}

/* An imported comment on a case is a contribution to the round its line
 * names ("round"), or to the one the case stands in. */
static bool case_import_comment(struct importer *im, json_t *o, int64_t item_id, int64_t comment_id)
{
	struct db *db = import_db(im);
	const char *round = import_text(im, o, "round", 20, false);
	if (!round)
		return false;
	int r = *round ? round_of(round) : -1;
	if (*round && (r < 0 || r == ROUND_CLOSED))
		return import_fail(im, "round \"%s\" is none of clarifying, analysis, advice, reflection", round);
	int64_t stored = r < 0 ? db_exec(db,
					 "INSERT INTO case_contributions (comment_id, item_id, round)"
					 " SELECT ?, item_id, round FROM cases WHERE item_id = ?",
					 DB_ARGS(db_int(comment_id), db_int(item_id)))
			       : db_exec(db, "INSERT INTO case_contributions (comment_id, item_id, round) VALUES (?, ?, ?)",
					 DB_ARGS(db_int(comment_id), db_int(item_id), db_text(rounds[r].name)));
	if (stored != 1)
		return import_fail(im, "the contribution could not be stored");
	return true;
}

static void case_form_values(struct req *r, json_t *values, int64_t item_id)
{
	struct db_stmt *st = db_query(r->db, "SELECT question FROM cases WHERE item_id = ?", DB_ARGS(db_int(item_id)));
	json_object_set_new(values, "question", json_string(db_step(st) == DB_ROW ? db_text_col(st, 0) : ""));
	db_done(st);
}

/* Who may speak in the round: the case-bringer (the item's author) or the
 * others. */
static bool may_speak(int round, bool bringer)
{
	switch (round) {
	case ROUND_CLARIFYING:
		return true;
	case ROUND_ANALYSIS:
	case ROUND_ADVICE:
		return !bringer;
	case ROUND_REFLECTION:
		return bringer;
	default:
		return false;
	}
}

static const char *case_comment_refused(struct req *r, const struct item *it, const char *body)
{
	int round = current_round(r->db, it->id);
	bool bringer = r->user && r->user->id == it->author_id;
	if (round == ROUND_CLOSED)
		return N_("This case is closed.");
	if (round == ROUND_REFLECTION && !bringer)
		return N_("In the reflection round only the case-bringer speaks.");
	if ((round == ROUND_ANALYSIS || round == ROUND_ADVICE) && bringer)
		return N_("In this round the case-bringer listens; you speak again in the reflection round.");
	/* Clarifying means asking: advice waits for its own round. */
	if (round == ROUND_CLARIFYING && !bringer && !strchr(body, '?'))
		return N_("In the clarifying round, ask a question: analysis and advice come in their own rounds.");
	return NULL;
}

/* The contributions of the case, each in its round's list. */
static void fill_contributions(struct req *r, json_t *round_list, int64_t item_id)
{
	struct db_stmt *st = db_query(r->db,
		"SELECT k.id, k.body, k.created_at, cc.round, u.handle, u.name FROM case_contributions cc"
		" JOIN comments k ON k.id = cc.comment_id LEFT JOIN users u ON u.id = k.author_id"
		" WHERE cc.item_id = ? AND k.deleted_at IS NULL AND " POLICY_AUTHOR_SHOWN_SQL("k.author_id")
		" ORDER BY k.created_at, k.id",
		DB_ARGS(db_int(item_id)));
	while (db_step(st) == DB_ROW) {
		int round = round_of(db_text_col(st, 3));
		if (round < 0)
			continue;
		struct buf html = {0};
		const char *body = db_text_col(st, 1);
		plaintext_render(body, strlen(body), &html);
		json_t *c = json_pack("{s:I, s:s%}", "id", (json_int_t)db_int_col(st, 0), "body_html",
				      html.data ? html.data : "", html.len);
		buf_free(&html);
		json_object_set_new(c, "created_at", json_integer(db_int_col(st, 2)));
		json_object_set_new(c, "author", db_null_col(st, 4) ? json_null()
						 : json_pack("{s:s, s:s}", "handle", db_text_col(st, 4), "name",
							     db_text_col(st, 5)));
		json_array_append_new(json_object_get(json_array_get(round_list, (size_t)round), "contributions"), c);
	}
	db_done(st);
}

static void case_fill(struct req *r, json_t *model, const struct item *it)
{
	struct db_stmt *st = db_query(r->db, "SELECT question, round, lessons FROM cases WHERE item_id = ?",
				      DB_ARGS(db_int(it->id)));
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return;
	}
	const char *question = arena_strdup(&r->arena, db_text_col(st, 0));
	int round = round_of(db_text_col(st, 1));
	const char *lessons = arena_strdup(&r->arena, db_text_col(st, 2));
	db_done(st);
	if (round < 0)
		return;
	json_t *list = json_array();
	for (int i = 0; i < ROUNDS; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b, s:[]}", "name", rounds[i].name, "label",
						      tr(r, rounds[i].label), "state",
						      i < round ? "done" : i == round ? "current" : "next", "is_current",
						      i == round, "contributions"));
	fill_contributions(r, list, it->id);
	bool bringer = r->user && r->user->id == it->author_id;
	bool host = it->in_community && it->access.can_host;
	json_t *c = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:b, s:b}", "item_id", (json_int_t)it->id, "question",
			      question, "round", rounds[round].name, "round_label", tr(r, rounds[round].label), "rule",
			      tr(r, rounds[round].rule), "rounds", list, "can_contribute",
			      it->can_write && may_speak(round, bringer), "is_bringer", bringer);
	if (round == ROUND_CLOSED) {
		json_object_set_new(c, "closed", json_true());
		json_object_set_new(c, "lessons_html", markdown_json(lessons));
		case_lessons_fill(r, c, it);
	} else if (host && it->can_write) {
		json_object_set_new(c, "next", json_pack("{s:s, s:s, s:b}", "name", rounds[round + 1].name, "label",
							 tr(r, rounds[round + 1].label), "closes",
							 round + 1 == ROUND_CLOSED));
	}
	json_object_set_new(model, "case", c);
}

static const struct item_field case_fields[] = {
	{"question", N_("The question to the circle")},
	{NULL, NULL},
};

const struct item_kind kind_case = {
	.name = "case",
	.label = N_("Case"),
	.compose_title = N_("Bring a case"),
	.submit_label = N_("Bring it to the circle"),
	.places = KIND_IN_COMMUNITY,
	.circle_only = true,
	.title_missing = N_("Give the case a title."),
	.title_label = N_("The case in a few words"),
	.body_field = "situation",
	.body_label = N_("The situation"),
	.body_max = SITUATION_MAX,
	.body_missing = N_("Describe the situation: what happened, who is involved, what is at stake."),
	.body_too_long = N_("A situation has at most 10000 characters."),
	.own_fields = "situation,question",
	.history_fields = case_fields,
	.input_size = sizeof(struct case_input),
	.read = case_read,
	.store = case_store,
	.history = case_history,
	.from_history = case_from_history,
	.import = case_import,
	.import_comment = case_import_comment,
	.fill = case_fill,
	.form_values = case_form_values,
	.comment_refused = case_comment_refused,
	.search_text_sql = "SELECT question FROM cases WHERE item_id = ?",
};

/* ---- rounds -------------------------------------------------------------- */

json_t *cases_next_round(struct req *r)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	int round = strcmp(it.kind, "case") == 0 ? current_round(r->db, it.id) : -1;
	if (round < 0)
		return req_fail(r, 404, "not_found", N_("There is no such case."));
	if (!items_may_write(r, &it, N_("Join the circle to take part.")))
		return NULL;
	if (!it.access.can_host)
		return req_fail(r, 403, "forbidden", N_("The circle's hosts take a case through its rounds."));
	if (round == ROUND_CLOSED)
		return req_fail(r, 409, "closed", N_("This case is closed."));
	const char *asked = req_param_trimmed(r, "round"), *lessons = req_param_trimmed(r, "lessons");
	int next = round + 1;
	json_t *model = json_pack("{s:s, s:s, s:{s:s}}", "title", tr(r, rounds[next].label), "url",
				  link_item(&r->arena, it.id, it.title), "values", "lessons", lessons ? lessons : "");
	if (round_of(asked) != next) {
		/* Someone else may have moved it on already. */
		req_field_error(r, model, "round",
				format_message(&r->arena, r->locale, N_("The next round is {{round}}."), "round",
					       tr(r, rounds[next].label), NULL));
		r->status = 409;
		return req_invalid(r, model);
	}
	if (next == ROUND_CLOSED && (!lessons || !*lessons))
		req_field_error(r, model, "lessons", N_("Write down the lessons learned before closing the case."));
	else if (lessons && (utf8_length(lessons) > LESSONS_MAX || !text_printable(lessons, true)))
		req_field_error(r, model, "lessons", N_("The lessons have at most 5000 characters."));
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	json_decref(model);
	if (db_exec(r->db, "UPDATE cases SET round = ?, lessons = ? WHERE item_id = ? AND round = ?",
		    DB_ARGS(db_text(rounds[next].name), db_text(next == ROUND_CLOSED ? lessons : ""), db_int(it.id),
			    db_text(rounds[round].name))) != 1 ||
	    !event_record(r->db, &(struct event){.type = EVENT_CASE_ROUND, .actor_id = r->user->id,
						  .community_id = it.community_id, .item_id = it.id,
						  .created_at = r->now,
						  .payload = json_pack("{s:s}", "round", rounds[next].name)}))
		return req_fail_internal(r);
	return req_done(r, 200, link_item(&r->arena, it.id, it.title),
			json_pack("{s:I, s:s}", "id", (json_int_t)it.id, "round", rounds[next].name));
}

/* ---- publishing the lessons ------------------------------------------------ */

/* Hands the case of the path to a step of publishing its lessons, with
 * its question and lessons (NULL while it is not closed). */
static json_t *lessons_step(struct req *r, json_t *(*step)(struct req *, const struct item *, const char *,
							       const char *))
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	if (strcmp(it.kind, "case") != 0)
		return req_fail(r, 404, "not_found", N_("There is no such case."));
	struct db_stmt *st = db_query(r->db, "SELECT question, lessons FROM cases WHERE item_id = ? AND round = ?",
				      DB_ARGS(db_int(it.id), db_text(rounds[ROUND_CLOSED].name)));
	const char *question = NULL, *lessons = NULL;
	if (db_step(st) == DB_ROW) {
		question = arena_strdup(&r->arena, db_text_col(st, 0));
		lessons = arena_strdup(&r->arena, db_text_col(st, 1));
	}
	db_done(st);
	return step(r, &it, question, lessons);
}

json_t *cases_lessons_draft(struct req *r)
{
	return lessons_step(r, case_lessons_draft);
}

json_t *cases_lessons_publish(struct req *r)
{
	return lessons_step(r, case_lessons_publish);
}

bool cases_contribution_added(struct db *db, const struct event *e)
{
	return db_exec(db,
		       "INSERT INTO case_contributions (comment_id, item_id, round)"
		       " SELECT ?, item_id, round FROM cases WHERE item_id = ?",
		       DB_ARGS(db_int(e->object_id), db_int(e->item_id))) >= 0;
}
