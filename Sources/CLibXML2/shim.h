#ifndef NEWSROOM_CLIBXML2_SHIM_H
#define NEWSROOM_CLIBXML2_SHIM_H
// Foundation links its own ICU; the system libxml2 headers would pull in the system ICU's and clash.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/HTMLparser.h>
#include <libxml/uri.h>
#include <libxml/xmlstring.h>
#include <libxml/encoding.h>
#include <libxml/xmlsave.h>
#include <libxml/entities.h>

// xmlFree is a global function-pointer variable, which Swift 6 sees as shared mutable state.
static inline void newsroom_xml_free(void *pointer) { xmlFree(pointer); }
#endif
