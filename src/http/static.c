/* static: embedded static files with ETags and long cache lifetimes. */
#include "http/static.h"

#include "core/assets.h"
#include "core/text.h"
#include "http/req.h"

#include <stdio.h>
#include <string.h>

#define MAX_STATIC 64

static struct {
	const struct asset *asset;
	char etag[24];
} files[MAX_STATIC];
static int nfiles;
static char version[17];

static const char *content_type_for(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".txt", "text/plain; charset=utf-8"},
		{".webmanifest", "application/manifest+json"},
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

void static_init(void)
{
	if (nfiles)
		return;
	char all[65] = "", hex[65];
	for (const struct asset *a = assets; a->name && nfiles < MAX_STATIC; a++) {
		if (strncmp(a->name, "static/", 7) != 0)
			continue;
		sha256_hex(hex, (const char *)a->data, a->len);
		files[nfiles].asset = a;
		snprintf(files[nfiles].etag, sizeof(files[nfiles].etag), "\"%.16s\"", hex);
		/* The version folds every file's hash into one. */
		char combined[130];
		snprintf(combined, sizeof(combined), "%s%s", all, hex);
		sha256_hex(all, combined, strlen(combined));
		nfiles++;
	}
	snprintf(version, sizeof(version), "%.16s", all);
}

const char *static_version(void)
{
	return version;
}

bool static_serve(struct req *r, const char *name)
{
	for (int i = 0; i < nfiles; i++) {
		if (strcmp(files[i].asset->name + 7, name) != 0)
			continue;
		req_add_header(r, "ETag", files[i].etag);
		req_add_header(r, "Cache-Control", "public, max-age=31536000, immutable");
		r->content_type = content_type_for(name);
		const char *match = req_header(r, "If-None-Match");
		if (match && strstr(match, files[i].etag)) {
			r->status = 304;
			return true;
		}
		r->status = 200;
		r->static_body = files[i].asset->data;
		r->static_len = files[i].asset->len;
		return true;
	}
	return false;
}
