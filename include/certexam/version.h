#ifndef CERTEXAM_VERSION_H
#define CERTEXAM_VERSION_H
#define CX_VERSION   "0.1.0"
#define CX_TOOL_NAME "certexam"
#endif
