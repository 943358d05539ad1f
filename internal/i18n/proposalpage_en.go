package i18n

// proposalPageEN is the English catalogue of the proposals' pages.
var proposalPageEN = map[string]string{
	// The supplier's listing page.
	"catalog.listing.propose.title":        "Add a product or update permits",
	"catalog.listing.propose.lead":         "A new product, or a new distribution permit or SNI certificate for a product already listed, is checked by the curators first. Only that product waits: your other products stay in the catalogue as usual, and a product awaiting new permits stays listed with its current ones.",
	"catalog.listing.propose.direct":       "Capacity, lead time and prices of a listed product need no curation: change them directly in the product list above.",
	"catalog.listing.propose.product_hint": "Products already listed are marked: choose one to propose new permits for it. Its capacity and prices may be left empty; the listed ones still apply. Products that need a Ministry of Health distribution permit are marked too; without it a product may not pass curation.",
	"catalog.listing.propose.listed":       "listed, propose new permits",
	"catalog.listing.propose.submit":       "Send to the curators",
	"catalog.listing.waiting.title":        "Waiting for the curators",
	"catalog.listing.waiting.lead":         "The curators are checking these proposals. You will be notified once they decide.",
	"catalog.listing.waiting.kind":         "Proposal",
	"catalog.listing.waiting.proposed":     "Proposed",
	"application.proposal_kind.product":    "New product",
	"application.proposal_kind.permits":    "New permits",
	"flash.proposal_sent":                  "Proposal sent to the curators. Your other products stay in the catalogue.",
	"flash.proposal_not_curated":           "Only a supplier that passed curation and is listed in the catalogue can propose a new product or new permits.",

	// The curators' queue.
	"curation.proposals.title":    "Proposals from curated suppliers",
	"curation.proposals.lead":     "Suppliers already in the catalogue propose a new product or new permits. Only that product waits for your decision; their other products stay listed.",
	"curation.proposals.kind":     "Proposal",
	"curation.proposals.proposed": "Proposed",
	"curation.proposals.open":     "Review",

	// The page of a proposal.
	"curation.proposal.title_product":           "Proposed new product: %s",
	"curation.proposal.title_permits":           "Proposed new permits: %s",
	"curation.proposal.proposed_on":             "proposed %s",
	"curation.proposal.see_application":         "See this supplier's whole application",
	"curation.proposal.lead_product":            "This supplier is curated and listed in the catalogue. Assess the new product against its checklist: if it passes, the product is curated, added to the certificate and listed at once. The supplier's other products stay listed whatever you decide.",
	"curation.proposal.lead_permits":            "This product is curated and stays listed with its current permits until you decide. Accepted, the new permits show in the catalogue at once; refused, the current permits stay.",
	"curation.proposal.declared":                "The product as the supplier declared it",
	"curation.proposal.permits":                 "Permits of %s",
	"curation.proposal.current":                 "Now",
	"curation.proposal.proposed":                "Proposed",
	"curation.proposal.decision.accept_product": "Assess against the checklist: passing means curated and listed, failing means not curated",
	"curation.proposal.decision.accept_permits": "Accept the new permits",
	"curation.proposal.decision.refuse_product": "Refuse this product proposal",
	"curation.proposal.decision.refuse_permits": "Refuse the new permits",
	"curation.proposal.reason_hint":             "Required when refusing. The supplier reads it on their application's timeline.",
	"curation.proposal.waiting":                 "Proposal awaiting a decision",
	"flash.proposal_curated":                    "The product passed curation: added to the certificate and now listed in the catalogue. The supplier has been notified.",
	"flash.proposal_not_curated_product":        "The product did not pass its checklist and is not curated. The supplier's other products stay listed; the supplier has been notified.",
	"flash.proposal_permits_accepted":           "New permits accepted and now shown in the catalogue. The supplier has been notified.",
	"flash.proposal_refused":                    "Proposal refused. The supplier has been notified, with the reason.",
}
