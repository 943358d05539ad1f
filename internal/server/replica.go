package server

import (
	"net/http"

	"pasokan/internal/database"
)

// seenCookie carries, for a few minutes after a person changes something,
// the primary's WAL position at that moment, so that the reads that may go
// to the read replica (the catalogue, the directory, the dashboards,
// verification) go there for this person only once the replica shows their
// change (database.WithMinLSN). It says nothing about who they are; forged,
// it can only send the forger's own reads to the primary or to the replica.
const seenCookie = "pasokan_seen"

// seenMaxAge bounds how long a change is remembered: longer than a replica
// may lag before its reads go back to the primary anyway.
const seenMaxAge = 300

// readYourWrites is the middleware of the read replica (issue 13); without
// a replica it passes requests through untouched.
func (s *Server) readYourWrites(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.DB.HasReplica() {
			next.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(s.cookieName(seenCookie)); err == nil {
			if lsn, err := database.ParseLSN(c.Value); err == nil {
				r = r.WithContext(database.WithMinLSN(r.Context(), lsn))
			}
		}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&seenWriter{ResponseWriter: w, s: s, r: r}, r)
	})
}

// seenWriter sets seenCookie as the response to a state change starts:
// by then the handler's transaction has committed (and the session's).
type seenWriter struct {
	http.ResponseWriter
	s       *Server
	r       *http.Request
	written bool
}

func (w *seenWriter) WriteHeader(code int) {
	if !w.written {
		w.written = true
		// A refused form (4xx) or a failure changed nothing.
		if code < 400 {
			if lsn, err := w.s.DB.CurrentLSN(w.r.Context()); err == nil {
				http.SetCookie(w.ResponseWriter, &http.Cookie{Name: w.s.cookieName(seenCookie), Value: lsn.String(), Path: "/",
					MaxAge: seenMaxAge, HttpOnly: true, Secure: w.s.SecureCookies, SameSite: http.SameSiteLaxMode})
			} else {
				w.s.Log.Warn("reading the primary's WAL position", "err", err)
			}
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *seenWriter) Write(b []byte) (int, error) {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *seenWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
