package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"pasokan/internal/validation"
	"pasokan/web/component"
)

// Input that Postgres cannot store as text (bytes that are not UTF-8, a NUL)
// is refused where it enters, so that it never reaches a query: a path or
// query with it is a 400, a form field a 422. Control characters and lengths
// are the domain's to judge (validation.SingleLine, MultiLine): they are
// storable, and whether they are allowed depends on the field.

// maxFormBytes bounds an ordinary (non-upload) form body.
const maxFormBytes = 64 << 10

// checkAddress answers 400 when the path (and so any path parameter) or the
// query holds bytes that are not storable text.
func (s *Server) checkAddress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !validation.Storable(r.URL.Path) || len(unstorable(r.URL.Query())) > 0 {
			s.errorPage(w, r, http.StatusBadRequest, "error.page.bad_address")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// readForm reads a small urlencoded body into r.PostForm, answering 413
// when it is over maxFormBytes and 400 when it cannot be read.
func (s *Server) readForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.errorPage(w, r, http.StatusRequestEntityTooLarge, "error.page.413")
		} else {
			s.errorPage(w, r, http.StatusBadRequest, "error.page.400")
		}
		return false
	}
	return true
}

// parseForm reads a small urlencoded form into a component.Form with the
// given fields. A body holding anything that is not storable text is
// refused whole with a 422 page: handlers that redraw their form use
// parseFormOr, which names the field instead.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request, fields ...string) (component.Form, bool) {
	if !s.readForm(w, r) {
		return component.Form{}, false
	}
	if len(unstorable(r.PostForm)) > 0 {
		s.refuseInput(w, r)
		return component.Form{}, false
	}
	f := component.NewForm()
	f.Order = fields
	for _, name := range fields {
		f.Values[name] = r.PostForm.Get(name)
	}
	return f, true
}

// parseFormOr is parseForm for a form the handler redraws: a field of the
// form holding bytes that cannot be stored is refused with an error on that
// field, drawn by redraw (which answers 422) with everything else as typed.
// Anything else unstorable (a field the form does not have, a field's name)
// gets the 422 page.
func (s *Server) parseFormOr(w http.ResponseWriter, r *http.Request, redraw func(component.Form), fields ...string) (component.Form, bool) {
	if !s.readForm(w, r) {
		return component.Form{}, false
	}
	f := component.NewForm()
	f.Order = fields
	for _, name := range fields {
		v := r.PostForm.Get(name)
		if !validation.Storable(v) {
			f.Errors.Add(name, validation.KeyEncoding)
			v = printable(v)
		}
		f.Values[name] = v
	}
	for _, name := range unstorable(r.PostForm) {
		if f.Errors[name] == "" {
			s.refuseInput(w, r)
			return component.Form{}, false
		}
	}
	if f.Errors.Any() {
		redraw(f)
		return f, false
	}
	return f, true
}

// refuseInput answers 422 for a form holding bytes that cannot be stored.
func (s *Server) refuseInput(w http.ResponseWriter, r *http.Request) {
	s.Log.Info("unstorable input refused", "request_id", requestIDFrom(r.Context()))
	s.errorPage(w, r, http.StatusUnprocessableEntity, "error.page.input")
}

// unstorable returns the names of the fields whose name or any value is
// not storable text.
func unstorable(vs url.Values) []string {
	var bad []string
	for k, list := range vs {
		ok := validation.Storable(k)
		for _, v := range list {
			ok = ok && validation.Storable(v)
		}
		if !ok {
			bad = append(bad, k)
		}
	}
	return bad
}

// printable makes unstorable text safe to draw back into a form: each bad
// byte and each NUL becomes U+FFFD, so the person sees where it was.
func printable(s string) string {
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", "\uFFFD"), "\uFFFD")
}

// parseOpenForm reads a form whose field names are open-ended (the
// decision forms' check_<id>, revise_<target>_<key>): every field, trimmed.
// A value that cannot be stored is an error on its field, drawn back
// printable; a name that cannot be, or a second value of such a field,
// refuses the whole form with the 422 page.
func (s *Server) parseOpenForm(w http.ResponseWriter, r *http.Request) (component.Form, bool) {
	if !s.readForm(w, r) {
		return component.Form{}, false
	}
	f := component.NewForm()
	for _, k := range unstorable(r.PostForm) {
		if vs := r.PostForm[k]; !validation.Storable(k) || len(vs) != 1 {
			s.refuseInput(w, r)
			return component.Form{}, false
		}
		f.Errors.Add(k, validation.KeyEncoding)
	}
	for k, vs := range r.PostForm {
		if len(vs) == 0 {
			continue
		}
		v := strings.TrimSpace(vs[0])
		if f.Errors[k] != "" {
			v = printable(v)
		}
		f.Values[k] = v
	}
	return f, true
}
