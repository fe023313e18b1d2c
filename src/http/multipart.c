/* multipart: multipart/form-data bodies (see multipart.h). Every length
 * is explicit, as file parts may hold any bytes, NUL and CR LF included. */
#include "http/multipart.h"

#include <string.h>
#include <strings.h>

/* RFC 2046 allows 70; the header cap keeps a hostile part from making us
 * scan a whole body for the end of its headers. */
#define BOUNDARY_MAX 70
#define HEADERS_MAX 8192

/* The two headers of a part kring reads, as ranges of the body. */
struct part {
	const char *disposition, *disposition_end;
	const char *type, *type_end;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p;
}

/* The end of the parameter value at s, quoted or a bare token; NULL when
 * a quote is not closed. */
static const char *value_end(const char *s, const char *end)
{
	if (s < end && *s == '"') {
		for (s++; s < end && *s != '"'; s++)
			if (*s == '\\' && end - s > 1 && (s[1] == '"' || s[1] == '\\'))
				s++;
		return s < end ? s + 1 : NULL;
	}
	while (s < end && *s != ';' && !is_blank(*s))
		s++;
	return s;
}

/* The value s[0..e) without its quotes, in a. In quotes, \" and \\ stand
 * for " and \; any other backslash is kept, as browsers send Windows paths
 * unescaped. */
static char *value_copy(struct arena *a, const char *s, const char *e)
{
	if (s == e || *s != '"')
		return arena_strndup(a, s, (size_t)(e - s));
	char *out = arena_alloc(a, (size_t)(e - s)), *o = out;
	for (s++, e--; s < e; s++) {
		if (*s == '\\' && e - s > 1 && (s[1] == '"' || s[1] == '\\'))
			s++;
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* The value of parameter name (case-insensitive) in the "; key=value" list
 * after the first ';' of p[0..end), in a; NULL when absent. An exact match
 * only, so "filename*" is not "filename". Only that value is copied, so a
 * header of many parameters costs no more than its length. */
static const char *param_value(struct arena *a, const char *p, const char *end, const char *name)
{
	size_t n = strlen(name);
	while ((p = memchr(p, ';', (size_t)(end - p)))) {
		const char *key = p = skip_blanks(p + 1, end);
		while (p < end && *p != '=' && *p != ';' && !is_blank(*p))
			p++;
		size_t klen = (size_t)(p - key);
		p = skip_blanks(p, end);
		if (p == end || *p != '=')
			continue;
		const char *v = skip_blanks(p + 1, end);
		if (!(p = value_end(v, end)))
			return NULL;
		if (klen == n && strncasecmp(key, name, n) == 0)
			return value_copy(a, v, p);
	}
	return NULL;
}

/* True when p[0..end) starts with the token tok, then ends or goes on with
 * parameters. */
static bool starts_with_token(const char *p, const char *end, const char *tok)
{
	size_t n = strlen(tok);
	if ((size_t)(end - p) < n || strncasecmp(p, tok, n) != 0)
		return false;
	p = skip_blanks(p + n, end);
	return p == end || *p == ';';
}

/* RFC 2046's bchars: letters, digits and '()+_,-./:=? and space, not last. */
static bool boundary_valid(const char *b)
{
	size_t n = strlen(b);
	if (n < 1 || n > BOUNDARY_MAX || b[n - 1] == ' ')
		return false;
	for (const char *c = b; *c; c++)
		if (!(*c >= 'a' && *c <= 'z') && !(*c >= 'A' && *c <= 'Z') &&
		    !(*c >= '0' && *c <= '9') && !strchr("'()+_,-./:=? ", *c))
			return false;
	return true;
}

const char *multipart_boundary(struct arena *a, const char *content_type)
{
	if (!content_type)
		return NULL;
	const char *end = content_type + strlen(content_type);
	const char *p = skip_blanks(content_type, end);
	if (!starts_with_token(p, end, "multipart/form-data"))
		return NULL;
	const char *b = param_value(a, p, end, "boundary");
	return b && boundary_valid(b) ? b : NULL;
}

/* After a "--boundary" at p: where the next part starts, or end after the
 * closing one (*last set). NULL when the line goes on with anything but
 * blanks (RFC 2046's transport padding): that is content looking alike. */
static const char *after_delimiter(const char *p, const char *end, bool *last)
{
	*last = end - p >= 2 && p[0] == '-' && p[1] == '-';
	if (*last)
		return end; /* the epilogue is ignored */
	p = skip_blanks(p, end);
	if (p < end && *p == '\r')
		p++;
	return p < end && *p == '\n' ? p + 1 : NULL;
}

/* The first real delimiter (delim is "\r\n--boundary") in p[0..end): its
 * start, with *next and *last as after_delimiter sets them; NULL if none. */
static const char *find_delimiter(const char *p, const char *end, const char *delim, size_t dlen,
				  const char **next, bool *last)
{
	while ((size_t)(end - p) >= dlen) {
		const char *d = memmem(p, (size_t)(end - p), delim, dlen);
		if (!d)
			return NULL;
		if ((*next = after_delimiter(d + dlen, end, last)))
			return d;
		p = d + 1;
	}
	return NULL;
}

/* True when the header name s[0..e) is name, in any case. */
static bool name_is(const char *s, const char *e, const char *name)
{
	while (e > s && is_blank(e[-1]))
		e--;
	return (size_t)(e - s) == strlen(name) && strncasecmp(s, name, (size_t)(e - s)) == 0;
}

/* Reads a part's header lines up to the blank line that ends them (CR LF
 * or bare LF), moving *p past it. False without that line within
 * HEADERS_MAX bytes, or with a NUL in a header. */
static bool read_headers(const char **p, const char *end, struct part *h)
{
	const char *start = *p, *s = *p;
	for (;;) {
		size_t used = (size_t)(s - start), room = (size_t)(end - s);
		if (room > HEADERS_MAX + 2 - used)
			room = HEADERS_MAX + 2 - used; /* the line break after the limit */
		const char *nl = memchr(s, '\n', room);
		if (!nl)
			return false;
		const char *e = nl > s && nl[-1] == '\r' ? nl - 1 : nl;
		if (e == s) {
			*p = nl + 1;
			return true;
		}
		if ((size_t)(nl + 1 - start) > HEADERS_MAX || memchr(s, '\0', (size_t)(e - s)))
			return false;
		const char *colon = memchr(s, ':', (size_t)(e - s));
		if (colon) {
			const char *v = skip_blanks(colon + 1, e), *ve = e;
			while (ve > v && is_blank(ve[-1]))
				ve--;
			if (name_is(s, colon, "Content-Disposition"))
				h->disposition = v, h->disposition_end = ve;
			else if (name_is(s, colon, "Content-Type"))
				h->type = v, h->type_end = ve;
		}
		s = nl + 1;
	}
}

/* Where the first part starts, after the first delimiter (which may open
 * the body without a line break before it); NULL without one. */
static const char *first_part(const char *data, const char *end, const char *delim, size_t dlen,
			      bool *last)
{
	const char *p;
	if ((size_t)(end - data) >= dlen - 2 && memcmp(data, delim + 2, dlen - 2) == 0 &&
	    (p = after_delimiter(data + dlen - 2, end, last)))
		return p;
	return find_delimiter(data, end, delim, dlen, &p, last) ? p : NULL;
}

/* Adds one part as a field or an upload; false when it is malformed. */
static bool add_part(struct arena *a, const struct part *h, const char *body, size_t len,
		     struct params *fields, struct uploads *uploads)
{
	if (!h->disposition || !starts_with_token(h->disposition, h->disposition_end, "form-data"))
		return false;
	const char *name = param_value(a, h->disposition, h->disposition_end, "name");
	if (!name || !*name)
		return false;
	const char *filename = param_value(a, h->disposition, h->disposition_end, "filename");
	if (filename) {
		if (!*filename && len == 0)
			return true; /* a file input left empty */
		const char *type = h->type ? arena_strndup(a, h->type, (size_t)(h->type_end - h->type)) : NULL;
		uploads_add(a, uploads, &(struct upload){name, filename, type, body, len});
		return true;
	}
	if (memchr(body, '\0', len))
		return false;
	params_add(a, fields, name, arena_strndup(a, body, len));
	return true;
}

bool multipart_parse(struct arena *a, const char *boundary, const char *data, size_t len,
		     struct params *fields, struct uploads *uploads)
{
	if (!boundary || !*boundary || !data)
		return false;
	const char *delim = arena_printf(a, "\r\n--%s", boundary);
	size_t dlen = strlen(delim);
	const char *end = data + len, *next;
	bool last;
	const char *p = first_part(data, end, delim, dlen, &last);
	if (!p)
		return false;
	/* parts go to the caller only once the whole body is well-formed */
	struct params f = {0};
	struct uploads u = {0};
	while (!last) {
		struct part h = {0};
		if (!read_headers(&p, end, &h))
			return false;
		const char *body_end = find_delimiter(p, end, delim, dlen, &next, &last);
		if (!body_end || !add_part(a, &h, p, (size_t)(body_end - p), &f, &u))
			return false;
		p = next;
	}
	for (size_t i = 0; i < f.count; i++)
		params_add(a, fields, f.items[i].name, f.items[i].value);
	for (size_t i = 0; i < u.count; i++)
		uploads_add(a, uploads, &u.items[i]);
	return true;
}
