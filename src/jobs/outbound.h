/*
 * outbound: where a job may connect when a member, not the operator, chose
 * the address (a community's webhook). Such an address must not reach
 * into the network kring runs in: loopback, private, link-local, shared,
 * multicast and other special-purpose addresses are refused, whatever name
 * leads there. The check resolves the name once and gives the addresses it
 * checked to libcurl (CURLOPT_RESOLVE), so that a second lookup cannot
 * answer differently.
 */
#ifndef KRING_OUTBOUND_H
#define KRING_OUTBOUND_H

#include <stdbool.h>

struct arena;
struct curl_slist;
struct sockaddr;

/* Whether the IPv4 or IPv6 address is on the public internet. */
bool outbound_address_public(const struct sockaddr *sa);

/* Resolves the host of url (http or https) and checks every address it has:
 * NULL when all are public, with *pin set to the CURLOPT_RESOLVE list that
 * holds them (NULL when the host is an address itself; the caller frees it
 * with curl_slist_free_all); else why not (static or in a). */
const char *outbound_check(struct arena *a, const char *url, struct curl_slist **pin);

#endif
