// The parts of libxml2 (2.9.14, Debian 12) that ressaisie uses: the streaming reader only, plus a few
// helpers Swift cannot write itself (variadic callbacks, struct fields behind the reader).
#ifndef RESSAISIE_CLIBXML2_SHIM_H
#define RESSAISIE_CLIBXML2_SHIM_H

// Debian's libxml2 is built with ICU, and its encoding.h then includes the system's <unicode/ucnv.h>,
// whose declarations clash with Foundation's own copy of ICU in the same Swift module graph. The ICU
// part of libxml2's API (converter fields of xmlCharEncodingHandler) is never used here: leave it out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/tree.h>
#include <libxml/entities.h>

/// Discards libxml2's generic (non-structured) messages, which would otherwise go to stderr.
static void ressaisie_xml_discard_generic(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

/// Silences generic error output on the calling thread (libxml2 keeps these handlers per thread).
static inline void ressaisie_xml_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, ressaisie_xml_discard_generic);
}

/// Refuses every external entity or DTD load: no file or network access from inside a document.
static xmlParserInputPtr ressaisie_xml_refuse_external(const char *URL, const char *ID, xmlParserCtxtPtr context) {
    (void)URL;
    (void)ID;
    (void)context;
    return NULL;
}

static inline void ressaisie_xml_install_refusing_entity_loader(void) {
    xmlSetExternalEntityLoader(ressaisie_xml_refuse_external);
}

/// 1 when the document being read has a DOCTYPE whose internal or external subset declares entities
/// (general or parameter), 0 otherwise. Called on the DOCTYPE node; the document is reached through that
/// node, not through xmlTextReaderCurrentDoc, which would make the reader keep the document (and its
/// dictionary) after it is freed.
static inline int ressaisie_xml_doctype_declares_entities(xmlTextReaderPtr reader) {
    xmlNodePtr node = xmlTextReaderCurrentNode(reader);
    if (node == NULL) return 0;
    xmlDocPtr doc = node->doc;
    if (doc == NULL) return 0;
    xmlDtdPtr subsets[2] = {doc->intSubset, doc->extSubset};
    for (int i = 0; i < 2; i++) {
        xmlDtdPtr dtd = subsets[i];
        if (dtd == NULL) continue;
        if (dtd->entities != NULL || dtd->pentities != NULL) return 1;
        for (xmlNodePtr child = dtd->children; child != NULL; child = child->next) {
            if (child->type == XML_ENTITY_DECL) return 1;
        }
    }
    return 0;
}

/// Line of the reader's current node (exact beyond 65 535 with XML_PARSE_BIG_LINES), or the parser's.
static inline long ressaisie_xml_current_line(xmlTextReaderPtr reader) {
    xmlNodePtr node = xmlTextReaderCurrentNode(reader);
    long line = node != NULL ? xmlGetLineNo(node) : -1;
    return line > 0 ? line : xmlTextReaderGetParserLineNumber(reader);
}

#endif
