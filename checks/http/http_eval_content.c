/*
 * certexam — http evaluator for the content of the final page: scripts
 * and styles from other hosts without integrity, mixed content and
 * forms that submit over plain http.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/escape.h"
#include "certexam/util.h"
#include "http_int.h"

static int same_host_url(const char *url, const char *host)
{
	int https, port;
	char *h = NULL, *p = NULL;
	int same = 0;

	if (http_url_split(url, &https, &h, &port, &p) == CX_OK)
		same = cx_strcaseeq(h, host);
	free(h);
	free(p);
	return same;
}

void http_eval_content(struct eval *ev, struct score_result *sc,
                       const struct done *fd, const struct html_info *html)
{
	struct res *r = ev->r;
	char item[240];
	char *abs;
	size_t i;
	int n_ext = 0, ext_insecure = 0, ext_sri = 0, ext_nosri = 0;

	if (html == NULL) {
		http_mark(ev, 12, 3, "web.content.na-not-html", NULL, fd);
		sc->result[ST_SRI] = "sri-not-implemented-response-not-html";
		return;
	}
	for (i = 0; i < html->n_scripts; i++) {
		const struct html_script *s = &html->scripts[i];

		if (s->src == NULL)
			continue;
		abs = http_url_resolve(r->final_url, s->src);
		if (abs == NULL)
			continue;
		if (r->final_https && strncmp(abs, "http:", 5) == 0) {
			snprintf(item, sizeof(item), "script:%.200s", s->src);
			http_prob(ev, 12, item, CX_CONFIRMED, fd,
			          "web.content.mixed-script",
			          CX_ARGS("url", abs), NULL);
		}
		if (!same_host_url(abs, r->final_host)) {
			n_ext++;
			if (strncmp(abs, "http:", 5) == 0)
				ext_insecure = 1;
			if (s->has_integrity) {
				ext_sri++;
			} else {
				ext_nosri++;
				snprintf(item, sizeof(item), "sri:%.200s",
				         s->src);
				http_prob(ev, 12, item, CX_CONFIRMED, fd,
				          "web.content.no-sri",
				          CX_ARGS("url", abs), NULL);
			}
			if (!r->final_https && strncmp(abs, "http:", 5) == 0) {
				snprintf(item, sizeof(item), "script:%.200s",
				         s->src);
				http_prob(ev, 12, item, CX_CONFIRMED, fd,
				          "web.content.script-over-http",
				          CX_ARGS("url", abs), NULL);
			}
		}
		free(abs);
	}
	for (i = 0; i < html->n_forms; i++) {
		const struct html_form *f = &html->forms[i];
		int insecure;

		if (!f->has_password)
			continue;
		abs = f->action && f->action[0]
		          ? http_url_resolve(r->final_url, f->action)
		          : cx_strdup(r->final_url);
		insecure = abs == NULL ? !r->final_https
		                       : strncmp(abs, "http:", 5) == 0;
		if (insecure) {
			http_prob(ev, 12, "password-form", CX_CONFIRMED, fd,
			          "web.content.password-form-http",
			          CX_ARGS("url", abs ? abs : f->action), NULL);
		}
		free(abs);
	}
	http_mark(ev, 12, 1, "web.content.pass", NULL, fd);
	if (html->n_scripts == 0)
		sc->result[ST_SRI] =
		    "sri-not-implemented-but-no-scripts-loaded";
	else if (n_ext == 0)
		sc->result[ST_SRI] = ext_sri
		                         ? "sri-implemented-and-all-scripts-"
		                           "loaded-securely"
		                         : "sri-not-implemented-but-all-"
		                           "scripts-loaded-from-secure-"
		                           "origin";
	else if (ext_nosri)
		sc->result[ST_SRI] = ext_insecure
		                         ? "sri-not-implemented-and-external-"
		                           "scripts-not-loaded-securely"
		                         : "sri-not-implemented-but-external-"
		                           "scripts-loaded-securely";
	else
		sc->result[ST_SRI] = ext_insecure
		                         ? "sri-implemented-but-external-"
		                           "scripts-not-loaded-securely"
		                         : "sri-implemented-and-external-"
		                           "scripts-loaded-securely";
}
