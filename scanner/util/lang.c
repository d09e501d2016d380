/*
 * certexam — language codes (include/certexam/lang.h).
 */
#include <stddef.h>

#include "certexam/lang.h"
#include "certexam/util.h"

static const char *const codes[CX_LANG_COUNT] = {
    [CX_LANG_KK] = "kk",
    [CX_LANG_RU] = "ru",
    [CX_LANG_EN] = "en",
};

int cx_lang_parse(const char *code)
{
	int i;

	if (code == NULL)
		return -1;
	for (i = 0; i < CX_LANG_COUNT; i++)
		if (cx_strcaseeq(code, codes[i]))
			return i;
	return -1;
}

const char *cx_lang_code(enum cx_lang lang)
{
	if ((int)lang < 0 || lang >= CX_LANG_COUNT)
		return NULL;
	return codes[lang];
}
