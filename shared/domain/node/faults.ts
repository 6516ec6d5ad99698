// The faults the EC side of paForNode answers with (openapi/soap/paForNode.wsdl, common:ctFaultBean): HTTP 200,
// outcome KO and one of these codes. faultString and description are pagoPA's own catalogue wording, so operators
// reading the node's logs see the texts they know.

export const nodeFaultCodes = [
  "PAA_SINTASSI_XSD",
  "PAA_ID_DOMINIO_ERRATO",
  "PAA_ID_INTERMEDIARIO_ERRATO",
  "PAA_STAZIONE_INT_ERRATA",
  "PAA_PAGAMENTO_SCONOSCIUTO",
  "PAA_PAGAMENTO_SCADUTO",
  "PAA_PAGAMENTO_ANNULLATO",
  "PAA_PAGAMENTO_DUPLICATO",
  "PAA_RECEIPT_DUPLICATA",
  "PAA_SEMANTICA",
  "PAA_SYSTEM_ERROR",
] as const;
export type NodeFaultCode = (typeof nodeFaultCodes)[number];

const catalogue: Record<NodeFaultCode, { faultString: string; description: string }> = {
  PAA_SINTASSI_XSD: { faultString: "Errore XSD", description: "Errore validazione XSD della request" },
  PAA_ID_DOMINIO_ERRATO: {
    faultString: "ID dominio errato",
    description: "L'idPA ricevuto non e' tra quelli configurati oppure non è associato alla stazione richiesta",
  },
  PAA_ID_INTERMEDIARIO_ERRATO: {
    faultString: "IdBrokerPA errato",
    description: "L'IdBrokerPA ricevuto non e' tra quelli configurati",
  },
  PAA_STAZIONE_INT_ERRATA: {
    faultString: "IdStazione errato",
    description: "L'IdStazione ricevuto non e' tra quelli configurati",
  },
  PAA_PAGAMENTO_SCONOSCIUTO: {
    faultString: "pagamento sconosciuto",
    description: "L'id del pagamento ricevuto non esiste",
  },
  PAA_PAGAMENTO_SCADUTO: { faultString: "pagamento scaduto", description: "L'id del pagamento ricevuto e' scaduto" },
  PAA_PAGAMENTO_ANNULLATO: {
    faultString: "pagamento annullato",
    description: "L'id del pagamento ricevuto e' annullato",
  },
  PAA_PAGAMENTO_DUPLICATO: {
    faultString: "pagamento duplicato",
    description: "L'id del pagamento ricevuto e' duplicato",
  },
  PAA_RECEIPT_DUPLICATA: { faultString: "receipt duplicata", description: "La receipt ricevuta e' duplicata" },
  PAA_SEMANTICA: { faultString: "Errore semantico", description: "Errore semantico" },
  PAA_SYSTEM_ERROR: { faultString: "Errore sistema", description: "Errore del sistema" },
};

/** A KO answer: `id` is the organization (idPA) the fault is about, `description` says what exactly went wrong. */
export interface NodeFault {
  readonly faultCode: NodeFaultCode;
  readonly faultString: string;
  readonly id: string;
  readonly description: string;
}

/** The fault with its catalogue texts; `detail`, when given, is appended to the description (no internals in it). */
export const nodeFault = (code: NodeFaultCode, organizationFiscalCode: string, detail?: string): NodeFault => ({
  faultCode: code,
  faultString: catalogue[code].faultString,
  id: organizationFiscalCode,
  description: detail === undefined ? catalogue[code].description : `${catalogue[code].description}: ${detail}`,
});
