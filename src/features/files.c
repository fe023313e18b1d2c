/* files: attachments, their storage and downloads (see files.h). */
#include "features/files.h"

#include "auth/policy.h"
#include "core/config.h"
#include "core/buf.h"
#include "core/text.h"
#include "db/db.h"
#include "features/audit.h"
#include "features/communities.h"
#include "features/items.h"
#include "http/req.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"

#include <inttypes.h>
#include <magic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FILE_NAME_MAX 200 /* characters */
/* Larger images are linked, not shown on the post: the page stays light. */
#define IMAGE_PREVIEW_MAX (5 * 1000 * 1000)

/* ---- what may be attached ---------------------------------------------- */

enum preview { PREVIEW_NONE, PREVIEW_IMAGE, PREVIEW_VIDEO };

/* The types kring accepts, as libmagic names them. A type libmagic only
 * narrows down to a container (a ZIP, an OLE compound file) is taken when
 * the name's extension says which document it is; ext is then the one
 * extension that maps to mime. */
static const struct allowed_type {
	const char *detected, *ext, *mime;
	enum preview preview;
} allowed_types[] = {
	{"application/pdf", NULL, "application/pdf", PREVIEW_NONE},
	{"image/png", NULL, "image/png", PREVIEW_IMAGE},
	{"image/jpeg", NULL, "image/jpeg", PREVIEW_IMAGE},
	{"image/gif", NULL, "image/gif", PREVIEW_IMAGE},
	{"image/webp", NULL, "image/webp", PREVIEW_IMAGE},
	{"video/mp4", NULL, "video/mp4", PREVIEW_VIDEO},
	{"video/webm", NULL, "video/webm", PREVIEW_VIDEO},
	{"text/plain", ".csv", "text/csv", PREVIEW_NONE},
	{"text/plain", NULL, "text/plain", PREVIEW_NONE},
	{"text/csv", NULL, "text/csv", PREVIEW_NONE},
	{"application/msword", NULL, "application/msword", PREVIEW_NONE},
	{"application/vnd.ms-excel", NULL, "application/vnd.ms-excel", PREVIEW_NONE},
	{"application/vnd.ms-powerpoint", NULL, "application/vnd.ms-powerpoint", PREVIEW_NONE},
	{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", NULL,
	 "application/vnd.openxmlformats-officedocument.wordprocessingml.document", PREVIEW_NONE},
	{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", NULL,
	 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", PREVIEW_NONE},
	{"application/vnd.openxmlformats-officedocument.presentationml.presentation", NULL,
	 "application/vnd.openxmlformats-officedocument.presentationml.presentation", PREVIEW_NONE},
	{"application/vnd.oasis.opendocument.text", NULL, "application/vnd.oasis.opendocument.text", PREVIEW_NONE},
	{"application/vnd.oasis.opendocument.spreadsheet", NULL,
	 "application/vnd.oasis.opendocument.spreadsheet", PREVIEW_NONE},
	{"application/vnd.oasis.opendocument.presentation", NULL,
	 "application/vnd.oasis.opendocument.presentation", PREVIEW_NONE},
	{"application/zip", ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	 PREVIEW_NONE},
	{"application/zip", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	 PREVIEW_NONE},
	{"application/zip", ".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	 PREVIEW_NONE},
	{"application/CDFV2", ".doc", "application/msword", PREVIEW_NONE},
	{"application/CDFV2", ".xls", "application/vnd.ms-excel", PREVIEW_NONE},
	{"application/CDFV2", ".ppt", "application/vnd.ms-powerpoint", PREVIEW_NONE},
};

static bool has_extension(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);
	return n > e && strcasecmp(name + n - e, ext) == 0;
}

/* The allowed type for detected bytes with this name; NULL when refused. */
static const struct allowed_type *allowed_type(const char *detected, const char *name)
{
	for (size_t i = 0; i < sizeof(allowed_types) / sizeof(allowed_types[0]); i++) {
		const struct allowed_type *t = &allowed_types[i];
		if (strcmp(t->detected, detected) == 0 && (!t->ext || has_extension(name, t->ext)))
			return t;
	}
	return NULL;
}

/* What a refused type is, in the words of the message that refuses it:
 * the first entry whose type is the detected one, or starts with it when
 * it ends in '/' or '.'. */
static const struct refused_kind {
	const char *detected, *kind;
} refused_kinds[] = {
	{"text/x-shellscript", N_("a shell script")},
	{"text/x-script.", N_("a script")},
	{"text/x-python", N_("a script")},
	{"text/x-perl", N_("a script")},
	{"text/x-php", N_("a script")},
	{"text/x-ruby", N_("a script")},
	{"text/javascript", N_("a script")},
	{"application/javascript", N_("a script")},
	{"text/html", N_("a web page")},
	{"image/svg+xml", N_("an SVG drawing")},
	{"application/x-executable", N_("a program")},
	{"application/x-pie-executable", N_("a program")},
	{"application/x-sharedlib", N_("a program")},
	{"application/x-dosexec", N_("a program")},
	{"application/x-mach-binary", N_("a program")},
	{"application/vnd.microsoft.portable-executable", N_("a program")},
	{"application/zip", N_("a ZIP archive")},
	{"application/gzip", N_("a compressed archive")},
	{"application/x-tar", N_("a compressed archive")},
	{"application/x-7z-compressed", N_("a compressed archive")},
	{"application/x-rar", N_("a compressed archive")},
	{"application/x-bzip2", N_("a compressed archive")},
	{"application/x-xz", N_("a compressed archive")},
	{"application/zstd", N_("a compressed archive")},
	{"application/CDFV2", N_("an Office file whose name does not end in .doc, .xls or .ppt")},
	{"application/json", N_("a JSON file")},
	{"application/xml", N_("an XML file")},
	{"text/xml", N_("an XML file")},
	{"audio/", N_("a sound file")},
	{"application/octet-stream", N_("a file of unknown type")},
};

/* "a shell script", "a file of type image/tiff": what the refused bytes
 * are, for the message, in a. */
static const char *refused_kind(struct arena *a, int locale, const char *detected)
{
	if (!detected)
		return i18n_get(locale, N_("a file of unknown type"));
	for (size_t i = 0; i < sizeof(refused_kinds) / sizeof(refused_kinds[0]); i++) {
		const char *k = refused_kinds[i].detected;
		size_t n = strlen(k);
		bool family = k[n - 1] == '/' || k[n - 1] == '.';
		if (family ? strncmp(detected, k, n) == 0 : strcmp(detected, k) == 0)
			return i18n_get(locale, refused_kinds[i].kind);
	}
	return format_message(a, locale, N_("a file of type {{type}}"), "type", detected, NULL);
}

static enum preview preview_of(const char *mime)
{
	for (size_t i = 0; i < sizeof(allowed_types) / sizeof(allowed_types[0]); i++)
		if (strncmp(allowed_types[i].mime, mime, strlen(allowed_types[i].mime)) == 0)
			return allowed_types[i].preview;
	return PREVIEW_NONE;
}

/* libmagic's cookie is not safe to share between threads; uploads are rare
 * enough to take turns. */
static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t magic_cookie;

/* The type libmagic reads in the bytes, in a; NULL when it cannot tell. */
static const char *detect_type(struct arena *a, const char *data, size_t len)
{
	const char *type = NULL;
	pthread_mutex_lock(&magic_lock);
	if (!magic_cookie) {
		magic_cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
		if (magic_cookie && magic_load(magic_cookie, NULL) != 0) {
			fprintf(stderr, "kring: cannot load the file type database: %s\n", magic_error(magic_cookie));
			magic_close(magic_cookie);
			magic_cookie = NULL;
		}
	}
	if (magic_cookie) {
		const char *t = magic_buffer(magic_cookie, data, len);
		type = t ? arena_strdup(a, t) : NULL;
	}
	pthread_mutex_unlock(&magic_lock);
	return type;
}

void files_shutdown(void)
{
	pthread_mutex_lock(&magic_lock);
	if (magic_cookie)
		magic_close(magic_cookie);
	magic_cookie = NULL;
	pthread_mutex_unlock(&magic_lock);
}

/* ---- checking uploads -------------------------------------------------- */

/* The name a file is kept under: its last path component, without control
 * characters, characters file systems refuse, bidirectional controls (which
 * would show "invoice\u202Etxt.exe" as "invoiceexe.txt"), or leading dots
 * and spaces; "" when nothing is left. */
static char *clean_name(struct arena *a, const char *sent)
{
	const char *base = sent;
	for (const char *p = sent; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	while (*base == '.' || *base == ' ')
		base++;
	char *name = arena_strdup(a, base);
	for (char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || strchr(":*?\"<>|", *p))
			*p = '_';
	return text_clean_name(name);
}

/* The message msgid about the file name of size bytes, over --max-upload:
 * the size and the limit in binary units, or in bytes where both would
 * read the same ("2 KiB, more than the 2 KiB"). */
static const char *too_large(struct arena *a, int locale, const char *msgid, const char *name, size_t size)
{
	const char *size_text = format_size(a, locale, (int64_t)size);
	const char *limit = format_size(a, locale, (int64_t)config.max_upload);
	if (strcmp(size_text, limit) == 0) {
		size_text = arena_printf(a, "%zu %s", size, i18n_get(locale, N_("bytes")));
		limit = arena_printf(a, "%zu %s", config.max_upload, i18n_get(locale, N_("bytes")));
	}
	return format_message(a, locale, msgid, "name", name, "size", size_text, "limit", limit, NULL);
}

const char *files_check(struct arena *a, int locale, const char *filename, const char *data, size_t len,
			struct file_input *out)
{
	char *name = clean_name(a, filename);
	if (!utf8_valid(name, strlen(name)))
		return i18n_get(locale, N_("The file name is not valid UTF-8."));
	if (!*name || utf8_length(name) > FILE_NAME_MAX)
		return i18n_get(locale, N_("Give the file a name of at most 200 characters."));
	if (len == 0)
		return format_message(a, locale, N_("{{name}} is empty."), "name", name, NULL);
	if (len > config.max_upload)
		return too_large(a, locale, N_("{{name}} is {{size}}, more than the {{limit}} this site takes at once."),
				 name, len);
	const char *detected = detect_type(a, data, len);
	const struct allowed_type *t = detected ? allowed_type(detected, name) : NULL;
	if (!t)
		return format_message(a, locale,
				      N_("{{name}}: {{kind}} is not one of the allowed types (PDF, office documents, "
					 "images, plain text, CSV, MP4/WebM)."),
				      "name", name, "kind", refused_kind(a, locale, detected), NULL);
	out->name = name;
	/* Text is served as UTF-8 only when it is; otherwise the browser
	 * guesses. */
	out->mime = strncmp(t->mime, "text/", 5) == 0 && utf8_valid(data, len)
			    ? arena_printf(a, "%s; charset=utf-8", t->mime) : t->mime;
	sha256_hex(out->sha256, data, len);
	out->data = data;
	out->len = len;
	return NULL;
}

void files_read(struct req *r, json_t *model, int attached, struct file_inputs *in)
{
	in->count = 0;
	size_t total = 0;
	for (size_t i = 0; i < r->files.count && !req_has_field_errors(r); i++) {
		const struct upload *u = &r->files.items[i];
		if (strcmp(u->field, "file") != 0)
			continue;
		total += u->len;
		const char *name = clean_name(&r->arena, u->filename), *problem;
		bool too_big = total > config.max_upload;
		if (attached + in->count >= FILES_PER_ITEM)
			problem = format_message(&r->arena, r->locale, N_("{{name}}: a post has at most 20 files."),
						 "name", name, NULL);
		else if (too_big && u->len > config.max_upload)
			problem = too_large(&r->arena, r->locale, N_("{{name}} is {{size}}, more than the {{limit}} this "
								     "site takes at once."), name, u->len);
		else if (too_big)
			problem = too_large(&r->arena, r->locale, N_("{{name}} brings the files sent together to "
								     "{{size}}, more than the {{limit}} this site takes at once."),
					    name, total);
		else
			problem = files_check(&r->arena, r->locale, u->filename, u->data, u->len, &in->items[in->count]);
		if (!problem) {
			in->count++;
			continue;
		}
		req_field_error(r, model, "file", problem);
		if (too_big && strcmp(r->error.field, "file") == 0) {
			r->status = 413;
			r->error.code = "too_large";
		}
	}
}

bool files_store_one(struct db *db, int64_t item_id, int64_t uploader_id, int64_t at, const struct file_input *f)
{
	/* Bytes already kept are not sent to the database again. */
	if (!db_exists(db, "SELECT 1 FROM blobs WHERE sha256 = ?", DB_ARGS(db_text(f->sha256))) &&
	    db_exec(db, "INSERT INTO blobs (sha256, size, data, created_at) VALUES (?, ?, ?, ?)",
		    DB_ARGS(db_text(f->sha256), db_int((int64_t)f->len), db_blob(f->data, f->len), db_int(at))) != 1)
		return false;
	return db_exec(db, "INSERT INTO item_files (item_id, sha256, name, mime, size, uploader_id, created_at)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (item_id, sha256, name) DO NOTHING",
		       DB_ARGS(db_int(item_id), db_text(f->sha256), db_text(f->name), db_text(f->mime),
			       db_int((int64_t)f->len), db_int(uploader_id), db_int(at))) >= 0;
}

bool files_store(struct req *r, int64_t item_id, const struct file_inputs *in)
{
	int64_t now = r->now;
	for (int i = 0; i < in->count; i++)
		if (!files_store_one(r->db, item_id, r->user->id, now, &in->items[i]))
			return false;
	return true;
}

/* ---- showing them ------------------------------------------------------ */

void files_form_fill(struct req *r, json_t *model)
{
	json_object_set_new(model, "upload_limit",
			    json_string(format_size(&r->arena, r->locale, (int64_t)config.max_upload)));
}

int files_count(struct db *db, int64_t item_id)
{
	return (int)db_scalar_int(db, 0, "SELECT COUNT(*) FROM item_files WHERE item_id = ?", DB_ARGS(db_int(item_id)));
}

bool files_copy(struct db *db, int64_t from_item, int64_t to_item, int64_t at)
{
	int room = FILES_PER_ITEM - files_count(db, to_item);
	return room <= 0 ||
	       db_exec(db, "INSERT INTO item_files (item_id, sha256, name, mime, size, uploader_id, created_at)"
			   " SELECT ?, sha256, name, mime, size, uploader_id, ? FROM item_files WHERE item_id = ?"
			   " ORDER BY id LIMIT ? ON CONFLICT (item_id, sha256, name) DO NOTHING",
		       DB_ARGS(db_int(to_item), db_int(at), db_int(from_item), db_int(room))) >= 0;
}

void files_fill(struct req *r, json_t *model, const struct item *it)
{
	struct policy_subject file = items_subject(it), item = file;
	file.kind = POLICY_FILE;
	bool may_remove = policy_allows(r->user, POLICY_DELETE, &file);
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db, "SELECT id, sha256, name, mime, size, downloads FROM item_files"
					     " WHERE item_id = ? ORDER BY id", DB_ARGS(db_int(it->id)));
	while (db_step(st) == DB_ROW) {
		int64_t id = db_int_col(st, 0), size = db_int_col(st, 4);
		const char *mime = db_text_col(st, 3);
		enum preview preview = preview_of(mime);
		json_t *f = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:I, s:b, s:b}", "id", (json_int_t)id,
				      "name", db_text_col(st, 2), "sha256", db_text_col(st, 1), "type", mime,
				      "size", (json_int_t)size, "size_text", format_size(&r->arena, r->locale, size),
				      "downloads", (json_int_t)db_int_col(st, 5),
				      "is_image", preview == PREVIEW_IMAGE && size <= IMAGE_PREVIEW_MAX,
				      "is_video", preview == PREVIEW_VIDEO);
		const char *sha256 = db_text_col(st, 1), *name = db_text_col(st, 2);
		json_object_set_new(f, "url", json_string(link_file(&r->arena, sha256, name)));
		if (preview != PREVIEW_NONE)
			json_object_set_new(f, "preview_url", json_string(link_file_preview(&r->arena, sha256, name)));
		if (may_remove)
			json_object_set_new(f, "remove_url", json_string(arena_printf(
				&r->arena, "%s/files/%" PRId64 "/delete", link_item_id(&r->arena, it->id), id)));
		json_array_append_new(list, f);
	}
	db_done(st);
	bool can_attach = policy_allows(r->user, POLICY_UPLOAD, &item) && json_array_size(list) < FILES_PER_ITEM;
	json_object_set_new(model, "can_attach", json_boolean(can_attach));
	json_object_set_new(model, "has_files", json_boolean(json_array_size(list) > 0));
	json_object_set_new(model, "files", list);
	if (can_attach)
		files_form_fill(r, model);
}

/* ---- attaching and removing -------------------------------------------- */

/* The item of /items/{id}/files…, when the viewer may change its files. */
static bool attachable_item(struct req *r, struct item *it)
{
	if (!items_load(r, req_path_param(r, "id"), it))
		return false;
	if (it->parent_id) {
		req_fail(r, 404, "not_found", N_("Answers have no attachments."));
		return false;
	}
	return true;
}

static json_t *attach_form(struct req *r, const struct item *it)
{
	json_t *m = json_pack("{s:s, s:I, s:s, s:s, s:b}", "title", tr(r, N_("Attach files")),
			      "id", (json_int_t)it->id, "item_title", it->title,
			      "url", link_item(&r->arena, it->id, it->title),
			      "is_method", strcmp(it->kind, "method") == 0);
	files_form_fill(r, m);
	return m;
}

/* The item's files, as the API answers after a change. */
static json_t *files_model(struct req *r, const struct item *it)
{
	json_t *m = json_object();
	files_fill(r, m, it);
	return m;
}

/* The payload of file.attached: {"names": [the files' names]}. */
static json_t *attached_names(const struct file_inputs *in)
{
	json_t *names = json_array();
	for (int i = 0; i < in->count; i++)
		json_array_append_new(names, json_string(in->items[i].name));
	return json_pack("{s:o}", "names", names);
}

json_t *files_attach(struct req *r)
{
	struct item it;
	if (!attachable_item(r, &it))
		return NULL;
	struct policy_subject s = items_subject(&it);
	enum policy_verdict v = policy_decide(r->user, POLICY_UPLOAD, &s);
	if (v != POLICY_ALLOW)
		return policy_refuse(r, v, N_("Join the community to attach files."),
				     N_("Only the author can attach files."));
	json_t *model = attach_form(r, &it);
	struct file_inputs in;
	files_read(r, model, files_count(r->db, it.id), &in);
	if (!req_has_field_errors(r) && in.count == 0)
		req_field_error(r, model, "file", N_("Choose a file to attach."));
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	json_decref(model);
	if (!db_begin(r->db))
		return req_fail_internal(r);
	if (!files_store(r, it.id, &in) ||
	    !event_record(r->db, &(struct event){.type = EVENT_FILE_ATTACHED, .actor_id = r->user->id,
						  .community_id = it.community_id, .item_id = it.id, .created_at = r->now,
						  .payload = attached_names(&in)}) ||
	    !db_commit(r->db)) {
		db_rollback(r->db);
		return req_fail_internal(r);
	}
	return req_done(r, 201, arena_printf(&r->arena, "%s#files", link_item(&r->arena, it.id, it.title)),
			files_model(r, &it));
}

json_t *files_remove(struct req *r)
{
	struct item it;
	if (!attachable_item(r, &it))
		return NULL;
	struct policy_subject s = items_subject(&it);
	s.kind = POLICY_FILE;
	if (!policy_allows(r->user, POLICY_DELETE, &s))
		return req_fail(r, 403, "forbidden", N_("Only the author or a moderator can remove files."));
	const char *file_text = req_path_param(r, "file");
	int64_t file_id = file_text ? strtoll(file_text, NULL, 10) : 0;
	struct db_stmt *st = db_query(r->db, "SELECT sha256 FROM item_files WHERE id = ? AND item_id = ?",
				      DB_ARGS(db_int(file_id), db_int(it.id)));
	const char *sha256 = db_step(st) == DB_ROW ? arena_strdup(&r->arena, db_text_col(st, 0)) : NULL;
	db_done(st);
	if (!sha256)
		return req_fail(r, 404, "not_found", N_("There is no such file."));
	/* The bytes go with the last attachment that uses them. */
	bool ok = db_begin(r->db) &&
		  db_exec(r->db, "DELETE FROM item_files WHERE id = ?", DB_ARGS(db_int(file_id))) == 1 &&
		  db_exec(r->db, "DELETE FROM blobs WHERE sha256 = ? AND NOT EXISTS"
				 " (SELECT 1 FROM item_files WHERE sha256 = ?)",
			  DB_ARGS(db_text(sha256), db_text(sha256))) >= 0 &&
		  event_record(r->db, &(struct event){.type = EVENT_FILE_REMOVED, .actor_id = r->user->id,
						       .community_id = it.community_id, .item_id = it.id,
						       .object_id = file_id, .created_at = r->now}) &&
		  /* A moderator removing someone else's file is a moderation action. */
		  (it.author_id == r->user->id ||
		   audit_by(r, "file.removed", "item", it.id, it.community_id, NULL,
			    json_pack("{s:I, s:s}", "file", (json_int_t)file_id, "sha256", sha256))) &&
		  db_commit(r->db);
	if (!ok) {
		db_rollback(r->db);
		return req_fail_internal(r);
	}
	return req_done(r, 200, arena_printf(&r->arena, "%s#files", link_item(&r->arena, it.id, it.title)),
			files_model(r, &it));
}

/* ---- downloading ------------------------------------------------------- */

enum range_kind { RANGE_WHOLE, RANGE_PART, RANGE_UNSATISFIABLE };

/* A single "bytes=first-last", "bytes=first-" or "bytes=-suffix" range of
 * a file of size bytes, as [*first, *last]. What is not one well-formed
 * range (several ranges, other units) is answered with the whole file. */
static enum range_kind parse_range(const char *header, int64_t size, int64_t *first, int64_t *last)
{
	if (!header || strncmp(header, "bytes=", 6) != 0 || strchr(header, ','))
		return RANGE_WHOLE;
	const char *p = header + 6;
	char *end;
	if (*p == '-') {
		long long suffix = strtoll(p + 1, &end, 10);
		if (end == p + 1 || *end || suffix < 0)
			return RANGE_WHOLE;
		if (suffix == 0)
			return RANGE_UNSATISFIABLE;
		*first = suffix >= size ? 0 : size - suffix;
		*last = size - 1;
		return RANGE_PART;
	}
	if (*p < '0' || *p > '9')
		return RANGE_WHOLE;
	long long a = strtoll(p, &end, 10), b = size - 1;
	if (*end != '-')
		return RANGE_WHOLE;
	p = end + 1;
	if (*p) {
		if (*p < '0' || *p > '9')
			return RANGE_WHOLE;
		b = strtoll(p, &end, 10);
		if (*end || b < a)
			return RANGE_WHOLE;
	}
	if (a >= size)
		return RANGE_UNSATISFIABLE;
	*first = a;
	*last = b < size ? b : size - 1;
	return RANGE_PART;
}

/* Content-Disposition with an ASCII name for old clients and the real one
 * (RFC 6266) for the rest. */
static const char *disposition(struct req *r, const char *name, bool inline_view)
{
	struct buf d = {0};
	buf_printf(&d, "%s; filename=\"", inline_view ? "inline" : "attachment");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p & 0xc0) == 0x80)
			continue; /* one '_' for each character beyond ASCII */
		buf_putc(&d, *p < 0x80 && *p != '"' && *p != '\\' ? (char)*p : '_');
	}
	buf_puts(&d, "\"; filename*=UTF-8''");
	buf_put_url(&d, name);
	const char *s = arena_strndup(&r->arena, d.data, d.len);
	buf_free(&d);
	return s;
}

static bool is_sha256_hex(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n == 64;
}

static bool etag_matches(const char *header, const char *etag)
{
	return header && (strcmp(header, "*") == 0 || strstr(header, etag));
}

/* Whether the browser says it fetches the file to show it in a page. */
static bool shown_in_page(struct req *r)
{
	const char *dest = req_header(r, "Sec-Fetch-Dest");
	return dest && (strcmp(dest, "image") == 0 || strcmp(dest, "video") == 0 || strcmp(dest, "audio") == 0);
}

/* Sends an attachment's bytes. A download is offered as one and counted;
 * a preview (of an image or video, for the page that shows it) is shown
 * inline and not counted, so views of a page are no downloads. */
static json_t *send_file(struct req *r, bool as_preview)
{
	const char *sha256 = req_path_param(r, "sha"), *name = req_path_param(r, "name");
	int64_t viewer = r->user ? r->user->id : 0;
	if (!is_sha256_hex(sha256))
		return req_fail(r, 404, "not_found", N_("There is no such file."));
	/* The first attachment under this name on an item the viewer may read. */
	struct db_stmt *st = db_query(r->db,
		"SELECT f.id, f.mime, f.size FROM item_files f JOIN items i ON i.id = f.item_id"
		" WHERE f.sha256 = ? AND f.name = ? AND " POLICY_ITEM_VISIBLE_SQL " ORDER BY f.id LIMIT 1",
		DB_ARGS(db_text(sha256), db_text(name), POLICY_ITEM_VISIBLE_ARGS(viewer)));
	bool found = db_step(st) == DB_ROW;
	int64_t file_id = found ? db_int_col(st, 0) : 0, size = found ? db_int_col(st, 2) : 0;
	const char *mime = found ? arena_strdup(&r->arena, db_text_col(st, 1)) : NULL;
	db_done(st);
	if (!found)
		return req_fail(r, 404, "not_found", N_("There is no such file."));
	if (as_preview && preview_of(mime) == PREVIEW_NONE)
		return req_fail(r, 404, "not_found", N_("This file has no preview; download it instead."));

	const char *etag = arena_printf(&r->arena, "\"%s\"", sha256);
	req_add_header(r, "ETag", etag);
	req_add_header(r, "Accept-Ranges", "bytes");
	req_add_header(r, "Cache-Control", "private, max-age=86400");
	req_add_header(r, "Content-Disposition", disposition(r, name, as_preview));
	/* Whatever the bytes hold, they never run as a page of this site. */
	req_add_header(r, "Content-Security-Policy", "sandbox");
	r->content_type = mime;
	if (etag_matches(req_header(r, "If-None-Match"), etag)) {
		r->status = 304;
		return NULL;
	}

	int64_t first = 0, last = size - 1;
	const char *if_range = req_header(r, "If-Range");
	enum range_kind range = if_range && strcmp(if_range, etag) != 0
					? RANGE_WHOLE : parse_range(req_header(r, "Range"), size, &first, &last);
	if (range == RANGE_UNSATISFIABLE) {
		req_add_header(r, "Content-Range", arena_printf(&r->arena, "bytes */%" PRId64, size));
		r->status = 416;
		return NULL;
	}
	if (range == RANGE_PART)
		req_add_header(r, "Content-Range", arena_printf(&r->arena, "bytes %" PRId64 "-%" PRId64 "/%" PRId64,
								 first, last, size));
	st = db_query(r->db, "SELECT substr(data, ?, ?) FROM blobs WHERE sha256 = ?",
		      DB_ARGS(db_int(first + 1), db_int(last - first + 1), db_text(sha256)));
	size_t len = 0;
	const void *bytes = db_step(st) == DB_ROW ? db_blob_col(st, 0, &len) : NULL;
	if (bytes)
		buf_append(&r->body_out, bytes, len);
	db_done(st);
	if (!bytes) {
		/* The last attachment of these bytes was removed a moment ago. */
		r->content_type = NULL;
		r->nheaders = 0;
		return req_fail(r, 404, "not_found", N_("There is no such file."));
	}
	r->status = range == RANGE_PART ? 206 : 200;
	/* A download is counted once, not per piece of a video, and not when
	 * a browser shows the file in a page (elsewhere, or a page kept from
	 * before previews had their own address). */
	if (!as_preview && strcmp(r->method, "GET") == 0 && first == 0 && !shown_in_page(r) &&
	    db_exec(r->db, "UPDATE item_files SET downloads = downloads + 1 WHERE id = ?", DB_ARGS(db_int(file_id))) < 0)
		return req_fail_internal(r);
	return NULL;
}

json_t *files_download(struct req *r)
{
	return send_file(r, false);
}

json_t *files_preview(struct req *r)
{
	return send_file(r, true);
}
