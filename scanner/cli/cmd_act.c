/*
 * certexam — command line: act: drafting the act (and the act of additional
 * examination, the certificate draft and the register entry) from a stored run.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certexam/act.h"
#include "certexam/calendar.h"
#include "certexam/cert.h"
#include "certexam/check.h"
#include "certexam/deadlines.h"
#include "certexam/error.h"
#include "certexam/escape.h"
#include "certexam/i18n.h"
#include "certexam/loop.h"
#include "certexam/merge.h"
#include "certexam/object.h"
#include "certexam/profile.h"
#include "certexam/run.h"
#include "certexam/scan.h"
#include "certexam/target.h"
#include "certexam/util.h"
#include "certexam/version.h"
#include "commands.h"

/* What changes with the language of an act besides its catalog: the
 * case's texts given in several languages (object.xml xml:lang) and the
 * people the act names from the case. */
struct act_lang_ctx {
	struct cx_object *obj;
	struct cx_run *run;
	struct cx_case_texts texts; /* the run's case texts in the language */
	const struct cx_act_opts *ao;
	struct cx_act_person *head;    /* ao->head, completed from the case */
	struct cx_act_person head_opt; /* as the option gave it */
};

/*
 * Ctrl-C and SIGTERM during `act`.  Before the acts are written nothing
 * has been created, so the command ends at once (exit 3, the message
 * prepared in the terminal's language).  While they are written the
 * signal only sets cx_interrupted: the streams stop at their next chunk,
 * every temporary file is removed, and the command exits 3.  Once the
 * acts are renamed into place the command finishes as it would have (a
 * late signal changes nothing: the acts are complete).
 */
static volatile sig_atomic_t act_writing;
static char act_intr_msg[256];
static volatile sig_atomic_t act_intr_len; /* 0 while it is rewritten */

static void act_on_signal(int sig)
{
	(void)sig;
	if (!act_writing) {
		if (write(STDERR_FILENO, act_intr_msg, (size_t)act_intr_len) <
		    0) {
			/* nothing more can be said */
		}
		_exit(EXIT_RUNTIME);
	}
	cx_interrupted = 1;
}

/* The message of an interruption, in the terminal's language as it is
 * now (again after the case's language is known). */
static void act_intr_prepare(void)
{
	int n;

	act_intr_len = 0;
	n = snprintf(
	    act_intr_msg, sizeof(act_intr_msg), "%s: %s\n", cli_prog,
	    cli_m("cli.act.failed", CX_ARGS("error", cli_strerror(CX_EINTR))));
	act_intr_len = n < 0 ? 0
	               : (size_t)n < sizeof(act_intr_msg)
	                   ? n
	                   : (int)sizeof(act_intr_msg) - 1;
}

/*
 * Installed first of all, before the options and the catalogs: a script
 * that starts `certexam act ... &` without job control hands it SIGINT
 * ignored, so a signal in the first milliseconds (the catalogs load) was
 * lost and the act ran on.  Until act_intr_prepare() words the message,
 * an interruption exits 3 without one.
 */
static void act_install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = act_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int act_use_lang(struct cx_act *act, struct act_lang_ctx *lc,
                        const struct cx_catalog *cat, const char *lang)
{
	act->cat = cat;
	act->lang = lang;
	cx_run_case_texts_undo(&lc->texts);
	cx_object_localize(lc->obj, lang);
	if (lc->ao->head != NULL && lc->obj != NULL) {
		lc->head->name =
		    lc->head_opt.name ? lc->head_opt.name : lc->obj->head.name;
		lc->head->position = lc->head_opt.position
		                         ? lc->head_opt.position
		                         : lc->obj->head.position;
	}
	cx_act_people(act, lc->ao);
	return cx_run_case_texts(lc->run, lc->obj, &lc->texts);
}

/* act --certificate: the draft certificate in each language of the acts
 * and the register entry, only when the proposed decision is to issue. */
static int act_certificate(struct cx_act *act, struct act_lang_ctx *lc,
                           const char *pdir, const char *profile_id,
                           const char *outdir, struct cx_catalog *const *cats,
                           char (*lang)[3], size_t nl)
{
	struct cx_profile *prof = NULL;
	struct cx_diags d = {0};
	struct cx_buf why = {0};
	char *paths[4];
	size_t i, li;
	int rc = CX_OK;

	if (!cx_cert_ready(act, cli_cat(), &why)) {
		cli_say("cli.act.no-certificate",
		        CX_ARGS("why", why.data ? why.data : ""));
		cx_buf_free(&why);
		return EXIT_CLEAN;
	}
	if (profile_id != NULL &&
	    cx_profile_load_id(pdir, profile_id, &prof, &d) != CX_OK)
		cli_print_diags(&d);
	for (li = 0; li < nl && rc == CX_OK; li++) {
		rc = act_use_lang(act, lc, cats[li], lang[li]);
		if (rc == CX_OK)
			rc = cx_cert_files(act, prof, outdir, li == 0, paths);
		for (i = 0; i < 4; i++) {
			if (rc == CX_OK && paths[i] != NULL)
				printf("%s\n", cli_tsafe(paths[i]));
			free(paths[i]);
		}
	}
	cx_profile_free(prof);
	cx_diags_free(&d);
	if (rc) {
		cli_say("cli.act.certificate-failed",
		        CX_ARGS("error", cli_strerror(rc)));
		return EXIT_RUNTIME;
	}
	cli_say("cli.act.certificate-written", NULL);
	return EXIT_CLEAN;
}

/*
 * --examiner / --head "NAME;POSITION": exactly one ';', each part at most
 * 200 bytes of valid UTF-8 without control characters (the act escapes
 * everything, this keeps what is signed readable).  An examiner needs both
 * parts; for the head an empty part is completed from the case.  out[0],
 * out[1]: new strings or NULL.  0, or -1 after a message.
 */
static int person_opt(const char *opt, const char *v, int need_both,
                      char *out[2])
{
	const char *semi = strchr(v, ';');
	const unsigned char *p;
	size_t n[2];

	if (semi == NULL || strchr(semi + 1, ';') != NULL)
		goto bad;
	n[0] = (size_t)(semi - v);
	n[1] = strlen(semi + 1);
	if (n[0] > 200 || n[1] > 200 || (need_both && (!n[0] || !n[1])) ||
	    (!n[0] && !n[1]) || !cx_utf8_valid(v, strlen(v)))
		goto bad;
	for (p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			goto bad;
	out[0] = n[0] ? cx_strndup(v, n[0]) : NULL;
	out[1] = n[1] ? cx_strdup(semi + 1) : NULL;
	if ((n[0] && out[0] == NULL) || (n[1] && out[1] == NULL))
		return -1;
	return 0;
bad:
	cli_say("cli.act.bad-person", CX_ARGS("option", opt, "value", v));
	return -1;
}

/*
 * The evidence files cx_run_verify() named (diagnostics from index first)
 * as "E0001 (evidence/E0001-x.bin)", for the act's page 1.  0 or
 * CX_ENOMEM; *out is the caller's.
 */
static int altered_list(const struct cx_run *run, const struct cx_diags *d,
                        size_t first, char ***out, size_t *n)
{
	size_t i, k;
	char *path;

	*out = calloc(run->n_evidence + 1, sizeof(**out));
	if (*out == NULL)
		return CX_ENOMEM;
	for (k = 0; k < run->n_evidence; k++) {
		const struct cx_evidence *e = &run->evidence[k];
		struct cx_buf b = {0};
		int hit = 0;

		path = cx_path_join(run->dir, e->file);
		for (i = first; i < d->n && !hit; i++)
			hit = d->items[i].file != NULL &&
			      (strcmp(d->items[i].file, e->file) == 0 ||
			       (path && strcmp(d->items[i].file, path) == 0));
		free(path);
		if (!hit)
			continue;
		if (cx_buf_printf(&b, "%s (%s)", e->id, e->file) != CX_OK)
			return CX_ENOMEM;
		(*out)[(*n)++] = cx_buf_steal(&b);
	}
	return CX_OK;
}

/* The last line of act: the number and the proposed decision, in the
 * terminal's language (the act's own sentence of the decision). */
static void act_summary(const struct cx_act *act)
{
	const char *dec;

	cli_say(act->number ? "cli.act.drafted" : "cli.act.drafted-unnumbered",
	        CX_ARGS("number", act->number));
	switch (act->decision) {
	case CX_DECISION_ISSUE:
		dec = "act.decision.issue";
		break;
	case CX_DECISION_RECTIFY:
		dec = "act.decision.rectify";
		break;
	case CX_DECISION_REFUSE:
		dec = "act.decision.refuse";
		break;
	default:
		dec = "act.decision.none";
		break;
	}
	cli_say(dec, CX_ARGS("para", act->decision_para));
}

int cmd_act(int argc, char **argv)
{
	enum {
		O_RUN = 256,
		O_FORMAT,
		O_OUTDIR,
		O_ADDITIONAL,
		O_DATE,
		O_PROFILES,
		O_LANG,
		O_NUMBER,
		O_CERT,
		O_EXAMINER,
		O_HEAD,
		O_ACCEPT_ALTERED,
		O_HELP
	};
	static const struct option lo[] = {
	    {"run", required_argument, NULL, O_RUN},
	    {"lang", required_argument, NULL, O_LANG},
	    {"number", required_argument, NULL, O_NUMBER},
	    {"format", required_argument, NULL, O_FORMAT},
	    {"output", required_argument, NULL, O_OUTDIR},
	    {"additional", no_argument, NULL, O_ADDITIONAL},
	    {"date", required_argument, NULL, O_DATE},
	    {"profiles", required_argument, NULL, O_PROFILES},
	    {"certificate", no_argument, NULL, O_CERT},
	    {"examiner", required_argument, NULL, O_EXAMINER},
	    {"head", required_argument, NULL, O_HEAD},
	    {"accept-altered-evidence", no_argument, NULL, O_ACCEPT_ALTERED},
	    {"help", no_argument, NULL, O_HELP},
	    {NULL, 0, NULL, 0},
	};
	static const struct cli_help h[] = {
	    {NULL, "cli.help.act.usage"},
	    {"--run N", "cli.help.act.run"},
	    {"--additional", "cli.help.act.additional"},
	    {"--format LIST", "cli.help.act.format"},
	    {"-o, --output DIR", "cli.help.act.output"},
	    {"--date DATE", "cli.help.act.date"},
	    {"--lang LIST", "cli.help.act.lang"},
	    {"--number NO", "cli.help.act.number"},
	    {"--examiner \"NAME;POSITION\"", "cli.help.act.examiner"},
	    {"--head \"NAME;POSITION\"", "cli.help.act.head"},
	    {"--accept-altered-evidence", "cli.help.act.accept-altered"},
	    {"--certificate", "cli.help.act.certificate"},
	    {"--profiles DIR", "cli.help.opt.profiles"},
	    {NULL, "cli.help.act.tail"},
	};
	const char *formats = "html,xml,json,md", *outdir = NULL;
	const char *date = NULL, *pdir = NULL, *arg, *langs = NULL;
	const char *number = NULL;
	struct cx_act_register reg = {0};
	const struct cx_act_reg_entry *prev_entry, *ref_entry = NULL;
	struct cx_act_opts ao;
	struct cx_profile *prof = NULL;
	char *reg_path = NULL;
	const struct cx_act_writer *w[8];
	struct cx_file_sink sinks[8 * 3];
	size_t n_sinks = 0;
	struct cx_catalog *cats[3] = {NULL, NULL, NULL};
	char lang[3][3];
	size_t nl = 0, li;
	struct cx_diags d = {0};
	struct cx_run *run = NULL, *base = NULL;
	struct cx_deadlines terms;
	struct cx_object *obj = NULL;
	struct cx_act *act = NULL;
	char *rundir = NULL, *schema = NULL, *out_owned = NULL, *fl = NULL;
	char *tok, *save = NULL, *path;
	size_t nw = 0, i;
	int c, runno = 0, additional = 0, want_cert = 0, rc, ret = EXIT_USAGE;
	struct cx_act_person exam[CX_ACT_MAX_EXAMINERS], head = {0};
	struct act_lang_ctx lc = {0};
	char *people_store[CX_ACT_MAX_EXAMINERS + 1][2];
	size_t n_exam = 0, n_store = 0, n_altered = 0;
	int have_head = 0, accept_altered = 0;
	char **altered = NULL;

	memset(sinks, 0, sizeof(sinks));
	memset(&terms, 0, sizeof(terms));
	memset(people_store, 0, sizeof(people_store));
	act_install_signals();
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", lo, NULL)) != -1) {
		switch (c) {
		case O_RUN:
			if (cli_opt_int("run", optarg, 1, 9999, &runno))
				goto out;
			break;
		case O_FORMAT:
			formats = optarg;
			break;
		case 'o':
		case O_OUTDIR:
			outdir = optarg;
			break;
		case O_ADDITIONAL:
			additional = 1;
			break;
		case O_DATE:
			date = optarg;
			break;
		case O_PROFILES:
			pdir = optarg;
			break;
		case O_LANG:
			langs = optarg;
			break;
		case O_NUMBER:
			if (!cx_act_number_valid(optarg)) {
				cli_say("cli.act.bad-number",
				        CX_ARGS("number", optarg));
				goto out;
			}
			number = optarg;
			break;
		case O_CERT:
			want_cert = 1;
			break;
		case O_EXAMINER:
		case O_HEAD:
			if (c == O_EXAMINER && n_exam >= CX_ACT_MAX_EXAMINERS) {
				cli_say("cli.act.too-many-examiners", NULL);
				goto out;
			}
			if (person_opt(c == O_EXAMINER ? "--examiner"
			                               : "--head",
			               optarg, c == O_EXAMINER,
			               people_store[n_store]) != 0)
				goto out;
			if (c == O_EXAMINER) {
				exam[n_exam].name = people_store[n_store][0];
				exam[n_exam++].position =
				    people_store[n_store][1];
			} else {
				head.name = people_store[n_store][0];
				head.position = people_store[n_store][1];
				have_head = 1;
			}
			n_store++;
			break;
		case O_ACCEPT_ALTERED:
			accept_altered = 1;
			break;
		case O_HELP:
		default:
			cli_help(c == O_HELP ? stdout : stderr, h,
			         CX_ARRAY_LEN(h));
			ret = c == O_HELP ? EXIT_CLEAN : EXIT_USAGE;
			goto out;
		}
	}
	if (optind != argc - 1) {
		cli_say("cli.act.one-arg", NULL);
		goto out;
	}
	arg = argv[optind];
	cli_lang_profiles(pdir);
	if (!cli_is_run_dir(arg))
		cli_lang_case(arg, pdir);
	act_intr_prepare();
	pdir = cli_find_profiles(pdir);
	schema = cx_path_join(pdir, "schema");
	if (schema == NULL)
		goto out;
	/* Which formats. */
	fl = cx_strdup(formats);
	for (tok = fl ? strtok_r(fl, ",", &save) : NULL; tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		const struct cx_act_writer *wr = cx_act_writer_find(tok);
		if (wr == NULL || nw >= CX_ARRAY_LEN(w)) {
			cli_say("cli.act.bad-format", CX_ARGS("format", tok));
			goto out;
		}
		w[nw++] = wr;
	}
	if (nw == 0) {
		cli_say("cli.act.no-format", NULL);
		goto out;
	}
	/* Which run. */
	if (cli_is_run_dir(arg)) {
		rundir = cx_strdup(arg);
	} else {
		char *runs = cx_path_join(arg, "runs");
		if (runs == NULL)
			goto out;
		rc = CX_OK;
		if (runno == 0)
			rc = cx_runs_latest(
			    runs, additional ? "additional" : NULL, &runno, &d);
		free(runs);
		if (rc != CX_OK) {
			cli_print_diags(&d);
			cli_say(
			    "cli.act.newest-unreadable",
			    CX_ARGS("case", arg, "error", cli_strerror(rc)));
			goto out;
		}
		if (runno == 0) {
			cli_say(additional ? "cli.act.no-rescan-run"
			                   : "cli.act.no-run",
			        CX_ARGS("case", arg));
			goto out;
		}
		rundir = cli_run_dir_of(arg, runno);
		if (outdir == NULL)
			outdir = out_owned = cx_path_join(arg, "acts");
	}
	if (rundir == NULL)
		goto out;
	if (outdir == NULL)
		outdir = out_owned = cx_path_join(rundir, "acts");
	rc = cx_run_load(rundir, schema, &run, &d);
	if (rc) {
		cli_print_diags(&d);
		cli_say("cli.run.unreadable",
		        CX_ARGS("run", rundir, "error", cli_strerror(rc)));
		goto out;
	}
	{
		size_t first = d.n;

		rc = cx_run_verify(run, &d);
		if (rc == CX_EINTEGRITY && accept_altered) {
			for (i = first; i < d.n; i++)
				d.items[i].is_warning = 1;
			rc = altered_list(run, &d, first, &altered, &n_altered);
			cli_print_diags(&d);
			cx_diags_free(&d);
			if (rc == CX_OK) {
				char nf[24];

				snprintf(nf, sizeof(nf), "%zu", n_altered);
				cli_say("cli.act.altered-accepted",
				        CX_ARGS("run", rundir, "count", nf));
			}
		}
	}
	if (rc) {
		cli_print_diags(&d);
		cli_say("cli.act.altered-refused",
		        CX_ARGS("run", rundir, "error", cli_strerror(rc)));
		ret = rc == CX_ENOMEM ? EXIT_RUNTIME : EXIT_USAGE;
		goto out;
	}
	if (additional && strcmp(run->kind, "additional") != 0) {
		char rn[16];

		snprintf(rn, sizeof(rn), "%04d", run->number);
		cli_say("cli.act.not-additional", CX_ARGS("run", rn));
		goto out;
	}
	if (strcmp(run->kind, "additional") == 0 && run->baseline > 0) {
		char *bdir, *parent = cx_strdup(rundir), *slash;
		char name[16];
		if (parent == NULL)
			goto out;
		slash = strrchr(parent, '/');
		if (slash != NULL)
			*slash = '\0';
		else
			snprintf(parent, strlen(parent) + 1, ".");
		snprintf(name, sizeof(name), "%04d", run->baseline);
		bdir = cx_path_join(parent, name);
		free(parent);
		rc = bdir ? cx_run_load(bdir, schema, &base, &d) : CX_ENOMEM;
		free(bdir);
		if (rc == CX_OK)
			rc = cx_run_verify(base, &d);
		if (rc) {
			cli_print_diags(&d);
			char bn[16];

			snprintf(bn, sizeof(bn), "%04d", run->baseline);
			cli_say("cli.act.baseline-unreadable",
			        CX_ARGS("run", bn, "error", cli_strerror(rc)));
			goto out;
		}
	}
	rc = cx_run_load_object(run, schema, &obj, &d);
	cli_lang_object(obj);
	act_intr_prepare();
	cli_print_diags(&d);
	if (rc) {
		char rn[16];

		snprintf(rn, sizeof(rn), "%04d", run->number);
		cli_say("cli.act.snapshot-unreadable",
		        CX_ARGS("run", rn, "error", cli_strerror(rc)));
		goto out;
	}
	/* Which languages: each loads its catalog before any act is drawn. */
	free(fl);
	save = NULL;
	if (langs == NULL && obj != NULL && obj->languages != NULL) {
		fl = cx_strdup(obj->languages);
		for (tok = fl; tok != NULL && *tok; tok++)
			if (*tok == ' ')
				*tok = ',';
	} else {
		fl = cx_strdup(langs ? langs : "kk,ru");
	}
	for (tok = fl ? strtok_r(fl, ",", &save) : NULL; tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		char *i18n;
		if ((strcmp(tok, "kk") && strcmp(tok, "ru") &&
		     strcmp(tok, "en")) ||
		    nl >= CX_ARRAY_LEN(cats)) {
			cli_say("cli.act.bad-lang", CX_ARGS("lang", tok));
			goto out;
		}
		for (li = 0; li < nl; li++)
			if (strcmp(lang[li], tok) == 0)
				break;
		if (li < nl)
			continue;
		snprintf(lang[nl], sizeof(lang[nl]), "%s", tok);
		i18n = cx_path_join(pdir, "i18n");
		rc = i18n ? cx_catalog_load_lang(i18n, tok, &cats[nl], &d)
		          : CX_ENOMEM;
		free(i18n);
		if (rc) {
			cli_print_diags(&d);
			cli_say(
			    "cli.act.catalog-unreadable",
			    CX_ARGS("lang", tok, "error", cli_strerror(rc)));
			ret = EXIT_RUNTIME;
			goto out;
		}
		nl++;
	}
	if (nl == 0) {
		cli_say("cli.act.no-lang", NULL);
		goto out;
	}
	/* The register of acts: numbers never repeat within a case. */
	reg_path = cx_path_join(outdir, "register.tsv");
	if (reg_path == NULL)
		goto out;
	rc = cx_act_register_load(reg_path, &reg, &d);
	if (rc) {
		cli_print_diags(&d);
		cli_say("cli.file.error",
		        CX_ARGS("file", reg_path, "error", cli_strerror(rc)));
		ret = EXIT_RUNTIME;
		goto out;
	}
	prev_entry = cx_act_register_of_run(&reg, run->number);
	if (number == NULL && prev_entry != NULL)
		number = prev_entry->number;
	if (date == NULL && prev_entry != NULL && number != NULL &&
	    strcmp(prev_entry->number, number) == 0)
		date = prev_entry->date;
	for (i = 0; number != NULL && i < reg.n; i++)
		if (strcmp(reg.e[i].number, number) == 0 &&
		    reg.e[i].run != run->number) {
			char rn[16];

			snprintf(rn, sizeof(rn), "%04d", reg.e[i].run);
			cli_say("cli.act.number-used",
			        CX_ARGS("number", number, "run", rn, "register",
			                reg_path));
			goto out;
		}
	if (run->baseline > 0)
		ref_entry = cx_act_register_of_run(&reg, run->baseline);
	memset(&ao, 0, sizeof(ao));
	ao.obj = obj;
	ao.date = date;
	ao.number = number;
	ao.ref_number = ref_entry ? ref_entry->number : NULL;
	ao.ref_date = ref_entry ? ref_entry->date : NULL;
	ao.altered = (const char *const *)altered;
	ao.n_altered = n_altered;
	if (n_exam > 0) {
		ao.examiners = exam;
		ao.n_examiners = n_exam;
	}
	lc.obj = obj;
	lc.run = run;
	lc.ao = &ao;
	lc.head = &head;
	lc.head_opt = head;
	if (have_head) {
		/* "NAME;" or ";POSITION": the case completes the other part */
		if (head.name == NULL && obj != NULL)
			head.name = obj->head.name;
		if (head.position == NULL && obj != NULL)
			head.position = obj->head.position;
		ao.head = &head;
	}
	/* The profile gives the requirements' texts in every language. */
	if (run->profile_id != NULL &&
	    cx_profile_load_id(pdir, run->profile_id, &prof, &d) != CX_OK) {
		cli_print_diags(&d);
		cli_say("cli.act.profile-unreadable",
		        CX_ARGS("profile", run->profile_id));
		prof = NULL;
	}
	ao.profile = prof;
	rc = cx_act_build_opts(run, base, &ao, &act);
	if (rc) {
		cli_say("cli.act.failed", CX_ARGS("error", cli_strerror(rc)));
		ret = EXIT_RUNTIME;
		goto out;
	}
	/* The term the act closes (para 19 or 34), from the case's dates;
	 * without a calendar the act says nothing about it. */
	if (obj != NULL) {
		struct cx_diags td = {0};

		if (cx_deadlines_for_act(
		        cli_is_run_dir(arg) ? run->case_dir : arg, pdir, obj,
		        act->date, act->additional, &terms, &td) == CX_OK)
			act->terms = &terms;
		cli_print_diags(&td);
		cx_diags_free(&td);
	}
	/*
	 * Each act streams into a temporary file in the acts folder (memory
	 * stays bounded whatever the run's size); only when every act is
	 * complete are they renamed into place.  An error or a Ctrl-C
	 * removes every temporary file and leaves the acts already there
	 * untouched.
	 */
	if (cx_mkdir_p(outdir)) {
		cli_say("cli.file.mkdir", CX_ARGS("folder", outdir));
		ret = EXIT_RUNTIME;
		goto out;
	}
	act_writing = 1;
	for (li = 0; li < nl; li++) {
		rc = act_use_lang(act, &lc, cats[li], lang[li]);
		if (rc) {
			fprintf(stderr, "%s act: %s\n", cli_prog,
			        cx_strerror(rc));
			ret = EXIT_RUNTIME;
			goto out;
		}
		for (i = 0; i < nw; i++) {
			struct cx_file_sink *fs = &sinks[li * nw + i];
			struct cx_buf b = {0};
			char name[64];

			snprintf(name, sizeof(name), "act-%04d.%s.%s",
			         run->number, lang[li], w[i]->ext);
			path = cx_path_join(outdir, name);
			rc = path ? cx_file_sink_open(fs, path) : CX_ENOMEM;
			free(path);
			if (rc) {
				cli_say("cli.file.error",
				        CX_ARGS("file", name, "error",
				                cli_strerror(rc)));
				ret = EXIT_RUNTIME;
				goto out;
			}
			n_sinks = li * nw + i + 1;
			fs->stop = &cx_interrupted;
			b.sink = &fs->sink;
			rc = w[i]->write(act, &b);
			if (rc == CX_OK)
				rc = cx_file_sink_close(fs, &b);
			if (rc == CX_OK && cx_interrupted)
				rc = CX_EINTR;
			cx_buf_free(&b);
			if (rc) {
				cli_say("cli.act.writer-failed",
				        CX_ARGS("format", w[i]->name, "error",
				                cli_strerror(rc)));
				ret = EXIT_RUNTIME;
				goto out;
			}
		}
	}
	for (i = 0; i < n_sinks; i++) {
		rc = cx_file_sink_commit(&sinks[i]);
		if (rc) {
			cli_say("cli.file.error",
			        CX_ARGS("file", sinks[i].path, "error",
			                cli_strerror(rc)));
			ret = EXIT_RUNTIME;
			goto out;
		}
		printf("%s\n", cli_tsafe(sinks[i].path));
	}
	if (act->number != NULL) {
		rc = cx_act_register_add(&reg, act->number, act->date,
		                         act->additional ? "additional"
		                                         : "examination",
		                         run->number);
		if (rc == CX_OK)
			rc = cx_act_register_save(&reg, reg_path);
		if (rc) {
			cli_say("cli.file.error",
			        CX_ARGS("file", reg_path, "error",
			                cli_strerror(rc)));
			ret = EXIT_RUNTIME;
			goto out;
		}
	}
	act_summary(act);
	ret = EXIT_CLEAN;
	if (want_cert)
		ret = act_certificate(act, &lc, pdir, run->profile_id, outdir,
		                      cats, lang, nl);
out:
	cx_run_case_texts_undo(&lc.texts);
	for (i = 0; i < n_sinks; i++)
		cx_file_sink_abort(&sinks[i]); /* after a commit: frees only */
	for (i = 0; i < CX_ARRAY_LEN(people_store); i++) {
		free(people_store[i][0]);
		free(people_store[i][1]);
	}
	for (i = 0; i < n_altered; i++)
		free(altered[i]);
	free(altered);
	for (i = 0; i < CX_ARRAY_LEN(cats); i++)
		cx_catalog_free(cats[i]);
	cx_act_register_free(&reg);
	free(reg_path);
	cx_profile_free(prof);
	cx_act_free(act);
	cx_deadlines_free(&terms);
	cx_object_free(obj);
	cx_run_free(run);
	cx_run_free(base);
	cx_diags_free(&d);
	free(rundir);
	free(schema);
	free(out_owned);
	free(fl);
	return ret;
}
