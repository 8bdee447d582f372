/* What `xmllint --stream --noout FILE...` does (xmllint.c, streamFile without --debug): read every node
   with libxml2's streaming reader and nothing else. Used by Scripts/bench-xml.sh as the reference when
   xmllint (libxml2-utils) is not installed. Same options as ressaisie's reader (see XMLStreamReader).

   bench-xml.sh builds it itself; by hand:
     cc -O2 -o xml-stream-baseline Scripts/xml-stream-baseline.c $(pkg-config --cflags --libs libxml-2.0)
     ./xml-stream-baseline FILE.xml...                                                                  */
#include <libxml/xmlreader.h>
#include <stdio.h>

int main(int argc, char **argv) {
    int options = XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_BIG_LINES;
    int status = 0;
    for (int i = 1; i < argc; i++) {
        xmlTextReaderPtr reader = xmlReaderForFile(argv[i], NULL, options);
        if (reader == NULL) { fprintf(stderr, "%s: cannot open\n", argv[i]); status = 1; continue; }
        int ret;
        while ((ret = xmlTextReaderRead(reader)) == 1) {}
        if (ret != 0) { fprintf(stderr, "%s: failed to parse\n", argv[i]); status = 1; }
        xmlFreeTextReader(reader);
    }
    return status;
}
