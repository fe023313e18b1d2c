/* case_lessons: a closed case's lessons published as a best practice (see
 * case_lessons.h). */
#include "features/case_lessons.h"

#include "auth/policy.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/fold.h"
#include "db/db.h"
#include "features/articles.h"
#include "features/communities.h"
#include "features/item_store.h"
#include "features/items.h"
#include "features/writelimits.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"
#include "render/markdown.h"

#include <string.h>

/* The fields of the draft, as the article takes them. */
static const char *const draft_fields[] = {"title", "summary", "situation", "approach", "results", "tags"};
#define DRAFT_FIELDS (sizeof(draft_fields) / sizeof(draft_fields[0]))
/* The texts checked for what must stay in the circle (tags are words of
 * their own). */
#define TEXT_FIELDS 5

/* ---- anonymising --------------------------------------------------------- */

/* A name to leave out, as its folded words (core/fold.h). */
struct term {
	const char **words;
	size_t nwords;
	bool circle;  /* the circle's (else a member's) */
	bool at_only; /* a handle: only right after an @ */
	bool refused; /* publishing refuses a text that still has it */
};

#define TERMS_MAX 400

struct terms {
	struct term list[TERMS_MAX];
	size_t n;
};

struct word {
	size_t start, len;
	const char *fold;
};

/* The words of text, each with its fold, in the arena. */
static size_t words_of(struct arena *a, const char *text, struct word **out)
{
	size_t n = strlen(text), pos = 0, start, len, count = 0;
	while (fold_next_word(text, n, &pos, &start) > 0)
		count++;
	struct word *w = arena_alloc(a, (count + 1) * sizeof(*w));
	size_t i = 0;
	pos = 0;
	while (i < count && (len = fold_next_word(text, n, &pos, &start)) > 0) {
		char folded[256];
		size_t flen = fold_word(text + start, len, folded, sizeof(folded));
		w[i++] = (struct word){start, len, arena_strndup(a, folded, flen)};
	}
	*out = w;
	return i;
}

static void add_term(struct arena *a, struct terms *t, const char *name, bool circle, bool at_only, bool refused)
{
	struct word *w;
	size_t n = words_of(a, name, &w);
	if (n == 0 || t->n == TERMS_MAX)
		return;
	const char **words = arena_alloc(a, n * sizeof(*words));
	for (size_t i = 0; i < n; i++)
		words[i] = w[i].fold;
	/* One word may well be an ordinary one ("Managers"): the draft
	 * leaves it out, but the case-bringer may write it. */
	t->list[t->n++] = (struct term){words, n, circle, at_only, refused && (at_only || n > 1)};
}

/* Whether a folded part of a name is a particle ("de" in "Jan de Vries"),
 * which is an ordinary word as well: leaving it out of the draft would
 * take "de" out of every Dutch sentence. */
static bool particle(const char *fold)
{
	static const char *const particles[] = {"af", "da", "das", "de", "del", "della", "den", "der", "di", "do",
						"dos", "du", "el", "het", "la", "le", "op", "te", "ten", "ter",
						"van", "von", "zu"};
	for (size_t i = 0; i < sizeof(particles) / sizeof(particles[0]); i++)
		if (strcmp(fold, particles[i]) == 0)
			return true;
	return false;
}

/* What must not leave the circle: its name and address, and of everyone
 * in it (or who spoke in the case) the full name, each part of it and the
 * @handle. Publishing refuses the circle's name and the others' full names
 * (of more than one word) and @handles; the case-bringer's own are theirs
 * to give. */
static void circle_terms(struct req *r, const struct item *it, struct terms *t)
{
	t->n = 0;
	add_term(&r->arena, t, it->access.name, true, false, true);
	add_term(&r->arena, t, it->access.slug, true, false, false);
	struct db_stmt *st = db_query(r->db,
		"SELECT u.id, u.handle, u.name FROM users u WHERE u.id IN (SELECT m.user_id FROM memberships m"
		" WHERE m.community_id = ?) OR u.id IN (SELECT k.author_id FROM comments k WHERE k.item_id = ?)",
		DB_ARGS(db_int(it->community_id), db_int(it->id)));
	while (db_step(st) == DB_ROW) {
		bool other = db_int_col(st, 0) != it->author_id;
		const char *handle = arena_strdup(&r->arena, db_text_col(st, 1));
		const char *name = arena_strdup(&r->arena, db_text_col(st, 2));
		add_term(&r->arena, t, handle, false, true, other);
		add_term(&r->arena, t, name, false, false, other);
		struct word *parts;
		size_t n = words_of(&r->arena, name, &parts);
		for (size_t i = 0; n > 1 && i < n; i++)
			if (!particle(parts[i].fold))
				add_term(&r->arena, t, arena_strndup(&r->arena, name + parts[i].start, parts[i].len),
					 false, false, false);
	}
	db_done(st);
}

/* How many words of text, from word i on, the term is; 0 when it is not
 * there. */
static size_t match_at(const char *text, const struct word *w, size_t n, size_t i, const struct term *term)
{
	if (i + term->nwords > n || (term->at_only && (w[i].start == 0 || text[w[i].start - 1] != '@')))
		return 0;
	for (size_t k = 0; k < term->nwords; k++)
		if (strcmp(w[i + k].fold, term->words[k]) != 0)
			return 0;
	return term->nwords;
}

/* The longest term at word i (its length in words into *len), or NULL. */
static const struct term *term_at(const char *text, const struct word *w, size_t n, size_t i,
				  const struct terms *t, bool refused_only, size_t *len)
{
	const struct term *best = NULL;
	*len = 0;
	for (size_t k = 0; k < t->n; k++) {
		if (refused_only && !t->list[k].refused)
			continue;
		size_t m = match_at(text, w, n, i, &t->list[k]);
		if (m > *len) {
			*len = m;
			best = &t->list[k];
		}
	}
	return best;
}

/* text with every term replaced by a placeholder, in the arena. */
static const char *anonymise(struct req *r, const char *text, const struct terms *t)
{
	struct word *w;
	size_t n = words_of(&r->arena, text, &w), copied = 0, len;
	struct buf out = {0};
	for (size_t i = 0; i < n;) {
		const struct term *term = term_at(text, w, n, i, t, false, &len);
		if (!term) {
			i++;
			continue;
		}
		size_t from = w[i].start, to = w[i + len - 1].start + w[i + len - 1].len;
		if (from > 0 && text[from - 1] == '@')
			from--;
		buf_append(&out, text + copied, from - copied);
		buf_puts(&out, tr(r, term->circle ? N_("[the circle]") : N_("[a member]")));
		copied = to;
		i += len;
	}
	buf_puts(&out, text + copied);
	const char *result = arena_strdup(&r->arena, out.data ? out.data : "");
	buf_free(&out);
	return result;
}

/* Whether text still names the circle or another member of it. */
static bool names_the_circle(struct req *r, const char *text, const struct terms *t)
{
	struct word *w;
	size_t n = words_of(&r->arena, text, &w), len;
	for (size_t i = 0; i < n; i++)
		if (term_at(text, w, n, i, t, true, &len))
			return true;
	return false;
}

/* ---- the case ------------------------------------------------------------- */

/* The published article of the case, 0 when none (or it was deleted). */
static int64_t published_article(struct db *db, int64_t case_id)
{
	return db_scalar_int(db, 0,
			     "SELECT p.article_id FROM case_lessons_published p JOIN items a ON a.id = p.article_id"
			     " WHERE p.case_id = ? AND a.deleted_at IS NULL",
			     DB_ARGS(db_int(case_id)));
}

void case_lessons_fill(struct req *r, json_t *c, const struct item *it)
{
	int64_t article = published_article(r->db, it->id), viewer = r->user ? r->user->id : 0;
	json_t *link = json_null();
	struct db_stmt *st = article ? db_query(r->db, "SELECT i.title FROM items i WHERE i.id = ? AND "
							POLICY_ITEM_VISIBLE_SQL,
						DB_ARGS(db_int(article), POLICY_ITEM_VISIBLE_ARGS(viewer)))
				     : NULL;
	if (st && db_step(st) == DB_ROW) {
		const char *title = arena_strdup(&r->arena, db_text_col(st, 0));
		link = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)article, "title", title, "url",
				 link_item(&r->arena, article, title));
	}
	db_done(st);
	json_object_set_new(c, "lessons_published", json_boolean(article != 0));
	json_object_set_new(c, "article", link);
	json_object_set_new(c, "can_publish", json_boolean(!article && it->is_author && it->can_write));
}

/* Whether the member may publish the lessons of the case now: its
 * case-bringer, who may write there, once it is closed, not yet
 * published; false after req_fail. */
static bool may_publish(struct req *r, const struct item *it, const char *lessons)
{
	if (!it->is_author) {
		req_fail(r, 403, "forbidden", N_("Only the case-bringer publishes the lessons of a case."));
		return false;
	}
	if (!items_may_write(r, it, N_("Join the circle to take part.")))
		return false;
	if (!lessons) {
		req_fail(r, 409, "not_closed", N_("The lessons can be published once the case is closed."));
		return false;
	}
	if (published_article(r->db, it->id)) {
		req_fail(r, 409, "published", N_("The lessons of this case have been published already."));
		return false;
	}
	return true;
}

/* The communities the member may post in that are no circle, the chosen
 * one selected: [{"slug", "name", "selected"}]. */
static json_t *wider_communities(struct req *r, const char *chosen)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db,
		"SELECT c.slug, c.name FROM communities c WHERE c.kind <> 'circle' AND c.archived_at IS NULL"
		" AND c.id IN " POLICY_MEMBER_COMMUNITIES_SQL " ORDER BY c.name, c.slug",
		DB_ARGS(db_int(r->user->id)));
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "slug", db_text_col(st, 0), "name",
						      db_text_col(st, 1), "selected",
						      chosen && strcmp(chosen, db_text_col(st, 0)) == 0));
	db_done(st);
	return list;
}

/* The draft's page: what was sent, else the case's text anonymised, with
 * the preview of it. */
static json_t *draft_model(struct req *r, const struct item *it, const char *question, const char *lessons,
			   const struct terms *t)
{
	const char *prefill[DRAFT_FIELDS] = {anonymise(r, it->title, t), anonymise(r, question, t),
					     anonymise(r, it->body, t), anonymise(r, lessons, t), "", ""};
	json_t *values = json_object(), *preview = json_object();
	for (size_t i = 0; i < DRAFT_FIELDS; i++) {
		const char *sent = req_param(r, draft_fields[i]);
		const char *v = sent ? sent : prefill[i];
		json_object_set_new(values, draft_fields[i], json_string(v));
		if (i > 0 && i < TEXT_FIELDS)
			json_object_set_new(preview, arena_printf(&r->arena, "%s_html", draft_fields[i]), markdown_json(v));
	}
	json_object_set_new(preview, "title", json_string(json_string_value(json_object_get(values, "title"))));
	const char *community = req_param(r, "community");
	json_object_set_new(values, "community", json_string(community ? community : ""));
	return json_pack("{s:s, s:s, s:{s:I, s:s, s:s}, s:o, s:o, s:o}", "title", tr(r, N_("Publish the lessons")),
			 "step", "draft", "case", "id", (json_int_t)it->id, "title", it->title, "url",
			 link_item(&r->arena, it->id, it->title), "values", values, "preview", preview, "communities",
			 wider_communities(r, community));
}

json_t *case_lessons_draft(struct req *r, const struct item *it, const char *question, const char *lessons)
{
	if (!may_publish(r, it, lessons))
		return NULL;
	struct terms *t = arena_alloc(&r->arena, sizeof(*t));
	circle_terms(r, it, t);
	return draft_model(r, it, question, lessons, t);
}

/* The community the lessons go to: one the member may post in, no circle;
 * false after a field error on model. */
static bool chosen_community(struct req *r, json_t *model, struct community_access *c)
{
	const char *slug = req_param_trimmed(r, "community");
	struct policy_subject s = {.kind = POLICY_COMMUNITY, .place = c};
	if (slug && *slug && communities_access(r, slug, c) && !c->circle &&
	    policy_decide(r->user, POLICY_POST, &s) == POLICY_ALLOW)
		return true;
	req_field_error(r, model, "community",
			N_("Choose a community you may post in; the lessons cannot go to a circle."));
	return false;
}

json_t *case_lessons_publish(struct req *r, const struct item *it, const char *question, const char *lessons)
{
	if (!may_publish(r, it, lessons))
		return NULL;
	struct terms *t = arena_alloc(&r->arena, sizeof(*t));
	circle_terms(r, it, t);
	json_t *model = draft_model(r, it, question, lessons, t);
	const char *step = req_param(r, "step");
	if (!step || !*step || strcmp(step, "draft") == 0)
		return model;
	if (strcmp(step, "publish") != 0) {
		json_decref(model);
		req_fail(r, 422, "invalid", N_("Choose to see the draft or to publish it."));
		r->error.field = "step";
		return NULL;
	}
	json_object_set_new(model, "step", json_string("publish"));
	struct community_access c;
	bool placed = chosen_community(r, model, &c);
	struct item_input in;
	item_input_read(r, model, &kind_article, placed ? c.language : i18n_locale_code(r->locale), NULL, &in);
	json_t *values = json_object_get(model, "values");
	for (size_t i = 0; i < TEXT_FIELDS; i++) {
		const char *v = json_string_value(json_object_get(values, draft_fields[i]));
		if (v && names_the_circle(r, v, t))
			req_field_error(r, model, draft_fields[i],
					N_("Leave out the circle's name and its members' names and handles: the circle stays confidential."));
	}
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	if (!writelimit_take(r))
		return model;
	json_decref(model);
	int64_t id = item_store_insert(r, &c, 0, &in);
	if (!id || db_exec(r->db, "INSERT INTO case_lessons_published (case_id, article_id, published_at) VALUES (?, ?, ?)"
				  " ON CONFLICT (case_id) DO UPDATE SET article_id = excluded.article_id,"
				  " published_at = excluded.published_at",
			   DB_ARGS(db_int(it->id), db_int(id), db_int(r->now))) != 1)
		return req_fail_internal(r);
	const char *url = link_item(&r->arena, id, in.title);
	return req_done(r, 201, url,
			json_pack("{s:I, s:s, s:s, s:s, s:{s:s, s:s}}", "id", (json_int_t)id, "kind", "article", "title",
				  in.title, "url", url, "community", "slug", c.slug, "name", c.name));
}
