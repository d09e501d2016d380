/*
 * certexam — the SYN scan's evidence (engine-internal): the answers that
 * decided ports (SYN-ACKs, ICMP errors; not the RSTs of closed ports)
 * kept as a pcap file in memory, at most SYN_PCAP_MAX bytes (the rest is
 * counted), stored in the run as evidence of kind "pcap".
 */
#ifndef CX_SYN_PCAP_H
#define CX_SYN_PCAP_H

#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>

#include "certexam/run.h"

#define SYN_PCAP_MAX ((size_t)64 * 1024 * 1024)

struct syn_pcap {
	pcap_dumper_t *dump;
	FILE *fp;
	char *buf;
	size_t len, bytes;
	uint64_t skipped;
};

/* Start the file for captures of pc (nothing is kept if that fails). */
void syn_pcap_open(struct syn_pcap *e, pcap_t *pc);

/* Keep one packet. */
void syn_pcap_add(struct syn_pcap *e, const struct pcap_pkthdr *hdr,
                  const uint8_t *bytes);

/*
 * Store the file in run (option scan_pcap names it).  0 or CX_ENOMEM;
 * nothing to store is no error.
 */
int syn_pcap_save(struct syn_pcap *e, struct cx_run *run);

void syn_pcap_free(struct syn_pcap *e);

#endif
