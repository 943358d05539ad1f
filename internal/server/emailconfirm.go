package server

import (
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"pasokan/internal/account"
	"pasokan/web/page/auth"
	"pasokan/web/page/privacy"
)

// confirmEmail follows the link e-mailed at sign-up (or on request): the
// address is confirmed, and the page says what to do next. A used, expired
// or unknown link answers 404 with the way to a new one.
func (s *Server) confirmEmail(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	err := s.Accounts.ConfirmEmail(ctx, chi.URLParam(r, "token"))
	if errors.Is(err, account.ErrConfirmInvalid) {
		s.confirmLinkInvalid(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := auth.ConfirmedView{}
	if a, ok := actorFrom(ctx); ok {
		v.Home = a.Kind.Home()
	}
	s.render(w, r, http.StatusOK, auth.EmailConfirmed(v))
}

// confirmLinkInvalid tells that a confirmation link does not work, and
// offers a new one: the button to a logged-in person whose address waits,
// the login to a visitor.
func (s *Server) confirmLinkInvalid(w http.ResponseWriter, r *http.Request) {
	v := auth.LinkView{Status: http.StatusNotFound, Back: "/"}
	if a, ok := actorFrom(r.Context()); ok {
		v.LoggedIn, v.Confirmed, v.Back = true, a.EmailConfirmed, a.Kind.Home()
	}
	s.render(w, r, http.StatusNotFound, auth.ConfirmLink(v))
}

// resendConfirmation e-mails the logged-in person a new confirmation link,
// at most one a minute and five an hour per account, and leads back to
// the page they asked from (field next).
func (s *Server) resendConfirmation(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r, "next")
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	next := or(safeNext(f.Value("next")), a.Kind.Home())
	err := s.Accounts.ResendConfirmation(ctx, a)
	var throttled *account.ThrottledError
	switch {
	case errors.Is(err, account.ErrAlreadyConfirmed):
		s.flash(ctx, "info", "flash.email_confirmed")
	case errors.As(err, &throttled):
		minutes := retryAfter(w, throttled.Wait)
		s.render(w, r, http.StatusTooManyRequests, auth.ConfirmLink(auth.LinkView{Status: http.StatusTooManyRequests,
			LoggedIn: true, Minutes: minutes, Back: next}))
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	default:
		s.flash(ctx, "success", "flash.confirm_sent")
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// privacyNoticeSince is the day the privacy notice's version took effect.
var privacyNoticeSince = func() time.Time {
	t, err := time.Parse(time.DateOnly, account.PrivacyNoticeVersion)
	if err != nil {
		panic("account.PrivacyNoticeVersion is not a date: " + err.Error())
	}
	return t
}()

// privacyPage is the privacy notice the sign-up's consent accepts.
func (s *Server) privacyPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, privacy.Page(privacy.View{Version: account.PrivacyNoticeVersion, Since: privacyNoticeSince,
		Email: s.HelpdeskEmail, Phone: s.HelpdeskPhone}))
}
