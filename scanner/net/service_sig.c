/*
 * certexam — the service signature database: loading profiles/signatures.xml
 * and matching received bytes against it.
 *
 * Matching runs POSIX extended regular expressions (regex.h) over a
 * sanitised, NUL-free, ASCII-only view of at most SIG_MAX_INPUT bytes, so
 * a hostile banner can neither hide behind a NUL nor make the matcher read
 * past its buffer.  The pattern dialect adds \xHH, \r, \n, \t and \X (any
 * byte) on top of ERE; see the comment at the top of signatures.xml.
 */
#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/util.h"
#include "service.h"
#include "service_int.h"
#include "xmlsafe.h"

#define SIG_MAX_INPUT  8192 /* bytes of a reply examined */
#define SIG_MAX_FIELD  128  /* product/version/extra length cap */
#define SIG_MAX_GROUPS 10   /* $0 .. $9 */

struct sig_entry {
	int is_fact;
	char *service;   /* match: service; fact: name */
	char *value;     /* fact: value */
	uint64_t probes; /* bit i: applies to the reply to probe i */
	int soft, tls;
	regex_t re;
	int re_ok;
	int gmap[SIG_MAX_GROUPS]; /* author group -> regex group */
	char *product, *version, *extra;
	long line;
};

/* ---------------------------------------------------------------- view */

static int kept(unsigned char c)
{
	return (c >= 0x20 && c <= 0x7e && c != '\\') || c == '\r' ||
	       c == '\n' || c == '\t';
}

char *cx_svc_view(const void *data, size_t len, size_t max)
{
	const unsigned char *p = data;
	struct cx_buf b = {0};
	size_t i;
	int rc = 0;

	if (len > max)
		len = max;
	rc = cx_buf_append(&b, "", 0);
	for (i = 0; i < len && rc == 0; i++) {
		if (kept(p[i]))
			rc = cx_buf_putc(&b, (char)p[i]);
		else if (p[i] == '\\')
			rc = cx_buf_puts(&b, "\\\\");
		else
			rc = cx_buf_printf(&b, "\\x%02x", p[i]);
	}
	if (rc) {
		cx_buf_free(&b);
		return NULL;
	}
	return cx_buf_steal(&b);
}

/* ------------------------------------------------- pattern translation */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int ere_special(int c)
{
	return c != 0 && strchr(".[]()*+?{}|^$", c) != NULL;
}

/* Emit regex text that matches byte v of the original data. */
static int emit_byte(struct cx_buf *o, unsigned v, int in_bracket)
{
	if (v == '\\')
		return in_bracket ? CX_EPARSE : cx_buf_puts(o, "\\\\\\\\");
	if (kept((unsigned char)v)) {
		if (!in_bracket && ere_special((int)v) && cx_buf_putc(o, '\\'))
			return CX_ENOMEM;
		return cx_buf_putc(o, (char)v);
	}
	if (in_bracket)
		return CX_EPARSE;
	return cx_buf_printf(o, "\\\\x%02x", v);
}

/*
 * Parse an escape at s (s[0] == '\\').  Sets *byte for a byte escape
 * (\xHH, \r, \n, \t), returns the escape's length, 0 when malformed.
 */
static size_t parse_escape(const char *s, int *byte)
{
	*byte = -1;
	switch (s[1]) {
	case 'r':
		*byte = '\r';
		return 2;
	case 'n':
		*byte = '\n';
		return 2;
	case 't':
		*byte = '\t';
		return 2;
	case 'x':
		if (hexval(s[2]) < 0 || hexval(s[3]) < 0)
			return 0;
		*byte = hexval(s[2]) * 16 + hexval(s[3]);
		return 4;
	case '\0':
		return 0;
	default:
		return 2;
	}
}

/*
 * Translate our pattern dialect into an ERE for the sanitised view.
 * gmap receives, for each of the author's groups 1..9, the number of the
 * corresponding ERE group (\X adds groups of its own).
 */
static int translate(const char *pat, struct cx_buf *o,
                     int gmap[SIG_MAX_GROUPS])
{
	size_t i = 0, n;
	int author = 0, real = 0, byte, rc;

	memset(gmap, 0, sizeof(int) * SIG_MAX_GROUPS);
	if (cx_buf_append(o, "", 0))
		return CX_ENOMEM;
	while (pat[i] != '\0') {
		char c = pat[i];

		if (c == '\\') {
			n = parse_escape(pat + i, &byte);
			if (n == 0)
				return CX_EPARSE;
			if (byte >= 0) {
				rc = emit_byte(o, (unsigned)byte, 0);
			} else if (pat[i + 1] == 'X') {
				real++;
				rc = cx_buf_puts(
				    o,
				    "(\\\\x[0-9a-f][0-9a-f]|\\\\\\\\|[^\\])");
			} else if (pat[i + 1] == '\\') {
				rc = cx_buf_puts(o, "\\\\\\\\");
			} else if (ere_special((unsigned char)pat[i + 1])) {
				rc = cx_buf_putc(o, '\\');
				if (rc == 0)
					rc = cx_buf_putc(o, pat[i + 1]);
			} else {
				return CX_EPARSE;
			}
			if (rc)
				return rc;
			i += n;
			continue;
		}
		if (c == '[') {
			/* a bracket expression: copy, translating escapes */
			if (cx_buf_putc(o, '['))
				return CX_ENOMEM;
			i++;
			if (pat[i] == '^') {
				if (cx_buf_putc(o, '^'))
					return CX_ENOMEM;
				i++;
			}
			if (pat[i] == ']') {
				if (cx_buf_putc(o, ']'))
					return CX_ENOMEM;
				i++;
			}
			while (pat[i] != ']') {
				if (pat[i] == '\0')
					return CX_EPARSE;
				if (pat[i] == '[' && pat[i + 1] == ':') {
					const char *e =
					    strstr(pat + i + 2, ":]");

					if (e == NULL)
						return CX_EPARSE;
					if (cx_buf_append(
					        o, pat + i,
					        (size_t)(e + 2 - (pat + i))))
						return CX_ENOMEM;
					i = (size_t)(e + 2 - pat);
					continue;
				}
				if (pat[i] == '\\') {
					if (pat[i + 1] == '\\') {
						rc = cx_buf_putc(o, '\\');
						n = 2;
					} else {
						n = parse_escape(pat + i,
						                 &byte);
						if (n == 0 || byte < 0)
							return CX_EPARSE;
						rc = emit_byte(
						    o, (unsigned)byte, 1);
					}
					if (rc)
						return rc;
					i += n;
					continue;
				}
				if ((unsigned char)pat[i] < 0x20 ||
				    (unsigned char)pat[i] > 0x7e)
					return CX_EPARSE;
				if (cx_buf_putc(o, pat[i]))
					return CX_ENOMEM;
				i++;
			}
			if (cx_buf_putc(o, ']'))
				return CX_ENOMEM;
			i++;
			continue;
		}
		if (c == '(') {
			author++;
			real++;
			if (author < SIG_MAX_GROUPS)
				gmap[author] = real;
		}
		if ((unsigned char)c < 0x20 && c != '\t' && c != '\r' &&
		    c != '\n')
			return CX_EPARSE;
		if ((unsigned char)c > 0x7e)
			return CX_EPARSE;
		if (cx_buf_putc(o, c))
			return CX_ENOMEM;
		i++;
	}
	return CX_OK;
}

/* Decode a payload: \r \n \t \\ \xHH escapes, the rest literal. */
static int decode_payload(const char *s, unsigned char **out, size_t *outlen)
{
	size_t i = 0, n = 0, len = strlen(s);
	unsigned char *p;
	int byte;

	*out = NULL;
	*outlen = 0;
	p = malloc(len + 1);
	if (p == NULL)
		return CX_ENOMEM;
	while (s[i] != '\0') {
		if (s[i] == '\\') {
			if (s[i + 1] == '\\') {
				p[n++] = '\\';
				i += 2;
				continue;
			}
			size_t k = parse_escape(s + i, &byte);

			if (k == 0 || byte < 0) {
				free(p);
				return CX_EPARSE;
			}
			p[n++] = (unsigned char)byte;
			i += k;
			continue;
		}
		p[n++] = (unsigned char)s[i++];
	}
	*out = p;
	*outlen = n;
	return CX_OK;
}

/* ------------------------------------------------------------ loading */

static int yes(const char *v)
{
	return v != NULL && strcmp(v, "yes") == 0;
}

int cx_sig_probe_index(const struct cx_sigdb *db, const char *name)
{
	size_t i;

	if (name == NULL)
		return 0;
	for (i = 0; i < db->n_probes; i++)
		if (strcmp(db->probes[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int parse_ports(struct cx_sig_probe *p, const char *spec)
{
	const char *s = spec;
	char *end;
	long lo, hi;

	if (spec == NULL)
		return CX_OK;
	if (strcmp(spec, "any") == 0) {
		p->any = 1;
		return CX_OK;
	}
	p->ports = calloc(65536 / 8, 1);
	if (p->ports == NULL)
		return CX_ENOMEM;
	while (*s != '\0') {
		if (!isdigit((unsigned char)*s))
			return CX_EPARSE;
		lo = strtol(s, &end, 10);
		hi = lo;
		s = end;
		if (*s == '-') {
			s++;
			if (!isdigit((unsigned char)*s))
				return CX_EPARSE;
			hi = strtol(s, &end, 10);
			s = end;
		}
		if (lo < 1 || hi > 65535 || lo > hi)
			return CX_ERANGE;
		for (; lo <= hi; lo++)
			p->ports[lo / 8] |= (uint8_t)(1u << (lo % 8));
		if (*s == ',')
			s++;
		else if (*s != '\0')
			return CX_EPARSE;
	}
	return CX_OK;
}

int cx_sig_probe_has_port(const struct cx_sig_probe *p, unsigned port)
{
	if (p->ports == NULL || port > 65535)
		return 0;
	return (p->ports[port / 8] >> (port % 8)) & 1;
}

static int probe_mask(const struct cx_sigdb *db, const char *names,
                      uint64_t *mask)
{
	char *copy, *p, *next;
	int idx, rc = CX_OK;

	*mask = 0;
	copy = cx_strdup(names);
	if (copy == NULL)
		return CX_ENOMEM;
	for (p = copy; p != NULL && *p != '\0'; p = next) {
		next = strchr(p, ' ');
		if (next != NULL)
			*next++ = '\0';
		if (*p == '\0')
			continue;
		idx = cx_sig_probe_index(db, p);
		if (idx < 0) {
			rc = CX_ENOENT;
			break;
		}
		*mask |= (uint64_t)1 << idx;
	}
	free(copy);
	return rc;
}

static void entry_clear(struct sig_entry *e)
{
	free(e->service);
	free(e->value);
	free(e->product);
	free(e->version);
	free(e->extra);
	if (e->re_ok)
		regfree(&e->re);
	memset(e, 0, sizeof(*e));
}

void cx_sigdb_free(struct cx_sigdb *db)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->n_probes; i++) {
		free(db->probes[i].name);
		free(db->probes[i].payload);
		free(db->probes[i].ports);
		free(db->probes[i].after);
		free(db->probes[i].services);
	}
	free(db->probes);
	for (i = 0; i < db->n_entries; i++)
		entry_clear(&db->entries[i]);
	free(db->entries);
	for (i = 0; i < db->n_tls; i++) {
		free(db->tls[i].inner);
		free(db->tls[i].service);
	}
	free(db->tls);
	free(db);
}

static int load_probe(struct cx_sigdb *db, xmlNodePtr n, const char *path,
                      struct cx_diags *d)
{
	struct cx_sig_probe *p;
	char *ports = NULL, *keep = NULL, *tls = NULL, *tmo = NULL;
	char *payload = NULL;
	long v;
	int rc;

	if (db->n_probes >= CX_SIG_MAX_PROBES) {
		cx_diag_add(d, path, cx_xml_line(n), "probe",
		            "more than %d probes", CX_SIG_MAX_PROBES);
		return CX_ELIMIT;
	}
	if (cx_grow(&db->probes, &db->cap_probes, db->n_probes + 1,
	            sizeof(*db->probes)))
		return CX_ENOMEM;
	p = &db->probes[db->n_probes];
	memset(p, 0, sizeof(*p));
	db->n_probes++;
	p->name = cx_xml_attr(n, "name");
	if (p->name == NULL || *p->name == '\0') {
		cx_diag_add(d, path, cx_xml_line(n), "probe@name", "missing");
		return CX_EPARSE;
	}
	if (cx_sig_probe_index(db, p->name) != (int)db->n_probes - 1) {
		cx_diag_add(d, path, cx_xml_line(n), "probe@name",
		            "probe '%s' defined twice (or named 'null')",
		            p->name);
		return CX_EPARSE;
	}
	p->after = cx_xml_attr(n, "after");
	p->services = cx_xml_attr(n, "services");
	ports = cx_xml_attr(n, "ports");
	keep = cx_xml_attr(n, "keep");
	tls = cx_xml_attr(n, "tls");
	tmo = cx_xml_attr(n, "timeout-ms");
	p->keep = yes(keep);
	p->tls = yes(tls);
	rc = parse_ports(p, ports);
	if (rc) {
		cx_diag_add(d, path, cx_xml_line(n), "probe@ports",
		            "bad port list '%s'", ports ? ports : "");
		goto out;
	}
	if (tmo != NULL) {
		rc = cx_parse_long(tmo, 1, 60000, &v);
		if (rc) {
			cx_diag_add(d, path, cx_xml_line(n), "probe@timeout-ms",
			            "expected 1..60000");
			goto out;
		}
		p->timeout_ms = (int)v;
	}
	payload = cx_xml_text(cx_xml_child(n, "payload"));
	if (payload == NULL || *payload == '\0') {
		cx_diag_add(d, path, cx_xml_line(n), "probe/payload",
		            "missing");
		rc = CX_EPARSE;
		goto out;
	}
	rc = decode_payload(payload, &p->payload, &p->len);
	if (rc)
		cx_diag_add(d, path, cx_xml_line(n), "probe/payload",
		            "bad escape (use \\r \\n \\t \\\\ \\xHH)");
out:
	free(ports);
	free(keep);
	free(tls);
	free(tmo);
	free(payload);
	return rc;
}

static int load_entry(struct cx_sigdb *db, xmlNodePtr n, int is_fact,
                      const char *path, struct cx_diags *d)
{
	struct sig_entry *e;
	struct cx_buf ere = {0};
	char *probes = NULL, *pattern = NULL, *a = NULL;
	const char *what = is_fact ? "fact" : "match";
	int rc, flags = REG_EXTENDED;

	if (cx_grow(&db->entries, &db->cap_entries, db->n_entries + 1,
	            sizeof(*db->entries)))
		return CX_ENOMEM;
	e = &db->entries[db->n_entries];
	memset(e, 0, sizeof(*e));
	db->n_entries++;
	e->is_fact = is_fact;
	e->line = cx_xml_line(n);
	e->service = cx_xml_attr(n, is_fact ? "name" : "service");
	if (e->service == NULL || *e->service == '\0') {
		cx_diag_add(d, path, e->line, what, "missing %s",
		            is_fact ? "name" : "service");
		rc = CX_EPARSE;
		goto out;
	}
	if (is_fact) {
		e->value = cx_xml_attr(n, "value");
		if (e->value == NULL) {
			cx_diag_add(d, path, e->line, "fact@value", "missing");
			rc = CX_EPARSE;
			goto out;
		}
	} else {
		e->product = cx_xml_attr(n, "product");
		e->version = cx_xml_attr(n, "version");
		e->extra = cx_xml_attr(n, "extra");
		a = cx_xml_attr(n, "soft");
		e->soft = yes(a);
		free(a);
		a = cx_xml_attr(n, "tls");
		e->tls = yes(a) || strcmp(e->service, "tls") == 0;
		free(a);
	}
	a = cx_xml_attr(n, "icase");
	if (yes(a))
		flags |= REG_ICASE;
	free(a);
	a = NULL;
	probes = cx_xml_attr(n, "probes");
	rc = probe_mask(db, probes ? probes : "", &e->probes);
	if (rc || e->probes == 0) {
		cx_diag_add(d, path, e->line, "probes",
		            "unknown or no probe in '%s' (probes must be "
		            "defined before the entries that use them)",
		            probes ? probes : "");
		rc = rc ? rc : CX_EPARSE;
		goto out;
	}
	pattern = cx_xml_text(cx_xml_child(n, "pattern"));
	if (pattern == NULL || *pattern == '\0') {
		cx_diag_add(d, path, e->line, "pattern", "missing");
		rc = CX_EPARSE;
		goto out;
	}
	rc = translate(pattern, &ere, e->gmap);
	if (rc) {
		cx_diag_add(d, path, e->line, "pattern",
		            "unsupported escape or character in '%s'", pattern);
		goto out;
	}
	if (regcomp(&e->re, ere.data, flags) != 0) {
		cx_diag_add(d, path, e->line, "pattern",
		            "not a valid extended regular expression: '%s'",
		            pattern);
		rc = CX_EPARSE;
		goto out;
	}
	e->re_ok = 1;
out:
	cx_buf_free(&ere);
	free(probes);
	free(pattern);
	return rc;
}

int cx_sigdb_load(const char *path, const char *schema_path,
                  struct cx_sigdb **out, struct cx_diags *diags)
{
	struct cx_sigdb *db = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root, n;
	int rc;

	*out = NULL;
	rc = cx_xml_parse_file(path, 0, &doc, diags);
	if (rc)
		return rc;
	if (schema_path != NULL) {
		rc = cx_xml_validate(doc, schema_path, path, diags);
		if (rc)
			goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (!cx_xml_is(root, "signatures")) {
		cx_diag_add(diags, path, cx_xml_line(root), "signatures",
		            "root element must be <signatures>");
		rc = CX_EPARSE;
		goto out;
	}
	db = calloc(1, sizeof(*db));
	if (db == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	/* probe 0 is the banner: nothing sent */
	db->probes = calloc(1, sizeof(*db->probes));
	if (db->probes == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	db->cap_probes = 1;
	db->n_probes = 1;
	db->probes[0].name = cx_strdup("null");
	if (db->probes[0].name == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	for (n = cx_xml_child(root, NULL); n != NULL;
	     n = cx_xml_next(n, NULL)) {
		if (cx_xml_is(n, "probe")) {
			rc = load_probe(db, n, path, diags);
		} else if (cx_xml_is(n, "match")) {
			rc = load_entry(db, n, 0, path, diags);
		} else if (cx_xml_is(n, "fact")) {
			rc = load_entry(db, n, 1, path, diags);
		} else if (cx_xml_is(n, "tls-service")) {
			struct cx_sig_tlsname *t;

			if (cx_grow(&db->tls, &db->cap_tls, db->n_tls + 1,
			            sizeof(*db->tls))) {
				rc = CX_ENOMEM;
				goto out;
			}
			t = &db->tls[db->n_tls++];
			t->inner = cx_xml_attr(n, "inner");
			t->service = cx_xml_attr(n, "service");
			rc = (t->inner && t->service) ? CX_OK : CX_EPARSE;
			if (rc)
				cx_diag_add(diags, path, cx_xml_line(n),
				            "tls-service",
				            "needs inner and service");
		} else {
			cx_diag_add(diags, path, cx_xml_line(n), NULL,
			            "unknown element");
			rc = CX_EPARSE;
		}
		if (rc)
			goto out;
	}
	*out = db;
	db = NULL;
out:
	cx_sigdb_free(db);
	xmlFreeDoc(doc);
	return rc;
}

/* ----------------------------------------------------------- matching */

void cx_svc_result_clear(struct cx_svc_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	free(res->service);
	free(res->product);
	free(res->version);
	free(res->extra);
	for (i = 0; i < res->n_facts; i++) {
		free(res->facts[i].name);
		free(res->facts[i].value);
	}
	memset(res, 0, sizeof(*res));
}

/*
 * Expand a template: $1..$9 are the author's groups.  The captured text
 * comes from the sanitised view, so it is printable ASCII already.  White
 * space is trimmed, the length capped; an empty result is NULL.
 */
static int expand(const char *tpl, const char *view, const regmatch_t *m,
                  size_t nm, const int gmap[SIG_MAX_GROUPS], char **out)
{
	struct cx_buf b = {0};
	size_t i, g;
	int rc = 0;
	char *s;

	*out = NULL;
	if (tpl == NULL)
		return CX_OK;
	rc = cx_buf_append(&b, "", 0);
	for (i = 0; tpl[i] != '\0' && rc == 0; i++) {
		if (tpl[i] == '$' && tpl[i + 1] >= '1' && tpl[i + 1] <= '9') {
			g = (size_t)gmap[tpl[i + 1] - '0'];
			i++;
			if (g == 0 || g >= nm || m[g].rm_so < 0)
				continue;
			rc = cx_buf_append(&b, view + m[g].rm_so,
			                   (size_t)(m[g].rm_eo - m[g].rm_so));
			continue;
		}
		rc = cx_buf_putc(&b, tpl[i]);
	}
	if (rc) {
		cx_buf_free(&b);
		return rc;
	}
	s = cx_buf_steal(&b);
	/* control characters (CR, LF, TAB) become spaces, then trim */
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20)
			s[i] = ' ';
	cx_trim(s);
	if (strlen(s) > SIG_MAX_FIELD)
		s[SIG_MAX_FIELD] = '\0';
	cx_trim(s);
	if (*s == '\0') {
		free(s);
		return CX_OK;
	}
	*out = s;
	return CX_OK;
}

static int has_fact(const struct cx_svc_result *res, const char *name)
{
	size_t i;

	for (i = 0; i < res->n_facts; i++)
		if (strcmp(res->facts[i].name, name) == 0)
			return 1;
	return 0;
}

static int fill_match(const struct sig_entry *e, const char *view,
                      const regmatch_t *m, size_t nm, struct cx_svc_result *res)
{
	int rc;

	res->service = cx_strdup(e->service);
	if (res->service == NULL)
		return CX_ENOMEM;
	res->soft = e->soft;
	res->tls = e->tls;
	rc = expand(e->product, view, m, nm, e->gmap, &res->product);
	if (rc == 0)
		rc = expand(e->version, view, m, nm, e->gmap, &res->version);
	if (rc == 0)
		rc = expand(e->extra, view, m, nm, e->gmap, &res->extra);
	return rc;
}

int cx_sig_match_idx(const struct cx_sigdb *db, int probe, const void *data,
                     size_t len, struct cx_svc_result *res)
{
	regmatch_t m[32];
	char *view;
	uint64_t bit;
	size_t i;
	int pass, matched = 0, rc = CX_OK;

	if (probe < 0 || (size_t)probe >= db->n_probes)
		return CX_EINVAL;
	view = cx_svc_view(data, len, SIG_MAX_INPUT);
	if (view == NULL)
		return CX_ENOMEM;
	/* the probe's own entries, then the banner ones */
	for (pass = 0; pass < 2 && !matched && res->service == NULL; pass++) {
		bit = (uint64_t)1 << (pass == 0 ? probe : 0);
		if (pass == 1 && probe == 0)
			break;
		for (i = 0; i < db->n_entries; i++) {
			const struct sig_entry *e = &db->entries[i];

			if (e->is_fact || !(e->probes & bit))
				continue;
			if (regexec(&e->re, view, CX_ARRAY_LEN(m), m, 0) != 0)
				continue;
			rc = fill_match(e, view, m, CX_ARRAY_LEN(m), res);
			if (rc)
				goto out;
			matched = 1;
			break;
		}
	}
	bit = (uint64_t)1 << probe;
	for (i = 0; i < db->n_entries; i++) {
		const struct sig_entry *e = &db->entries[i];
		struct cx_prop *f;

		if (!e->is_fact || !(e->probes & bit))
			continue;
		if (has_fact(res, e->service) ||
		    res->n_facts >= CX_SVC_MAX_FACTS)
			continue;
		if (regexec(&e->re, view, 0, NULL, 0) != 0)
			continue;
		f = &res->facts[res->n_facts];
		f->name = cx_strdup(e->service);
		f->value = cx_strdup(e->value);
		if (f->name == NULL || f->value == NULL) {
			free(f->name);
			free(f->value);
			f->name = f->value = NULL;
			rc = CX_ENOMEM;
			goto out;
		}
		res->n_facts++;
	}
out:
	free(view);
	if (rc)
		return rc;
	return matched;
}

int cx_sigdb_match(const struct cx_sigdb *db, const char *probe,
                   const void *data, size_t len, struct cx_svc_result *res)
{
	int idx;

	if (db == NULL || res == NULL || (data == NULL && len > 0))
		return CX_EINVAL;
	idx = cx_sig_probe_index(
	    db, (probe && strcmp(probe, "null") != 0) ? probe : NULL);
	if (idx < 0)
		return CX_EINVAL;
	return cx_sig_match_idx(db, idx, data ? data : "", len, res);
}

int cx_sig_probe_elicits(const struct cx_sig_probe *p, const char *service)
{
	const char *s = p->services;
	size_t n;

	if (s == NULL || service == NULL)
		return 0;
	n = strlen(service);
	while (*s != '\0') {
		while (*s == ' ')
			s++;
		if (strncmp(s, service, n) == 0 &&
		    (s[n] == ' ' || s[n] == '\0'))
			return 1;
		while (*s != ' ' && *s != '\0')
			s++;
	}
	return 0;
}

const char *cx_sig_tls_service(const struct cx_sigdb *db, const char *inner)
{
	size_t i;

	if (inner == NULL)
		return "tls";
	for (i = 0; i < db->n_tls; i++)
		if (strcmp(db->tls[i].inner, inner) == 0)
			return db->tls[i].service;
	return inner;
}
