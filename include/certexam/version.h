/*
 * certexam — the tool's name and version: recorded in every run
 * (tool_version), named in the drafted acts and in the web check's
 * User-Agent.
 */
#ifndef CERTEXAM_VERSION_H
#define CERTEXAM_VERSION_H
#define CX_VERSION   "0.1.0"
#define CX_TOOL_NAME "certexam"
#endif
