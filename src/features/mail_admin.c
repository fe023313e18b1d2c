/* mail_admin: /admin/mail, the e-mail kring sent or is sending (the
 * outbox), and where it went: the SMTP server, or .eml files in the mail
 * directory. */
#include "features/features.h"

#include "core/config.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/mail_send.h"
#include "jobs/outbox.h"

#include <string.h>

#define MAIL_SHOWN 200

static const char *state_label(const char *state)
{
	if (strcmp(state, "sent") == 0)
		return N_("Sent");
	if (strcmp(state, "failed") == 0)
		return N_("Failed");
	if (strcmp(state, "retrying") == 0)
		return N_("Retrying");
	return N_("Queued");
}

json_t *admin_mail(struct req *r)
{
	json_t *items = outbox_recent(r->db, MAIL_SHOWN);
	size_t i;
	json_t *m;
	json_array_foreach(items, i, m) {
		const char *state = json_string_value(json_object_get(m, "state"));
		json_object_set_new(m, "state_label", json_string(tr(r, state_label(state))));
	}
	bool smtp = config.smtp_url && *config.smtp_url;
	return json_pack("{s:s, s:b, s:o, s:o, s:b}", "title", tr(r, N_("E-mail")), "smtp", smtp, "directory",
			 smtp ? json_null() : json_string(mail_directory()), "items", items, "digests_queued",
			 req_query(r, "digests") != NULL);
}
