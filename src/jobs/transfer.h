/*
 * transfer: how a job talks to the outside world through libcurl (the
 * webhook's POST, a mail's SMTP): within a time limit, without signals
 * (the worker is a thread), and giving up as soon as kring stops.
 */
#ifndef KRING_TRANSFER_H
#define KRING_TRANSFER_H

#include <curl/curl.h>

/* Performs the transfer set up on curl within timeout_s seconds. error
 * (CURL_ERROR_SIZE bytes) gets libcurl's message, *status the server's
 * answer code (0 when none). CURLE_ABORTED_BY_CALLBACK: kring stopped. */
CURLcode transfer_perform(CURL *curl, long timeout_s, char *error, long *status);

#endif
