/* smtp_sink: the SMTP server of the e-mail tests (see smtp_sink.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "smtp_sink.h"

#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct smtp_sink {
	pid_t pid;
	char dir[256];
	char url[64];
};

static void sleep_ms(int ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

static const char *script(const char *name)
{
	static char path[2][512];
	static int turn;
	const char *src = getenv("KRING_SRC");
	turn ^= 1;
	snprintf(path[turn], sizeof path[turn], "%s/tests/http/%s", src && *src ? src : ".", name);
	return path[turn];
}

struct smtp_sink *smtp_sink_start(void)
{
	struct smtp_sink *sink = calloc(1, sizeof *sink);
	const char *tmp = getenv("TMPDIR");
	snprintf(sink->dir, sizeof sink->dir, "%s/kring-smtp-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(sink->dir)) {
		fprintf(stderr, "smtp_sink: mkdtemp: %s\n", strerror(errno));
		free(sink);
		return NULL;
	}
	const char *py = script("smtp_sink.py");
	fflush(NULL);
	pid_t parent = getpid();
	sink->pid = fork();
	if (sink->pid == 0) {
		/* It must not outlive a test program that dies. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(1);
		execl("/usr/bin/python3", "python3", py, sink->dir, (char *)NULL);
		dprintf(2, "smtp_sink: exec /usr/bin/python3: %s\n", strerror(errno));
		_exit(127);
	}
	char port_path[300];
	snprintf(port_path, sizeof port_path, "%s/port", sink->dir);
	for (int waited = 0; waited < 10000; waited += 20) {
		FILE *f = fopen(port_path, "r");
		int port = 0;
		if (f) {
			if (fscanf(f, "%d", &port) != 1)
				port = 0;
			fclose(f);
		}
		if (port > 0) {
			snprintf(sink->url, sizeof sink->url, "smtp://127.0.0.1:%d", port);
			return sink;
		}
		int status;
		if (waitpid(sink->pid, &status, WNOHANG) == sink->pid) {
			fprintf(stderr, "smtp_sink: %s stopped (is python3-aiosmtpd installed?)\n", py);
			sink->pid = 0;
			break;
		}
		sleep_ms(20);
	}
	fprintf(stderr, "smtp_sink: the SMTP server did not start\n");
	smtp_sink_stop(sink);
	return NULL;
}

void smtp_sink_stop(struct smtp_sink *sink)
{
	if (!sink)
		return;
	if (sink->pid > 0) {
		kill(sink->pid, SIGTERM);
		waitpid(sink->pid, NULL, 0);
	}
	if (sink->dir[0] && !getenv("KRING_TEST_KEEP")) {
		DIR *d = opendir(sink->dir);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char path[600];
			snprintf(path, sizeof path, "%s/%s", sink->dir, e->d_name);
			unlink(path);
		}
		if (d)
			closedir(d);
		rmdir(sink->dir);
	}
	free(sink);
}

const char *smtp_sink_url(const struct smtp_sink *sink)
{
	return sink->url;
}

void smtp_sink_fail(struct smtp_sink *sink, bool failing)
{
	char path[300];
	snprintf(path, sizeof path, "%s/fail", sink->dir);
	if (failing) {
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fclose(f);
	} else {
		unlink(path);
	}
}

int smtp_sink_count(const struct smtp_sink *sink)
{
	int n = 0;
	while (access(smtp_sink_file(sink, n), F_OK) == 0)
		n++;
	return n;
}

int smtp_sink_wait(const struct smtp_sink *sink, int n, int timeout_ms)
{
	int count = smtp_sink_count(sink);
	for (int waited = 0; count < n && waited < timeout_ms; waited += 20) {
		sleep_ms(20);
		count = smtp_sink_count(sink);
	}
	return count;
}

const char *smtp_sink_file(const struct smtp_sink *sink, int i)
{
	static char path[320];
	snprintf(path, sizeof path, "%s/%06d.eml", sink->dir, i + 1);
	return path;
}

json_t *mail_parse(const char *path)
{
	char *output = NULL;
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s'", script("mail_parse.py"), path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t len = 0, cap = 0;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			output = realloc(output, cap);
		}
		memcpy(output + len, chunk, n);
		len += n;
	}
	int status = pclose(p);
	if (output)
		output[len] = '\0';
	json_t *mail = output && status == 0 ? json_loads(output, 0, NULL) : NULL;
	free(output);
	if (!mail)
		fail_msg("mail_parse.py could not read %s as an e-mail (exit status %d)", path, status);
	return mail;
}

const char *mail_part(json_t *mail, const char *type)
{
	size_t i;
	json_t *part;
	json_array_foreach(json_object_get(mail, "parts"), i, part)
		if (strcmp(json_string_value(json_object_get(part, "type")), type) == 0)
			return json_string_value(json_object_get(part, "content"));
	return NULL;
}

int smtp_server_setup(void **state, struct smtp_sink **sink, int64_t clock_start)
{
	*sink = smtp_sink_start();
	if (!*sink)
		return -1;
	setenv("KRING_SMTP_URL", smtp_sink_url(*sink), 1);
	test_clock_start(clock_start ? clock_start : (int64_t)time(NULL));
	int rc = server_setup(state);
	unsetenv("KRING_SMTP_URL");
	if (rc != 0) {
		smtp_sink_stop(*sink);
		*sink = NULL;
	}
	return rc;
}

int smtp_server_teardown(void **state, struct smtp_sink **sink, int (*stop)(void **state))
{
	int rc = stop(state);
	smtp_sink_stop(*sink);
	*sink = NULL;
	return rc;
}

int smtp_sink_mails_to(const struct smtp_sink *sink, const char *address, const char *part, const char **text)
{
	int found = 0;
	for (int i = 0; i < smtp_sink_count(sink); i++) {
		json_t *mail = mail_parse(smtp_sink_file(sink, i));
		const char *to = json_string_value(json_object_get(mail, "to_address"));
		const char *subject = json_string_value(json_object_get(mail, "subject"));
		if (to && subject && strcmp(to, address) == 0 && strstr(subject, part)) {
			found++;
			if (text)
				*text = harness_strdup(mail_part(mail, "text/plain"));
		}
		json_decref(mail);
	}
	return found;
}

int smtp_sink_mails_to_member(const struct smtp_sink *sink, const char *handle, const char *part,
			      const char **text)
{
	char address[128];
	snprintf(address, sizeof address, "%s@example.com", handle);
	return smtp_sink_mails_to(sink, address, part, text);
}
