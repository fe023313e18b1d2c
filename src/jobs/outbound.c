/* outbound: refusing internal addresses (see outbound.h). */
#include "jobs/outbound.h"

#include "core/arena.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* An IPv4 block: the address (host order) and its prefix length. */
struct block {
	uint32_t net;
	int bits;
};

/* Special-purpose IPv4 blocks (RFC 6890 and its successors): none of
 * them is a public web server. */
static const struct block internal_v4[] = {
	{0x00000000, 8},  /* "this network" */
	{0x0A000000, 8},  /* private */
	{0x64400000, 10}, /* shared address space (carrier-grade NAT) */
	{0x7F000000, 8},  /* loopback */
	{0xA9FE0000, 16}, /* link-local (cloud metadata services live here) */
	{0xAC100000, 12}, /* private */
	{0xC0000000, 24}, /* IETF protocol assignments */
	{0xC0000200, 24}, /* documentation */
	{0xC0A80000, 16}, /* private */
	{0xC6120000, 15}, /* benchmarking */
	{0xC6336400, 24}, /* documentation */
	{0xCB007100, 24}, /* documentation */
	{0xE0000000, 4},  /* multicast */
	{0xF0000000, 4},  /* reserved, and the broadcast address */
};

static bool v4_public(uint32_t addr)
{
	for (size_t i = 0; i < sizeof(internal_v4) / sizeof(internal_v4[0]); i++) {
		uint32_t mask = 0xFFFFFFFFu << (32 - internal_v4[i].bits);
		if ((addr & mask) == internal_v4[i].net)
			return false;
	}
	return true;
}

static bool v6_public(const unsigned char *b)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
	static const unsigned char nat64[12] = {0x00, 0x64, 0xFF, 0x9B};
	/* An IPv4 address inside an IPv6 one is judged as IPv4. */
	if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0)
		return v4_public((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15]);
	/* Only global unicast (2000::/3) is public; of it, documentation
	 * (2001:db8::/32), ORCHID and the other IETF blocks of 2001::/23 and
	 * 6to4 (2002::/16), which leads to any IPv4 address, are not. Outside
	 * it lie ::, ::1, unique local (fc00::/7), link-local (fe80::/10) and
	 * multicast (ff00::/8). */
	if ((b[0] & 0xE0) != 0x20)
		return false;
	if (b[0] == 0x20 && b[1] == 0x01 && (b[2] & 0xFE) == 0x00)
		return false;
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)
		return false;
	if (b[0] == 0x20 && b[1] == 0x02)
		return false;
	return true;
}

bool outbound_address_public(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return v4_public(ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr));
	if (sa->sa_family == AF_INET6)
		return v6_public(((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr);
	return false;
}

/* The host and port of url in a ("[::1]" loses its brackets); false when
 * libcurl cannot read them. */
static bool host_and_port(struct arena *a, const char *url, char **host, char **port)
{
	CURLU *u = curl_url();
	char *h = NULL, *p = NULL;
	bool ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) == CURLUE_OK && *h;
	if (ok) {
		size_t n = strlen(h);
		*host = h[0] == '[' && n > 2 ? arena_strndup(a, h + 1, n - 2) : arena_strdup(a, h);
		*port = arena_strdup(a, p);
	}
	curl_free(h);
	curl_free(p);
	curl_url_cleanup(u);
	return ok;
}

const char *outbound_check(struct arena *a, const char *url, struct curl_slist **pin)
{
	*pin = NULL;
	char *host, *port;
	if (!host_and_port(a, url, &host, &port))
		return "the address has no host kring can read";
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *found = NULL;
	struct addrinfo numeric = hints, *literal = NULL;
	numeric.ai_flags = AI_NUMERICHOST;
	bool is_literal = getaddrinfo(host, port, &numeric, &literal) == 0;
	freeaddrinfo(literal);
	int rc = getaddrinfo(host, port, &hints, &found);
	if (rc != 0)
		return arena_printf(a, "could not resolve the host %s: %s", host, gai_strerror(rc));
	/* "host:port:address,address,…": every address, each checked. */
	char *entry = arena_printf(a, "%s:%s:", host, port);
	const char *refused = NULL;
	int n = 0;
	for (struct addrinfo *ai = found; ai && !refused; ai = ai->ai_next) {
		char text[INET6_ADDRSTRLEN] = "";
		const void *addr = ai->ai_family == AF_INET6 ? (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr
							     : (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr;
		inet_ntop(ai->ai_family, addr, text, sizeof(text));
		if (!outbound_address_public(ai->ai_addr))
			refused = arena_printf(a, "the host %s is at the internal address %s, where webhooks of "
						  "communities may not go", host, text);
		else
			entry = arena_printf(a, ai->ai_family == AF_INET6 ? "%s%s[%s]" : "%s%s%s", entry, n++ ? "," : "",
					     text);
	}
	freeaddrinfo(found);
	if (refused)
		return refused;
	if (n == 0)
		return arena_printf(a, "the host %s has no address", host);
	/* An address written in the URL is not looked up again. */
	if (!is_literal && !(*pin = curl_slist_append(NULL, entry)))
		return "out of memory";
	return NULL;
}
