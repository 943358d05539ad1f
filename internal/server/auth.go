package server

import (
	"errors"
	"net/http"
	"strings"

	"pasokan/internal/account"
	"pasokan/internal/i18n"
	"pasokan/internal/supplier"
	"pasokan/web/component"
	"pasokan/web/page/auth"
)

func (s *Server) registerForm(w http.ResponseWriter, r *http.Request) {
	if a, ok := actorFrom(r.Context()); ok {
		http.Redirect(w, r, a.Kind.Home(), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, auth.Register(auth.RegisterView{Form: newForm()}))
}

// register signs up an UMKM owner: user, supplier organisation and owner
// membership in one transaction, with their consent to the privacy notice
// recorded and a link to confirm their e-mail address sent, then logs
// them in.
func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	redraw := func(f component.Form) {
		delete(f.Values, "password")
		s.render(w, r, http.StatusUnprocessableEntity, auth.Register(auth.RegisterView{Form: f}))
	}
	// In the order the page draws them, for the error summary.
	f, ok := s.parseFormOr(w, r, redraw, "name", "organization_name", "email", "phone", "password", "consent")
	if !ok {
		return
	}
	ctx := r.Context()
	reg := account.Registration{
		Name: f.Value("name"), Email: f.Value("email"), Password: f.Value("password"),
		OrganizationName: f.Value("organization_name"), Locale: string(i18n.LangFrom(ctx)),
		Phone: f.Value("phone"), Addr: s.clientAddr(r),
	}
	// The number as people write it (0812-3456-7890, +62 812...) is kept
	// as +62...; anything else goes on as typed and is refused on its field.
	if phone, ok := supplier.NormalizePhone(reg.Phone); ok {
		reg.Phone = phone
	} else {
		reg.Phone = strings.TrimSpace(reg.Phone)
	}
	if f.Value("consent") == "yes" {
		reg.Consent = account.PrivacyNoticeVersion
	}
	u, org, err := s.Accounts.SignUp(ctx, reg)
	var throttled *account.ThrottledError
	switch {
	case fieldErrors(err, &f):
		redraw(f)
		return
	case errors.As(err, &throttled):
		delete(f.Values, "password")
		minutes := retryAfter(w, throttled.Wait)
		s.render(w, r, http.StatusTooManyRequests, auth.Register(auth.RegisterView{Form: f,
			Message: "register.throttled", MessageArgs: []any{minutes}}))
		return
	}
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	if err := s.startSession(ctx, u, org.ID, 1); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.registered")
	http.Redirect(w, r, account.KindSupplier.Home(), http.StatusSeeOther)
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if a, ok := actorFrom(r.Context()); ok {
		http.Redirect(w, r, or(next, a.Kind.Home()), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, auth.Login(auth.LoginView{Form: newForm(), Next: next}))
}

// login checks the credentials and starts a session under a new token. An
// unknown address and a wrong password get the same answer.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r, "email", "password", "next")
	if !ok {
		return
	}
	ctx := r.Context()
	next := safeNext(f.Value("next"))
	password := f.Value("password")
	// The password is never drawn back into the page.
	delete(f.Values, "password")
	view := auth.LoginView{Form: f, Next: next}

	device, newDevice := s.deviceToken(r)
	u, err := s.Accounts.Authenticate(ctx, account.Attempt{Email: f.Value("email"), Password: password,
		Addr: s.clientAddr(r), Device: device})
	var throttled *account.ThrottledError
	switch {
	case errors.As(err, &throttled):
		view.Message, view.MessageArgs = "login.throttled", []any{retryAfter(w, throttled.Wait)}
		s.render(w, r, http.StatusTooManyRequests, auth.Login(view))
		return
	case errors.Is(err, account.ErrBadCredentials):
		view.Message = "login.failed"
		s.render(w, r, http.StatusUnauthorized, auth.Login(view))
		return
	case errors.Is(err, account.ErrDisabled):
		view.Message = "login.disabled"
		s.render(w, r, http.StatusForbidden, auth.Login(view))
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	ms, err := s.Accounts.Memberships(ctx, u.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(ms) == 0 {
		view.Message = "login.no_organization"
		s.render(w, r, http.StatusForbidden, auth.Login(view))
		return
	}
	acting := ms[0]
	if err := s.startSession(ctx, u, acting.OrgID, len(ms)); err != nil {
		s.serverError(w, r, err)
		return
	}
	actor := account.Actor{UserID: u.ID, OrgID: acting.OrgID, Kind: acting.OrgKind}
	if err := s.Accounts.RecordLogin(ctx, actor); err != nil {
		s.serverError(w, r, err)
		return
	}
	if newDevice {
		s.setDeviceCookie(w, device)
	}
	http.Redirect(w, r, or(next, acting.OrgKind.Home()), http.StatusSeeOther)
}

// logout ends this session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if a, ok := actorFrom(ctx); ok {
		if err := s.Accounts.RecordLogout(ctx, a); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if err := s.sessions.Destroy(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.logged_out")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
