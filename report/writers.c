/* certexam — the table of act writers. */
#include <string.h>

#include "certexam/act.h"

extern const struct cx_act_writer cx_writer_html;
extern const struct cx_act_writer cx_writer_xml;
extern const struct cx_act_writer cx_writer_json;
extern const struct cx_act_writer cx_writer_md;

const struct cx_act_writer *const cx_act_writers[] = {
    &cx_writer_html, &cx_writer_xml, &cx_writer_json, &cx_writer_md, NULL,
};

const struct cx_act_writer *cx_act_writer_find(const char *name)
{
	size_t i;

	for (i = 0; cx_act_writers[i] != NULL; i++)
		if (strcmp(cx_act_writers[i]->name, name) == 0)
			return cx_act_writers[i];
	return NULL;
}
