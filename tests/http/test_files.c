/* test_files: files attached to items — uploading through the API, the
 * HTML form and the composer (multipart bodies built here by hand), the
 * types detected from the bytes, downloads with their headers, ETag and
 * Range answers, the download count, bytes kept once however often they
 * are attached, what is refused (types, empty files, names, sizes, too
 * many files, malformed bodies), who may attach and remove, files of
 * private communities and deleted items, and how the item page shows
 * them. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define FILES_PER_ITEM 20

/* ---- SHA-256 (FIPS 180-4), to check the address of the bytes ------------------------------- */

static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror32(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha_block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
		       p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = hh + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) + ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
		uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

/* The SHA-256 of the bytes in lowercase hexadecimal (kept until teardown). */
static const char *sha256_of(const void *data, size_t len)
{
	uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	const unsigned char *p = data;
	size_t done = 0;
	for (; len - done >= 64; done += 64)
		sha_block(h, p + done);
	unsigned char last[128] = {0};
	size_t rest = len - done;
	memcpy(last, p + done, rest);
	last[rest] = 0x80;
	size_t blocks = rest + 9 > 64 ? 2 : 1;
	uint64_t bits = (uint64_t)len * 8;
	for (int i = 0; i < 8; i++)
		last[blocks * 64 - 1 - i] = (unsigned char)(bits >> (8 * i));
	for (size_t i = 0; i < blocks; i++)
		sha_block(h, last + 64 * i);
	char hex[65];
	for (int i = 0; i < 8; i++)
		snprintf(hex + 8 * i, 9, "%08x", h[i]);
	return harness_strdup(hex);
}

static bool is_lower_hex64(const char *s)
{
	if (!s || strlen(s) != 64)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

/* ---- multipart/form-data bodies -------------------------------------------------------------- */

/* One part of a form: a text field (filename NULL) or a file. */
struct part {
	const char *name;     /* the form field */
	const char *filename; /* sent as filename="…"; NULL for a text field */
	const char *type;     /* the part's Content-Type, or NULL for none */
	const char *data;
	size_t len;
};

#define BOUNDARY "kring-test-7MA4YWxkTrZu0gW"
#define MULTIPART "multipart/form-data; boundary=" BOUNDARY

static struct part text_part(const char *name, const char *value)
{
	return (struct part){name, NULL, NULL, value, strlen(value)};
}

/* A file in the field "file", as a browser sends it. */
static struct part file_part(const char *filename, const char *type, const void *data, size_t len)
{
	return (struct part){"file", filename, type, data, len};
}

/* The body of a form with these parts (malloc'd; *len gets its size). A
 * quote in a file name is sent as \" (the parser reads it back); other
 * bytes, backslashes included, go as they are, as browsers send them. */
static char *multipart_body(const struct part *parts, size_t n, size_t *len)
{
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);
	assert_non_null(f);
	for (size_t i = 0; i < n; i++) {
		const struct part *p = &parts[i];
		fprintf(f, "--%s\r\nContent-Disposition: form-data; name=\"%s\"", BOUNDARY, p->name);
		if (p->filename) {
			fputs("; filename=\"", f);
			for (const char *c = p->filename; *c; c++)
				if (*c == '"')
					fputs("\\\"", f);
				else
					fputc(*c, f);
			fputc('"', f);
		}
		fputs("\r\n", f);
		if (p->type)
			fprintf(f, "Content-Type: %s\r\n", p->type);
		fputs("\r\n", f);
		fwrite(p->data, 1, p->len, f);
		fputs("\r\n", f);
	}
	fprintf(f, "--%s--\r\n", BOUNDARY);
	fclose(f);
	*len = size;
	return out;
}

/* POSTs the parts as multipart/form-data. As the API is used (as_form
 * false) the session's token goes in the X-CSRF-Token header; as the HTML
 * form is sent it is the first part, named "csrf". */
static struct response *multipart_post(struct actor *a, const char *path, const struct part *parts, size_t n,
				       bool as_form)
{
	struct part all[64];
	size_t count = 0;
	assert_true(n < 63);
	if (as_form && a->csrf)
		all[count++] = text_part("csrf", a->csrf);
	for (size_t i = 0; i < n; i++)
		all[count++] = parts[i];
	size_t len;
	char *body = multipart_body(all, count, &len);
	struct response *r = http_request(a->c, "POST", path, !as_form && a->csrf_header ? STRS(a->csrf_header) : NULL,
					  body, len, MULTIPART);
	free(body);
	return r;
}

/* Attaches files through the API. */
static struct response *attach(struct actor *a, int64_t id, const struct part *parts, size_t n)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/items/%lld/files", (long long)id);
	return multipart_post(a, path, parts, n, false);
}

/* Attaches files through the item page's form. */
static struct response *attach_form(struct actor *a, int64_t id, const struct part *parts, size_t n)
{
	char path[96];
	snprintf(path, sizeof path, "/items/%lld/files", (long long)id);
	return multipart_post(a, path, parts, n, true);
}

/* Attaches one file through the API; it must be taken. Returns the
 * answer (201, the item's files). */
static struct response *attach_ok(struct actor *a, int64_t id, const char *filename, const void *data, size_t len)
{
	struct part f = file_part(filename, "application/octet-stream", data, len);
	struct response *r = attach(a, id, &f, 1);
	assert_status(r, 201);
	return r;
}

/* ---- the files used ------------------------------------------------------------------------- */

static const char pdf_bytes[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
#define PDF pdf_bytes, sizeof pdf_bytes - 1

/* A 1x1 transparent PNG. */
static const unsigned char png_bytes[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
	0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
	0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00,
	0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
#define PNG (const char *)png_bytes, sizeof png_bytes

static const char text_bytes[] = "Minutes of the spring meeting.\nWe agreed on the budget \xe2\x80\x93 all of it.\n";
#define TEXT text_bytes, sizeof text_bytes - 1

static const char csv_bytes[] = "name,amount\nasa,12\nbo,7\n";
#define CSV csv_bytes, sizeof csv_bytes - 1

/* 37 bytes whose slices are easy to tell apart. */
static const char abc_bytes[] = "0123456789abcdefghijklmnopqrstuvwxyz\n";
#define ABC abc_bytes, sizeof abc_bytes - 1

static const char html_bytes[] = "<!DOCTYPE html><html><head><title>Report</title></head>"
				 "<body><script>alert(document.cookie)</script></body></html>\n";
#define HTML html_bytes, sizeof html_bytes - 1

/* The smallest MP4 and WebM headers libmagic knows as video. */
static const char mp4_bytes[] = "\0\0\0\x18" "ftypmp42\0\0\0\0mp42isom\0\0\0\x08" "free";
#define MP4 mp4_bytes, sizeof mp4_bytes - 1
static const char webm_bytes[] = "\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3"
				 "\x81\x08\x42\x82\x84webm\x42\x87\x81\x02\x42\x85\x81\x02";
#define WEBM webm_bytes, sizeof webm_bytes - 1
static const char gif_bytes[] = "GIF89a\x01\0\x01\0\0\0\0;";
#define GIF gif_bytes, sizeof gif_bytes - 1
/* An empty ZIP archive: what libmagic calls application/zip. */
static const char zip_bytes[] = "PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
#define ZIP zip_bytes, sizeof zip_bytes - 1
static const char latin1_bytes[] = "caf\xe9 au lait, cr\xe8me br\xfbl\xe9" "e\n";
#define LATIN1 latin1_bytes, sizeof latin1_bytes - 1
static const char svg_bytes[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>\n";
#define SVG svg_bytes, sizeof svg_bytes - 1

/* ---- the place -------------------------------------------------------------------------------- */

/* The public community fika and the private board. asa belongs to both,
 * bo to fika, pia to board; cai to neither; mod is a site moderator who
 * belongs to none. */
struct place {
	const struct server *srv;
	struct actor *admin, *mod, *asa, *bo, *pia, *cai, *visitor;
};

static void place_build(struct place *p, const struct server *s)
{
	p->srv = s;
	p->admin = staff(s, "root", "--admin");
	p->mod = staff(s, "mod", "--moderator");
	p->asa = member(s, "asa");
	p->bo = member(s, "bo");
	p->pia = member(s, "pia");
	p->cai = member(s, "cai");
	p->visitor = visitor(s);
	make_community(p->admin, "fika", "Fika", "public", "open");
	make_community(p->admin, "board", "The Board", "private", "invite");
	bring_in(p->admin, "fika", p->asa);
	bring_in(p->admin, "board", p->asa);
	bring_in(p->admin, "fika", p->bo);
	bring_in(p->admin, "board", p->pia);
}

/* ---- helpers ---------------------------------------------------------------------------------- */

/* The object in the "files" array of r named name, or NULL. */
static json_t *file_named(const struct response *r, const char *name)
{
	json_t *list = json_path(r->json, "files"), *f;
	size_t i;
	json_array_foreach(list, i, f) {
		const char *n = json_string_value(json_object_get(f, "name"));
		if (n && strcmp(n, name) == 0)
			return f;
	}
	return NULL;
}

static const char *fstr(json_t *f, const char *key)
{
	return json_string_value(json_object_get(f, key));
}

static int64_t fint(json_t *f, const char *key)
{
	json_t *v = json_object_get(f, key);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
}

/* The download address of the file named name in r (kept until teardown). */
static const char *url_of(const struct response *r, const char *name)
{
	json_t *f = file_named(r, name);
	if (!f || !fstr(f, "url"))
		harness_fail_response(r, __FILE__, __LINE__, "no file \"%s\" with a url", name);
	return harness_strdup(fstr(f, "url"));
}

/* The attachment id of the file named name in r. */
static int64_t id_of_file(const struct response *r, const char *name)
{
	json_t *f = file_named(r, name);
	if (!f || fint(f, "id") <= 0)
		harness_fail_response(r, __FILE__, __LINE__, "no file \"%s\" with an id", name);
	return fint(f, "id");
}

/* The file named name in r is as the bytes say: its id, sha256 (of the
 * bytes, 64 lowercase hex digits), type, size, size_text, download count,
 * preview flags and address. The arguments after type: data, len,
 * is_image (variadic, so that PDF and the like may stand for two). */
#define assert_file(r, name, type, ...) file_at((r), (name), (type), __VA_ARGS__, __FILE__, __LINE__)

static void file_at(const struct response *r, const char *name, const char *type, const char *data, size_t len,
		    bool is_image, const char *file, int line)
{
	json_t *f = file_named(r, name);
	if (!f)
		harness_fail_response(r, file, line, "no file named \"%s\"", name);
	const char *sha = sha256_of(data, len);
	char url[400], size_text[32];
	snprintf(url, sizeof url, "/files/%s/%s", sha, name);
	snprintf(size_text, sizeof size_text, "%zu bytes", len);
	const char *got_sha = fstr(f, "sha256");
	if (fint(f, "id") <= 0)
		harness_fail_response(r, file, line, "%s has no id", name);
	if (!is_lower_hex64(got_sha) || strcmp(got_sha, sha) != 0)
		harness_fail_response(r, file, line, "%s: sha256 %s, expected %s", name, got_sha ? got_sha : "(none)", sha);
	if (!fstr(f, "type") || strcmp(fstr(f, "type"), type) != 0)
		harness_fail_response(r, file, line, "%s: type %s, expected %s", name,
				      fstr(f, "type") ? fstr(f, "type") : "(none)", type);
	if (fint(f, "size") != (int64_t)len)
		harness_fail_response(r, file, line, "%s: size %lld, expected %zu", name, (long long)fint(f, "size"), len);
	if (len < 1000 && (!fstr(f, "size_text") || strcmp(fstr(f, "size_text"), size_text) != 0))
		harness_fail_response(r, file, line, "%s: size_text %s, expected %s", name,
				      fstr(f, "size_text") ? fstr(f, "size_text") : "(none)", size_text);
	if (!json_is_integer(json_object_get(f, "downloads")))
		harness_fail_response(r, file, line, "%s: no download count", name);
	if (!json_is_boolean(json_object_get(f, "is_image")) || json_is_true(json_object_get(f, "is_image")) != is_image ||
	    !json_is_false(json_object_get(f, "is_video")))
		harness_fail_response(r, file, line, "%s: wrong preview flags", name);
	if (!fstr(f, "url") || strcmp(fstr(f, "url"), url) != 0)
		harness_fail_response(r, file, line, "%s: url %s, expected %s", name,
				      fstr(f, "url") ? fstr(f, "url") : "(none)", url);
}

/* The body is exactly these bytes (data, len). */
#define assert_bytes(r, ...) bytes_at((r), __VA_ARGS__, __FILE__, __LINE__)

static void bytes_at(const struct response *r, const char *data, size_t len, const char *file, int line)
{
	if (r->body_len != len || memcmp(r->body, data, len) != 0)
		harness_fail_response(r, file, line, "the body (%zu bytes) is not the %zu bytes expected", r->body_len, len);
}

/* Whether any header of that name (the server may send several, such as
 * two Content-Security-Policy headers, all of which a browser enforces)
 * contains needle. */
static bool any_header_contains(const struct response *r, const char *name, const char *needle)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0 && strstr(r->headers[i].value, needle))
			return true;
	return false;
}

static struct response *get_with(struct actor *a, const char *url, const char *header)
{
	return http_get(a->c, url, header ? STRS(header) : NULL);
}

/* A download that must succeed with exactly these bytes. */
static void assert_download(struct actor *a, const char *url, const char *data, size_t len)
{
	struct response *r = http_get(a->c, url, NULL);
	assert_status(r, 200);
	assert_bytes(r, data, len);
	response_free(r);
}

/* A 404 (the page saying there is no such file) that holds none of the
 * file's bytes. */
static void assert_no_download(struct actor *a, const char *url, const char *header)
{
	struct response *r = get_with(a, url, header);
	assert_status(r, 404);
	assert_null(response_header(r, "ETag"));
	assert_null(response_header(r, "Content-Disposition"));
	assert_null(strstr(r->body, "%PDF"));
	response_free(r);
}

/* How many files the item lists (for the author). */
static size_t file_count(struct actor *a, int64_t id)
{
	struct response *r = get_item(a, id);
	assert_status(r, 200);
	size_t n = jlen(r, "files");
	response_free(r);
	return n;
}

/* The download count of the file named name, read from the item's JSON.
 * Pages, the API's included, are kept in memory until the next write
 * (the cache keys on a content generation that a successful POST bumps);
 * a download is a GET and bumps nothing, so a count read straight after
 * downloads may be a page kept from before them. A reaction (a harmless
 * write) first makes the read fresh. */
static int64_t download_count(struct actor *writer, struct actor *reader, int64_t id, const char *name)
{
	struct response *r = item_post(writer, id, "react", json_pack("{s:s}", "kind", "thanks"));
	assert_status(r, 200);
	response_free(r);
	r = get_item(reader, id);
	assert_status(r, 200);
	json_t *f = file_named(r, name);
	if (!f)
		harness_fail_response(r, __FILE__, __LINE__, "no file named \"%s\"", name);
	int64_t n = fint(f, "downloads");
	response_free(r);
	return n;
}

static void remove_file(struct actor *a, int64_t item, int64_t file, long want_status)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/items/%lld/files/%lld/delete", (long long)item, (long long)file);
	struct response *r = apost(a, path, NULL);
	assert_status(r, want_status);
	response_free(r);
}

/* The item id in a Location such as "/items/12-title#files" (failing when it is none). */
static int64_t item_id_in(const struct response *r)
{
	const char *loc = response_header(r, "Location");
	if (!loc || strncmp(loc, "/items/", 7) != 0)
		harness_fail_response(r, __FILE__, __LINE__, "Location %s is no item", loc ? loc : "(none)");
	return strtoll(loc + 7, NULL, 10);
}

static size_t article_count(struct actor *a)
{
	struct pages p;
	return json_array_size(walk(a, "/api/v1/articles", &p));
}

/* ---- attaching through the API and the form -------------------------------------------------- */

/* Four kinds of file in one request: each detected from its bytes (the
 * type the browser sent is not believed), addressed by the SHA-256 of its
 * bytes; the item lists them for everyone, with removal only for the
 * author. The HTML form answers with a redirect to the item's files. The
 * same bytes under a second name are a second attachment of the same
 * content; under the same name again, nothing new. */
static void attach_through_api_and_form(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = ask(p.asa, "fika", "Where is the spring report?", "");
	const struct part parts[] = {
		file_part("report.pdf", "application/pdf", PDF),
		file_part("pixel.png", "image/png", PNG),
		file_part("minutes.txt", "text/plain", TEXT),
		file_part("budget.csv", "application/octet-stream", CSV),
	};
	struct response *r = attach(p.asa, id, parts, 4);
	assert_status(r, 201);
	assert_header_contains(r, "Content-Type", "application/json");
	assert_int_equal(jlen(r, "files"), 4);
	assert_file(r, "report.pdf", "application/pdf", PDF, false);
	assert_file(r, "pixel.png", "image/png", PNG, true);
	assert_file(r, "minutes.txt", "text/plain; charset=utf-8", TEXT, false);
	assert_file(r, "budget.csv", "text/csv; charset=utf-8", CSV, false);
	assert_true(json_is_true(json_path(r->json, "can_attach")));
	/* in the order attached, each removable by the author */
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(jat_str(r, "files", i, "name"), parts[i].filename);
		assert_int_equal(json_integer_value(jat(r, "files", i, "downloads")), 0);
		char remove[128];
		snprintf(remove, sizeof remove, "/items/%lld/files/%lld/delete", (long long)id,
			 (long long)json_integer_value(jat(r, "files", i, "id")));
		assert_non_null(jat_str(r, "files", i, "remove_url"));
		assert_string_equal(jat_str(r, "files", i, "remove_url"), remove);
		if (i > 0)
			assert_true(json_integer_value(jat(r, "files", i, "id")) >
				    json_integer_value(jat(r, "files", i - 1, "id")));
	}
	response_free(r);

	/* the item lists them: for the author as the answer did; for others
	 * without removal or attaching */
	r = get_item(p.asa, id);
	assert_status(r, 200);
	assert_int_equal(jlen(r, "files"), 4);
	assert_file(r, "report.pdf", "application/pdf", PDF, false);
	assert_file(r, "budget.csv", "text/csv; charset=utf-8", CSV, false);
	assert_true(json_is_true(json_path(r->json, "can_attach")));
	response_free(r);
	struct actor *others[] = {p.bo, p.cai, p.visitor, p.mod};
	for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
		r = get_item(others[i], id);
		assert_status(r, 200);
		assert_int_equal(jlen(r, "files"), 4);
		assert_file(r, "pixel.png", "image/png", PNG, true);
		assert_false(json_is_true(json_path(r->json, "can_attach")));
		for (size_t k = 0; k < 4; k++)
			if (others[i] != p.mod && jat(r, "files", k, "remove_url"))
				harness_fail_response(r, __FILE__, __LINE__, "a file is removable by %s",
						      others[i]->handle ? others[i]->handle : "a visitor");
		response_free(r);
	}

	/* the HTML form, its token a part of the form */
	struct part note = file_part("notes.txt", "text/plain", ABC);
	r = attach_form(p.asa, id, &note, 1);
	assert_status(r, 303);
	assert_int_equal(item_id_in(r), id);
	const char *loc = response_header(r, "Location");
	assert_non_null(strstr(loc, "#files"));
	assert_string_equal(loc + strlen(loc) - 6, "#files");
	response_free(r);
	r = get_item(p.asa, id);
	assert_int_equal(jlen(r, "files"), 5);
	assert_string_equal(jat_str(r, "files", 4, "name"), "notes.txt");
	assert_file(r, "notes.txt", "text/plain; charset=utf-8", ABC, false);
	response_free(r);
	/* the form without its token is refused */
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/files", (long long)id);
	r = http_request(p.asa->c, "POST", path, NULL, "--" BOUNDARY "--\r\n", strlen("--" BOUNDARY "--\r\n"), MULTIPART);
	assert_status(r, 403);
	response_free(r);

	/* the same bytes under another name: the same content address */
	r = attach_ok(p.asa, id, "report-copy.pdf", PDF);
	assert_int_equal(jlen(r, "files"), 6);
	assert_file(r, "report-copy.pdf", "application/pdf", PDF, false);
	assert_string_equal(fstr(file_named(r, "report-copy.pdf"), "sha256"), fstr(file_named(r, "report.pdf"), "sha256"));
	response_free(r);
	/* and under the same name again: nothing new */
	r = attach_ok(p.asa, id, "report.pdf", PDF);
	assert_int_equal(jlen(r, "files"), 6);
	response_free(r);
	assert_int_equal(file_count(p.bo, id), 6);

	/* bytes that look like the form's own boundaries come back whole */
	static const char tricky[] = "first line\r\n--" BOUNDARY "x is no boundary\r\n--" BOUNDARY
				     "\tnor this\r\n\r\n--\r\nend with a line break\r\n\r\n";
	r = attach_ok(p.asa, id, "tricky.txt", tricky, sizeof tricky - 1);
	assert_file(r, "tricky.txt", "text/plain; charset=utf-8", tricky, sizeof tricky - 1, false);
	assert_download(p.visitor, url_of(r, "tricky.txt"), tricky, sizeof tricky - 1);
	response_free(r);

	/* with an API token: no CSRF token needed */
	r = apost(p.asa, "/api/v1/settings/tokens", json_pack("{s:s}", "name", "uploader"));
	assert_status(r, 201);
	const char *token = harness_strdup(response_jstr(r, "token"));
	response_free(r);
	struct actor *api = actor_wrap(client_new(*state), NULL);
	client_set_bearer(api->c, token);
	struct part sheet = file_part("sheet.csv", "text/csv", CSV);
	r = attach(api, id, &sheet, 1);
	assert_status(r, 201);
	assert_file(r, "sheet.csv", "text/csv; charset=utf-8", CSV, false);
	response_free(r);
	assert_int_equal(file_count(p.bo, id), 8);
}

/* ---- downloading ------------------------------------------------------------------------------- */

/* Each file comes back byte for byte with its type, a disposition that
 * offers it as a download (an ASCII name and the real one), its ETag, and headers that keep the bytes from ever
 * running as a page of the site. HEAD answers the same without a body. A
 * wrong address is 404. */
static void downloads_serve_the_bytes(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = ask(p.asa, "fika", "Files to download", "");
	const struct part parts[] = {
		file_part("report.pdf", NULL, PDF),
		file_part("pixel.png", NULL, PNG),
		file_part("minutes.txt", NULL, TEXT),
		file_part("budget.csv", NULL, CSV),
		file_part("\xc3\x85rsrapport 2024.pdf", NULL, PDF),
	};
	struct response *a = attach(p.asa, id, parts, 5);
	assert_status(a, 201);
	static const struct {
		const char *name, *type, *disposition;
	} want[] = {
		{"report.pdf", "application/pdf", "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"},
		{"pixel.png", "image/png", "attachment; filename=\"pixel.png\"; filename*=UTF-8''pixel.png"},
		{"minutes.txt", "text/plain; charset=utf-8",
		 "attachment; filename=\"minutes.txt\"; filename*=UTF-8''minutes.txt"},
		{"budget.csv", "text/csv; charset=utf-8",
		 "attachment; filename=\"budget.csv\"; filename*=UTF-8''budget.csv"},
	};
	for (size_t i = 0; i < 4; i++) {
		const char *url = url_of(a, want[i].name);
		const char *sha = sha256_of(parts[i].data, parts[i].len);
		char etag[80];
		snprintf(etag, sizeof etag, "\"%s\"", sha);
		/* the address holds the SHA-256 of the bytes */
		assert_int_equal(strncmp(url, "/files/", 7), 0);
		assert_int_equal(strncmp(url + 7, sha, 64), 0);
		struct response *r = http_get(p.visitor->c, url, NULL);
		assert_status(r, 200);
		assert_bytes(r, parts[i].data, parts[i].len);
		assert_header_equal(r, "Content-Type", want[i].type);
		assert_header_equal(r, "Content-Disposition", want[i].disposition);
		assert_header_equal(r, "ETag", etag);
		assert_header_equal(r, "Accept-Ranges", "bytes");
		if (!any_header_contains(r, "Content-Security-Policy", "sandbox"))
			harness_fail_response(r, __FILE__, __LINE__, "no Content-Security-Policy with sandbox");
		assert_header_equal(r, "X-Content-Type-Options", "nosniff");
		response_free(r);

		r = http_request(p.bo->c, "HEAD", url, NULL, NULL, 0, NULL);
		assert_status(r, 200);
		assert_int_equal(r->body_len, 0);
		assert_header_equal(r, "Content-Type", want[i].type);
		assert_header_equal(r, "ETag", etag);
		char length[24];
		snprintf(length, sizeof length, "%zu", parts[i].len);
		assert_header_equal(r, "Content-Length", length);
		response_free(r);
	}

	/* a name beyond ASCII: percent-encoded in the address and in
	 * filename*, with an ASCII stand-in in filename */
	const char *url = url_of(a, "\xc3\x85rsrapport 2024.pdf");
	char expected[200];
	snprintf(expected, sizeof expected, "/files/%s/%%C3%%85rsrapport%%202024.pdf", sha256_of(PDF));
	assert_string_equal(url, expected);
	struct response *r = http_get(p.cai->c, url, NULL);
	assert_status(r, 200);
	assert_bytes(r, PDF);
	const char *d = response_header(r, "Content-Disposition");
	assert_non_null(d);
	assert_int_equal(strncmp(d, "attachment; filename=\"", 22), 0);
	assert_non_null(strstr(d, "rsrapport 2024.pdf\"; filename*=UTF-8''%C3%85rsrapport%202024.pdf"));
	for (const char *c = d; *c; c++)
		if ((unsigned char)*c >= 0x80 || (unsigned char)*c < 0x20)
			harness_fail_response(r, __FILE__, __LINE__, "Content-Disposition is not plain ASCII: %s", d);
	response_free(r);

	/* a large binary file (an image header, then pseudo-random bytes of
	 * every value) survives the trip, whole and in pieces; an image over
	 * 5 MB is linked, not previewed, one of exactly 5 MB still is */
	const size_t big_len = 5000001;
	char *big = harness_keep(malloc(big_len));
	assert_non_null(big);
	memcpy(big, png_bytes, 33);
	uint32_t x = 2463534242u;
	for (size_t i = 33; i < big_len; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		big[i] = (char)(x >> 24);
	}
	r = attach_ok(p.asa, id, "large.png", big, big_len);
	json_t *large = file_named(r, "large.png");
	assert_non_null(large);
	assert_string_equal(fstr(large, "type"), "image/png");
	assert_string_equal(fstr(large, "size_text"), "4.8 MiB");
	assert_string_equal(fstr(large, "sha256"), sha256_of(big, big_len));
	assert_false(json_is_true(json_object_get(large, "is_image")));
	const char *large_url = url_of(r, "large.png");
	response_free(r);
	r = attach_ok(p.asa, id, "edge.png", big, big_len - 1);
	assert_true(json_is_true(json_object_get(file_named(r, "edge.png"), "is_image")));
	const char *edge_url = url_of(r, "edge.png");
	response_free(r);
	assert_download(p.visitor, large_url, big, big_len);
	assert_download(p.visitor, edge_url, big, big_len - 1);
	r = get_with(p.visitor, large_url, "Range: bytes=1000000-1000099");
	assert_status(r, 206);
	assert_header_equal(r, "Content-Range", "bytes 1000000-1000099/5000001");
	assert_bytes(r, big + 1000000, 100);
	response_free(r);
	r = get_with(p.visitor, large_url, "Range: bytes=-3");
	assert_status(r, 206);
	assert_bytes(r, big + big_len - 3, 3);
	response_free(r);
	r = aget(p.visitor, "/items/%lld", (long long)id);
	char preview[300];
	snprintf(preview, sizeof preview, "src=\"/files/%s/preview/large.png\"", sha256_of(big, big_len));
	assert_body_lacks(r, preview);
	snprintf(preview, sizeof preview, "href=\"%s\"", large_url);
	assert_body_contains(r, preview);
	snprintf(preview, sizeof preview, "src=\"/files/%s/preview/edge.png\"", sha256_of(big, big_len - 1));
	assert_body_contains(r, preview);
	response_free(r);

	/* wrong addresses */
	const char *sha = sha256_of(PDF);
	char upper[65];
	for (int i = 0; i < 64; i++)
		upper[i] = (char)(sha[i] >= 'a' && sha[i] <= 'f' ? sha[i] - 32 : sha[i]);
	upper[64] = '\0';
	char bad[6][200];
	snprintf(bad[0], sizeof bad[0], "/files/%s/Report.pdf", sha);                   /* the name in another case */
	snprintf(bad[1], sizeof bad[1], "/files/%s/report.pdf", upper);                 /* upper-case digits */
	snprintf(bad[2], sizeof bad[2], "/files/%.63s/report.pdf", sha);                /* too short */
	snprintf(bad[3], sizeof bad[3], "/files/%s/report.pdf", sha256_of("other", 5)); /* bytes never stored */
	snprintf(bad[4], sizeof bad[4], "/files/%s/pixel.png", sha);                    /* another file's name */
	snprintf(bad[5], sizeof bad[5], "/files/%s/report.pdf/x", sha);                 /* more to the path */
	assert_download(p.visitor, url_of(a, "report.pdf"), PDF);
	for (size_t i = 0; i < 5; i++)
		assert_no_download(p.visitor, bad[i], NULL);
	r = http_get(p.visitor->c, bad[5], NULL);
	assert_status(r, 404);
	response_free(r);
	char no_name[100];
	snprintf(no_name, sizeof no_name, "/files/%s", sha);
	r = http_get(p.visitor->c, no_name, NULL);
	assert_status(r, 404);
	response_free(r);
	response_free(a);
}

/* The type comes from the bytes, whatever the browser said and whatever
 * the name: images and videos have previews shown inline, text that is not UTF-8 is
 * served without a charset, a bare ZIP counts as an office document only
 * when its name says which, and types off the list (SVG, a plain ZIP) are
 * refused. */
static void types_from_the_bytes(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = ask(p.asa, "fika", "Every kind of file", "");
	const struct part parts[] = {
		file_part("clip.mp4", "application/octet-stream", MP4),
		file_part("clip.webm", NULL, WEBM),
		file_part("dot.gif", "image/png", GIF),
		file_part("menu.txt", "text/plain; charset=utf-8", LATIN1),
		file_part("letter.docx", "application/zip", ZIP),
		file_part("sheet.XLSX", NULL, ZIP),
		file_part("TABLE.CSV", NULL, CSV),
		file_part("scan.txt", "text/plain", PDF),
	};
	struct response *r = attach(p.asa, id, parts, sizeof parts / sizeof *parts);
	assert_status(r, 201);
	static const struct {
		const char *name, *type;
		bool image, video;
	} want[] = {
		{"clip.mp4", "video/mp4", false, true},
		{"clip.webm", "video/webm", false, true},
		{"dot.gif", "image/gif", true, false},
		{"menu.txt", "text/plain", false, false},
		{"letter.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", false, false},
		{"sheet.XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false, false},
		{"TABLE.CSV", "text/csv; charset=utf-8", false, false},
		{"scan.txt", "application/pdf", false, false},
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		json_t *f = file_named(r, want[i].name);
		if (!f || !fstr(f, "type") || strcmp(fstr(f, "type"), want[i].type) != 0 ||
		    json_is_true(json_object_get(f, "is_image")) != want[i].image ||
		    json_is_true(json_object_get(f, "is_video")) != want[i].video)
			harness_fail_response(r, __FILE__, __LINE__, "%s: not a %s with the right preview", want[i].name,
					      want[i].type);
		struct response *d = http_get(p.visitor->c, fstr(f, "url"), NULL);
		assert_status(d, 200);
		assert_bytes(d, parts[i].data, parts[i].len);
		assert_header_equal(d, "Content-Type", want[i].type);
		assert_header_contains(d, "Content-Disposition", "attachment;");
		response_free(d);
		/* the preview of an image or video: the same bytes, inline */
		const char *preview = fstr(f, "preview_url");
		if ((want[i].image || want[i].video) != (preview != NULL))
			harness_fail_response(r, __FILE__, __LINE__, "%s: preview_url %s", want[i].name,
					      preview ? preview : "(none)");
		if (!preview)
			continue;
		d = http_get(p.visitor->c, preview, NULL);
		assert_status(d, 200);
		assert_bytes(d, parts[i].data, parts[i].len);
		assert_header_contains(d, "Content-Disposition", "inline;");
		response_free(d);
	}
	const char *mp4_url = harness_strdup(fstr(file_named(r, "clip.mp4"), "preview_url"));
	response_free(r);
	/* a video's later pieces, as a player asks for them from its preview */
	r = get_with(p.visitor, mp4_url, "Range: bytes=8-15");
	assert_status(r, 206);
	assert_bytes(r, "mp42\0\0\0\0", 8);
	response_free(r);
	r = aget(p.visitor, "/items/%lld", (long long)id);
	char video[300];
	snprintf(video, sizeof video, "<video class=\"preview\" src=\"%s\"", mp4_url);
	assert_body_contains(r, video);
	response_free(r);

	const struct part refused[] = {
		file_part("drawing.svg", "image/svg+xml", SVG),
		file_part("drawing.png", "image/png", SVG),
		file_part("archive.zip", "application/zip", ZIP),
		file_part("archive.docx.zip", NULL, ZIP),
		file_part("page.txt", "text/plain", HTML),
	};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		r = attach(p.asa, id, &refused[i], 1);
		assert_invalid_field(r, "file");
		response_free(r);
	}
	assert_int_equal(file_count(p.asa, id), sizeof parts / sizeof *parts);
}

/* If-None-Match, Range and If-Range: a match is 304 without a body; one
 * range is 206 with Content-Range and exactly those bytes (a suffix, an
 * open end, an end past the file cut to it); a range past the end is 416;
 * several ranges, other units, a backwards range or an If-Range of
 * other bytes get the whole file. */
static void conditional_and_range_requests(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = ask(p.asa, "fika", "Ranges", "");
	struct response *a = attach_ok(p.asa, id, "abc.txt", ABC);
	const char *url = url_of(a, "abc.txt");
	const char *sha = sha256_of(ABC);
	response_free(a);
	char etag[80], inm[120];
	snprintf(etag, sizeof etag, "\"%s\"", sha);
	const size_t size = sizeof abc_bytes - 1;
	assert_int_equal(size, 37);

	snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
	struct response *r = get_with(p.bo, url, inm);
	assert_status(r, 304);
	assert_int_equal(r->body_len, 0);
	assert_header_equal(r, "ETag", etag);
	response_free(r);
	snprintf(inm, sizeof inm, "If-None-Match: \"0000\", %s", etag);
	r = get_with(p.bo, url, inm);
	assert_status(r, 304);
	response_free(r);
	r = get_with(p.bo, url, "If-None-Match: *");
	assert_status(r, 304);
	response_free(r);
	r = get_with(p.bo, url, "If-None-Match: \"0000\"");
	assert_status(r, 200);
	assert_bytes(r, ABC);
	response_free(r);

	static const struct {
		const char *range, *content_range;
		size_t first, len;
	} parts[] = {
		{"bytes=0-9", "bytes 0-9/37", 0, 10},
		{"bytes=5-", "bytes 5-36/37", 5, 32},
		{"bytes=-4", "bytes 33-36/37", 33, 4},
		{"bytes=30-100", "bytes 30-36/37", 30, 7},
		{"bytes=-100", "bytes 0-36/37", 0, 37},
		{"bytes=36-36", "bytes 36-36/37", 36, 1},
	};
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
		char h[64];
		snprintf(h, sizeof h, "Range: %s", parts[i].range);
		r = get_with(p.visitor, url, h);
		assert_status(r, 206);
		assert_header_equal(r, "Content-Range", parts[i].content_range);
		assert_header_equal(r, "Content-Type", "text/plain; charset=utf-8");
		assert_header_equal(r, "ETag", etag);
		assert_bytes(r, abc_bytes + parts[i].first, parts[i].len);
		response_free(r);
	}
	static const char *const past[] = {"Range: bytes=37-40", "Range: bytes=100-", "Range: bytes=37-"};
	for (size_t i = 0; i < sizeof past / sizeof *past; i++) {
		r = get_with(p.visitor, url, past[i]);
		assert_status(r, 416);
		assert_header_equal(r, "Content-Range", "bytes */37");
		assert_null(strstr(r->body, "0123456789"));
		response_free(r);
	}
	static const char *const whole[] = {"Range: bytes=0-1,4-5", "Range: items=0-5", "Range: bytes=9-3",
					    "Range: bytes=x-3"};
	for (size_t i = 0; i < sizeof whole / sizeof *whole; i++) {
		r = get_with(p.visitor, url, whole[i]);
		assert_status(r, 200);
		assert_null(response_header(r, "Content-Range"));
		assert_bytes(r, ABC);
		response_free(r);
	}

	/* If-Range: the range only while the bytes are the ones named */
	char if_range[120];
	snprintf(if_range, sizeof if_range, "If-Range: %s", etag);
	r = http_get(p.visitor->c, url, STRS("Range: bytes=0-9", "If-Range: \"0123\""));
	assert_status(r, 200);
	assert_bytes(r, ABC);
	response_free(r);
	r = http_get(p.visitor->c, url, STRS("Range: bytes=10-12", if_range));
	assert_status(r, 206);
	assert_header_equal(r, "Content-Range", "bytes 10-12/37");
	assert_bytes(r, "abc", 3);
	response_free(r);

	/* a binary file's slice */
	int64_t other = ask(p.asa, "fika", "A picture", "");
	a = attach_ok(p.asa, other, "pixel.png", PNG);
	r = get_with(p.visitor, url_of(a, "pixel.png"), "Range: bytes=0-7");
	assert_status(r, 206);
	assert_bytes(r, "\x89PNG\r\n\x1a\n", 8);
	assert_header_equal(r, "Content-Range", "bytes 0-7/68");
	response_free(r);
	response_free(a);
}

/* A download counts when it sends the file from its first byte: a whole
 * GET, a range from 0, an If-Range that turned into the whole file. A
 * range further on (the rest of a video), HEAD, 304 and 416 do not. Each
 * attachment counts its own. */
static void downloads_are_counted(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = ask(p.asa, "fika", "Counted", "");
	const struct part parts[] = {file_part("abc.txt", NULL, ABC), file_part("report.pdf", NULL, PDF)};
	struct response *a = attach(p.asa, id, parts, 2);
	assert_status(a, 201);
	const char *url = url_of(a, "abc.txt"), *pdf_url = url_of(a, "report.pdf");
	response_free(a);
	assert_int_equal(download_count(p.bo, p.asa, id, "abc.txt"), 0);

	char inm[120];
	snprintf(inm, sizeof inm, "If-None-Match: \"%s\"", sha256_of(ABC));
	const struct {
		const char *header;
		long status;
		bool counts;
	} steps[] = {
		{NULL, 200, true},
		{NULL, 200, true},
		{"Range: bytes=5-", 206, false},
		{"Range: bytes=-4", 206, false},
		{"Range: bytes=10-19", 206, false},
		{inm, 304, false},
		{"Range: bytes=40-", 416, false},
		{"Range: bytes=0-9", 206, true},
		{"Range: bytes=0-1,4-5", 200, true},
	};
	int64_t want = 0;
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		struct response *r = get_with(i % 2 ? p.visitor : p.cai, url, steps[i].header);
		assert_status(r, steps[i].status);
		response_free(r);
		want += steps[i].counts;
	}
	struct response *r = http_request(p.bo->c, "HEAD", url, NULL, NULL, 0, NULL);
	assert_status(r, 200);
	response_free(r);
	r = http_get(p.visitor->c, url, STRS("Range: bytes=0-9", "If-Range: \"0123\""));
	assert_status(r, 200);
	response_free(r);
	want++;
	assert_int_equal(want, 5);
	assert_int_equal(download_count(p.bo, p.asa, id, "abc.txt"), want);
	assert_int_equal(download_count(p.bo, p.visitor, id, "report.pdf"), 0);
	assert_download(p.bo, pdf_url, PDF);
	assert_int_equal(download_count(p.bo, p.cai, id, "report.pdf"), 1);
	assert_int_equal(download_count(p.bo, p.cai, id, "abc.txt"), want);

	/* and the page says so */
	r = aget(p.visitor, "/items/%lld", (long long)id);
	assert_status(r, 200);
	assert_body_contains(r, "5 downloads");
	assert_body_contains(r, "1 download<");
	response_free(r);
}

/* The address in the attribute attr="…" that follows tag (such as
 * "<img class=\"preview\"") in the page, kept until teardown. */
static const char *address_after(const struct response *r, const char *tag, const char *attr)
{
	const char *at = strstr(r->body, tag);
	char needle[32];
	snprintf(needle, sizeof needle, " %s=\"", attr);
	const char *v = at ? strstr(at, needle) : NULL;
	if (!v)
		harness_fail_response(r, __FILE__, __LINE__, "no %s after %s", attr, tag);
	v += strlen(needle);
	char *copy = harness_strdup(v);
	*strchr(copy, '"') = '\0';
	return copy;
}

/* Looking at a post is no download: the page shows an image and plays a
 * video from a preview address (inline, not counted, the way a browser
 * asks for them, a video from its first byte too), and opening the
 * image in full from its preview does not count either; a browser that
 * says it shows the download's address in a page is not counted. The
 * file's name links to the download (an attachment, counted). A file
 * that is no image or video has no preview address. */
static void previews_are_not_downloads(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = ask(p.asa, "fika", "Pictures of the fika", "");
	const struct part parts[] = {file_part("pixel.png", NULL, PNG), file_part("clip.mp4", NULL, MP4),
				     file_part("report.pdf", NULL, PDF)};
	struct response *a = attach(p.asa, id, parts, 3);
	assert_status(a, 201);
	const char *png_url = url_of(a, "pixel.png"), *mp4_url = url_of(a, "clip.mp4"), *pdf_url = url_of(a, "report.pdf");
	assert_null(json_object_get(file_named(a, "report.pdf"), "preview_url"));
	response_free(a);

	struct actor *viewers[] = {p.visitor, p.bo, p.cai};
	for (size_t i = 0; i < sizeof viewers / sizeof *viewers; i++) {
		struct response *page = aget(viewers[i], "/items/%lld", (long long)id);
		assert_status(page, 200);
		const char *img = address_after(page, "<img class=\"preview\"", "src");
		const char *full = address_after(page, "<ul class=\"file-list\">", "href");
		const char *video = address_after(page, "<video class=\"preview\"", "src");
		response_free(page);
		struct response *r = get_with(viewers[i], img, "Sec-Fetch-Dest: image");
		assert_status(r, 200);
		assert_bytes(r, PNG);
		assert_header_contains(r, "Content-Disposition", "inline;");
		assert_header_equal(r, "Content-Type", "image/png");
		response_free(r);
		r = get_with(viewers[i], full, NULL);
		assert_status(r, 200);
		assert_bytes(r, PNG);
		response_free(r);
		r = get_with(viewers[i], video, "Range: bytes=0-");
		assert_status(r, 206);
		assert_bytes(r, MP4);
		assert_header_contains(r, "Content-Disposition", "inline;");
		response_free(r);
		r = get_with(viewers[i], video, NULL);
		assert_status(r, 200);
		response_free(r);
	}
	assert_int_equal(download_count(p.bo, p.asa, id, "pixel.png"), 0);
	assert_int_equal(download_count(p.bo, p.asa, id, "clip.mp4"), 0);
	/* nor does the download's address when a browser shows it in a page
	 * (one embedded elsewhere, or a page kept from before) */
	struct response *shown = get_with(p.visitor, png_url, "Sec-Fetch-Dest: image");
	assert_status(shown, 200);
	response_free(shown);
	shown = get_with(p.visitor, mp4_url, "Sec-Fetch-Dest: video");
	assert_status(shown, 200);
	response_free(shown);
	assert_int_equal(download_count(p.bo, p.asa, id, "pixel.png"), 0);
	assert_int_equal(download_count(p.bo, p.asa, id, "clip.mp4"), 0);

	/* the name is the download: offered as a file, and counted */
	struct response *page = aget(p.visitor, "/items/%lld", (long long)id);
	char link[300];
	snprintf(link, sizeof link, "<a class=\"file-name\" href=\"%s\"", png_url);
	assert_body_contains(page, link);
	snprintf(link, sizeof link, "<a class=\"file-name\" href=\"%s\"", mp4_url);
	assert_body_contains(page, link);
	response_free(page);
	const char *urls[] = {png_url, mp4_url, pdf_url};
	for (size_t i = 0; i < 3; i++) {
		struct response *r = http_get(p.visitor->c, urls[i], NULL);
		assert_status(r, 200);
		assert_header_contains(r, "Content-Disposition", "attachment;");
		response_free(r);
	}
	assert_int_equal(download_count(p.bo, p.asa, id, "pixel.png"), 1);
	assert_int_equal(download_count(p.bo, p.asa, id, "clip.mp4"), 1);
	assert_int_equal(download_count(p.bo, p.asa, id, "report.pdf"), 1);

	/* a document has no preview, under its own or any other name */
	char bad[300];
	snprintf(bad, sizeof bad, "/api/v1/files/%s/preview/report.pdf", sha256_of(PDF));
	struct response *r = http_get(p.visitor->c, bad, NULL);
	assert_error(r, 404, "not_found");
	assert_non_null(strstr(response_jstr(r, "error.message"), "download it instead"));
	assert_null(response_header(r, "Content-Disposition"));
	response_free(r);
	snprintf(bad, sizeof bad, "/files/%s/preview/other.png", sha256_of(PNG));
	r = http_get(p.visitor->c, bad, NULL);
	assert_status(r, 404);
	response_free(r);
	assert_int_equal(download_count(p.bo, p.asa, id, "report.pdf"), 1);
}

/* ---- one content, many attachments ------------------------------------------------------------ */

/* The same bytes on two items and under two names on one share a content
 * address; removing attachments one at a time keeps the others
 * downloadable (the bytes are kept while any attachment uses them), and
 * the last removal takes the address away. The bytes attached again
 * afterwards are served again. */
static void same_bytes_stored_once(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t q1 = ask(p.asa, "fika", "First home of the report", "");
	int64_t q2 = ask(p.asa, "fika", "Second home of the report", "");
	const struct part twice[] = {file_part("report.pdf", NULL, PDF), file_part("plan.pdf", NULL, PDF)};
	struct response *a = attach(p.asa, q1, twice, 2);
	assert_status(a, 201);
	const char *report = url_of(a, "report.pdf"), *plan = url_of(a, "plan.pdf");
	int64_t report_id = id_of_file(a, "report.pdf"), plan_id = id_of_file(a, "plan.pdf");
	response_free(a);
	a = attach_ok(p.asa, q2, "copy.pdf", PDF);
	const char *copy = url_of(a, "copy.pdf");
	int64_t copy_id = id_of_file(a, "copy.pdf");
	assert_file(a, "copy.pdf", "application/pdf", PDF, false);
	response_free(a);
	const char *sha = sha256_of(PDF);
	assert_int_equal(strncmp(report + 7, sha, 64), 0);
	assert_int_equal(strncmp(plan + 7, sha, 64), 0);
	assert_int_equal(strncmp(copy + 7, sha, 64), 0);
	assert_download(p.visitor, report, PDF);
	assert_download(p.visitor, plan, PDF);
	assert_download(p.visitor, copy, PDF);

	/* a file is removed through the item it is on */
	remove_file(p.asa, q2, report_id, 404);
	remove_file(p.asa, q1, copy_id, 404);
	remove_file(p.asa, q1, 999999, 404);

	char path[128];
	snprintf(path, sizeof path, "/api/v1/items/%lld/files/%lld/delete", (long long)q1, (long long)report_id);
	struct response *r = apost(p.asa, path, NULL);
	assert_status(r, 200);
	assert_int_equal(jlen(r, "files"), 1);
	assert_non_null(file_named(r, "plan.pdf"));
	response_free(r);
	assert_no_download(p.visitor, report, NULL);
	assert_download(p.visitor, plan, PDF);
	assert_download(p.visitor, copy, PDF);
	remove_file(p.asa, q1, report_id, 404); /* already gone */

	/* through the page's form: back to the item's files */
	snprintf(path, sizeof path, "/items/%lld/files/%lld/delete", (long long)q1, (long long)plan_id);
	r = fpost(p.asa, path, STRS(NULL));
	assert_status(r, 303);
	assert_int_equal(item_id_in(r), q1);
	assert_non_null(strstr(response_header(r, "Location"), "#files"));
	response_free(r);
	assert_no_download(p.visitor, plan, NULL);
	assert_download(p.visitor, copy, PDF);
	assert_int_equal(file_count(p.asa, q1), 0);

	/* the last one */
	remove_file(p.asa, q2, copy_id, 200);
	assert_no_download(p.visitor, copy, NULL);
	assert_no_download(p.asa, copy, NULL);
	assert_int_equal(file_count(p.asa, q2), 0);

	/* the same bytes once more: stored and served again */
	a = attach_ok(p.asa, q2, "copy.pdf", PDF);
	assert_string_equal(url_of(a, "copy.pdf"), copy);
	response_free(a);
	assert_download(p.visitor, copy, PDF);
	assert_no_download(p.visitor, report, NULL);
}

/* ---- refusals --------------------------------------------------------------------------------- */

/* Bytes of a type not on the list (a page named .pdf, a program), an
 * empty file, an empty file input, one bad file among good ones: 422 on
 * "file" and nothing attached. A file part under another name, an
 * unknown text field: 400 unknown_field. A body that is no multipart
 * form: 400 bad_form. */
static void refused_uploads(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = ask(p.asa, "fika", "Nothing sticks here", "");
	static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0\x01\0\0\0\x40\x10\0\0\0\0\0\0";
	const struct part refused[] = {
		file_part("report.pdf", "application/pdf", HTML),
		file_part("page.html", "text/html", HTML),
		file_part("tool.txt", "text/plain", elf, sizeof elf - 1),
		file_part("empty.txt", "text/plain", "", 0),
	};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		struct response *r = attach(p.asa, id, &refused[i], 1);
		assert_invalid_field(r, "file");
		response_free(r);
	}
	/* a file input left empty: no file at all */
	struct part none = file_part("", "application/octet-stream", "", 0);
	struct response *r = attach(p.asa, id, &none, 1);
	assert_invalid_field(r, "file");
	assert_non_null(strstr(response_jstr(r, "error.fields.file"), "Choose a file"));
	response_free(r);
	/* one bad file spoils the request */
	const struct part mixed[] = {file_part("good.pdf", NULL, PDF), file_part("bad.pdf", NULL, HTML),
				     file_part("fine.txt", NULL, TEXT)};
	r = attach(p.asa, id, mixed, 3);
	assert_invalid_field(r, "file");
	response_free(r);
	assert_int_equal(file_count(p.asa, id), 0);

	/* through the form: the form again, with the message */
	r = attach_form(p.asa, id, &refused[3], 1);
	assert_status(r, 422);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "empty.txt is empty.");
	assert_body_contains(r, "enctype=\"multipart/form-data\"");
	response_free(r);
	r = attach_form(p.asa, id, &refused[0], 1);
	assert_status(r, 422);
	assert_body_contains(r, "report.pdf: a web page is not one of the allowed types");
	response_free(r);

	/* parts the address does not take */
	struct part wrong = {"document", "notes.txt", "text/plain", TEXT};
	r = attach(p.asa, id, &wrong, 1);
	assert_error(r, 400, "unknown_field");
	response_free(r);
	const struct part extra[] = {file_part("notes.txt", NULL, TEXT), text_part("title", "Sneaky")};
	r = attach(p.asa, id, extra, 2);
	assert_error(r, 400, "unknown_field");
	response_free(r);

	/* bodies that are no form */
	char path[64];
	snprintf(path, sizeof path, "/api/v1/items/%lld/files", (long long)id);
	static const char unclosed[] = "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; "
				       "filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello, never closed\r\n";
	r = http_request(p.asa->c, "POST", path, STRS(p.asa->csrf_header), unclosed, sizeof unclosed - 1, MULTIPART);
	assert_error(r, 400, "bad_form");
	response_free(r);
	static const char garbage[] = "this is not a multipart body at all";
	r = http_request(p.asa->c, "POST", path, STRS(p.asa->csrf_header), garbage, sizeof garbage - 1, MULTIPART);
	assert_error(r, 400, "bad_form");
	response_free(r);
	static const char headless[] = "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; "
				       "filename=\"a.txt\"";
	r = http_request(p.asa->c, "POST", path, STRS(p.asa->csrf_header), headless, sizeof headless - 1, MULTIPART);
	assert_error(r, 400, "bad_form");
	response_free(r);
	/* a file cannot come as JSON or as a plain form field */
	r = apost(p.asa, path, json_pack("{s:s}", "file", "aGVsbG8="));
	assert_error(r, 400, "bad_json");
	response_free(r);
	r = apost(p.asa, path, NULL);
	assert_invalid_field(r, "file");
	response_free(r);
	r = http_post_form(p.asa->c, path, STRS("file", "hello.txt"), STRS(p.asa->csrf_header));
	assert_invalid_field(r, "file");
	response_free(r);
	/* multipart without a boundary is no form kring reads */
	r = http_request(p.asa->c, "POST", path, STRS(p.asa->csrf_header), garbage, sizeof garbage - 1,
			 "multipart/form-data");
	assert_status(r, 415);
	response_free(r);
	/* files where the address takes none */
	struct part stray = file_part("notes.txt", NULL, TEXT);
	snprintf(path, sizeof path, "/api/v1/items/%lld/comments", (long long)id);
	const struct part comment[] = {text_part("body", "A comment with a file"), stray};
	r = multipart_post(p.bo, path, comment, 2, false);
	assert_error(r, 400, "unknown_field");
	response_free(r);
	assert_int_equal(file_count(p.asa, id), 0);
}

/* A refused upload says which file and why, in the member's language,
 * through the API (the field "file") and on the form shown again: a
 * type off the list by what the bytes are, whatever the name says; an
 * empty file. Sizes are in binary units everywhere: the form's limit
 * (--max-upload of 20 MiB is "20 MiB"), the file list. */
static void refusals_name_the_file_and_why(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = ask(p.asa, "fika", "Why not this file?", "");
	static const char shell[] = "#!/bin/sh\necho hello\n";
	static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0\x01\0\0\0\x40\x10\0\0\0\0\0\0";
	static const char blob[] = "\x01\x02\x03\x04\x05\x06\x07\x08\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89";
	static const char *const allowed = " is not one of the allowed types (PDF, office documents, images, plain "
					   "text, CSV, MP4/WebM).";
	const struct {
		struct part file;
		const char *message;
	} cases[] = {
		{file_part("report.sh", "text/plain", shell, sizeof shell - 1), "report.sh: a shell script"},
		{file_part("report.pdf", "application/pdf", HTML), "report.pdf: a web page"},
		{file_part("tool.txt", "text/plain", elf, sizeof elf - 1), "tool.txt: a program"},
		{file_part("archive.zip", NULL, ZIP), "archive.zip: a ZIP archive"},
		{file_part("drawing.png", "image/png", SVG), "drawing.png: an SVG drawing"},
		{file_part("data.bin", NULL, blob, sizeof blob - 1), "data.bin: a file of unknown type"},
		{file_part("empty.pdf", "application/pdf", "", 0), "empty.pdf is empty."},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char want[300];
		snprintf(want, sizeof want, "%s%s", cases[i].message, cases[i].file.len ? allowed : "");
		struct response *r = attach(p.asa, id, &cases[i].file, 1);
		assert_invalid_field(r, "file");
		assert_jstr(r, "error.field", "file");
		assert_jstr(r, "error.message", want);
		assert_jstr(r, "error.fields.file", want);
		response_free(r);
		r = attach_form(p.asa, id, &cases[i].file, 1);
		assert_status(r, 422);
		char shown[400];
		snprintf(shown, sizeof shown, "<p class=\"field-error\" role=\"alert\">%s</p>", want);
		assert_body_contains(r, shown);
		response_free(r);
	}

	/* in Swedish */
	char path[96];
	snprintf(path, sizeof path, "/api/v1/items/%lld/files", (long long)id);
	size_t len;
	char *body = multipart_body(&cases[0].file, 1, &len);
	struct response *r = http_request(p.asa->c, "POST", path, STRS(p.asa->csrf_header, "Accept-Language: sv"), body,
					  len, MULTIPART);
	free(body);
	assert_jstr(r, "error.message", "report.sh: ett skalskript \xc3\xa4r inte en av de till\xc3\xa5tna typerna "
					"(PDF, kontorsdokument, bilder, vanlig text, CSV, MP4/WebM).");
	response_free(r);
	assert_int_equal(file_count(p.asa, id), 0);

	/* sizes in binary units: the limit on the forms, a file's size */
	r = get_item(p.asa, id);
	assert_jstr(r, "upload_limit", "20 MiB");
	response_free(r);
	r = aget(p.asa, "/items/%lld", (long long)id);
	assert_body_contains(r, "Up to 20 MiB at a time.");
	response_free(r);
	r = aget(p.asa, "/c/fika/new?kind=article");
	assert_body_contains(r, "Up to 20 MiB at a time.");
	response_free(r);
	size_t n = 1536 * 1024;
	char *text = harness_keep(malloc(n));
	assert_non_null(text);
	for (size_t i = 0; i < n; i++)
		text[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);
	r = attach_ok(p.asa, id, "long.txt", text, n);
	assert_string_equal(fstr(file_named(r, "long.txt"), "size_text"), "1.5 MiB");
	response_free(r);
	r = aget(p.visitor, "/items/%lld", (long long)id);
	assert_body_contains(r, "1.5 MiB");
	response_free(r);
}

/* A file keeps only its last path component, without leading dots and
 * spaces, with control characters and :*?"<>| made "_"; a name with
 * nothing left, one too long or not UTF-8 is refused. */
static void file_names_are_cleaned(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = ask(p.asa, "fika", "Names", "");
	const char *sha = sha256_of(TEXT);
	static const struct {
		const char *sent, *kept;
	} names[] = {
		{"../../etc/passwd.txt", "passwd.txt"},
		{"C:\\Users\\asa\\Desktop\\notes.txt", "notes.txt"},
		{" ..hidden.txt", "hidden.txt"},
		{"tab\there \"quoted\" a:b*c?d<e>f|g.txt", "tab_here _quoted_ a_b_c_d_e_f_g.txt"},
		{"bell\x01\x7f.txt", "bell__.txt"},
		{"<b>bold<b>.txt", "_b_bold_b_.txt"},
		{"100% sure #1 a+b;c=d&e~f.txt", "100% sure #1 a+b;c=d&e~f.txt"},
		/* the slash of a closing tag is a path separator too */
		{"<b>x</b>.txt", "b_.txt"},
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		struct part f = file_part(names[i].sent, "text/plain", TEXT);
		struct response *r = attach(p.asa, id, &f, 1);
		assert_status(r, 201);
		assert_int_equal(jlen(r, "files"), i + 1);
		const char *got = jat_str(r, "files", i, "name");
		if (!got || strcmp(got, names[i].kept) != 0)
			harness_fail_response(r, __FILE__, __LINE__, "\"%s\" was kept as \"%s\", expected \"%s\"",
					      names[i].sent, got ? got : "(none)", names[i].kept);
		/* the address holds the name kept, percent-encoded */
		char *esc = curl_easy_escape(NULL, names[i].kept, 0);
		char url[300];
		snprintf(url, sizeof url, "/files/%s/%s", sha, esc);
		curl_free(esc);
		assert_string_equal(jat_str(r, "files", i, "url"), url);
		response_free(r);
		assert_download(p.visitor, url, TEXT);
	}
	char url[300];
	snprintf(url, sizeof url, "/files/%s/..%%2F..%%2Fetc%%2Fpasswd.txt", sha);
	struct response *r = http_get(p.visitor->c, url, NULL);
	assert_status(r, 404);
	response_free(r);
	snprintf(url, sizeof url, "/files/%s/..%%2Fpasswd.txt", sha);
	r = http_get(p.visitor->c, url, NULL);
	assert_status(r, 404);
	response_free(r);
	/* the cleaned name in the disposition */
	snprintf(url, sizeof url, "/files/%s/tab_here%%20_quoted_%%20a_b_c_d_e_f_g.txt", sha);
	r = http_get(p.visitor->c, url, NULL);
	assert_status(r, 200);
	assert_header_equal(r, "Content-Disposition",
			    "attachment; filename=\"tab_here _quoted_ a_b_c_d_e_f_g.txt\"; "
			    "filename*=UTF-8''tab_here%20_quoted_%20a_b_c_d_e_f_g.txt");
	response_free(r);

	/* nothing left, too long, not UTF-8 */
	const char *refused[] = {"...", "dir/", " . ", "caf\xe9.txt", NULL};
	char long_name[210];
	memset(long_name, 'n', 197);
	strcpy(long_name + 197, ".txt"); /* 201 bytes */
	refused[4] = long_name;
	for (size_t i = 0; i < 5; i++) {
		struct part f = file_part(refused[i], "text/plain", ABC);
		r = attach(p.asa, id, &f, 1);
		assert_invalid_field(r, "file");
		response_free(r);
	}
	long_name[196] = '\0';
	strcat(long_name, ".txt"); /* 200 bytes */
	assert_int_equal(strlen(long_name), 200);
	struct part f = file_part(long_name, "text/plain", ABC);
	r = attach(p.asa, id, &f, 1);
	assert_status(r, 201);
	assert_non_null(file_named(r, long_name));
	response_free(r);
	assert_int_equal(file_count(p.asa, id), sizeof names / sizeof *names + 1);

	/* The refusal promises "at most 200 characters", so a name of 150
	 * characters is within it, though in UTF-8 it takes 296 bytes. */
	f = file_part(long_name, "text/plain", ABC);
	long_name[200] = 'n';
	long_name[201] = '\0';
	r = attach(p.asa, id, &f, 1);
	assert_invalid_field(r, "file");
	assert_non_null(strstr(response_jstr(r, "error.fields.file"), "200 characters"));
	response_free(r);
	char wide[400] = "";
	for (int i = 0; i < 146; i++)
		strcat(wide, "\xc3\xa9");
	strcat(wide, ".txt");
	assert_int_equal(strlen(wide), 296);
	f = file_part(wide, "text/plain", ABC);
	r = attach(p.asa, id, &f, 1);
	if (r->status != 201)
		harness_fail_response(r, __FILE__, __LINE__,
				      "a name of 150 characters (296 bytes) was refused, though the message "
				      "allows 200 characters");
	assert_non_null(file_named(r, wide));
	response_free(r);
}

/* ---- sizes and counts ------------------------------------------------------------------------- */

#define SMALL_UPLOAD 2000
#define DEFAULT_MAX_BODY 1048576

/* A server that takes files of at most SMALL_UPLOAD bytes. */
static int small_upload_setup(void **state)
{
	setenv("KRING_MAX_UPLOAD", "2000", 1);
	int rc = server_setup(state);
	unsetenv("KRING_MAX_UPLOAD");
	return rc;
}

/* A file one byte over --max-upload is 413 too_large, one of exactly that
 * size is taken; the forms say how large a file may be. The refusal names
 * the file, its size and the limit (in bytes where both round to "2 KiB"),
 * or the file that brings several over it; the form comes back with it. A body declared
 * larger than --max-body plus --max-upload is refused before it is read;
 * the allowance for a file is for multipart bodies only. */
static void upload_size_limits(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = ask(p.asa, "fika", "Size matters", "");
	char *big = harness_keep(malloc(SMALL_UPLOAD + 1));
	assert_non_null(big);
	for (size_t i = 0; i < SMALL_UPLOAD + 1; i++)
		big[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);

	struct response *r = get_item(p.asa, id);
	assert_jstr(r, "upload_limit", "2 KiB");
	response_free(r);
	r = aget(p.asa, "/c/fika/new?kind=article");
	assert_status(r, 200);
	assert_body_contains(r, "Up to 2 KiB at a time.");
	response_free(r);

	static const char too_big[] = "big.txt is 2001 bytes, more than the 2000 bytes this site takes at once.";
	struct part f = file_part("big.txt", "text/plain", big, SMALL_UPLOAD + 1);
	r = attach(p.asa, id, &f, 1);
	assert_error(r, 413, "too_large");
	assert_jstr(r, "error.field", "file");
	assert_jstr(r, "error.message", too_big);
	response_free(r);
	/* one too large among small ones */
	const struct part mixed[] = {file_part("small.txt", NULL, ABC), f};
	r = attach(p.asa, id, mixed, 2);
	assert_error(r, 413, "too_large");
	assert_jstr(r, "error.message", too_big);
	response_free(r);
	r = attach_form(p.asa, id, &f, 1);
	assert_status(r, 413);
	assert_body_contains(r, too_big);
	assert_body_contains(r, "enctype=\"multipart/form-data\"");
	response_free(r);
	/* the limit is for the files sent together: two halves and a byte */
	struct part half = file_part("half.txt", "text/plain", big, SMALL_UPLOAD / 2);
	struct part rest = file_part("rest.txt", "text/plain", big + 1, SMALL_UPLOAD / 2 + 1);
	const struct part halves[] = {half, rest};
	r = attach(p.asa, id, halves, 2);
	assert_error(r, 413, "too_large");
	assert_jstr(r, "error.message", "rest.txt brings the files sent together to 2001 bytes, more than the 2000 "
					"bytes this site takes at once.");
	response_free(r);
	assert_int_equal(file_count(p.asa, id), 0);

	f.len = SMALL_UPLOAD;
	r = attach(p.asa, id, &f, 1);
	assert_status(r, 201);
	assert_int_equal(fint(file_named(r, "big.txt"), "size"), SMALL_UPLOAD);
	assert_string_equal(fstr(file_named(r, "big.txt"), "size_text"), "2 KiB");
	response_free(r);
	char url[200];
	snprintf(url, sizeof url, "/files/%s/big.txt", sha256_of(big, SMALL_UPLOAD));
	assert_download(p.visitor, url, big, SMALL_UPLOAD);

	/* the composer: too large, and no item made */
	size_t before = article_count(p.asa);
	f.len = SMALL_UPLOAD + 1;
	const struct part composed[] = {text_part("kind", "article"), text_part("title", "Too large to share"),
					text_part("summary", "A summary."), text_part("approach", "An approach."), f};
	r = multipart_post(p.asa, "/api/v1/c/fika/items", composed, 5, false);
	assert_error(r, 413, "too_large");
	assert_jstr(r, "error.message", too_big);
	response_free(r);
	r = multipart_post(p.asa, "/c/fika/items", composed, 5, true);
	assert_status(r, 413);
	assert_body_contains(r, too_big);
	assert_body_contains(r, "Too large to share"); /* what was typed comes back */
	response_free(r);
	assert_int_equal(article_count(p.asa), before);

	/* declared too large, and far too large to read, or the client waits
	 * for leave to send it: answered at once, without waiting for a body */
	char path[64], length[64];
	snprintf(path, sizeof path, "/api/v1/items/%lld/files", (long long)id);
	snprintf(length, sizeof length, "Content-Length: %d", 4 * (DEFAULT_MAX_BODY + SMALL_UPLOAD) + 1);
	time_t t0 = time(NULL);
	r = http_request(p.asa->c, "POST", path, STRS(p.asa->csrf_header, length), "--x", 3, MULTIPART);
	assert_error(r, 413, "too_large");
	assert_true(time(NULL) - t0 < 10);
	response_free(r);
	snprintf(length, sizeof length, "Content-Length: %d", DEFAULT_MAX_BODY + SMALL_UPLOAD + 1);
	t0 = time(NULL);
	r = http_request(p.asa->c, "POST", path, STRS(p.asa->csrf_header, length, "Expect: 100-continue"), "--x", 3,
			 MULTIPART);
	assert_error(r, 413, "too_large");
	assert_true(time(NULL) - t0 < 10);
	response_free(r);
	/* and sent too large */
	size_t n = DEFAULT_MAX_BODY + SMALL_UPLOAD + 100;
	char *huge = harness_keep(malloc(n));
	assert_non_null(huge);
	memset(huge, 'z', n);
	r = http_request(p.asa->c, "POST", path, STRS(p.asa->csrf_header), huge, n, MULTIPART);
	assert_error(r, 413, "too_large");
	response_free(r);
	/* a JSON body gets no allowance for files */
	n = DEFAULT_MAX_BODY + SMALL_UPLOAD / 2;
	memset(huge, ' ', n);
	huge[0] = '{';
	huge[n - 1] = '}';
	r = http_request(p.asa->c, "POST", "/api/v1/c/fika/items", STRS(p.asa->csrf_header), huge, n, "application/json");
	assert_error(r, 413, "too_large");
	response_free(r);
	assert_int_equal(file_count(p.asa, id), 1);
}

/* n text files named f1.txt … fn.txt, each with bytes of its own. */
static struct part *numbered_files(int from, int n)
{
	struct part *parts = harness_keep(calloc((size_t)n, sizeof *parts));
	assert_non_null(parts);
	for (int i = 0; i < n; i++) {
		char name[32], text[64];
		snprintf(name, sizeof name, "f%d.txt", from + i);
		snprintf(text, sizeof text, "This is file number %d.\n", from + i);
		parts[i] = file_part(harness_strdup(name), "text/plain", harness_strdup(text), strlen(text));
	}
	return parts;
}

/* At most 20 files on an item: 21 at once are refused whole; 20 are
 * taken, after which the item offers no more attaching and a 21st is
 * refused; a removal makes room again. */
static void twenty_files_per_item(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = ask(p.asa, "fika", "Many files", "");
	struct response *r = attach(p.asa, id, numbered_files(1, FILES_PER_ITEM + 1), FILES_PER_ITEM + 1);
	assert_invalid_field(r, "file");
	assert_non_null(strstr(response_jstr(r, "error.fields.file"), "20"));
	response_free(r);
	assert_int_equal(file_count(p.asa, id), 0);

	r = attach(p.asa, id, numbered_files(1, FILES_PER_ITEM), FILES_PER_ITEM);
	assert_status(r, 201);
	assert_int_equal(jlen(r, "files"), FILES_PER_ITEM);
	assert_false(json_is_true(json_path(r->json, "can_attach")));
	response_free(r);
	r = attach(p.asa, id, numbered_files(FILES_PER_ITEM + 1, 1), 1);
	assert_invalid_field(r, "file");
	assert_jstr(r, "error.message", "f21.txt: a post has at most 20 files.");
	response_free(r);
	r = get_item(p.asa, id);
	assert_int_equal(jlen(r, "files"), FILES_PER_ITEM);
	assert_false(json_is_true(json_path(r->json, "can_attach")));
	int64_t first = id_of_file(r, "f1.txt");
	response_free(r);
	char form[64];
	snprintf(form, sizeof form, "action=\"/items/%lld/files\"", (long long)id);
	r = aget(p.asa, "/items/%lld", (long long)id);
	assert_status(r, 200);
	assert_body_lacks(r, form);
	assert_body_contains(r, "f20.txt");
	response_free(r);

	remove_file(p.asa, id, first, 200);
	r = get_item(p.asa, id);
	assert_true(json_is_true(json_path(r->json, "can_attach")));
	response_free(r);
	const struct part two[] = {numbered_files(30, 1)[0], numbered_files(31, 1)[0]};
	r = attach(p.asa, id, two, 2);
	assert_invalid_field(r, "file");
	response_free(r);
	r = attach(p.asa, id, two, 1);
	assert_status(r, 201);
	assert_int_equal(jlen(r, "files"), FILES_PER_ITEM);
	response_free(r);
}

/* ---- who may ----------------------------------------------------------------------------------- */

static void attach_refused(struct actor *a, int64_t id, long status, const char *code)
{
	struct part f = file_part("intruder.txt", "text/plain", TEXT);
	struct response *r = attach(a, id, &f, 1);
	assert_error(r, status, code);
	response_free(r);
}

/* Only the author attaches, while they may post in the community; the
 * author or a moderator (of the site, or the community's host) removes.
 * Outsiders of a private community are told there is no such post.
 * Answers take no files. */
static void who_may_attach_and_remove(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = ask(p.asa, "fika", "Whose files?", "");
	struct response *r = attach_ok(p.asa, id, "first.txt", TEXT);
	int64_t first = id_of_file(r, "first.txt");
	response_free(r);

	attach_refused(p.bo, id, 403, "forbidden");
	attach_refused(p.cai, id, 403, "forbidden");
	attach_refused(p.mod, id, 403, "forbidden");
	attach_refused(p.admin, id, 403, "forbidden");
	attach_refused(p.visitor, id, 401, "unauthorized");
	attach_refused(p.asa, 999999, 404, "not_found");
	/* a signed-out visitor's form goes to the sign-in page */
	struct part f = file_part("intruder.txt", "text/plain", TEXT);
	r = attach_form(p.visitor, id, &f, 1);
	assert_status(r, 303);
	assert_int_equal(strncmp(response_header(r, "Location"), "/login", 6), 0);
	response_free(r);

	/* private: outsiders do not learn the post exists */
	int64_t secret = ask(p.pia, "board", "Board business", "");
	r = attach_ok(p.pia, secret, "secret.txt", TEXT);
	int64_t secret_file = id_of_file(r, "secret.txt");
	response_free(r);
	attach_refused(p.bo, secret, 404, "not_found");
	attach_refused(p.cai, secret, 404, "not_found");
	attach_refused(p.asa, secret, 403, "forbidden");
	remove_file(p.bo, secret, secret_file, 404);
	remove_file(p.cai, secret, secret_file, 404);
	remove_file(p.asa, secret, secret_file, 403);

	/* answers have no attachments */
	char path[64];
	snprintf(path, sizeof path, "/api/v1/items/%lld/answers", (long long)id);
	r = apost(p.bo, path, json_pack("{s:s}", "body", "Mine, I think."));
	assert_status(r, 201);
	int64_t answer = jint(r, "id");
	assert_true(answer > 0);
	response_free(r);
	attach_refused(p.bo, answer, 404, "not_found");
	remove_file(p.bo, answer, first, 404);
	r = get_item(p.bo, id);
	assert_status(r, 200);
	assert_int_equal(jlen(r, "answers"), 1);
	assert_null(jat(r, "answers", 0, "files"));
	assert_int_equal(jlen(r, "files"), 1);
	response_free(r);

	/* removing: not others; yes the site's moderator, the host, the author */
	r = attach(p.asa, id, (const struct part[]){file_part("second.txt", NULL, ABC), file_part("third.pdf", NULL, PDF),
						     file_part("fourth.csv", NULL, CSV)}, 3);
	assert_status(r, 201);
	int64_t second = id_of_file(r, "second.txt"), third = id_of_file(r, "third.pdf"),
		fourth = id_of_file(r, "fourth.csv");
	response_free(r);
	remove_file(p.bo, id, first, 403);
	remove_file(p.cai, id, first, 403);
	remove_file(p.visitor, id, first, 401);
	assert_int_equal(file_count(p.asa, id), 4);
	r = get_item(p.mod, id);
	assert_non_null(jat_str(r, "files", 0, "remove_url"));
	response_free(r);
	remove_file(p.mod, id, first, 200);
	remove_file(p.admin, id, second, 200);
	remove_file(p.asa, id, third, 200);
	r = get_item(p.asa, id);
	assert_int_equal(jlen(r, "files"), 1);
	assert_non_null(file_named(r, "fourth.csv"));
	response_free(r);

	/* an author who left the community neither attaches nor removes;
	 * the moderator still removes */
	r = apost(p.asa, "/api/v1/c/fika/leave", NULL);
	assert_status(r, 200);
	response_free(r);
	attach_refused(p.asa, id, 403, "not_member");
	remove_file(p.asa, id, fourth, 403);
	r = get_item(p.asa, id);
	assert_false(json_is_true(json_path(r->json, "can_attach")));
	assert_null(jat(r, "files", 0, "remove_url"));
	response_free(r);
	remove_file(p.mod, id, fourth, 200);
	assert_int_equal(file_count(p.bo, id), 0);

	/* an archived community: its files still download, but nothing is
	 * attached and the author removes nothing; its host still may */
	make_community(p.admin, "attic", "Attic", "public", "open");
	bring_in(p.admin, "attic", p.bo);
	int64_t old = ask(p.bo, "attic", "Before the archive", "");
	const struct part old_files[] = {file_part("old.txt", NULL, TEXT), file_part("older.pdf", NULL, PDF)};
	r = attach(p.bo, old, old_files, 2);
	assert_status(r, 201);
	const char *old_url = url_of(r, "old.txt");
	int64_t old_id = id_of_file(r, "old.txt"), older_id = id_of_file(r, "older.pdf");
	response_free(r);
	r = apost(p.admin, "/api/v1/c/attic/archive", NULL);
	assert_status(r, 200);
	assert_true(json_is_true(json_path(r->json, "archived")));
	response_free(r);
	assert_download(p.visitor, old_url, TEXT);
	attach_refused(p.bo, old, 409, "archived");
	remove_file(p.bo, old, old_id, 403);
	remove_file(p.admin, old, older_id, 200);
	assert_int_equal(file_count(p.bo, old), 1);
}

/* A file in a private community downloads for its members only; for
 * anyone else it does not exist, however asked. The same bytes attached
 * in a public community download under that attachment's name, never
 * under the private one. A deleted item's files are gone, for members
 * too. */
static void private_files_stay_private(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t secret = ask(p.pia, "board", "Board minutes", "");
	struct response *r = attach_ok(p.pia, secret, "board-minutes.pdf", PDF);
	const char *url = url_of(r, "board-minutes.pdf");
	response_free(r);
	assert_download(p.pia, url, PDF);
	assert_download(p.asa, url, PDF);

	char inm[120];
	snprintf(inm, sizeof inm, "If-None-Match: \"%s\"", sha256_of(PDF));
	struct actor *outside[] = {p.visitor, p.cai, p.bo, p.mod};
	for (size_t i = 0; i < sizeof outside / sizeof *outside; i++) {
		assert_no_download(outside[i], url, NULL);
		assert_no_download(outside[i], url, "Range: bytes=0-9");
		assert_no_download(outside[i], url, "Range: bytes=5-");
		assert_no_download(outside[i], url, inm);
		r = http_get(outside[i]->c, url, STRS("Range: bytes=0-9", "If-Range: \"x\""));
		assert_status(r, 404);
		response_free(r);
		r = http_request(outside[i]->c, "HEAD", url, NULL, NULL, 0, NULL);
		assert_status(r, 404);
		assert_null(response_header(r, "ETag"));
		response_free(r);
	}
	r = get_with(p.asa, url, inm);
	assert_status(r, 304);
	response_free(r);

	/* the same bytes in public */
	int64_t open = ask(p.asa, "fika", "Public minutes", "");
	r = attach_ok(p.asa, open, "public-minutes.pdf", PDF);
	const char *public_url = url_of(r, "public-minutes.pdf");
	response_free(r);
	assert_int_equal(strncmp(public_url, url, 7 + 64), 0);
	for (size_t i = 0; i < sizeof outside / sizeof *outside; i++) {
		assert_download(outside[i], public_url, PDF);
		assert_no_download(outside[i], url, NULL);
	}

	/* invited but not yet joined: still outside */
	char path[64];
	r = apost(p.admin, "/api/v1/c/board/invite", json_pack("{s:s}", "handle", "cai"));
	assert_status(r, 200);
	response_free(r);
	assert_no_download(p.cai, url, NULL);
	/* a member who leaves is outside from then on */
	r = apost(p.asa, "/api/v1/c/board/leave", NULL);
	assert_status(r, 200);
	response_free(r);
	assert_no_download(p.asa, url, NULL);
	assert_download(p.pia, url, PDF);

	/* a community for signed-in members: any of them, no visitor */
	make_community(p.admin, "staffroom", "Staff room", "members", "open");
	bring_in(p.admin, "staffroom", p.bo);
	int64_t inner = ask(p.bo, "staffroom", "For members", "");
	r = attach_ok(p.bo, inner, "members.txt", TEXT);
	const char *members_url = url_of(r, "members.txt");
	response_free(r);
	assert_download(p.cai, members_url, TEXT);
	assert_no_download(p.visitor, members_url, NULL);
	assert_no_download(p.visitor, members_url, "Range: bytes=1-2");
	/* an update on a profile: for signed-in members */
	r = apost(p.cai, "/api/v1/items", json_pack("{s:s, s:s}", "kind", "update", "body", "Slides from today"));
	assert_status(r, 201);
	int64_t update = jint(r, "id");
	response_free(r);
	r = attach_ok(p.cai, update, "slides.pdf", PDF);
	const char *update_url = url_of(r, "slides.pdf");
	response_free(r);
	assert_download(p.bo, update_url, PDF);
	assert_no_download(p.visitor, update_url, NULL);
	attach_refused(p.bo, update, 403, "forbidden");

	/* deleted */
	snprintf(path, sizeof path, "/api/v1/items/%lld/delete", (long long)secret);
	r = apost(p.pia, path, NULL);
	assert_status(r, 200);
	response_free(r);
	assert_no_download(p.pia, url, NULL);
	assert_no_download(p.asa, url, NULL);
	assert_no_download(p.asa, url, "Range: bytes=0-9");
	assert_download(p.visitor, public_url, PDF);
	snprintf(path, sizeof path, "/api/v1/items/%lld/delete", (long long)open);
	r = apost(p.asa, path, NULL);
	assert_status(r, 200);
	response_free(r);
	assert_no_download(p.visitor, public_url, NULL);
	assert_no_download(p.asa, public_url, NULL);
}

/* ---- the composer -------------------------------------------------------------------------------- */

/* The composer's form is multipart with a file input; a new article and a
 * new method come with their files, through the form and the API; an
 * empty file input adds nothing; a refused file refuses the whole post. */
static void composer_takes_files(void **state)
{
	struct place p;
	place_build(&p, *state);
	struct response *r = aget(p.asa, "/c/fika/new?kind=article");
	assert_status(r, 200);
	assert_body_contains(r, "enctype=\"multipart/form-data\"");
	assert_body_contains(r, "type=\"file\" name=\"file\" multiple");
	response_free(r);

	/* an article through the form */
	const struct part article[] = {
		text_part("kind", "article"),
		text_part("title", "Shared minutes"),
		text_part("summary", "One folder for all minutes."),
		text_part("approach", "Put them *there*."),
		file_part("minutes.pdf", "application/pdf", PDF),
		file_part("pixel.png", "image/png", PNG),
	};
	r = multipart_post(p.asa, "/c/fika/items", article, 6, true);
	assert_status(r, 303);
	int64_t id = item_id_in(r);
	assert_true(id > 0);
	response_free(r);
	r = get_item(p.bo, id);
	assert_status(r, 200);
	assert_jstr(r, "kind", "article");
	assert_jstr(r, "summary", "One folder for all minutes.");
	assert_int_equal(jlen(r, "files"), 2);
	assert_file(r, "minutes.pdf", "application/pdf", PDF, false);
	assert_file(r, "pixel.png", "image/png", PNG, true);
	response_free(r);
	r = get_item(p.asa, id);
	assert_true(json_is_true(json_path(r->json, "can_attach")));
	assert_non_null(jat_str(r, "files", 0, "remove_url"));
	response_free(r);

	/* a method through the API */
	const struct part method[] = {
		text_part("kind", "method"),
		text_part("title", "Silent brainstorm"),
		text_part("purpose", "Collect ideas before judging them."),
		text_part("duration", "30"),
		text_part("group_min", "2"),
		text_part("group_max", "8"),
		text_part("steps", "Explain\nWrite\nCluster"),
		file_part("template.csv", "text/csv", CSV),
		file_part("how-to.txt", "text/plain", TEXT),
	};
	r = multipart_post(p.asa, "/api/v1/c/fika/items", method, 9, false);
	assert_status(r, 201);
	assert_jstr(r, "kind", "method");
	int64_t method_id = jint(r, "id");
	assert_true(method_id > 0);
	response_free(r);
	r = get_item(p.visitor, method_id);
	assert_int_equal(jlen(r, "files"), 2);
	assert_file(r, "template.csv", "text/csv; charset=utf-8", CSV, false);
	assert_file(r, "how-to.txt", "text/plain; charset=utf-8", TEXT, false);
	assert_download(p.visitor, url_of(r, "template.csv"), CSV);
	response_free(r);
	r = aget(p.visitor, "/items/%lld", (long long)method_id);
	assert_body_contains(r, "Templates and files");
	response_free(r);

	/* a question with a file input left empty, as browsers send it */
	const struct part question[] = {text_part("kind", "question"), text_part("title", "Anyone kept the minutes?"),
					file_part("", "application/octet-stream", "", 0)};
	r = multipart_post(p.asa, "/c/fika/items", question, 3, true);
	assert_status(r, 303);
	int64_t q = item_id_in(r);
	response_free(r);
	assert_int_equal(file_count(p.asa, q), 0);

	/* refused: a page named .pdf, an empty file; nothing posted */
	size_t before = article_count(p.asa);
	struct part bad = file_part("report.pdf", "application/pdf", HTML);
	const struct part refused[] = {
		text_part("kind", "article"), text_part("title", "Refused practice"),
		text_part("summary", "A summary."), text_part("approach", "An approach."),
		file_part("fine.txt", NULL, TEXT), bad,
	};
	r = multipart_post(p.asa, "/api/v1/c/fika/items", refused, 6, false);
	assert_invalid_field(r, "file");
	response_free(r);
	r = multipart_post(p.asa, "/c/fika/items", refused, 6, true);
	assert_status(r, 422);
	assert_body_contains(r, "report.pdf: a web page is not one of the allowed types");
	assert_body_contains(r, "Refused practice"); /* what was typed comes back */
	response_free(r);
	struct part empty = file_part("empty.txt", "text/plain", "", 0);
	const struct part refused_empty[] = {refused[0], refused[1], refused[2], refused[3], empty};
	r = multipart_post(p.asa, "/api/v1/c/fika/items", refused_empty, 5, false);
	assert_invalid_field(r, "file");
	response_free(r);
	/* more than an item holds */
	struct part *many = numbered_files(1, FILES_PER_ITEM + 1);
	struct part crowded[FILES_PER_ITEM + 5] = {refused[0], refused[1], refused[2], refused[3]};
	for (int i = 0; i < FILES_PER_ITEM + 1; i++)
		crowded[4 + i] = many[i];
	r = multipart_post(p.asa, "/api/v1/c/fika/items", crowded, FILES_PER_ITEM + 5, false);
	assert_invalid_field(r, "file");
	response_free(r);
	/* a broken field with a good file: the field's error, nothing posted */
	const struct part no_approach[] = {refused[0], refused[1], refused[2], refused[4]};
	r = multipart_post(p.asa, "/api/v1/c/fika/items", no_approach, 4, false);
	assert_invalid_field(r, "approach");
	response_free(r);
	assert_int_equal(article_count(p.asa), before);
	r = aget(p.asa, "/api/v1/c/fika");
	assert_status(r, 200);
	assert_null(strstr(r->body, "Refused practice"));
	response_free(r);

	/* an update on a profile is posted without files */
	const struct part update[] = {text_part("kind", "update"), text_part("body", "Slides attached"),
				      file_part("slides.pdf", NULL, PDF)};
	r = multipart_post(p.asa, "/api/v1/items", update, 3, false);
	assert_error(r, 400, "unknown_field");
	response_free(r);
	r = multipart_post(p.asa, "/api/v1/items", update, 2, false);
	assert_status(r, 201);
	response_free(r);
}

/* ---- the item page ----------------------------------------------------------------------------- */

/* The page lists each file with a link, its size and download count, a
 * preview for an image; the author gets the attach form (multipart) and
 * removal buttons, nobody else does. Names are escaped. A post without
 * files has no files section. */
static void item_page_shows_files(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = ask(p.asa, "fika", "A page with files", "");
	const struct part parts[] = {
		file_part("pixel.png", NULL, PNG),
		file_part("report.pdf", NULL, PDF),
		file_part("Tom & Jerry's <notes>.txt", NULL, TEXT),
	};
	struct response *a = attach(p.asa, id, parts, 3);
	assert_status(a, 201);
	const char *pdf_url = url_of(a, "report.pdf");
	const char *odd_url = url_of(a, "Tom & Jerry's _notes_.txt");
	int64_t pdf_id = id_of_file(a, "report.pdf");
	response_free(a);
	char expected[300];
	snprintf(expected, sizeof expected, "/files/%s/Tom%%20%%26%%20Jerry%%27s%%20_notes_.txt", sha256_of(TEXT));
	assert_string_equal(odd_url, expected);

	char href[300], img[300], attach_action[96], remove_action[128], size[32];
	snprintf(href, sizeof href, "href=\"%s\"", pdf_url);
	snprintf(img, sizeof img, "<img class=\"preview\" src=\"/files/%s/preview/pixel.png\"", sha256_of(PNG));
	snprintf(attach_action, sizeof attach_action, "action=\"/items/%lld/files\" enctype=\"multipart/form-data\"",
		 (long long)id);
	snprintf(remove_action, sizeof remove_action, "action=\"/items/%lld/files/%lld/delete\"", (long long)id,
		 (long long)pdf_id);
	snprintf(size, sizeof size, "%zu bytes", sizeof pdf_bytes - 1);

	struct actor *viewers[] = {p.asa, p.bo, p.visitor};
	for (size_t i = 0; i < sizeof viewers / sizeof *viewers; i++) {
		struct response *r = aget(viewers[i], "/items/%lld", (long long)id);
		assert_status(r, 200);
		assert_header_contains(r, "Content-Type", "text/html");
		assert_body_contains(r, "id=\"files\"");
		assert_body_contains(r, ">report.pdf</a>");
		assert_body_contains(r, href);
		assert_body_contains(r, size);
		assert_body_contains(r, img);
		assert_body_contains(r, "0 downloads");
		/* the odd name escaped, its address percent-encoded */
		assert_body_contains(r, "Tom &amp; Jerry&#39;s _notes_.txt");
		assert_body_lacks(r, "Jerry's");
		assert_body_lacks(r, "<notes>");
		snprintf(expected, sizeof expected, "href=\"%s\"", odd_url);
		assert_body_contains(r, expected);
		if (viewers[i] == p.asa) {
			assert_body_contains(r, attach_action);
			assert_body_contains(r, "type=\"file\" name=\"file\" multiple");
			assert_body_contains(r, remove_action);
		} else {
			assert_body_lacks(r, "/files\" enctype");
			assert_body_lacks(r, "type=\"file\"");
			assert_body_lacks(r, "/delete\"");
		}
		response_free(r);
	}
	assert_download(p.visitor, odd_url, TEXT);
	struct response *r = http_get(p.visitor->c, odd_url, NULL);
	assert_header_equal(r, "Content-Disposition", "attachment; filename=\"Tom & Jerry's _notes_.txt\"; "
						    "filename*=UTF-8''Tom%20%26%20Jerry%27s%20_notes_.txt");
	response_free(r);

	/* no files: no section, but the author's attach form */
	int64_t bare = ask(p.asa, "fika", "A page without files", "");
	r = aget(p.asa, "/items/%lld", (long long)bare);
	assert_status(r, 200);
	assert_body_lacks(r, "id=\"files\"");
	snprintf(attach_action, sizeof attach_action, "action=\"/items/%lld/files\"", (long long)bare);
	assert_body_contains(r, attach_action);
	response_free(r);
	r = aget(p.bo, "/items/%lld", (long long)bare);
	assert_body_lacks(r, "id=\"files\"");
	assert_body_lacks(r, attach_action);
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(attach_through_api_and_form),
		T(downloads_serve_the_bytes),
		T(types_from_the_bytes),
		T(conditional_and_range_requests),
		T(downloads_are_counted),
		T(previews_are_not_downloads),
		T(same_bytes_stored_once),
		T(refused_uploads),
		T(refusals_name_the_file_and_why),
		T(file_names_are_cleaned),
		cmocka_unit_test_setup_teardown(upload_size_limits, small_upload_setup, teardown_releasing),
		T(twenty_files_per_item),
		T(who_may_attach_and_remove),
		T(private_files_stay_private),
		T(composer_takes_files),
		T(item_page_shows_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
