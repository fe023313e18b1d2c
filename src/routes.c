/*
 * routes: every address kring answers, in one table. Each path answers HTML
 * and, under /api/v1, JSON. Dispatch (http/server.c) checks the flags, the
 * CSRF token of every POST and the declared fields before the handler runs.
 */
#include "features/features.h"
#include "http/router.h"

const struct route routes[] = {
	{"GET", "/", home_page, 0, "home", ""},
	{"GET", "/healthz", home_healthz, 0, NULL, ""},
	{"GET", "/me", home_me, ROUTE_AUTH, NULL, ""},

	{"GET", "/signup", accounts_signup_form, 0, "signup", ""},
	{"POST", "/signup", accounts_signup, 0, "signup", "handle,name,email,password"},
	{"GET", "/login", accounts_login_form, 0, "login", "next"},
	{"POST", "/login", accounts_login, 0, "login", "login,password,next"},
	{"GET", "/logout", accounts_logout_form, 0, "logout", ""},
	{"POST", "/logout", accounts_logout, 0, "logout", ""},

	{"GET", "/settings", settings_page, ROUTE_AUTH, "settings", "saved"},
	{"POST", "/settings", settings_save, ROUTE_AUTH, "settings", "name,locale"},
	{"POST", "/settings/password", settings_password, ROUTE_AUTH, "settings",
	 "current_password,new_password"},
	{"POST", "/settings/sessions/revoke", settings_sessions_revoke, ROUTE_AUTH, "settings", ""},
	{"GET", "/settings/tokens", settings_tokens, ROUTE_AUTH, "tokens", ""},
	{"POST", "/settings/tokens", settings_token_create, ROUTE_AUTH, "tokens", "name"},
	{"POST", "/settings/tokens/{id}/revoke", settings_token_revoke, ROUTE_AUTH, "tokens", ""},

	{"GET", "/admin/users", admin_users, ROUTE_ADMIN, "admin_users", ""},
	{"POST", "/admin/users/{id}/role", admin_set_role, ROUTE_ADMIN, "admin_users", "role"},
};

const size_t routes_count = sizeof(routes) / sizeof(routes[0]);
