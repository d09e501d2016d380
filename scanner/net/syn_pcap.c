/*
 * certexam — the SYN scan's pcap evidence, kept in memory and stored in
 * the run (see syn_pcap.h).
 */
#include <stdlib.h>

#include "certexam/error.h"
#include "syn_pcap.h"

void syn_pcap_open(struct syn_pcap *e, pcap_t *pc)
{
	e->fp = open_memstream(&e->buf, &e->len);
	if (e->fp == NULL)
		return;
	e->dump = pcap_dump_fopen(pc, e->fp);
	if (e->dump == NULL) {
		fclose(e->fp);
		e->fp = NULL;
	}
}

void syn_pcap_add(struct syn_pcap *e, const struct pcap_pkthdr *hdr,
                  const uint8_t *bytes)
{
	if (e->dump == NULL)
		return;
	if (e->bytes + 16 + hdr->caplen > SYN_PCAP_MAX) {
		e->skipped++;
		return;
	}
	pcap_dump((u_char *)e->dump, hdr, bytes);
	e->bytes += 16 + hdr->caplen;
}

int syn_pcap_save(struct syn_pcap *e, struct cx_run *run)
{
	const char *id = NULL;
	char desc[256];
	int rc;

	if (e->dump == NULL)
		return CX_OK;
	pcap_dump_close(e->dump); /* closes the memory stream */
	e->dump = NULL;
	e->fp = NULL;
	if (e->buf == NULL)
		return CX_OK;
	if (e->skipped > 0)
		snprintf(desc, sizeof(desc),
		         "SYN scan: the answers that decided ports (SYN-ACK, "
		         "ICMP unreachable); %llu more not kept (size cap)",
		         (unsigned long long)e->skipped);
	else
		snprintf(desc, sizeof(desc),
		         "SYN scan: the answers that decided ports (SYN-ACK, "
		         "ICMP unreachable)");
	rc =
	    cx_run_add_evidence(run, "scan", "pcap", desc, e->buf, e->len, &id);
	if (rc == CX_OK && id != NULL)
		rc = cx_run_option(run, "scan_pcap", id);
	return rc;
}

void syn_pcap_free(struct syn_pcap *e)
{
	if (e->dump != NULL)
		pcap_dump_close(e->dump);
	else if (e->fp != NULL)
		fclose(e->fp);
	free(e->buf);
	e->dump = NULL;
	e->fp = NULL;
	e->buf = NULL;
}
