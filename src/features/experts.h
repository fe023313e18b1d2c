/*
 * experts: experts per tag, and their verification of what members share.
 * An admin names a member an expert in a tag, or enough experts in the tag
 * endorse them (the expert_endorsements site setting). An expert in one of
 * an item's tags (for an answer: its question's) verifies an article, a
 * method or an answer someone else wrote. A verification lapses after the
 * verification_months site setting, or when someone other than the
 * verifier edits the item: the item then needs review. Times are the
 * request's (r->now, from core/clock.h), so tests can move them. This
 * module owns the tag_experts, expert_endorsements and verifications
 * tables, and verification_lapses.
 */
#ifndef KRING_EXPERTS_H
#define KRING_EXPERTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct event;
struct item;
struct req;

/* When a verification made at verified_at lapses: the verification_months
 * site setting later (12 months unless set). */
int64_t experts_expiry(struct db *db, int64_t verified_at);
/* Whether experts verify items of the kind: articles, methods, answers. */
bool experts_verifiable_kind(const char *kind);

/* Sets "verification" (who, when, until when, whether it still holds, or
 * null) and "can_verify" on an item's model. */
void experts_fill(struct req *r, json_t *model, const struct item *it);
/* The same for the answers of a question (objects with "id" and
 * "author"), with one statement for them all. */
void experts_fill_answers(struct req *r, json_t *answers, const struct item *question);
/* Sets "verified" (true while a verification holds) and "needs_review"
 * (one lapsed) on list summaries, with one statement for the list. */
void experts_fill_summaries(struct req *r, json_t *items);
/* An in-step event subscriber (item.edited, item.restored): a
 * verification by someone other than the editor now needs review. */
bool experts_item_edited(struct db *db, const struct event *e);

/* Records the event of each verification that has lapsed by now and was
 * not told yet (the maintenance's work), each in a transaction of its
 * own. How many; -1 on a database error. */
int64_t experts_record_lapses(struct db *db, int64_t now);

/* Makes every member endorsed by enough current experts in a tag an expert
 * in it (the expert_endorsements setting), as of now; inside the caller's
 * transaction. */
bool experts_promote_endorsed(struct db *db, int64_t now);

/* The tags the member is an expert in (and verifies posts of), sorted. */
json_t *experts_tags_of(struct db *db, int64_t user_id);

/* Reads a list's verified filter, "yes" or "no", as 1 or -1 (struct
 * item_filter's verified); false after req_fail when it is neither. */
bool experts_verified_filter(struct req *r, const char *value, int *verified);
/* The label of a verified facet's value ("yes", "no"). */
const char *experts_verified_label(struct req *r, const char *value);

/* Route handlers: the experts of a tag, naming or endorsing one, revoking
 * (admins), verifying an item and withdrawing that, and the review lists. */
json_t *experts_page(struct req *r);
json_t *experts_add(struct req *r);
json_t *experts_revoke(struct req *r);
json_t *experts_verify(struct req *r);
json_t *experts_withdraw(struct req *r);
json_t *experts_review(struct req *r);

#endif
