/*
 * kring: the command line. `kring serve` runs the web server; the other
 * subcommands prepare and look after the database. Every flag has a KRING_*
 * environment variable; a flag wins over its variable.
 */
#include "auth/password.h"
#include "auth/users.h"
#include "core/assets.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/zone.h"
#include "db/copy.h"
#include "db/db.h"
#include "db/migrate.h"
#include "features/files.h"
#include "http/cache.h"
#include "http/server.h"
#include "import/import.h"
#include "jobs/mail_send.h"
#include "search/fts5_rank.h"
#include "search/index.h"
#include "search/profiles.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef KRING_VERSION
#define KRING_VERSION "0.0.0"
#endif

enum option_id {
	OPT_DB = 1000, OPT_PORT, OPT_BIND, OPT_THREADS, OPT_MAX_BODY, OPT_TIMEOUT, OPT_SECURE,
	OPT_PROXY, OPT_SITE_NAME, OPT_EMAIL, OPT_NAME, OPT_ADMIN, OPT_MODERATOR, OPT_PW_STDIN,
	OPT_HELP, OPT_STATUS, OPT_DEMO, OPT_FROM, OPT_TO, OPT_CACHE, OPT_SLOW, OPT_MAX_UPLOAD,
	OPT_CLOCK_FILE, OPT_SIGNUP_LIMIT, OPT_SMTP_URL, OPT_MAIL_FROM, OPT_MAIL_DIR, OPT_BASE_URL,
	OPT_WEBHOOKS_PRIVATE,
};

static const struct option long_options[] = {
	{"db", required_argument, NULL, OPT_DB},
	{"port", required_argument, NULL, OPT_PORT},
	{"bind", required_argument, NULL, OPT_BIND},
	{"threads", required_argument, NULL, OPT_THREADS},
	{"max-body", required_argument, NULL, OPT_MAX_BODY},
	{"max-upload", required_argument, NULL, OPT_MAX_UPLOAD},
	{"clock-file", required_argument, NULL, OPT_CLOCK_FILE},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"secure-cookies", no_argument, NULL, OPT_SECURE},
	{"trust-proxy", no_argument, NULL, OPT_PROXY},
	{"site-name", required_argument, NULL, OPT_SITE_NAME},
	{"cache-mb", required_argument, NULL, OPT_CACHE},
	{"slow-ms", required_argument, NULL, OPT_SLOW},
	{"signup-limit", required_argument, NULL, OPT_SIGNUP_LIMIT},
	{"smtp-url", required_argument, NULL, OPT_SMTP_URL},
	{"mail-from", required_argument, NULL, OPT_MAIL_FROM},
	{"mail-dir", required_argument, NULL, OPT_MAIL_DIR},
	{"base-url", required_argument, NULL, OPT_BASE_URL},
	{"webhooks-allow-private", no_argument, NULL, OPT_WEBHOOKS_PRIVATE},
	{"email", required_argument, NULL, OPT_EMAIL},
	{"name", required_argument, NULL, OPT_NAME},
	{"admin", no_argument, NULL, OPT_ADMIN},
	{"moderator", no_argument, NULL, OPT_MODERATOR},
	{"password-stdin", no_argument, NULL, OPT_PW_STDIN},
	{"status", no_argument, NULL, OPT_STATUS},
	{"demo", no_argument, NULL, OPT_DEMO},
	{"from", required_argument, NULL, OPT_FROM},
	{"to", required_argument, NULL, OPT_TO},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

static const char usage_main[] =
	"usage: kring COMMAND [OPTIONS]\n"
	"\n"
	"  serve       run the web server\n"
	"  init        create the database and the first admin account\n"
	"  migrate     apply database migrations\n"
	"  user add    create an account\n"
	"  import      load a community from a JSON Lines file\n"
	"  backup      copy the SQLite database to a file while it is in use\n"
	"  migrate-data  copy a whole community into another database\n"
	"  reindex     rebuild the search index\n"
	"\n"
	"  kring COMMAND --help   options of a command\n"
	"  kring --version        the version\n";

static const char usage_serve[] =
	"usage: kring serve [OPTIONS]\n"
	"\n"
	"  --db PATH|URL       database file, or postgres://user:password@host/name\n"
	"                      (KRING_DB, default data/kring.db)\n"
	"  --port N            port, 0 for any free one (KRING_PORT, default 8080)\n"
	"  --bind ADDR         address to listen on (KRING_BIND, default 127.0.0.1)\n"
	"  --threads N         worker threads (KRING_THREADS, default one per core)\n"
	"  --max-body BYTES    largest request body (KRING_MAX_BODY, default 1048576)\n"
	"  --max-upload BYTES  most bytes of files sent at once (KRING_MAX_UPLOAD, default 20971520)\n"
	"  --timeout SECONDS   idle and slow-client timeout (KRING_TIMEOUT, default 30)\n"
	"  --cache-mb N        memory for pages served again until the next write, 0 for none\n"
	"  --slow-ms N         log statements that take N ms or longer, 0 for none\n"
	"                      (KRING_CACHE_MB, default 16)\n"
	"  --secure-cookies    behind TLS: Secure cookies and HSTS (KRING_SECURE_COOKIES=1)\n"
	"  --trust-proxy       client address from X-Forwarded-For (KRING_TRUST_PROXY=1)\n"
	"  --signup-limit N    sign-ups per client address an hour, 0 for no limit\n"
	"                      (KRING_SIGNUP_LIMIT, default 5)\n"
	"  --site-name NAME    name shown in pages (KRING_SITE_NAME, default kring)\n"
	"  --base-url URL      the site's address in links sent by e-mail, such as\n"
	"                      https://kring.example.org (KRING_BASE_URL, default the\n"
	"                      address it listens on)\n"
	"  --smtp-url URL      send e-mail through this SMTP server: smtp://host:port,\n"
	"                      smtps://user:password@host (KRING_SMTP_URL); without it\n"
	"                      each message is written as an .eml file to the mail directory\n"
	"  --mail-from ADDR    the sender of e-mail (KRING_MAIL_FROM, default kring@localhost)\n"
	"  --mail-dir PATH     where .eml files go without --smtp-url (KRING_MAIL_DIR,\n"
	"                      default mail/ beside the SQLite file, data/mail for PostgreSQL)\n"
	"  --webhooks-allow-private  let communities' webhooks post to loopback and\n"
	"                      private addresses (KRING_WEBHOOKS_ALLOW_PRIVATE=1; by\n"
	"                      default they are refused)\n"
	"  --clock-file PATH   for tests: the time is the number of seconds in PATH\n"
	"                      (KRING_CLOCK_FILE; default the system clock)\n";

static const char usage_init[] =
	"usage: kring init [--demo] [--db PATH]\n"
	"\n"
	"Creates the database, applies the migrations and creates an admin account\n"
	"named admin with a random password, which it prints once. Refuses when the\n"
	"database already has accounts. --demo adds demo content: organisations,\n"
	"people, communities and conversations in English, Swedish and Dutch.\n";

static const char usage_migrate[] =
	"usage: kring migrate [--db PATH] [--status]\n"
	"\n"
	"Applies every migration the database does not have yet, each in its own\n"
	"transaction. --status only prints the database's and this kring's versions.\n";

static const char usage_import[] =
	"usage: kring import FILE.jsonl [--db PATH]\n"
	"\n"
	"Loads organisations, people, communities, items, answers, comments and\n"
	"reactions from JSON Lines (docs/import-format.md), in batches of 1000 lines,\n"
	"each in one transaction. A bad line is reported with its number and nothing\n"
	"of its batch is written. Imported people get an unusable password until\n"
	"they set one, unless their line has \"password\".\n";

static const char usage_user_add[] =
	"usage: kring user add HANDLE --email ADDRESS [--name NAME] [--admin | --moderator]\n"
	"                      [--password-stdin] [--db PATH]\n"
	"\n"
	"Creates an account. With --password-stdin the password is read from the first\n"
	"line of standard input; without it a random password is made and printed.\n";

static const char usage_backup[] =
	"usage: kring backup FILE [--db PATH]\n"
	"\n"
	"Writes a consistent copy of the SQLite database to FILE, a new file, while\n"
	"kring keeps serving (SQLite's online backup). Restore by stopping kring and\n"
	"putting the copy in place of the database file. For PostgreSQL use pg_dump\n"
	"(docs/operations.md).\n";

static const char usage_reindex[] =
	"usage: kring reindex [--db PATH]\n"
	"\n"
	"Rebuilds the search index from the items, in one transaction: searches\n"
	"keep their answers from the old index until it is done. kring keeps the\n"
	"index up to date by itself; rebuild it after restoring a database by\n"
	"other means than kring's commands, or when a new kring analyses text\n"
	"differently (its release notes say so).\n";

static const char usage_migrate_data[] =
	"usage: kring migrate-data --from PATH|URL --to PATH|URL\n"
	"\n"
	"Copies every table of one database into another, empty one: typically the\n"
	"embedded SQLite file into PostgreSQL when a community outgrows one machine:\n"
	"  kring migrate-data --from data/kring.db --to postgres://kring@db/kring\n"
	"Both are migrated to this kring's schema first. The copy is one transaction\n"
	"and is then checked table by table (row counts and checksums). Refuses when\n"
	"the target already holds data. Stop kring (or keep it from writing) while\n"
	"it runs: the source is locked against writes for the duration.\n";

struct cli {
	const char *from, *to;
	const char *email, *name;
	const char *role;
	bool password_stdin, status, demo;
};

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
	fputs("kring: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n\n", stderr);
	fputs(usage, stderr);
	return 2;
}

/* The server's settings: each has a flag and a KRING_* variable. */
struct setting {
	int option;
	const char *flag, *env;
	enum { SETTING_TEXT, SETTING_INT, SETTING_SIZE, SETTING_SWITCH } kind;
	long min, max;
	void *target;
};

static const struct setting settings[] = {
	{OPT_DB, "--db", "KRING_DB", SETTING_TEXT, 0, 0, &config.db},
	{OPT_BIND, "--bind", "KRING_BIND", SETTING_TEXT, 0, 0, &config.bind},
	{OPT_SITE_NAME, "--site-name", "KRING_SITE_NAME", SETTING_TEXT, 0, 0, &config.site_name},
	{OPT_SMTP_URL, "--smtp-url", "KRING_SMTP_URL", SETTING_TEXT, 0, 0, &config.smtp_url},
	{OPT_MAIL_FROM, "--mail-from", "KRING_MAIL_FROM", SETTING_TEXT, 0, 0, &config.mail_from},
	{OPT_MAIL_DIR, "--mail-dir", "KRING_MAIL_DIR", SETTING_TEXT, 0, 0, &config.mail_dir},
	{OPT_BASE_URL, "--base-url", "KRING_BASE_URL", SETTING_TEXT, 0, 0, &config.base_url},
	{OPT_PORT, "--port", "KRING_PORT", SETTING_INT, 0, 65535, &config.port},
	{OPT_THREADS, "--threads", "KRING_THREADS", SETTING_INT, 0, 256, &config.threads},
	{OPT_TIMEOUT, "--timeout", "KRING_TIMEOUT", SETTING_INT, 1, 3600, &config.timeout},
	{OPT_CACHE, "--cache-mb", "KRING_CACHE_MB", SETTING_INT, 0, 4096, &config.cache_mb},
	{OPT_SLOW, "--slow-ms", "KRING_SLOW_MS", SETTING_INT, 0, 3600000, &config.slow_ms},
	{OPT_SIGNUP_LIMIT, "--signup-limit", "KRING_SIGNUP_LIMIT", SETTING_INT, 0, 100000, &config.signup_limit},
	{OPT_MAX_BODY, "--max-body", "KRING_MAX_BODY", SETTING_SIZE, 1024, 1L << 30, &config.max_body},
	{OPT_MAX_UPLOAD, "--max-upload", "KRING_MAX_UPLOAD", SETTING_SIZE, 1, 1L << 30, &config.max_upload},
	{OPT_CLOCK_FILE, "--clock-file", "KRING_CLOCK_FILE", SETTING_TEXT, 0, 0, &config.clock_file},
	{OPT_SECURE, "--secure-cookies", "KRING_SECURE_COOKIES", SETTING_SWITCH, 0, 0, &config.secure_cookies},
	{OPT_PROXY, "--trust-proxy", "KRING_TRUST_PROXY", SETTING_SWITCH, 0, 0, &config.trust_proxy},
	{OPT_WEBHOOKS_PRIVATE, "--webhooks-allow-private", "KRING_WEBHOOKS_ALLOW_PRIVATE", SETTING_SWITCH, 0, 0,
	 &config.webhooks_allow_private},
};

/* Sets one setting from text; name is the flag or variable it came from,
 * for the message. Returns 0, or 2 after printing a usage error. */
static int apply_setting(const struct setting *s, const char *value, const char *name,
			 const char *usage)
{
	char *end = NULL;
	long n = 0;
	switch (s->kind) {
	case SETTING_TEXT:
		*(const char **)s->target = value;
		return 0;
	case SETTING_SWITCH:
		/* A flag has no value; a variable says 1, true or yes. */
		*(bool *)s->target = !value || strcmp(value, "1") == 0 || strcmp(value, "true") == 0 ||
				     strcmp(value, "yes") == 0;
		return 0;
	case SETTING_INT:
	case SETTING_SIZE:
		errno = 0;
		n = strtol(value, &end, 10);
		if (errno || !*value || *end || n < s->min || n > s->max) {
			fprintf(stderr, "kring: %s must be a number from %ld to %ld, not \"%s\"\n\n%s",
				name, s->min, s->max, value, usage);
			return 2;
		}
		if (s->kind == SETTING_INT)
			*(int *)s->target = (int)n;
		else
			*(size_t *)s->target = (size_t)n;
		return 0;
	}
	return 0;
}

static const struct setting *setting_for(int option)
{
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (settings[i].option == option)
			return &settings[i];
	return NULL;
}

/* Reads KRING_* variables; flags parsed afterwards override them. */
static int config_from_env(void)
{
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		const char *v = getenv(settings[i].env);
		if (v && *v && apply_setting(&settings[i], v, settings[i].env, usage_serve))
			return 2;
	}
	return 0;
}

/* Parses the options of one command; allowed lists the option ids it takes.
 * Returns 0, 1 when --help was printed, or 2 on a usage error. */
static int parse_options(int argc, char **argv, const char *usage, const int *allowed, struct cli *cli)
{
	optind = 1;
	opterr = 0;
	int c, index = -1;
	while ((c = getopt_long(argc, argv, ":", long_options, &index)) != -1) {
		if (c == '?')
			return usage_error(usage, "unknown option \"%s\"", argv[optind - 1]);
		if (c == ':')
			return usage_error(usage, "option \"%s\" needs a value", argv[optind - 1]);
		if (c == OPT_HELP) {
			fputs(usage, stdout);
			return 1;
		}
		bool ok = false;
		for (const int *a = allowed; *a; a++)
			ok |= *a == c;
		if (!ok)
			return usage_error(usage, "option \"--%s\" does not apply to this command",
					   long_options[index].name);
		const struct setting *s = setting_for(c);
		if (s) {
			if (apply_setting(s, optarg, s->flag, usage))
				return 2;
			continue;
		}
		switch (c) {
		case OPT_EMAIL: cli->email = optarg; break;
		case OPT_NAME: cli->name = optarg; break;
		case OPT_ADMIN: cli->role = "admin"; break;
		case OPT_MODERATOR: cli->role = "moderator"; break;
		case OPT_PW_STDIN: cli->password_stdin = true; break;
		case OPT_STATUS: cli->status = true; break;
		case OPT_DEMO: cli->demo = true; break;
		case OPT_FROM: cli->from = optarg; break;
		case OPT_TO: cli->to = optarg; break;
		}
	}
	/* Every command reads the time from the same clock (the test clock
	 * comes from KRING_CLOCK_FILE or, for serve, the flag). */
	clock_use_file(config.clock_file);
	return 0;
}

/* Opens the database and brings its schema and its search index up to
 * date. */
static struct db *open_migrated(bool verbose)
{
	struct db *db = db_open_logged(config.db);
	if (!db)
		return NULL;
	if (!start_database(db, verbose)) {
		db_close(db);
		return NULL;
	}
	return db;
}

static int create_account(struct db *db, const char *handle, const char *name, const char *email,
			  const char *role, const char *password, int64_t now)
{
	const char *problem = users_handle_problem(handle);
	if (!problem)
		problem = users_name_problem(name);
	if (!problem)
		problem = users_email_problem(email);
	if (!problem)
		problem = password_problem(password);
	if (problem) {
		fprintf(stderr, "kring: %s\n", problem);
		return 1;
	}
	int64_t id = 0;
	char hash[PASSWORD_HASH_MAX];
	if (!password_hash(password, hash)) {
		fprintf(stderr, "kring: could not create the account\n");
		return 1;
	}
	switch (users_create(db, handle, name, email, hash, role, now, &id)) {
	case USERS_CREATED:
		return search_index_person(db, id) ? 0 : 1;
	case USERS_HANDLE_TAKEN:
		fprintf(stderr, "kring: the handle %s is taken\n", handle);
		return 1;
	case USERS_EMAIL_TAKEN:
		fprintf(stderr, "kring: an account with %s exists\n", email);
		return 1;
	default:
		fprintf(stderr, "kring: could not create the account\n");
		return 1;
	}
}

static int cmd_serve(int argc, char **argv)
{
	static const int allowed[] = {OPT_DB, OPT_PORT, OPT_BIND, OPT_THREADS, OPT_MAX_BODY,
				      OPT_TIMEOUT, OPT_SECURE, OPT_PROXY, OPT_SITE_NAME, OPT_CACHE, OPT_SLOW,
				      OPT_MAX_UPLOAD, OPT_CLOCK_FILE, OPT_SIGNUP_LIMIT,
				      OPT_SMTP_URL, OPT_MAIL_FROM, OPT_MAIL_DIR, OPT_BASE_URL, OPT_WEBHOOKS_PRIVATE, 0};
	struct cli cli = {0};
	int rc = parse_options(argc, argv, usage_serve, allowed, &cli);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (optind < argc)
		return usage_error(usage_serve, "unexpected argument \"%s\"", argv[optind]);
	const char *problem = mail_config_problem();
	if (problem)
		return usage_error(usage_serve, "%s", problem);
	rc = server_run();
	files_shutdown();
	return rc;
}

/* The demo members' shared password, printed by init --demo. */
#define DEMO_PASSWORD "kring-demo-2026"

static int load_demo(struct db *db, int64_t now)
{
	const struct asset *demo = asset_find("demo/demo.jsonl");
	struct import_options opt = {.default_password = DEMO_PASSWORD, .now = now, .report = stderr};
	struct import_counts counts;
	if (!demo || import_jsonl(db, (const char *)demo->data, demo->len, &opt, &counts) < 0) {
		fprintf(stderr, "kring: the demo content could not be loaded\n");
		return 1;
	}
	printf("Loaded the demo: %ld organisations, %ld people, %ld communities, %ld items, %ld answers,"
	       " %ld comments.\nDemo members sign in with their handle and the password %s\n",
	       counts.orgs, counts.people, counts.communities, counts.items, counts.answers, counts.comments,
	       DEMO_PASSWORD);
	return 0;
}

static int cmd_init(int argc, char **argv)
{
	static const int allowed[] = {OPT_DB, OPT_DEMO, 0};
	struct cli cli = {0};
	int rc = parse_options(argc, argv, usage_init, allowed, &cli);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (optind < argc)
		return usage_error(usage_init, "unexpected argument \"%s\"", argv[optind]);
	struct db *db = open_migrated(true);
	if (!db)
		return 1;
	if (users_count(db, NULL) > 0) {
		fprintf(stderr, "kring: %s already has accounts; nothing to do\n", config.db);
		db_close(db);
		return 1;
	}
	char password[32];
	token_random(password, 12);
	int64_t now = clock_now();
	rc = create_account(db, "admin", "Administrator", "admin@localhost.localdomain", "admin", password, now);
	if (rc == 0)
		printf("Created %s with the admin account:\n  handle:   admin\n  password: %s\n"
		       "Sign in and change the password under Settings.\n", config.db, password);
	if (rc == 0 && cli.demo)
		rc = load_demo(db, now);
	if (!cache_invalidate(db))
		rc = 1;
	db_close(db);
	return rc;
}

static int cmd_migrate(int argc, char **argv)
{
	static const int allowed[] = {OPT_DB, OPT_STATUS, 0};
	struct cli cli = {0};
	int rc = parse_options(argc, argv, usage_migrate, allowed, &cli);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (optind < argc)
		return usage_error(usage_migrate, "unexpected argument \"%s\"", argv[optind]);
	struct db *db = db_open_logged(config.db);
	if (!db)
		return 1;
	if (cli.status) {
		printf("database version %d, this kring %d\n", migrate_current_version(db),
		       migrate_latest_version(db));
		db_close(db);
		return 0;
	}
	int applied = migrate_apply(db, true);
	if (applied == 0)
		printf("the database is up to date (version %d)\n", migrate_current_version(db));
	db_close(db);
	return applied < 0 ? 1 : 0;
}

static int cmd_reindex(int argc, char **argv)
{
	static const int allowed[] = {OPT_DB, 0};
	struct cli cli = {0};
	int rc = parse_options(argc, argv, usage_reindex, allowed, &cli);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (optind < argc)
		return usage_error(usage_reindex, "unexpected argument \"%s\"", argv[optind]);
	struct db *db = db_open_logged(config.db);
	if (!db)
		return 1;
	int64_t n = migrate_apply(db, true) < 0 ? -1 : search_reindex(db);
	if (n < 0)
		fprintf(stderr, "kring: the search index could not be rebuilt: %s\n", db_errmsg(db));
	else
		printf("indexed %lld items\n", (long long)n);
	db_close(db);
	return n < 0 ? 1 : 0;
}

static int cmd_import(int argc, char **argv)
{
	static const int allowed[] = {OPT_DB, 0};
	struct cli cli = {0};
	int rc = parse_options(argc, argv, usage_import, allowed, &cli);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (optind != argc - 1)
		return usage_error(usage_import, "give exactly one FILE%s", "");
	FILE *f = fopen(argv[optind], "rb");
	if (!f) {
		fprintf(stderr, "kring: cannot read %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	struct buf text = {0};
	bool read = buf_read_file(&text, f);
	fclose(f);
	if (!read) {
		fprintf(stderr, "kring: cannot read %s\n", argv[optind]);
		buf_free(&text);
		return 1;
	}
	struct db *db = open_migrated(false);
	if (!db) {
		buf_free(&text);
		return 1;
	}
	struct import_options opt = {.now = clock_now(), .report = stderr};
	struct import_counts counts;
	rc = import_jsonl(db, text.data ? text.data : "", text.len, &opt, &counts);
	if (!cache_invalidate(db)) /* running nodes show what came in */
		rc = 1;
	db_close(db);
	buf_free(&text);
	printf("%s %ld lines: %ld organisations, %ld people, %ld communities, %ld items, %ld answers,"
	       " %ld comments, %ld reactions\n", rc == 0 ? "imported" : "stopped after", counts.lines, counts.orgs,
	       counts.people, counts.communities, counts.items, counts.answers, counts.comments, counts.reactions);
	return rc == 0 ? 0 : 1;
}

static int cmd_backup(int argc, char **argv)
{
	static const int allowed[] = {OPT_DB, 0};
	struct cli cli = {0};
	int rc = parse_options(argc, argv, usage_backup, allowed, &cli);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (optind != argc - 1)
		return usage_error(usage_backup, "give exactly one FILE%s", "");
	const char *path = argv[optind];
	if (db_url_is_postgres(config.db)) {
		fprintf(stderr, "kring: back up PostgreSQL with pg_dump, for example\n"
				"  pg_dump -Fc -f %s 'postgres://…'\n(see docs/operations.md)\n", path);
		return 1;
	}
	if (access(path, F_OK) == 0) {
		fprintf(stderr, "kring: %s exists; give a new file name\n", path);
		return 1;
	}
	struct db *db = db_open_logged(config.db);
	if (!db)
		return 1;
	char *err = NULL;
	bool ok = db_backup(db, path, &err);
	db_close(db);
	if (!ok) {
		fprintf(stderr, "kring: no backup made: %s\n", err);
		free(err);
		return 1;
	}
	printf("backed up %s to %s\n", config.db, path);
	return 0;
}

static int cmd_migrate_data(int argc, char **argv)
{
	static const int allowed[] = {OPT_FROM, OPT_TO, 0};
	struct cli cli = {0};
	int rc = parse_options(argc, argv, usage_migrate_data, allowed, &cli);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (optind < argc)
		return usage_error(usage_migrate_data, "unexpected argument \"%s\"", argv[optind]);
	if (!cli.from || !cli.to)
		return usage_error(usage_migrate_data, "give both --from and --to%s", "");
	if (strcmp(cli.from, cli.to) == 0)
		return usage_error(usage_migrate_data, "--from and --to name the same database%s", "");
	struct db *from = db_open_logged(cli.from);
	struct db *to = from ? db_open_logged(cli.to) : NULL;
	int tables = to ? copy_database(from, to, stdout) : -1;
	rc = 1;
	if (tables >= 0 && search_reindex(to) < 0) {
		fprintf(stderr, "kring: everything was copied, but the search index could not be built: "
				"run kring reindex on the target\n");
	} else if (tables >= 0) {
		printf("\nall %d tables match; the search index is built\n", tables);
		rc = 0;
	}
	db_close(to);
	db_close(from);
	return rc;
}

static int cmd_user(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "add") != 0) {
		if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
			fputs(usage_user_add, stdout);
			return 0;
		}
		return usage_error(usage_user_add, "unknown user command \"%s\"", argc >= 2 ? argv[1] : "");
	}
	static const int allowed[] = {OPT_DB, OPT_EMAIL, OPT_NAME, OPT_ADMIN, OPT_MODERATOR, OPT_PW_STDIN, 0};
	struct cli cli = {.role = "member"};
	int rc = parse_options(argc - 1, argv + 1, usage_user_add, allowed, &cli);
	if (rc)
		return rc == 1 ? 0 : rc;
	argc--;
	argv++;
	if (optind != argc - 1)
		return usage_error(usage_user_add, "give exactly one HANDLE%s", "");
	const char *handle = argv[optind];
	if (!cli.email)
		return usage_error(usage_user_add, "--email is required%s", "");
	char password[PASSWORD_MAX_BYTES + 2];
	bool generated = !cli.password_stdin;
	if (cli.password_stdin) {
		if (!fgets(password, sizeof(password), stdin)) {
			fprintf(stderr, "kring: no password on standard input\n");
			return 1;
		}
		password[strcspn(password, "\r\n")] = '\0';
	} else {
		token_random(password, 12);
	}
	struct db *db = open_migrated(false);
	if (!db)
		return 1;
	char *name = xstrdup(cli.name ? cli.name : handle);
	rc = create_account(db, handle, text_clean_name(name), cli.email, cli.role, password, clock_now());
	free(name);
	if (!cache_invalidate(db)) /* the directory lists the new account */
		rc = 1;
	db_close(db);
	if (rc == 0) {
		printf("created %s (%s)\n", handle, cli.role);
		if (generated)
			printf("password: %s\n", password);
	}
	sodium_memzero(password, sizeof(password));
	return rc;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fputs("kring: libsodium could not start\n", stderr);
		return 1;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	fts5_rank_install();
	zone_init();
	if (argc < 2) {
		fputs(usage_main, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("kring %s\n", KRING_VERSION);
		return 0;
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	int rc = config_from_env();
	if (rc)
		return rc;
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc - 1, argv + 1);
	if (strcmp(cmd, "init") == 0)
		return cmd_init(argc - 1, argv + 1);
	if (strcmp(cmd, "migrate") == 0)
		return cmd_migrate(argc - 1, argv + 1);
	if (strcmp(cmd, "user") == 0)
		return cmd_user(argc - 1, argv + 1);
	if (strcmp(cmd, "import") == 0)
		return cmd_import(argc - 1, argv + 1);
	if (strcmp(cmd, "backup") == 0)
		return cmd_backup(argc - 1, argv + 1);
	if (strcmp(cmd, "migrate-data") == 0)
		return cmd_migrate_data(argc - 1, argv + 1);
	if (strcmp(cmd, "reindex") == 0)
		return cmd_reindex(argc - 1, argv + 1);
	fprintf(stderr, "kring: unknown command \"%s\"\n\n%s", cmd, usage_main);
	return 2;
}
