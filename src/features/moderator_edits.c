/* moderator_edits: a moderator's change of someone else's content (see
 * moderator_edits.h). */
#include "features/moderator_edits.h"

#include "auth/users.h"
#include "core/text.h"
#include "http/req.h"
#include "i18n/i18n.h"

bool moderator_edits_others(const struct req *r, int64_t author_id)
{
	return r->user && r->user->id != author_id;
}

json_t *moderator_edits_refuse_pending(struct req *r)
{
	return req_fail(r, 409, "pending",
			N_("This waits for approval: approve it, or reject it with the reason, in the review queue."));
}

const char *moderator_edit_note(struct req *r, json_t *model)
{
	const char *note = req_param_trimmed(r, "note");
	const char *problem = NULL;
	if (!note || !*note)
		problem = N_("Tell the author why you change what they wrote.");
	else if (utf8_length(note) > MODERATOR_NOTE_MAX || !text_printable(note, true))
		problem = N_("Keep the note under 1000 characters.");
	if (!problem)
		return note;
	if (model) {
		json_object_set_new(json_object_get(model, "values"), "note", json_string(note ? note : ""));
		req_field_error(r, model, "note", problem);
	} else {
		req_fail(r, 422, "invalid", problem);
		r->error.field = "note";
	}
	return NULL;
}
