/* config: the settings of a running kring, with their defaults. main.c
 * fills them from KRING_* variables and flags. */
#include "core/config.h"

struct config config = {
	.db = "data/kring.db",
	.bind = "127.0.0.1",
	.port = 8080,
	.threads = 0,
	.max_body = 1024 * 1024,
	.max_upload = 20 * 1024 * 1024,
	.cache_mb = 16,
	.timeout = 30,
	.signup_limit = 5,
	.site_name = "kring",
	.mail_from = "kring@localhost",
};
