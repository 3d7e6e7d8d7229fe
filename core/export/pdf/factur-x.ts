// Factur-X 1.07 / ZUGFeRD 2.3, profile EN 16931: the invoice PDF as PDF/A-3b with its CII XML
// embedded as factur-x.xml. pdfkit 0.20 writes the PDF/A parts itself when asked for the
// 'PDF/A-3b' subset (pdfaid part 3, conformance B, and an sRGB output intent from the ICC
// profile pdfkit ships in its npm package); here: the attachment (AFRelationship Alternative,
// listed in the catalog's /AF) and the Factur-X extension schema in the XMP. Every font is
// Kontor Sans, embedded, the QR-bill's payment part included (qr-bill.ts registers it for
// swissqrbill instead of Helvetica).

export const FACTUR_X_FILE = 'factur-x.xml';
const FX_NS = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';

const property = (name: string, description: string) => `
            <rdf:li rdf:parseType="Resource">
              <pdfaProperty:name>${name}</pdfaProperty:name>
              <pdfaProperty:valueType>Text</pdfaProperty:valueType>
              <pdfaProperty:category>external</pdfaProperty:category>
              <pdfaProperty:description>${description}</pdfaProperty:description>
            </rdf:li>`;

/** The XMP Factur-X properties and the PDF/A extension schema that declares them (PDF/A needs both). */
export const FACTUR_X_XMP = `
        <rdf:Description xmlns:fx="${FX_NS}" rdf:about="">
          <fx:DocumentType>INVOICE</fx:DocumentType>
          <fx:DocumentFileName>${FACTUR_X_FILE}</fx:DocumentFileName>
          <fx:Version>1.0</fx:Version>
          <fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>
        </rdf:Description>
        <rdf:Description xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#" rdf:about="">
          <pdfaExtension:schemas>
            <rdf:Bag>
              <rdf:li rdf:parseType="Resource">
                <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
                <pdfaSchema:namespaceURI>${FX_NS}</pdfaSchema:namespaceURI>
                <pdfaSchema:prefix>fx</pdfaSchema:prefix>
                <pdfaSchema:property>
                  <rdf:Seq>${property('DocumentFileName', 'name of the embedded XML invoice file')}${property('DocumentType', 'INVOICE')}${property('Version', 'The actual version of the Factur-X XML schema')}${property('ConformanceLevel', 'The conformance level of the embedded Factur-X data')}
                  </rdf:Seq>
                </pdfaSchema:property>
              </rdf:li>
            </rdf:Bag>
          </pdfaExtension:schemas>
        </rdf:Description>`;

/** Adds the attachment and the XMP parts to a document made with the PDF/A-3b subset; call before end(). */
export function attachFacturX(pdf: PDFKit.PDFDocument, xml: string, issuedOn: string): void {
  const day = new Date(`${issuedOn}T00:00:00Z`);
  (pdf as unknown as { file: (src: Uint8Array, options: Record<string, unknown>) => unknown }).file(
    new Uint8Array(Buffer.from(xml, 'utf8')),
    {
      name: FACTUR_X_FILE,
      type: 'text/xml',
      relationship: 'Alternative',
      description: 'Factur-X invoice (EN 16931)',
      creationDate: day,
      modifiedDate: day,
    },
  );
  (pdf as unknown as { appendXML: (xml: string) => void }).appendXML(FACTUR_X_XMP);
}
