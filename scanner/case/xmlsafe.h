/*
 * certexam — the one safe way the project reads XML (internal header).
 *
 * Every XML document certexam reads (object.xml, profiles, run.xml, the
 * XSD schemas themselves) goes through these functions.  The parser runs
 * with XML_PARSE_NONET, without entity substitution (no XML_PARSE_NOENT),
 * without loading or defaulting from a DTD (no XML_PARSE_DTDLOAD /
 * DTDATTR / DTDVALID) and without XML_PARSE_HUGE.  A document with a
 * DOCTYPE declaration is refused as soon as the parser sees it, before an
 * internal subset (and so any entity declaration) is read: none of our
 * formats has a DTD, and this closes XXE and "billion laughs" for good.
 * libxml2 errors never reach stderr: they become cx_diags entries naming
 * the file, the line and, where known, the element.
 */
#ifndef CERTEXAM_XMLSAFE_H
#define CERTEXAM_XMLSAFE_H

#include <stddef.h>
#include <libxml/tree.h>
#include "certexam/error.h"

/* Default size cap for a submitted XML document (16 MiB). */
#define CX_XML_MAX_SIZE ((size_t)16 * 1024 * 1024)

/*
 * Read and parse the file at path, at most max bytes (0 means
 * CX_XML_MAX_SIZE; larger files are CX_ELIMIT).  On success *out is a new
 * document the caller frees with xmlFreeDoc().  On failure *out is NULL,
 * every problem is in d (file = path) and the return is CX_ENOENT,
 * CX_EIO, CX_ELIMIT, CX_EPARSE (not well-formed, or refused because of a
 * DOCTYPE) or CX_ENOMEM.  d may be NULL.
 */
int cx_xml_parse_file(const char *path, size_t max, xmlDocPtr *out,
                      struct cx_diags *d);

/*
 * Parse len bytes at buf; name is used in diagnostics (may be NULL:
 * "(memory)").  Same rules and results as cx_xml_parse_file; len above
 * CX_XML_MAX_SIZE is CX_ELIMIT.
 */
int cx_xml_parse_memory(const char *buf, size_t len, const char *name,
                        xmlDocPtr *out, struct cx_diags *d);

/*
 * Validate doc against the XML Schema in xsd_path (which is itself read
 * through cx_xml_parse_file).  name is the document's file name for
 * diagnostics (NULL: doc->URL).  Each violation is appended to d with the
 * line and the element (or "element@attribute").  Returns 0 when valid,
 * CX_ESCHEMA when not, CX_ENOENT/CX_EPARSE/CX_EIO when the schema itself
 * cannot be loaded (diagnosed against xsd_path), CX_EINVAL on NULL doc.
 */
int cx_xml_validate(xmlDocPtr doc, const char *xsd_path, const char *name,
                    struct cx_diags *d);

/*
 * cx_xml_validate() against schema_dir/xsd_file ("object.xsd").  A NULL
 * schema_dir skips validation and returns 0.  CX_ENOMEM if the path
 * cannot be built; otherwise as cx_xml_validate().
 */
int cx_xml_validate_in(xmlDocPtr doc, const char *schema_dir,
                       const char *xsd_file, const char *name,
                       struct cx_diags *d);

/*
 * The text content of n (all descendant text), with ASCII white space
 * trimmed at both ends, as a new string the caller frees with free().
 * NULL when n is NULL or on ENOMEM; "" for an empty element.
 */
char *cx_xml_text(xmlNodePtr n);

/*
 * The value of attribute name on element n, trimmed, as a new string the
 * caller frees with free().  NULL when n is NULL, the attribute is absent,
 * or on ENOMEM.
 */
char *cx_xml_attr(xmlNodePtr n, const char *name);

/*
 * The first child element of parent named name (NULL name: any element),
 * or NULL.  Elements are matched by local name.  Borrowed.
 */
xmlNodePtr cx_xml_child(xmlNodePtr parent, const char *name);

/*
 * The next sibling element after cur named name (NULL name: any element),
 * or NULL.  Iterate with
 *   for (c = cx_xml_child(p, "x"); c != NULL; c = cx_xml_next(c, "x"))
 */
xmlNodePtr cx_xml_next(xmlNodePtr cur, const char *name);

/* 1 if n is an element called name (NULL name: any element). */
int cx_xml_is(xmlNodePtr n, const char *name);

/* Line of n in its document (0 when unknown or n is NULL). */
long cx_xml_line(xmlNodePtr n);

/*
 * Streaming: a document of any size (a run record with 65,535 ports) is
 * read element by element with libxml2's xmlTextReader, so memory is
 * bounded by the largest single item, not by the file.  The same rules as
 * cx_xml_parse_file hold: the bytes are filtered before the parser sees
 * them and any "<!DOCTYPE" or "<!ENTITY" refuses the document (CX_EPARSE),
 * the encoding is UTF-8 whatever the declaration says, no network, no
 * entity substitution, no XML_PARSE_HUGE (one text or attribute value of
 * at most 10,000,000 bytes).  Validation against schema_dir/xsd_file runs
 * during the same pass (schema_dir NULL: no validation).
 *
 * element() is called for the root (parent NULL; attributes only, no
 * children), for each element directly under the root (parent = the
 * root's local name) that is not one of containers[] (NULL-terminated),
 * expanded with its whole subtree, and for each element directly inside
 * one of the containers (parent = the container's local name), expanded.
 * The node is borrowed until element() returns.  A non-zero return stops
 * the stream and is returned.  max is the file size limit in bytes (0:
 * none).  Returns 0, CX_ENOENT, CX_EIO, CX_ELIMIT, CX_EPARSE, CX_ESCHEMA
 * (every violation is in d) or CX_ENOMEM.
 */
/*
 * The longest single text span (a text node, or an attribute value) the
 * stream accepts: 1 MiB.  A longer one is CX_ELIMIT with a diagnostic
 * naming the file and the line: measured on the raw bytes before the
 * parser sees them (a comment, PI or CDATA body counts as one span too),
 * and again on each expanded item's decoded texts (naming the element),
 * before element() sees it.  (libxml2 alone would take 10,000,000
 * bytes.)  The run record's writer
 * cuts every field far below it (CX_RUN_MAX_FIELD), so whatever it wrote
 * reads back.
 */
#define CX_XML_MAX_SPAN ((size_t)1024 * 1024)

struct cx_xml_stream {
	const char *const *containers;
	int (*element)(void *arg, const char *parent, xmlNodePtr n);
	void *arg;
	unsigned long long max;
	size_t max_span; /* 0: CX_XML_MAX_SPAN */
};
int cx_xml_stream_file(const char *path, const char *schema_dir,
                       const char *xsd_file, const struct cx_xml_stream *s,
                       struct cx_diags *d);

#endif
