package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"pasokan/internal/account"
)

// Routes returns the route table, for tests that walk it (chi.Walk) to
// reach every route: a copy built the same way as the one serving.
func (s *Server) Routes() chi.Routes { return s.routes() }

// routes is the site map. Paths and form field names are a stable contract
// (DESIGN.md); pages may grow, these may not change.
func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(s.requestID, s.logRequests, s.recoverPanics, securityHeaders, robotsTag)

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Method(http.MethodGet, "/static/*", s.Assets.Handler())
	r.Method(http.MethodHead, "/static/*", s.Assets.Handler())

	// Everything below has sessions, the language, the actor, and refuses
	// cross-origin state changes.
	r.Group(func(r chi.Router) {
		// Pages are gzipped for phones on slow connections.
		r.Use(middleware.Compress(5, "text/html"))
		r.Use(s.crossOrigin, withHolder, s.sessions.LoadAndSave, s.loadActor, s.chrome, s.checkAddress)
		r.NotFound(s.notFound)
		r.MethodNotAllowed(s.methodNotAllowed)

		// Public.
		r.Get("/", s.home)
		r.Get("/help", s.help)
		r.Post("/language", s.setLanguage)
		r.Get("/register", s.registerForm)
		r.Post("/register", s.register)
		r.Get("/login", s.loginForm)
		r.Post("/login", s.login)
		r.Post("/logout", s.logout)
		r.Get("/password/forgot", s.forgotForm)
		r.Post("/password/forgot", s.forgotPassword)
		r.Get("/password/forgot/sent", s.forgotSent)
		r.Get("/password/reset/{token}", s.resetForm)
		r.Post("/password/reset/{token}", s.resetPassword)
		r.Get("/privacy", s.privacyPage)
		r.Get("/email/confirm/{token}", s.confirmEmail)
		r.Get("/verify", s.verifyForm)
		r.Get("/verify/{code}", s.verifyCertificate)
		r.Get("/verify/order/{code}", s.verifyOrder)
		r.Get("/verify/receipt/{code}", s.verifyReceipt)
		r.Get("/verify/{code}.json", s.verifyCertificateJSON)
		r.Get("/directory", s.directory)
		r.Get("/directory.csv", s.directoryCSV)
		r.Get("/directory/data", s.directoryData)
		r.Get("/directory/{slug}", s.directorySupplier)
		r.Get("/invitations/{token}", s.invitation)
		r.Post("/invitations/{token}", s.acceptInvitation)

		// Any logged-in person.
		r.Group(func(r chi.Router) {
			r.Use(s.requireLogin)
			r.Get("/account", s.accountPage)
			r.Post("/email/confirm/resend", s.resendConfirmation)
			r.Post("/account/password", s.changePassword)
			r.Post("/account/sessions/end", s.endSessions)
			r.Get("/organization", s.organizationPage)
			r.Post("/organization/invitations", s.invite)
			r.Post("/organization/invitations/{id}/revoke", s.revokeInvitation)
			r.Post("/organization/switch", s.switchOrganization)
			r.Get("/documents/{id}", s.document)
			r.Get("/notifications", s.notificationsPage)
			r.Post("/notifications/read", s.markNotificationsRead)
			r.Get("/notifications/{id}", s.followNotification)
		})

		// Per organisation kind.
		r.Group(func(r chi.Router) {
			r.Use(s.requireKind(account.KindSupplier))
			r.Get("/supplier", s.supplierDashboard)
			r.Get("/supplier/profile", s.profilePage)
			r.Post("/supplier/profile", s.saveProfile)
			r.Get("/supplier/application", s.applicationPage)
			r.Post("/supplier/application/products", s.addProduct)
			r.Post("/supplier/application/products/{id}/delete", s.removeProduct)
			r.Post("/supplier/application/submit", s.submitApplication)
			r.Get("/supplier/application/submitted", s.submittedPage)
			r.Post("/supplier/documents", s.uploadDocument)
			r.Post("/supplier/documents/{id}/delete", s.removeDocument)
			r.Get("/supplier/certificate", s.supplierCertificate)
			r.Get("/supplier/certificate.pdf", s.supplierCertificatePDF)
			r.Get("/supplier/listing", s.listingPage)
			r.Post("/supplier/listing", s.saveListingProduct)
			r.Post("/supplier/listing/confirm", s.confirmListing)
			r.Post("/supplier/listing/pause", s.pauseListing)
			r.Post("/supplier/listing/proposals", s.proposeProduct)
			r.Get("/supplier/listing/identity", s.identityPage)
			r.Post("/supplier/listing/identity", s.proposeIdentity)
			r.Get("/supplier/orders", s.ordersPage)
			r.Get("/supplier/orders.csv", s.ordersCSV)
			r.Get("/supplier/orders.xlsx", s.ordersXLSX)
			r.Get("/supplier/shipments.csv", s.shipmentsCSV)
			r.Get("/supplier/orders/{id}", s.orderPage)
			r.Get("/supplier/orders/{id}/document.pdf", s.orderDocument)
			r.Get("/supplier/orders/{id}/receipts/{receipt}/document.pdf", s.receiptDocument)
			r.Post("/supplier/orders/{id}/accept", s.acceptOrder)
			r.Post("/supplier/orders/{id}/decline", s.declineOrder)
			r.Post("/supplier/orders/{id}/counter", s.counterOrder)
			r.Post("/supplier/orders/{id}/cancel", s.cancelOrder)
			r.Post("/supplier/orders/{id}/production", s.startProduction)
			r.Post("/supplier/orders/{id}/shipments", s.recordShipment)
			r.Post("/supplier/orders/{id}/invoice", s.invoiceOrder)
			r.Post("/supplier/contact", s.saveListingContact)
			r.Get("/supplier/materials", s.supplierMaterials)
			r.Post("/supplier/materials", s.requestMaterial)
			r.Get("/supplier/materials/{id}", s.materialRequest)
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireKind(account.KindCurator))
			r.Get("/curation", s.curationQueue)
			r.Post("/curation/assign", s.assignCurators)
			r.Get("/curation/applications/{id}", s.reviewPage)
			r.Post("/curation/applications/{id}/claim", s.claim)
			r.Post("/curation/applications/{id}/decision", s.decide)
			r.Post("/curation/applications/{id}/samples", s.requestSample)
			r.Post("/curation/applications/{id}/samples/{sample}", s.recordSample)
			r.Post("/curation/applications/{id}/conflict", s.declareConflict)
			r.Post("/curation/applications/{id}/suspension", s.suspension)
			r.Get("/curation/applications/{id}/proposals/{product}", s.proposalPage)
			r.Post("/curation/applications/{id}/proposals/{product}", s.decideProposal)
			r.Get("/curation/applications/{id}/identity", s.identityChangePage)
			r.Post("/curation/applications/{id}/identity", s.decideIdentity)
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireKind(account.KindBuyer))
			r.Get("/catalog", s.catalog)
			r.Get("/catalog/{slug}", s.catalogSupplier)
			r.Get("/buyer/demands", s.demandsPage)
			r.Post("/buyer/demands", s.createDemand)
			r.Get("/buyer/demands/new", s.newDemandPage)
			r.Get("/buyer/demands/{id}", s.demandPage)
			r.Get("/buyer/demands/{id}/edit", s.editDemandPage)
			r.Post("/buyer/demands/{id}/edit", s.updateDemand)
			r.Post("/buyer/demands/{id}/approve", s.approveDemand)
			r.Post("/buyer/demands/{id}/orders", s.confirmPlan)
			r.Get("/buyer/orders", s.ordersPage)
			r.Get("/buyer/orders.csv", s.ordersCSV)
			r.Get("/buyer/orders.xlsx", s.ordersXLSX)
			r.Get("/buyer/shipments.csv", s.shipmentsCSV)
			r.Get("/buyer/orders/{id}", s.orderPage)
			r.Get("/buyer/orders/{id}/document.pdf", s.orderDocument)
			r.Get("/buyer/orders/{id}/receipts/{receipt}/document.pdf", s.receiptDocument)
			r.Post("/buyer/orders/{id}/counter", s.counterDecision)
			r.Post("/buyer/orders/{id}/cancel", s.cancelOrder)
			r.Post("/buyer/orders/{id}/receipts", s.recordReceipt)
			r.Post("/buyer/orders/{id}/payment", s.payOrder)
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireKind(account.KindMinistry), s.requireMinistryAdmin)
			r.Get("/admin", s.adminDashboard)
			r.Get("/admin/organizations", s.adminOrganizations)
			r.Post("/admin/organizations", s.adminCreateOrganization)
			r.Get("/admin/organizations/{id}", s.adminOrganization)
			r.Post("/admin/users/{id}/disabled", s.adminSetUserDisabled)
			r.Get("/admin/outbox", s.adminOutbox)
			r.Get("/admin/assignment", s.adminRules)
			r.Post("/admin/assignment", s.adminAddRule)
			r.Post("/admin/applications/{id}/suspension", s.adminSuspension)
			r.Get("/admin/materials", s.adminMaterials)
			r.Post("/admin/materials/purchases", s.groupMaterials)
			r.Get("/admin/materials/purchases/{id}", s.materialPurchase)
			r.Get("/admin/materials/requests/{id}", s.materialRequest)
			r.Post("/admin/materials/requests/{id}/deliveries", s.deliverMaterial)
			r.Post("/admin/materials/requests/{id}/close", s.closeMaterial)
			// The ministry reads every demand and order and acts on none.
			r.Get("/admin/demands", s.demandsPage)
			r.Get("/admin/demands/{id}", s.demandPage)
			r.Get("/admin/orders", s.ordersPage)
			r.Get("/admin/orders/{id}", s.orderPage)
			r.Get("/admin/orders/{id}/document.pdf", s.orderDocument)
			r.Get("/admin/orders/{id}/receipts/{receipt}/document.pdf", s.receiptDocument)
		})
	})
	return r
}
