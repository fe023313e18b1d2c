/* mail_send: SMTP through libcurl, or .eml files (see mail_send.h). */
#include "jobs/mail_send.h"

#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"
#include "jobs/mail_format.h"
#include "jobs/transfer.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SMTP_TIMEOUT_S 60

const char *mail_config_problem(void)
{
	if (config.smtp_url && *config.smtp_url && strncasecmp(config.smtp_url, "smtp://", 7) != 0 &&
	    strncasecmp(config.smtp_url, "smtps://", 8) != 0)
		return "--smtp-url must start with smtp:// or smtps://";
	if (!mail_address_ok(config.mail_from))
		return "--mail-from must be a plain e-mail address, such as kring@example.org";
	if (config.base_url && strncasecmp(config.base_url, "http://", 7) != 0 &&
	    strncasecmp(config.base_url, "https://", 8) != 0)
		return "--base-url must start with http:// or https://";
	return NULL;
}

const char *mail_directory(void)
{
	static char dir[4096];
	if (config.mail_dir && *config.mail_dir)
		return config.mail_dir;
	if (!dir[0]) {
		/* Beside the SQLite file: data/kring.db has data/mail. */
		const char *slash = db_url_is_postgres(config.db) ? NULL : strrchr(config.db, '/');
		if (db_url_is_postgres(config.db))
			snprintf(dir, sizeof(dir), "data/mail");
		else if (slash)
			snprintf(dir, sizeof(dir), "%.*s/mail", (int)(slash - config.db), config.db);
		else
			snprintf(dir, sizeof(dir), "mail");
	}
	return dir;
}

/* ---- SMTP -------------------------------------------------------------------- */

struct upload {
	const char *data;
	size_t left;
};

static size_t read_message(char *buffer, size_t size, size_t n, void *user)
{
	struct upload *u = user;
	size_t len = size * n < u->left ? size * n : u->left;
	memcpy(buffer, u->data, len);
	u->data += len;
	u->left -= len;
	return len;
}

const char *mail_send_smtp(struct arena *a, const char *to_address, const char *message)
{
	CURL *curl = curl_easy_init();
	if (!curl)
		return "libcurl could not start";
	struct curl_slist *rcpt = curl_slist_append(NULL, arena_printf(a, "<%s>", to_address));
	struct upload u = {message, strlen(message)};
	char error[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(curl, CURLOPT_URL, config.smtp_url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, arena_printf(a, "<%s>", config.mail_from));
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(curl, CURLOPT_READDATA, &u);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)u.left);
	long status;
	CURLcode rc = transfer_perform(curl, SMTP_TIMEOUT_S, error, &status);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	if (rc == CURLE_ABORTED_BY_CALLBACK)
		return "kring stopped before the SMTP server answered";
	if (rc != CURLE_OK)
		return arena_printf(a, "%s (SMTP status %ld)", *error ? error : curl_easy_strerror(rc), status);
	return NULL;
}

/* ---- .eml files ---------------------------------------------------------------- */

/* Makes dir and the directories above it that are missing. */
static bool make_dirs(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s", dir);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			return false;
		*p = '/';
	}
	return mkdir(path, 0700) == 0 || errno == EEXIST;
}

const char *mail_write_file(struct arena *a, int64_t id, int64_t created_at, const char *message,
			    const char **name)
{
	const char *dir = mail_directory();
	if (!make_dirs(dir))
		return arena_printf(a, "cannot make the mail directory %s: %s", dir, strerror(errno));
	time_t t = (time_t)created_at;
	struct tm tm;
	gmtime_r(&t, &tm);
	char stamp[32];
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	*name = arena_printf(a, "%s-%lld.eml", stamp, (long long)id);
	/* Written beside its place and renamed: a reader never sees half. */
	const char *tmp = arena_printf(a, "%s/.%s.tmp", dir, *name);
	const char *path = arena_printf(a, "%s/%s", dir, *name);
	/* Only the account running kring reads it: a reset link is in it. */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return arena_printf(a, "cannot write %s: %s", tmp, strerror(errno));
	size_t len = strlen(message), done = 0;
	while (done < len) {
		ssize_t n = write(fd, message + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	bool ok = done == len && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		const char *why = strerror(errno);
		unlink(tmp);
		return arena_printf(a, "cannot write %s: %s", path, why);
	}
	return NULL;
}

void mail_send_setup(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void mail_send_cleanup(void)
{
	curl_global_cleanup();
}
