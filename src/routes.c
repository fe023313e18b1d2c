/*
 * routes: every address kring answers, in one table. Each path answers HTML
 * and, under /api/v1, JSON. Dispatch (http/server.c) checks the flags, the
 * CSRF token of every POST and the declared fields before the handler runs.
 */
#include "features/admin_roles.h"
#include "features/ambassadors.h"
#include "features/answers.h"
#include "features/articles.h"
#include "features/audit_page.h"
#include "features/ask.h"
#include "features/cases.h"
#include "features/circle_sessions.h"
#include "features/circles.h"
#include "features/comments.h"
#include "features/communities.h"
#include "features/community_webhooks.h"
#include "features/community_page.h"
#include "features/community_bans.h"
#include "features/digests.h"
#include "features/calendars.h"
#include "features/event_cancel.h"
#include "features/event_messages.h"
#include "features/event_types.h"
#include "features/events.h"
#include "features/experts.h"
#include "features/feeds.h"
#include "features/features.h"
#include "features/files.h"
#include "features/follows.h"
#include "features/guests.h"
#include "features/item_page.h"
#include "features/item_revisions.h"
#include "features/ladder.h"
#include "features/mail_settings.h"
#include "features/member_states.h"
#include "features/methods.h"
#include "features/moderation.h"
#include "features/moderation_log.h"
#include "features/notifications.h"
#include "features/org_page.h"
#include "features/password_reset.h"
#include "features/premoderation.h"
#include "features/conduct.h"
#include "features/orgs.h"
#include "features/people.h"
#include "features/pins.h"
#include "features/questions.h"
#include "features/reports.h"
#include "features/search.h"
#include "features/rsvp.h"
#include "features/subscriptions.h"
#include "features/tag_page.h"
#include "features/warnings.h"
#include "http/router.h"

const struct route routes[] = {
	{"GET", "/", home_page, 0, "home", "cursor"},
	{"GET", "/healthz", home_healthz, ROUTE_JSON, NULL, ""},
	{"GET", "/me", home_me, ROUTE_AUTH, NULL, ""},
	{"POST", "/start/dismiss", home_dismiss_start, ROUTE_AUTH, "home", ""},

	{"GET", "/signup", accounts_signup_form, 0, "signup", ""},
	{"POST", "/signup", accounts_signup, 0, "signup", "handle,name,email,password,conduct:int"},
	{"GET", "/login", accounts_login_form, 0, "login", "next,reset"},
	{"POST", "/login", accounts_login, ROUTE_SESSION, "login", "login,password,next"},
	{"GET", "/logout", accounts_logout_form, 0, "logout", ""},
	{"POST", "/logout", accounts_logout, ROUTE_SESSION, "logout", ""},
	{"GET", "/password/forgot", password_forgot_form, 0, "password_forgot", "sent"},
	{"POST", "/password/forgot", password_forgot, ROUTE_SESSION, "password_forgot", "email"},
	{"GET", "/password/reset/{token}", password_reset_form, ROUTE_SECRET_ADDRESS, "password_reset", ""},
	{"POST", "/password/reset/{token}", password_reset, ROUTE_SESSION | ROUTE_SECRET_ADDRESS, "password_reset",
	 "password"},

	{"GET", "/settings", settings_page, ROUTE_AUTH | ROUTE_ACCOUNT, "settings", "saved"},
	{"POST", "/settings", settings_save, ROUTE_AUTH | ROUTE_ACCOUNT, "settings", "name,locale,auto_follow:bool"},
	{"POST", "/settings/password", settings_password, ROUTE_AUTH | ROUTE_SESSION | ROUTE_ACCOUNT, "settings",
	 "current_password,new_password,keep_tokens:bool"},
	{"POST", "/settings/sessions/revoke", settings_sessions_revoke, ROUTE_AUTH | ROUTE_SESSION | ROUTE_ACCOUNT,
	 "settings", ""},
	{"GET", "/notifications", notifications_page, ROUTE_AUTH, "notifications", "cursor"},
	{"POST", "/notifications/read", notifications_read, ROUTE_AUTH | ROUTE_ACCOUNT, "notifications", "id:int"},
	{"POST", "/settings/feed", feeds_renew, ROUTE_AUTH | ROUTE_SESSION | ROUTE_ACCOUNT, "settings", ""},
	{"GET", "/settings/follows", follows_settings_page, ROUTE_AUTH | ROUTE_ACCOUNT, "settings_follows", ""},
	{"GET", "/settings/notifications", mail_settings_page, ROUTE_AUTH | ROUTE_ACCOUNT, "settings_notifications",
	 "saved"},
	{"POST", "/settings/notifications", mail_settings_save, ROUTE_AUTH | ROUTE_ACCOUNT, "settings_notifications",
	 "mention,answer,accepted,comment,solved,post,verified,review,lapsed,join_request,invitation,promoted,cancelled,"
	 "reminder,event_message,seat_offered,seat_lapsed,report,report_outcome,moderator_edited,event_role,role_granted,newcomer_joined,warning,post_approved,post_rejected"},
	{"GET", "/unsubscribe/{secret}/{list}", mail_settings_unsubscribe_form, ROUTE_SECRET_ADDRESS, "unsubscribe", ""},
	{"POST", "/unsubscribe/{secret}/{list}", mail_settings_unsubscribe, ROUTE_SECRET_ADDRESS | ROUTE_ONE_CLICK,
	 "unsubscribe", "List-Unsubscribe"},
	{"GET", "/settings/tokens", settings_tokens, ROUTE_AUTH | ROUTE_ACCOUNT, "tokens", ""},
	{"POST", "/settings/tokens", settings_token_create, ROUTE_AUTH | ROUTE_SESSION | ROUTE_ACCOUNT, "tokens",
	 "name,scopes:list"},
	{"POST", "/settings/tokens/{id}/revoke", settings_token_revoke, ROUTE_AUTH | ROUTE_SESSION | ROUTE_ACCOUNT,
	 "tokens", ""},

	/* communities */
	{"GET", "/c", communities_list, 0, "communities", ""},
	{"GET", "/c/new", communities_new_form, ROUTE_AUTH, "community_form", "kind"},
	{"POST", "/c", communities_create, ROUTE_AUTH, "community_form",
	 "slug,name,description,visibility,join_policy,kind,language," CIRCLE_FIELDS},
	{"GET", "/c/{slug}", community_page, 0, "community", "cursor"},
	{"GET", "/c/{slug}/edit", moderation_log_settings_form, ROUTE_AUTH, "community_form", ""},
	{"POST", "/c/{slug}/edit", communities_edit, ROUTE_AUTH, "community_form",
	 "name,description,visibility,join_policy,language," CIRCLE_FIELDS},
	{"POST", "/c/{slug}/archive", communities_archive, ROUTE_AUTH, "community", "archived:bool"},
	{"POST", "/c/{slug}/join", communities_join, ROUTE_AUTH, "community", ""},
	{"POST", "/c/{slug}/leave", communities_leave, ROUTE_AUTH, "community", ""},
	{"GET", "/c/{slug}/members", ambassadors_members_page, 0, "community_members", ""},
	{"POST", "/c/{slug}/invite", communities_invite, ROUTE_AUTH, "community_members", "handle"},
	{"POST", "/c/{slug}/requests/{handle}/{decision}", communities_decide_request, ROUTE_AUTH,
	 "community_members", ""},
	{"POST", "/c/{slug}/members/{handle}/role", communities_set_role, ROUTE_AUTH, "community_members", "role"},
	{"POST", "/c/{slug}/members/{handle}/ban", community_bans_ban, ROUTE_AUTH, "community_members", "reason"},
	{"POST", "/c/{slug}/members/{handle}/unban", community_bans_unban, ROUTE_AUTH, "community_members", ""},
	/* ambassadors and the public moderation log (features/ambassadors.h,
	 * features/moderation_log.h) */
	{"POST", "/c/{slug}/members/{handle}/ambassador", ambassadors_grant, ROUTE_AUTH, "community_members", ""},
	{"POST", "/c/{slug}/members/{handle}/ambassador/revoke", ambassadors_revoke, ROUTE_AUTH, "community_members", ""},
	{"GET", "/c/{slug}/moderation-log", moderation_log_page, 0, "moderation_log", "cursor"},
	{"POST", "/c/{slug}/moderation-log/settings", moderation_log_set, ROUTE_AUTH, "community_form", "public:bool"},
	{"GET", "/c/{slug}/webhooks", community_webhooks_page, ROUTE_AUTH, "community_webhooks", ""},
	{"POST", "/c/{slug}/webhooks", community_webhooks_add, ROUTE_AUTH, "community_webhooks", "url,format,events:list"},
	{"POST", "/c/{slug}/webhooks/{id}/remove", community_webhooks_remove, ROUTE_AUTH, "community_webhooks", ""},
	{"POST", "/c/{slug}/webhooks/{id}/enabled", community_webhooks_switch, ROUTE_AUTH, "community_webhooks",
	 "enabled:bool"},
	{"POST", "/c/{slug}/webhooks/{id}/test", community_webhooks_test, ROUTE_AUTH, "community_webhooks", ""},
	{"GET", "/c/{slug}/new", items_composer, ROUTE_AUTH, "composer", "kind"},
	{"POST", "/c/{slug}/items", items_create_in_community, ROUTE_AUTH | ROUTE_LIMIT_ITEM | ROUTE_KIND_FIELDS, "composer",
	 "kind,title,body,tags:list,language,needed_by,file:file"},

	/* items and conversations */
	{"GET", "/ask", ask_form, ROUTE_AUTH, "composer", "community"},
	{"POST", "/ask", ask_create, ROUTE_AUTH | ROUTE_LIMIT_ITEM, "composer", "community,kind,title,body,tags:list,language,needed_by"},
	{"POST", "/items", items_create_on_profile, ROUTE_AUTH | ROUTE_LIMIT_ITEM, "composer", "kind,body,tags:list,language"},
	{"GET", "/items/{id}", items_page, 0, "item", "joined"},
	{"GET", "/items/{id}/edit", items_edit_form, ROUTE_AUTH, "item_form", ""},
	{"POST", "/items/{id}/edit", items_edit, ROUTE_AUTH | ROUTE_KIND_FIELDS, "item_form",
	 "title,body,tags:list,language,needed_by,note"},
	{"POST", "/items/{id}/delete", items_delete, ROUTE_AUTH, "item", ""},
	/* "start here" posts of a community (features/pins.h) */
	{"POST", "/items/{id}/pin", pins_pin, ROUTE_AUTH, "item", ""},
	{"POST", "/items/{id}/unpin", pins_unpin, ROUTE_AUTH, "item", ""},
	{"GET", "/items/{id}/revisions", items_revisions, 0, "revisions", "from,to"},
	{"POST", "/items/{id}/revisions/{number}/restore", items_restore, ROUTE_AUTH, "revisions", "note"},
	{"POST", "/items/{id}/answers", answers_create, ROUTE_AUTH | ROUTE_LIMIT_ANSWER, "answer_form", "body"},
	{"POST", "/items/{id}/accept", questions_accept, ROUTE_AUTH, "item", "answer:int"},
	{"POST", "/items/{id}/comments", comments_create, ROUTE_AUTH | ROUTE_LIMIT_COMMENT, "comment_form", "body"},
	{"POST", "/items/{id}/react", reactions_toggle, ROUTE_AUTH, "item", "kind"},
	{"POST", "/items/{id}/round", cases_next_round, ROUTE_AUTH, "case_round", "round,lessons"},
	{"GET", "/items/{id}/publish-lessons", cases_lessons_draft, ROUTE_AUTH, "publish_lessons", ""},
	{"POST", "/items/{id}/publish-lessons", cases_lessons_publish, ROUTE_AUTH | ROUTE_LIMIT_ITEM, "publish_lessons",
	 "step,community,title,summary,situation,approach,results,tags:list,language"},
	{"POST", "/comments/{id}/edit", comments_edit, ROUTE_AUTH, "comment_form", "body,note"},
	{"POST", "/comments/{id}/delete", comments_delete, ROUTE_AUTH, "item", ""},
	{"POST", "/comments/{id}/react", comments_react, ROUTE_AUTH, "item", "kind"},
	/* reports and the review queue (features/reports.h, features/moderation.h) */
	{"GET", "/items/{id}/report", reports_item_form, ROUTE_AUTH, "report_form", ""},
	{"POST", "/items/{id}/report", reports_item, ROUTE_AUTH, "report_form", "reason,note"},
	{"GET", "/comments/{id}/report", reports_comment_form, ROUTE_AUTH, "report_form", ""},
	{"POST", "/comments/{id}/report", reports_comment, ROUTE_AUTH, "report_form", "reason,note"},
	{"GET", "/people/{handle}/report", reports_person_form, ROUTE_AUTH, "report_form", ""},
	{"POST", "/people/{handle}/report", reports_person, ROUTE_AUTH, "report_form", "reason,note"},
	{"GET", "/settings/reports", reports_mine, ROUTE_AUTH | ROUTE_ACCOUNT, "settings_reports", "filed"},
	{"GET", "/moderation", moderation_queue, ROUTE_AUTH, "moderation", ""},
	{"POST", "/moderation/{kind}/{id}", moderation_act, ROUTE_AUTH, "moderation", "action,note"},
	/* posts held for approval (features/premoderation.h) */
	{"POST", "/moderation/pending/{kind}/{id}", premoderation_decide, ROUTE_AUTH, "moderation", "action,reason"},
	{"GET", "/admin/premoderation", premoderation_site_page, ROUTE_ADMIN, "premoderation", "saved"},
	{"POST", "/admin/premoderation", premoderation_site_save, ROUTE_ADMIN, "premoderation", "mode,first_posts:int"},
	{"GET", "/c/{slug}/premoderation", premoderation_community_page, ROUTE_AUTH, "premoderation", "saved"},
	{"POST", "/c/{slug}/premoderation", premoderation_community_save, ROUTE_AUTH, "premoderation",
	 "mode,first_posts:int"},
	/* the code of conduct (features/conduct.h) */
	{"GET", "/conduct", conduct_page, 0, "conduct", "version"},
	{"POST", "/conduct/accept", conduct_accept, ROUTE_AUTH | ROUTE_ACCOUNT, "conduct", "version:int"},
	{"GET", "/admin/conduct", conduct_admin_page, ROUTE_ADMIN, "admin_conduct", "saved"},
	{"POST", "/admin/conduct", conduct_publish, ROUTE_ADMIN, "admin_conduct", "body"},
	{"GET", "/questions", questions_list, 0, "questions", "status,tag,community,org,sort,cursor"},
	{"GET", "/search", search_page, 0, "search", "q,kind,community,tag,org,language,verified,cursor"},
	{"GET", "/search/suggest", search_suggest, ROUTE_JSON, NULL, "q"},
	{"GET", "/tags/{tag}", tag_page, 0, "tag", "cursor"},
	{"GET", "/tags/{tag}/experts", experts_page, 0, "experts", ""},
	{"POST", "/tags/{tag}/experts", experts_add, ROUTE_AUTH, "experts", "handle"},
	{"POST", "/tags/{tag}/experts/{handle}/revoke", experts_revoke, ROUTE_ADMIN, "experts", ""},
	{"POST", "/items/{id}/verify", experts_verify, ROUTE_AUTH, "item", "note"},
	{"POST", "/items/{id}/verify/withdraw", experts_withdraw, ROUTE_AUTH, "item", ""},
	{"GET", "/review", experts_review, ROUTE_AUTH, "review", "list,cursor"},
	{"GET", "/articles", articles_catalogue, 0, "articles", "tag,org,community,language,verified,updated_since,cursor"},
	{"GET", "/methods", methods_book, 0, "methods", "tag,max_duration,group_size,verified,cursor"},
	{"POST", "/items/{id}/uses", methods_use, ROUTE_AUTH, "method_form", "note"},
	{"POST", "/items/{id}/uses/delete", methods_unuse, ROUTE_AUTH, "item", ""},
	{"POST", "/items/{id}/variations", methods_add_variation, ROUTE_AUTH | ROUTE_LIMIT_ITEM, "method_form", "title,body"},
	{"GET", "/events", events_list, 0, "events", "when,type,community,tag,month"},
	{"POST", "/items/{id}/rsvp", rsvp_answer, ROUTE_AUTH, "item", "answer"},
	{"POST", "/items/{id}/rsvp/close", rsvp_close, ROUTE_AUTH, "item", ""},
	{"POST", "/items/{id}/rsvp/open", rsvp_open, ROUTE_AUTH, "item", ""},
	{"GET", "/items/{id}/attendees.csv", rsvp_attendees_csv, ROUTE_AUTH, NULL, ""},
	{"POST", "/items/{id}/rsvp/claim-window", rsvp_claim_window, ROUTE_AUTH, "item", "hours:int"},
	/* guests of events; a guest's links are their authority, as a
	 * subscription's are (features/guests.h) */
	{"GET", "/items/{id}/guests", guests_form, 0, "guest_signup", "sent"},
	{"POST", "/items/{id}/guests", guests_signup, 0, "guest_signup", "name,email"},
	{"GET", "/guests/{secret}", guests_page, ROUTE_SECRET_ADDRESS, "guest", ""},
	{"POST", "/guests/{secret}/confirm", guests_confirm, ROUTE_SECRET_ADDRESS | ROUTE_ONE_CLICK, "guest", ""},
	{"POST", "/guests/{secret}/claim", guests_claim, ROUTE_SECRET_ADDRESS | ROUTE_ONE_CLICK, "guest", ""},
	{"POST", "/guests/{secret}/cancel", guests_cancel, ROUTE_SECRET_ADDRESS | ROUTE_ONE_CLICK, "guest", ""},
	{"POST", "/items/{id}/recap", events_recap, ROUTE_AUTH, "event_recap", "notes,learned,file:file"},
	{"POST", "/items/{id}/to-article", events_to_article, ROUTE_AUTH | ROUTE_LIMIT_ITEM | ROUTE_KIND_FIELDS,
	 "composer", "kind,publish:bool,title,tags:list,language,file:file"},
	{"POST", "/items/{id}/attendance", circle_sessions_attendance, ROUTE_AUTH, "circle_attendance",
	 "present:list"},
	{"POST", "/items/{id}/cancel", event_cancel, ROUTE_AUTH, "item", ""},
	/* iCalendar (features/calendars.h) */
	{"GET", "/items/{id}/event.ics", calendars_event, 0, NULL, ""},
	{"GET", "/c/{slug}/events.ics", calendars_community, 0, NULL, ""},
	{"GET", "/calendar/{secret}/events.ics", calendars_personal, ROUTE_SECRET_ADDRESS, NULL, ""},
	{"POST", "/settings/calendar", calendars_renew, ROUTE_AUTH | ROUTE_SESSION | ROUTE_ACCOUNT, "settings", ""},
	{"POST", "/settings/calendar/revoke", calendars_revoke, ROUTE_AUTH | ROUTE_SESSION | ROUTE_ACCOUNT, "settings",
	 ""},
	{"POST", "/items/{id}/message", event_messages_send, ROUTE_AUTH, "event_message_form", "subject,body,to"},
	{"POST", "/items/{id}/files", files_attach, ROUTE_AUTH, "file_form", "file:file"},
	{"POST", "/items/{id}/files/{file}/delete", files_remove, ROUTE_AUTH, "item", ""},
	{"GET", "/files/{sha}/{name}", files_download, 0, NULL, ""},
	{"GET", "/files/{sha}/preview/{name}", files_preview, 0, NULL, ""},

	/* follows: the HTML form goes back to the page, or to the list with from=follows */
	{"POST", "/tags/{tag}/follow", follows_tag, ROUTE_AUTH, "tag", "from"},
	{"POST", "/tags/{tag}/unfollow", follows_tag_stop, ROUTE_AUTH, "tag", "from"},
	{"POST", "/c/{slug}/follow", follows_community, ROUTE_AUTH, "community", "from"},
	{"POST", "/c/{slug}/unfollow", follows_community_stop, ROUTE_AUTH, "community", "from"},
	{"POST", "/people/{handle}/follow", follows_person, ROUTE_AUTH, "person", "from"},
	{"POST", "/people/{handle}/unfollow", follows_person_stop, ROUTE_AUTH, "person", "from"},
	{"POST", "/items/{id}/follow", follows_item, ROUTE_AUTH, "item", "from"},
	{"POST", "/items/{id}/unfollow", follows_item_stop, ROUTE_AUTH, "item", "from"},

	/* Atom feeds (features/feeds.h) */
	{"GET", "/c/{slug}/feed", feeds_community, 0, NULL, ""},
	{"GET", "/tags/{tag}/feed", feeds_tag, 0, NULL, ""},
	{"GET", "/people/{handle}/feed", feeds_person, 0, NULL, ""},
	{"GET", "/search/feed", search_feed, 0, NULL, "q,kind,community,tag,org,language,verified"},
	{"GET", "/feed/{secret}", feeds_personal, ROUTE_SECRET_ADDRESS, NULL, ""},

	/* the digest by e-mail without an account (features/subscriptions.h);
	 * a subscription's links are its authority, as one-click unsubscribe
	 * from a mail program sends no cookie */
	{"GET", "/c/{slug}/subscribe", subscriptions_community_form, 0, "subscribe", "sent"},
	{"POST", "/c/{slug}/subscribe", subscriptions_community, ROUTE_SESSION, "subscribe", "name,email,pace"},
	{"GET", "/articles/subscribe", subscriptions_catalogue_form, 0, "subscribe", "sent"},
	{"POST", "/articles/subscribe", subscriptions_catalogue, ROUTE_SESSION, "subscribe", "name,email,pace"},
	{"GET", "/subscriptions/{secret}/confirm", subscriptions_confirm_page, ROUTE_SECRET_ADDRESS, "subscription", ""},
	{"POST", "/subscriptions/{secret}/confirm", subscriptions_confirm, ROUTE_SESSION | ROUTE_SECRET_ADDRESS | ROUTE_ONE_CLICK, "subscription", ""},
	{"GET", "/subscriptions/{secret}/unsubscribe", subscriptions_unsubscribe_page, ROUTE_SECRET_ADDRESS, "subscription", ""},
	{"POST", "/subscriptions/{secret}/unsubscribe", subscriptions_unsubscribe, ROUTE_SESSION | ROUTE_SECRET_ADDRESS | ROUTE_ONE_CLICK, "subscription", "List-Unsubscribe"},

	{"GET", "/admin/users", admin_users, ROUTE_ADMIN, "admin_users", ""},
	{"POST", "/admin/users/{id}/role", admin_set_role, ROUTE_ADMIN, "admin_users", "role"},
	{"GET", "/admin/roles", admin_roles_page, ROUTE_ADMIN, "admin_roles", "handle"},
	{"GET", "/admin/audit", audit_admin_page, ROUTE_ADMIN, "audit", "actor,action,community,cursor"},
	{"GET", "/c/{slug}/audit", audit_community_page, ROUTE_AUTH, "audit", "actor,action,cursor"},
	{"GET", "/admin/mail", admin_mail, ROUTE_ADMIN, "admin_mail", "digests"},
	{"POST", "/admin/mail/digests", digests_send_now, ROUTE_ADMIN, "admin_mail", ""},
	{"GET", "/admin/event-types", event_types_page, ROUTE_ADMIN, "admin_event_types", "saved"},
	{"POST", "/admin/event-types", event_types_add, ROUTE_ADMIN, "admin_event_types", "code,name_en,name_sv,name_nl"},
	{"POST", "/admin/event-types/{code}", event_types_save, ROUTE_ADMIN, "admin_event_types",
	 "name_en,name_sv,name_nl,retired:bool"},
	{"GET", "/admin/moderation-settings", ladder_settings_page, ROUTE_ADMIN, "admin_moderation", "saved"},
	{"POST", "/admin/moderation-settings", ladder_settings_save, ROUTE_ADMIN, "admin_moderation",
	 "ladder_window_days,ladder_cooldown_after,ladder_cooldown_minutes,ladder_cooldown_days,ladder_suspend_after,"
	 "ladder_suspend_days,ladder_decide_after,autohide_reports"},
	{"GET", "/admin/settings", admin_settings, ROUTE_ADMIN, "admin_settings", "saved"},
	{"POST", "/admin/settings", admin_save_settings, ROUTE_ADMIN, "admin_settings",
	 "community_creation,expert_endorsements,verification_months,webhook_url,new_webhook_secret:bool,"
	 "items_per_minute,items_per_hour,answers_per_minute,answers_per_hour,comments_per_minute,comments_per_hour"},

	/* organisations and people */
	{"GET", "/orgs", orgs_list, 0, "orgs", "cursor"},
	{"GET", "/orgs/new", orgs_new_form, ROUTE_ADMIN, "org_form", ""},
	{"POST", "/orgs", orgs_create, ROUTE_ADMIN, "org_form", "slug,name,description,website"},
	{"GET", "/orgs/{slug}", org_page, 0, "org", "cursor"},
	{"GET", "/orgs/{slug}/edit", orgs_edit_form, ROUTE_ADMIN, "org_form", ""},
	{"POST", "/orgs/{slug}/edit", orgs_edit, ROUTE_ADMIN, "org_form", "slug,name,description,website"},
	{"GET", "/people", people_directory, 0, "people", "q,tag,org,language,sort,cursor"},
	{"GET", "/people/{handle}", warnings_person_page, 0, "person", ""},
	/* moderators and admins (features/member_states.h) */
	{"POST", "/people/{handle}/suspend", member_states_suspend, ROUTE_AUTH, "person", "until,reason,return"},
	{"POST", "/people/{handle}/unsuspend", member_states_unsuspend, ROUTE_AUTH, "person", ""},
	{"POST", "/people/{handle}/exclude", member_states_exclude, ROUTE_AUTH, "person", "reason,content,return"},
	{"POST", "/people/{handle}/reinstate", member_states_reinstate, ROUTE_AUTH, "person", ""},
	/* warnings and the ladder (features/warnings.h, features/ladder.h) */
	{"POST", "/people/{handle}/warn", warnings_warn, ROUTE_AUTH, "person", "reason,community,subject_kind,subject_id:int,return"},
	{"POST", "/people/{handle}/keep", ladder_keep, ROUTE_AUTH, "person", "note,return"},
	{"GET", "/settings/standing", warnings_standing, ROUTE_AUTH | ROUTE_ACCOUNT, "settings_standing", ""},
	{"GET", "/people/{handle}/avatar.svg", people_avatar, 0, NULL, "v"},
	{"GET", "/settings/profile", people_profile_form, ROUTE_AUTH | ROUTE_ACCOUNT, "profile_form", "saved"},
	{"POST", "/settings/profile", people_profile_save, ROUTE_AUTH | ROUTE_ACCOUNT, "profile_form",
	 "name,title,org,bio,ask_me_about,location,languages:list,expertise_learning:list,"
	 "expertise_practising:list,expertise_expert:list"},
};

const size_t routes_count = sizeof(routes) / sizeof(routes[0]);
