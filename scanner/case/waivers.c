/*
 * certexam — waivers: CASE/waivers.xml read and validated, and applied to
 * the failed findings of a run (see include/certexam/waiver.h).  The
 * pattern matcher is iterative with one backtrack point, so a pattern of
 * many '*' against a long key stays linear in their product at worst and
 * never recurses.
 *
 * When a waiver applies: when the run is made (scan, rescan), never when
 * an act is drafted.  The run snapshots waivers.xml with its SHA-256 in
 * its evidence and records each waiver's fate (applied, expired, refused,
 * unused) as an observation, and the act is built from the stored run
 * alone, so that an act can be drafted again from the same run, at any
 * time, with the same result, and every waiver it shows can be checked
 * against the evidence of that run.  A waiver added after a scan therefore
 * takes effect with the next run (`certexam rescan`), which re-checks the
 * findings it would cover anyway.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/calendar.h"
#include "certexam/i18n.h"
#include "certexam/util.h"
#include "certexam/waiver.h"
#include "ltext.h"
#include "xmlsafe.h"

static const char *const wt_langs[3] = {"kk", "ru", "en"};

static void wtext_free(struct cx_wtext *t)
{
	size_t li;

	free(t->text);
	for (li = 0; li < 3; li++)
		free(t->own[li]);
}

void cx_waivers_free(struct cx_waivers *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->n; i++) {
		free(w->items[i].key);
		free(w->items[i].pattern);
		wtext_free(&w->items[i].just);
		wtext_free(&w->items[i].approver);
		free(w->items[i].date);
		free(w->items[i].expires);
	}
	free(w->items);
	free(w);
}

int cx_waiver_match(const char *p, const char *k)
{
	const char *star = NULL, *mark = NULL;

	if (p == NULL || k == NULL)
		return 0;
	while (*k != '\0') {
		if (*p == '*') {
			star = p++;
			mark = k;
		} else if (*p == *k) {
			p++;
			k++;
		} else if (star != NULL) {
			p = star + 1;
			k = ++mark;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

static char *attr(xmlNodePtr n, const char *name)
{
	char *s = cx_xml_attr(n, name);

	if (s != NULL && s[0] == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

/*
 * One free text of waiver n: the child elements elem (each with its
 * xml:lang or none) and, when attr is set, the attribute attr as the
 * untagged text; read by the reader of object.xml's texts (a language
 * given twice, or one other than kk, ru, en, is an error in d).
 */
static int read_text(xmlNodePtr n, const char *elem, const char *attr,
                     const char *path, struct cx_diags *d, struct cx_wtext *t)
{
	struct cx_ltexts *lt = NULL;
	struct cx_lt_reader r;
	const char *own;
	char *tmp = NULL;
	int li, oom = 0;

	memset(&r, 0, sizeof(r));
	r.lt = &lt;
	r.file = path;
	r.d = d;
	cx_lt_field(&r, n, elem, attr, elem, &tmp);
	if (tmp != NULL && (t->text = cx_strdup(tmp)) == NULL)
		oom = 1;
	t->lang = cx_lt_default_lang(lt, &tmp);
	for (li = 0; li < 3; li++) {
		own = cx_lt_own(lt, &tmp, li);
		if (own != NULL && (t->own[li] = cx_strdup(own)) == NULL)
			oom = 1;
	}
	cx_lt_free(lt); /* sets tmp to NULL when lt kept it */
	free(tmp);
	if (oom || r.oom)
		return CX_ENOMEM;
	return r.errors ? CX_EPARSE : CX_OK;
}

static int check_one(const struct cx_waiver *w, const char *path,
                     struct cx_diags *d)
{
	long a, b;

	if (w->justification == NULL || w->approved_by == NULL) {
		const char *f =
		    w->justification == NULL ? "justification" : "approved-by";

		return cx_diag_add(d, path, w->line, f,
		                   "the waiver gives no %s", f) ||
		               cx_diag_set_msg(d, "pkg.waiver.missing-text",
		                               CX_ARGS("field", f))
		           ? CX_ENOMEM
		           : CX_EPARSE;
	}

	if ((w->key == NULL) == (w->pattern == NULL))
		return cx_diag_add(d, path, w->line, "waiver",
		                   "give exactly one of key and pattern") ||
		               cx_diag_set_msg(d, "pkg.waiver.key-or-pattern",
		                               NULL)
		           ? CX_ENOMEM
		           : CX_EPARSE;
	if (cx_date_parse(w->date, &a) != CX_OK ||
	    cx_date_parse(w->expires, &b) != CX_OK)
		return cx_diag_add(d, path, w->line, "waiver",
		                   "date and expires must be real dates "
		                   "(YYYY-MM-DD)") ||
		               cx_diag_set_msg(d, "pkg.waiver.bad-date", NULL)
		           ? CX_ENOMEM
		           : CX_EPARSE;
	if (b < a)
		return cx_diag_add(d, path, w->line, "waiver@expires",
		                   "the waiver expires (%s) before it was "
		                   "approved (%s)",
		                   w->expires, w->date) ||
		               cx_diag_set_msg(d, "pkg.waiver.expires-before",
		                               CX_ARGS("expires", w->expires,
		                                       "date", w->date))
		           ? CX_ENOMEM
		           : CX_EPARSE;
	return CX_OK;
}

int cx_waivers_load(const char *path, const char *schema_dir,
                    struct cx_waivers **out, struct cx_diags *d)
{
	struct cx_waivers *w = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr n;
	size_t cnt = 0;
	int rc;

	*out = NULL;
	rc = cx_xml_parse_file(path, CX_XML_MAX_SIZE, &doc, d);
	if (rc == CX_OK)
		rc =
		    cx_xml_validate_in(doc, schema_dir, "waivers.xsd", path, d);
	if (rc)
		goto out;
	for (n = cx_xml_child(xmlDocGetRootElement(doc), "waiver"); n != NULL;
	     n = cx_xml_next(n, "waiver"))
		cnt++;
	w = calloc(1, sizeof(*w));
	if (w == NULL ||
	    (cnt > 0 && (w->items = calloc(cnt, sizeof(*w->items))) == NULL)) {
		rc = CX_ENOMEM;
		goto out;
	}
	for (n = cx_xml_child(xmlDocGetRootElement(doc), "waiver"); n != NULL;
	     n = cx_xml_next(n, "waiver")) {
		struct cx_waiver *x = &w->items[w->n++];

		x->line = cx_xml_line(n);
		x->key = attr(n, "key");
		x->pattern = attr(n, "pattern");
		x->date = attr(n, "date");
		x->expires = attr(n, "expires");
		rc = read_text(n, "justification", NULL, path, d, &x->just);
		if (rc == CX_OK)
			rc = read_text(n, "approved-by", "approved-by", path, d,
			               &x->approver);
		if (rc)
			goto out;
		x->justification = x->just.text;
		x->approved_by = x->approver.text;
		rc = check_one(x, path, d);
		if (rc)
			goto out;
	}
	*out = w;
	w = NULL;
out:
	cx_waivers_free(w);
	if (doc != NULL)
		xmlFreeDoc(doc);
	return rc;
}

/* A free text as props: name (the default), name.lang, name.kk/ru/en. */
static int note_text(struct cx_observation *o, const char *name,
                     const struct cx_wtext *t)
{
	char pn[32];
	int li;

	if (cx_obs_prop(o, name, t->text))
		return CX_ENOMEM;
	snprintf(pn, sizeof(pn), "%s.lang", name);
	if (t->lang != NULL && cx_obs_prop(o, pn, t->lang))
		return CX_ENOMEM;
	for (li = 0; li < 3; li++) {
		snprintf(pn, sizeof(pn), "%s.%s", name, wt_langs[li]);
		if (t->own[li] != NULL && cx_obs_prop(o, pn, t->own[li]))
			return CX_ENOMEM;
	}
	return CX_OK;
}

/* 1 if the language code lang is a word of the list langs ("kk ru"). */
static int lang_listed(const char *langs, const char *lang)
{
	size_t n = strlen(lang);
	const char *p = langs;

	while ((p = strstr(p, lang)) != NULL) {
		if ((p == langs || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ' '))
			return 1;
		p += n;
	}
	return 0;
}

/* The warnings of one free text (see cx_waivers_check_langs). */
static int check_text(const struct cx_waiver *w, const struct cx_wtext *t,
                      const char *field, const char *langs, const char *path,
                      struct cx_diags *d)
{
	int li, any = 0;

	for (li = 0; li < 3; li++)
		any |= t->own[li] != NULL;
	if (!any)
		return CX_OK; /* one untagged text: valid in every language */
	for (li = 0; li < 3; li++) {
		const char *l = wt_langs[li];

		if (t->own[li] != NULL || !lang_listed(langs, l))
			continue;
		if (t->lang == NULL
		        ? cx_diag_warn(d, path, w->line, field,
		                       "no text with xml:lang=\"%s\": the %s "
		                       "act prints the untagged text",
		                       l, l) ||
		              cx_diag_set_msg(d,
		                              "pkg.ltext.missing-lang-untagged",
		                              CX_ARGS("lang", l))
		        : cx_diag_warn(d, path, w->line, field,
		                       "no text with xml:lang=\"%s\": the %s "
		                       "act prints the %s (first given) text",
		                       l, l, t->lang) ||
		              cx_diag_set_msg(
		                  d, "pkg.ltext.missing-lang",
		                  CX_ARGS("lang", l, "given", t->lang)))
			return CX_ENOMEM;
	}
	return CX_OK;
}

int cx_waivers_check_langs(const struct cx_waivers *w, const char *langs,
                           const char *path, struct cx_diags *d)
{
	size_t i;
	int rc = CX_OK;

	if (w == NULL)
		return CX_OK;
	if (langs == NULL)
		langs = "kk ru";
	for (i = 0; i < w->n && rc == CX_OK; i++) {
		rc = check_text(&w->items[i], &w->items[i].just,
		                "justification", langs, path, d);
		if (rc == CX_OK)
			rc = check_text(&w->items[i], &w->items[i].approver,
			                "approved-by", langs, path, d);
	}
	return rc;
}

static int note(struct cx_run *run, const struct cx_waiver *w,
                const char *asset, const char *state)
{
	struct cx_observation *o = cx_run_add_obs(run, "waiver", asset);

	if (o == NULL || cx_obs_prop(o, "finding", asset) ||
	    cx_obs_prop(o, "waiver", w->key ? w->key : w->pattern) ||
	    cx_obs_prop(o, "state", state) ||
	    note_text(o, "justification", &w->just) ||
	    note_text(o, "approved_by", &w->approver) ||
	    cx_obs_prop(o, "date", w->date) ||
	    cx_obs_prop(o, "expires", w->expires))
		return CX_ENOMEM;
	return CX_OK;
}

int cx_waivers_apply(const struct cx_waivers *w, struct cx_run *run,
                     const struct cx_profile *profile, long today)
{
	const struct cx_waiver *x;
	struct cx_finding *f;
	size_t i, k, used;
	long exp;
	int forbid, rc = CX_OK;

	if (w == NULL || run == NULL)
		return CX_EINVAL;
	forbid = cx_profile_param_has(profile, "waiver.critical", "forbidden");
	for (k = 0; k < w->n && rc == CX_OK; k++) {
		x = &w->items[k];
		used = 0;
		if (cx_date_parse(x->expires, &exp) != CX_OK)
			continue; /* refused by the loader */
		for (i = 0; i < run->n_findings && rc == CX_OK; i++) {
			f = &run->findings[i];
			if (f->status != CX_FAIL || f->key == NULL ||
			    !(x->key ? strcmp(x->key, f->key) == 0
			             : cx_waiver_match(x->pattern, f->key)))
				continue;
			used++;
			if (exp < today) {
				rc = note(run, x, f->key, "expired");
			} else if (forbid && f->severity == CX_SEV_CRITICAL) {
				rc = note(run, x, f->key, "refused-critical");
			} else {
				f->status = CX_WAIVED;
				rc = note(run, x, f->key, "applied");
			}
		}
		if (rc == CX_OK && used == 0)
			rc = note(run, x, x->key ? x->key : x->pattern,
			          "unused");
	}
	return rc;
}
