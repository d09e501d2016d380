/*
 * certexam — the score and grade of a web resource, modelled on Mozilla's
 * HTTP Observatory (algorithm and table: docs/http-scoring.md).
 *
 * Version certexam-http-score/1: 100 points, plus the modifier of each of
 * ten tests.  Penalties always count; bonuses (positive modifiers) count
 * only when 100 plus the penalties is at least 90.  The minimum is 0.
 * Grades by 5-point steps: 100+ A+, 90 A, 85 A-, 80 B+, 70 B, 65 B-,
 * 60 C+, 50 C, 45 C-, 40 D+, 30 D, 25 D-, below F.
 */
#include <string.h>

#include "certexam/error.h"
#include "certexam/util.h"
#include "http_parse.h"

struct modifier {
	const char *result;
	int modifier;
};

/* The table: Observatory result names and our modifiers. */
static const struct modifier table[] = {
    /* content-security-policy */
    {"csp-implemented-with-no-unsafe-default-src-none", 10},
    {"csp-implemented-with-no-unsafe", 5},
    {"csp-implemented-with-unsafe-inline-in-style-src-only", 0},
    {"csp-implemented-with-insecure-scheme-in-passive-content-only", -10},
    {"csp-implemented-with-unsafe-eval", -10},
    {"csp-implemented-with-unsafe-inline", -20},
    {"csp-implemented-with-insecure-scheme", -20},
    {"csp-header-invalid", -25},
    {"csp-not-implemented", -25},
    {"csp-not-implemented-but-reporting-enabled", -25},
    {"csp-implemented-but-duplicate-directives", 0},
    /* cookies */
    {"cookies-secure-with-httponly-sessions-and-samesite", 5},
    {"cookies-not-found", 0},
    {"cookies-secure-with-httponly-sessions", 0},
    {"cookies-without-secure-flag-but-protected-by-hsts", -5},
    {"cookies-session-without-secure-flag-but-protected-by-hsts", -10},
    {"cookies-without-secure-flag", -20},
    {"cookies-samesite-flag-invalid", -20},
    {"cookies-anticsrf-without-samesite-flag", -20},
    {"cookies-session-without-httponly-flag", -30},
    {"cookies-session-without-secure-flag", -40},
    /* cross-origin-resource-sharing */
    {"cross-origin-resource-sharing-not-implemented", 0},
    {"cross-origin-resource-sharing-implemented-with-public-access", 0},
    {"cross-origin-resource-sharing-implemented-with-restricted-access", 0},
    {"cross-origin-resource-sharing-implemented-with-universal-access", -50},
    /* redirection */
    {"redirection-to-https", 0},
    {"redirection-not-needed-no-http", 0},
    {"redirection-off-host-from-http", -5},
    {"redirection-not-to-https-on-initial-redirection", -10},
    {"redirection-not-to-https", -20},
    {"redirection-missing", -20},
    {"redirection-invalid-cert", -20},
    /* referrer-policy */
    {"referrer-policy-private", 5},
    {"referrer-policy-not-implemented", 0},
    {"referrer-policy-unsafe", -5},
    {"referrer-policy-header-invalid", -5},
    /* strict-transport-security */
    {"hsts-preloaded", 5},
    {"hsts-implemented-max-age-at-least-six-months", 0},
    {"hsts-implemented-max-age-less-than-six-months", -10},
    {"hsts-not-implemented", -20},
    {"hsts-header-invalid", -20},
    {"hsts-not-implemented-no-https", -20},
    {"hsts-invalid-cert", -20},
    /* subresource-integrity */
    {"sri-implemented-and-all-scripts-loaded-securely", 5},
    {"sri-implemented-and-external-scripts-loaded-securely", 5},
    {"sri-not-implemented-response-not-html", 0},
    {"sri-not-implemented-but-no-scripts-loaded", 0},
    {"sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0},
    {"sri-not-implemented-but-external-scripts-loaded-securely", -5},
    {"sri-implemented-but-external-scripts-not-loaded-securely", -20},
    {"sri-not-implemented-and-external-scripts-not-loaded-securely", -50},
    /* x-content-type-options */
    {"x-content-type-options-nosniff", 0},
    {"x-content-type-options-not-implemented", -5},
    {"x-content-type-options-header-invalid", -5},
    /* x-frame-options */
    {"x-frame-options-implemented-via-csp", 5},
    {"x-frame-options-sameorigin-or-deny", 0},
    {"x-frame-options-allow-from-origin", -20},
    {"x-frame-options-not-implemented", -20},
    {"x-frame-options-header-invalid", -20},
    /* cross-origin-resource-policy */
    {"corp-not-implemented", 0},
    {"corp-implemented-with-same-origin", 10},
    {"corp-implemented-with-same-site", 10},
    {"corp-implemented-with-cross-origin", 0},
    {"corp-header-invalid", -5},
};

static const char *const test_names[ST__COUNT] = {
    "content-security-policy",
    "cookies",
    "cross-origin-resource-sharing",
    "redirection",
    "referrer-policy",
    "strict-transport-security",
    "subresource-integrity",
    "x-content-type-options",
    "x-frame-options",
    "cross-origin-resource-policy",
};

const char *score_test_name(enum score_test t)
{
	if ((unsigned)t >= ST__COUNT)
		return "unknown";
	return test_names[t];
}

int score_modifier(const char *result, int *modifier)
{
	size_t i;

	*modifier = 0;
	if (result == NULL)
		return CX_EINVAL;
	for (i = 0; i < CX_ARRAY_LEN(table); i++) {
		if (strcmp(table[i].result, result) == 0) {
			*modifier = table[i].modifier;
			return CX_OK;
		}
	}
	return CX_EINVAL;
}

const char *score_grade(int score)
{
	static const struct {
		int min;
		const char *grade;
	} chart[] = {{100, "A+"}, {90, "A"},  {85, "A-"}, {80, "B+"},
	             {70, "B"},   {65, "B-"}, {60, "C+"}, {50, "C"},
	             {45, "C-"},  {40, "D+"}, {30, "D"},  {25, "D-"}};
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(chart); i++)
		if (score >= chart[i].min)
			return chart[i].grade;
	return "F";
}

int score_compute(struct score_result *s)
{
	int with_bonus = 100, penalties_only = 100, m, rc = CX_OK;
	size_t i;

	for (i = 0; i < ST__COUNT; i++) {
		s->modifier[i] = 0;
		if (s->result[i] == NULL)
			continue;
		if (score_modifier(s->result[i], &m) != CX_OK) {
			rc = CX_EINVAL;
			continue;
		}
		s->modifier[i] = m;
		with_bonus += m;
		if (m < 0)
			penalties_only += m;
	}
	s->score = penalties_only >= 90 ? with_bonus : penalties_only;
	if (s->score < 0)
		s->score = 0;
	s->grade = score_grade(s->score);
	return rc;
}
