/*
 * moderation_log: a community's public moderation log. Its hosts may make
 * it public (off until they do); then whoever may read the community reads
 * at /c/{slug}/moderation-log what was moderated in it — when, which
 * action, and on what kind of thing — and nothing private: no names of
 * moderators, reporters or members, no reasons, notes or report texts, no
 * links. It reads the audit log (features/audit.h), the one record of
 * what was done; the table community_public_logs, which says which
 * communities publish theirs, belongs here.
 *
 *   GET  /c/{slug}/moderation-log            the log, 50 to a page (?cursor=)
 *   POST /c/{slug}/moderation-log/settings   public: on or off (its hosts, admins)
 *
 * A log that is not public answers 404. Turning it on or off is an audit
 * entry (community.moderation_log).
 */
#ifndef KRING_MODERATION_LOG_H
#define KRING_MODERATION_LOG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct req;

json_t *moderation_log_page(struct req *r);
json_t *moderation_log_set(struct req *r);

/* GET /c/{slug}/edit: the community's settings form
 * (communities_edit_form) with the log's setting, "moderation_log":
 * {"public"}, for its form. */
json_t *moderation_log_settings_form(struct req *r);

/* Makes the community's moderation log public, for an import. False on a
 * database error. */
bool moderation_log_store(struct db *db, int64_t community_id, int64_t now);

/* Whether the community's moderation log is public. */
bool moderation_log_public(struct db *db, int64_t community_id);

#endif
