/*
 * files: files attached to items (a best practice's report, a method's
 * templates). The type is detected from the bytes (libmagic) and must be on
 * an allow-list; the bytes are stored once per content, keyed by their
 * SHA-256, in the database, so that every node serves them. A file is as
 * readable as its item. This module owns the blobs and item_files tables.
 */
#ifndef KRING_FILES_H
#define KRING_FILES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;
struct item;
struct req;

#define FILES_PER_ITEM 20

/* One checked upload, ready to store. */
struct file_input {
	const char *name;  /* the file name alone, cleaned */
	const char *mime;  /* the type it is served with */
	char sha256[65];
	const char *data;
	size_t len;
};

struct file_inputs {
	struct file_input items[FILES_PER_ITEM];
	int count;
};

/* Checks one file (its name cleaned, its type detected from the bytes,
 * its SHA-256) into out, strings in a; NULL when it may be attached, else
 * what is wrong, in the locale, naming the file and why ("report.sh: a
 * shell script is not one of the allowed types (…)"). */
const char *files_check(struct arena *a, int locale, const char *filename, const char *data, size_t len,
			struct file_input *out);
/* Attaches one checked file to an item (inside the caller's transaction). */
bool files_store_one(struct db *db, int64_t item_id, int64_t uploader_id, int64_t at, const struct file_input *f);

/* Checks the request's files (field "file") for an item that has
 * `attached` files already: a name, some bytes, a type on the allow-list,
 * room on the item. A problem is a field error at "file" on model. */
void files_read(struct req *r, json_t *model, int attached, struct file_inputs *in);
/* Attaches the checked files to the item, inside the caller's transaction;
 * bytes already stored are not stored again. */
bool files_store(struct req *r, int64_t item_id, const struct file_inputs *in);
/* How many files the item has attached. */
int files_count(struct db *db, int64_t item_id);
/* Attaches the files of one item to another as well (the same bytes, not
 * stored again), as many as there is room for, inside the caller's
 * transaction. */
bool files_copy(struct db *db, int64_t from_item, int64_t to_item, int64_t at);

/* Sets "files" (name, url, size, type, downloads, the preview flags and
 * preview_url of an image or video) and
 * "can_attach" on an item's model. */
void files_fill(struct req *r, json_t *model, const struct item *it);
/* Sets "upload_limit" (the largest file, readable) on a form's model. */
void files_form_fill(struct req *r, json_t *model);

/* Route handlers: attaching files to an item, removing one, downloading
 * (an attachment, counted) and previewing an image or video on a page
 * (inline, not counted); both with ETag and Range. */
json_t *files_attach(struct req *r);
json_t *files_remove(struct req *r);
json_t *files_download(struct req *r);
json_t *files_preview(struct req *r);

/* Frees the type detector when the server stops. */
void files_shutdown(void);

#endif
