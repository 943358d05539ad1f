package server

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"pasokan/internal/supplier"
	"pasokan/internal/validation"
)

// multipartOverhead is room for the form's other fields and boundaries.
const multipartOverhead = 64 << 10

// uploadDocument receives one file. A body announced larger than the limit
// is refused before it is read; one that turns out larger is refused as soon
// as it passes the limit. Each upload in flight holds its file in memory, so
// only Deps.Uploads of them are received at once; the others are turned away
// before their bodies are read. The file is read into one buffer, the only
// copy our code makes. The type is decided by content in the domain.
func (s *Server) uploadDocument(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	limit := s.Suppliers.MaxUpload + multipartOverhead
	if r.ContentLength > limit {
		s.tooLarge(w, r)
		return
	}
	if !s.Uploads.Acquire(ctx) {
		s.uploadsBusy(w, r)
		return
	}
	defer s.Uploads.Release()
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "error.page.400")
		return
	}
	f := newForm()
	var file []byte
	var fileName string
	var gotFile bool
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.uploadReadError(w, r, err)
			return
		}
		name := part.FormName()
		switch name {
		case "file":
			if gotFile { // one file per upload, one buffer per upload
				s.errorPage(w, r, http.StatusBadRequest, "error.page.400")
				return
			}
			gotFile, fileName = true, part.FileName()
			b, err := readFile(part, r.ContentLength, s.Suppliers.MaxUpload)
			if errors.Is(err, supplier.ErrTooLarge) {
				s.tooLarge(w, r)
				return
			}
			if err != nil {
				s.uploadReadError(w, r, err)
				return
			}
			file = b
		case "kind", "taken_on", "product_id":
			b, err := io.ReadAll(io.LimitReader(part, 1024))
			if err != nil {
				s.uploadReadError(w, r, err)
				return
			}
			f.Values[name] = string(b)
			if !validation.Storable(f.Values[name]) {
				f.Errors.Add(name, validation.KeyEncoding)
				f.Values[name] = printable(f.Values[name])
			}
		}
		part.Close()
	}
	if f.Errors.Any() {
		s.renderApplication(w, r, http.StatusUnprocessableEntity, newForm(), f, "")
		return
	}
	a, _ := actorFrom(ctx)
	_, err = s.Suppliers.AddDocument(ctx, a, supplier.Upload{Kind: f.Value("kind"), FileName: fileName,
		TakenOn: f.Value("taken_on"), ProductID: f.Value("product_id"), Data: file})
	switch {
	case fieldErrors(err, &f):
		s.renderApplication(w, r, http.StatusUnprocessableEntity, newForm(), f, "")
		return
	case errors.Is(err, supplier.ErrTooLarge):
		s.tooLarge(w, r)
		return
	case errors.Is(err, supplier.ErrDuplicateFile):
		s.flash(ctx, "info", "flash.document_duplicate")
	case errors.Is(err, supplier.ErrNotEditable):
		s.flash(ctx, "error", "flash.not_editable")
	case err != nil:
		s.serverError(w, r, err)
		return
	default:
		s.flash(ctx, "success", "flash.document_added")
	}
	http.Redirect(w, r, "/supplier/application#documents-heading", http.StatusSeeOther)
}

// readFile reads a file part into one buffer, allocated once: the size of
// the request body when it is known (the file is shorter), else one byte
// over the limit. (io.ReadAll grows its buffer by doubling: it holds up to
// twice the file, and leaves every smaller copy as garbage.) A part over
// limit bytes is supplier.ErrTooLarge.
func readFile(part io.Reader, bodyLen, limit int64) ([]byte, error) {
	n := limit + 1
	if bodyLen >= 0 && bodyLen < n {
		n = bodyLen
	}
	buf := make([]byte, n)
	got, err := io.ReadFull(part, buf)
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return buf[:got], nil
	case err != nil:
		return nil, err
	case int64(got) > limit:
		return nil, supplier.ErrTooLarge
	}
	// The buffer is full and within the limit: the part must end here.
	var one [1]byte
	if k, err := io.ReadFull(part, one[:]); k > 0 {
		return nil, supplier.ErrTooLarge
	} else if !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf, nil
}

// uploadsBusy turns an upload away when every slot stayed taken: 503 with
// Retry-After, and the connection closed so the client stops sending a body
// nobody reads.
func (s *Server) uploadsBusy(w http.ResponseWriter, r *http.Request) {
	s.Log.Warn("upload turned away: all upload slots taken", "request_id", requestIDFrom(r.Context()))
	w.Header().Set("Connection", "close")
	secs := int(uploadRetry / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.renderError(w, r, errorView(http.StatusServiceUnavailable, "error.page.upload_busy", secs))
}

func (s *Server) uploadReadError(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		s.tooLarge(w, r)
		return
	}
	s.errorPage(w, r, http.StatusBadRequest, "error.page.400")
}

func (s *Server) tooLarge(w http.ResponseWriter, r *http.Request) {
	// Tell the client not to keep sending the rest of a large body.
	w.Header().Set("Connection", "close")
	s.renderError(w, r, errorView(http.StatusRequestEntityTooLarge, "error.page.upload_too_large", int(s.Suppliers.MaxUpload>>20)))
}

func (s *Server) removeDocument(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	err = s.Suppliers.RemoveDocument(ctx, a, id)
	switch {
	case errors.Is(err, supplier.ErrNotEditable):
		s.flash(ctx, "error", "flash.not_editable")
	case err != nil:
		s.domainError(w, r, err)
		return
	default:
		s.flash(ctx, "success", "flash.document_removed")
	}
	http.Redirect(w, r, "/supplier/application#documents-heading", http.StatusSeeOther)
}

// document serves a file to whoever may see it (row-level security decides;
// anyone else gets 404). The stored type is sent with nosniff; images show
// inline, PDFs download; a sandboxing CSP keeps anything active inert; and
// nothing is cached.
func (s *Server) document(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	f, err := s.Suppliers.OpenDocument(ctx, a, id)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	disposition := "attachment"
	if f.ContentType != "application/pdf" {
		disposition = "inline"
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(f.Data)))
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": f.FileName}))
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store, private")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	_, _ = w.Write(f.Data)
}
