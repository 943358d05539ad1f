package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"

	"pasokan/internal/vcode"
	certpage "pasokan/web/page/certificate"
)

// The check of a curation certificate for anyone holding the paper: a form
// to type the code (GET /verify), which leads to the certificate's check
// (GET /verify/{code}, certificate.go); a code no certificate has is
// answered with the form again, the code kept.

// verifyField is the form's one field.
const verifyField = "code"

// keptCode bounds what of a typed or linked code is drawn back: a code is
// 14 characters, the query or path may hold anything up to the address
// limit.
const keptCode = 64

// verifyForm is GET /verify. Without a code it is the form; with one, a
// well-formed code is sent to its check in the form it is printed, and an
// empty or malformed one redraws the form with its error and what was typed.
func (s *Server) verifyForm(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	q := r.URL.Query()
	if !q.Has(verifyField) {
		s.render(w, r, http.StatusOK, certpage.Verify(certpage.VerifyView{Form: f}))
		return
	}
	typed := q.Get(verifyField)
	f.Values[verifyField] = shorten(strings.TrimSpace(typed), keptCode)
	code, ok := vcode.Normalize(typed)
	switch {
	case strings.TrimSpace(typed) == "":
		f.Errors.Add(verifyField, "error.verify_code_required")
	case !ok:
		f.Errors.Add(verifyField, "error.verify_code_format")
	default:
		http.Redirect(w, r, "/verify/"+code, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, certpage.Verify(certpage.VerifyView{Form: f}))
}

// unknownCertificate answers 404 for a code no certificate has: it says so
// and offers the form again with the code as it came. A code of the right
// shape may be printed on another kind of document, so the page offers to
// check it as one.
func (s *Server) unknownCertificate(w http.ResponseWriter, r *http.Request, raw string) {
	shown := shorten(strings.TrimSpace(raw), keptCode)
	f := newForm()
	f.Values[verifyField] = shown
	v := certpage.VerifyView{Form: f, Unknown: shown}
	if code, ok := vcode.Normalize(raw); ok {
		v.Unknown = code
		v.Others = []certpage.Link{
			{Path: "/verify/order/" + code, Key: "certificate.verify.as_order"},
			{Path: "/verify/receipt/" + code, Key: "certificate.verify.as_receipt"},
		}
	}
	s.render(w, r, http.StatusNotFound, certpage.Verify(v))
}

// codeParam is the path's code, decoded once: chi reads the escaped path
// when the path has one (a "/" typed into a code comes as %2F), and the
// decoded path otherwise.
func codeParam(r *http.Request) string {
	c := chi.URLParam(r, "code")
	if r.URL.RawPath != "" {
		if u, err := url.PathUnescape(c); err == nil {
			return u
		}
	}
	return c
}

// shorten keeps the first n characters of s, marking the cut.
func shorten(s string, n int) string {
	if runes := []rune(s); len(runes) > n {
		return string(runes[:n]) + "…"
	}
	return s
}
