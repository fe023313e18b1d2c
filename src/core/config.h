/* config: the settings of a running kring, from flags and KRING_* variables.
 * Declared here, below every layer that reads them; defined with their
 * defaults at the top level (src/config.c) and filled by main.c. */
#ifndef KRING_CONFIG_H
#define KRING_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct config {
	const char *db;          /* SQLite file path (or a postgres:// URL) */
	const char *bind;        /* address to listen on */
	int port;                /* 0 picks a free port */
	int threads;             /* worker threads; 0 means one per core */
	size_t max_body;         /* largest request body, bytes */
	size_t max_upload;       /* the most bytes of files one request sends */
	const char *clock_file;  /* tests: a file holding the current time */
	int cache_mb;            /* memory for cached pages; 0 turns it off */
	int slow_ms;             /* statements this slow or slower are logged; 0: none */
	int timeout;             /* seconds an idle or slow connection may take */
	bool secure_cookies;     /* behind TLS: cookies get the Secure attribute */
	int signup_limit;        /* sign-ups per client address an hour; 0: no limit */
	bool trust_proxy;        /* take the client address from X-Forwarded-For */
	const char *site_name;
	const char *smtp_url;    /* smtp://host:port; NULL: mail goes to mail_dir */
	const char *mail_from;   /* the sender's address */
	const char *mail_dir;    /* where .eml files go; NULL: "mail" beside the database */
	const char *base_url;    /* the site's address in links of mail; NULL: where it listens */
	bool webhooks_allow_private; /* communities' webhooks may post to internal addresses */
};

extern struct config config;

#endif
