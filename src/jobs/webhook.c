/* webhook: signing and posting the site's webhook messages (see webhook.h). */
#include "jobs/webhook.h"

#include "core/arena.h"
#include "core/text.h"
#include "i18n/i18n.h"
#include "jobs/outbound.h"
#include "jobs/transfer.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define TIMEOUT_S 10
/* "sha256=" and the HMAC in hexadecimal */
#define SIGNATURE_CHARS (7 + 2 * crypto_auth_hmacsha256_BYTES)

const char *webhook_url_problem(const char *url)
{
	size_t scheme = strncasecmp(url, "https://", 8) == 0 ? 8 : strncasecmp(url, "http://", 7) == 0 ? 7 : 0;
	if (!scheme)
		return N_("Enter a web address that starts with http:// or https://.");
	if (strlen(url) > WEBHOOK_URL_MAX)
		return N_("A web address has at most 2000 characters.");
	/* libcurl, which sends to it, decides what is a whole address — but it
	 * reads "https:///path" as the host "path". */
	CURLU *u = curl_url();
	char *host = NULL;
	bool whole = url[scheme] && !strchr("/?#", url[scheme]) && u &&
		     curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
		     curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && *host;
	curl_free(host);
	curl_url_cleanup(u);
	return whole ? NULL
		     : N_("Give a whole web address with a host name, such as https://chat.example.org/hooks/kring.");
}

void webhook_new_secret(char out[WEBHOOK_SECRET_CHARS + 1])
{
	unsigned char raw[WEBHOOK_SECRET_CHARS / 2];
	randombytes_buf(raw, sizeof(raw));
	hex_encode(out, raw, sizeof(raw));
}

/* sha256=<hex of HMAC-SHA256(body) keyed with the secret's text>. */
static void sign(char out[SIGNATURE_CHARS + 1], const char *secret, const char *body, size_t len)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	hex_encode(out + 7, mac, sizeof(mac));
}

static size_t discard(char *data, size_t size, size_t n, void *user)
{
	(void)data;
	(void)user;
	return size * n;
}

const char *webhook_post(struct arena *a, const struct webhook_message *m, long *status)
{
	*status = 0;
	struct curl_slist *pin = NULL;
	if (m->public_only) {
		const char *refused = outbound_check(a, m->url, &pin);
		if (refused)
			return refused;
	}
	CURL *curl = curl_easy_init();
	if (!curl) {
		curl_slist_free_all(pin);
		return "libcurl could not start";
	}
	size_t len = strlen(m->body);
	struct curl_slist *headers = NULL;
	headers = curl_slist_append(headers, "Content-Type: application/json");
	headers = curl_slist_append(headers, arena_printf(a, "X-Kring-Event: %s", m->event));
	headers = curl_slist_append(headers, arena_printf(a, "X-Kring-Delivery: %lld", (long long)m->delivery));
	if (m->secret) {
		char signature[SIGNATURE_CHARS + 1];
		sign(signature, m->secret, m->body, len);
		headers = curl_slist_append(headers, arena_printf(a, "X-Kring-Signature: %s", signature));
	}
	/* The body goes at once, without waiting for "100 Continue". */
	headers = curl_slist_append(headers, "Expect:");
	char error[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(curl, CURLOPT_URL, m->url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	if (m->public_only) {
		/* To the addresses checked, directly: a proxy would look the
		 * name up again. */
		curl_easy_setopt(curl, CURLOPT_RESOLVE, pin);
		curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
	}
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, m->body);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "kring/" KRING_VERSION);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
	CURLcode rc = transfer_perform(curl, TIMEOUT_S, error, status);
	curl_easy_cleanup(curl);
	curl_slist_free_all(headers);
	curl_slist_free_all(pin);
	if (rc == CURLE_ABORTED_BY_CALLBACK)
		return "kring stopped before the receiver answered";
	if (rc != CURLE_OK)
		return arena_printf(a, "%s", *error ? error : curl_easy_strerror(rc));
	if (*status < 200 || *status > 299)
		return arena_printf(a, "the receiver answered with HTTP status %ld", *status);
	return NULL;
}

void webhook_setup(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void webhook_cleanup(void)
{
	curl_global_cleanup();
}
