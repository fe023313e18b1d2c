/*
 * moderator_edits: a moderator or host changing someone else's post,
 * answer or comment, which the policy allows them (POLICY_EDIT; a
 * comment's 15 minutes hold only for its author).
 *
 * Such a change carries a note, required, that says why. The write puts
 * it into its event (item.edited, item.restored or comment.edited, payload
 * moderator_note), and the subscribers do the rest in its transaction:
 * the open reports on the content are settled "edited" and the change is
 * an entry of the audit log (features/moderation.h), and the author is
 * told why (notification kind moderator_edited). The version the
 * moderator made is in the item's history under their name.
 */
#ifndef KRING_MODERATOR_EDITS_H
#define KRING_MODERATOR_EDITS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct req;

/* 409 pending: a post or comment waiting for approval is not changed by
 * a moderator but approved or rejected (features/premoderation.h), so
 * that its author hears why. NULL, for a handler to return. */
json_t *moderator_edits_refuse_pending(struct req *r);

/* The longest note, in characters. */
#define MODERATOR_NOTE_MAX 1000

/* Whether r's member changes content someone else wrote. */
bool moderator_edits_others(const struct req *r, int64_t author_id);

/* The `note` of a moderator's change, trimmed; NULL when there is none or
 * it is too long or unprintable, after a field error on model (so the
 * form comes back with what was typed), or without a model after
 * req_fail (422). */
const char *moderator_edit_note(struct req *r, json_t *model);

#endif
