package i18n

// identityEN is the English catalogue of identity changes of curated
// suppliers (legal name, NIB, NPWP): the supplier's page, the curators' list
// and page, and the events, notifications and e-mails of both sides.
var identityEN = map[string]string{
	// Events, notifications and e-mails.
	"event.application.identity_proposed":    "Change of legal name, NIB or NPWP proposed to the curator",
	"event.application.identity_changed":     "Legal name, NIB and NPWP updated in the profile",
	"event.application.identity_accepted":    "Change of business identity accepted by the curator",
	"event.application.identity_refused":     "Change of business identity not accepted by the curator",
	"event.application.certificate_reissued": "Curation certificate reissued",
	"notification.identity_proposed":         "A curated supplier proposed a new legal name, NIB or NPWP. Decide from the curation queue.",
	"notification.identity_accepted":         "Your new legal name, NIB or NPWP was accepted. The curation certificate has been reissued.",
	"notification.identity_refused":          "The curator did not accept your new legal name, NIB or NPWP. The reason is on the identity change page.",
	"email.identity_accepted.subject":        "The Pasokan curator accepted your business identity change",
	"email.identity_accepted.body":           "Hello %s,\n\nThe curator accepted the change of your business's legal name, NIB or NPWP. Your profile is updated and the curation certificate was reissued with the new details. The old certificate is no longer valid. See it at:\n%s\n\nRegards,\nPasokan",
	"email.identity_refused.subject":         "The Pasokan curator did not accept your business identity change",
	"email.identity_refused.body":            "Hello %s,\n\nThe curator did not accept the change of your business's legal name, NIB or NPWP. The current details stay valid and your business stays in the catalogue. The reason is at:\n%s\n\nRegards,\nPasokan",
	"error.legal_name_required":              "Enter the business's legal name as on its deed or NIB (2 to 200 characters).",
	"error.identity_unchanged":               "These are the details in force now. Change the legal name, NIB or NPWP you want to replace.",

	// The supplier's page.
	"supplier.identity.title":           "Change legal name, NIB or NPWP",
	"supplier.identity.lead":            "Your business's legal name, NIB and NPWP were checked by the curator and are printed on the curation certificate, so a change needs the curator's approval. While it waits, your business stays in the catalogue as it is.",
	"supplier.identity.current":         "In force now",
	"supplier.identity.waiting":         "Waiting for the curator",
	"supplier.identity.waiting_lead":    "You proposed this change on %s. You will be told once the curator decides. Sending a new proposal replaces this one.",
	"supplier.identity.propose":         "Propose a change",
	"supplier.identity.propose_hint":    "Fill in all three as on your latest documents: legal name and NIB as in OSS, NPWP as on the NPWP card. The curator may ask for the documents.",
	"supplier.identity.submit":          "Send to the curator",
	"supplier.identity.accepted":        "The last change was accepted by the curator on %s. The certificate has been reissued.",
	"supplier.identity.refused":         "The last proposal was not accepted by the curator on %s.",
	"supplier.identity.reason":          "The curator's reason:",
	"supplier.identity.see_certificate": "See the certificate",
	"supplier.identity.not_curated":     "Your business is not curated yet. Until it is, the legal name, NIB and NPWP are changed directly in the business profile while the application is a draft or a revision is asked for.",
	"supplier.identity.to_profile":      "To the business profile",
	"supplier.identity.to_listing":      "Back to the listing",
	"supplier.identity.link":            "Change legal name, NIB or NPWP",
	"supplier.identity.link_hint":       "The legal name, NIB and NPWP change with the curator's approval; your business stays listed while it waits.",
	"supplier.identity.profile_note":    "Your business is curated, so this profile is no longer changed here. Contacts for buyers are changed on your listing; a new legal name, NIB or NPWP is proposed to the curator.",
	"flash.identity_sent":               "Change sent to the curator. Your business stays in the catalogue while it waits.",
	"flash.identity_not_curated":        "Changes through the curator are for curated businesses only. Change the details in the business profile.",

	// The curators' queue, review page and the change's page.
	"curation.identity.queue_title": "Identity changes proposed",
	"curation.identity.queue_lead":  "Curated suppliers ask to change their legal name, NIB or NPWP. Each stays in the catalogue with its current details until you decide.",
	"curation.identity.changes":     "What changes",
	"curation.identity.waiting":     "An identity change waits for a decision",
	"curation.identity.title":       "Identity change proposed: %s",
	"curation.identity.lead":        "Accepted, the supplier's profile is updated, the curation certificate is reissued with the new legal name and NIB (the old one revoked as superseded), and the catalogue follows. Refused, nothing changes and the supplier reads your reason.",
	"curation.identity.check_hint":  "Check the NIB in OSS and the NPWP against the tax documents before accepting. Ask the supplier for the documents if needed.",
	"curation.identity.certificate": "Current certificate: %s",
	"curation.identity.unchanged":   "unchanged",
	"curation.identity.accept":      "Accept the change and reissue the certificate",
	"curation.identity.refuse":      "Refuse the change",
	"curation.identity.reason_hint": "Required when refusing. The supplier reads it on the identity change page.",
	"flash.identity_accepted":       "Identity change accepted: the profile is updated and the certificate reissued. The supplier has been told.",
	"flash.identity_refused":        "Identity change refused. The supplier has been told, with your reason.",
}
