package server

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"pasokan/internal/supplier"
	"pasokan/internal/validation"
	"pasokan/web/component"
	suppage "pasokan/web/page/supplier"
)

// multipartOverhead is room for the form's other fields and boundaries.
const multipartOverhead = 64 << 10

// drainLimit bounds what is read of an upload that is refused for its size.
// A browser sends the whole body before it reads any answer, and Chromium,
// answered early (and the connection closed, as Go's server closes it when
// a handler leaves a large body unread), shows "connection reset" instead
// of a redirect; an early 413 page it shows only if it has it in time. So an
// oversized upload up to this size is read to its end, its file thrown away
// as it arrives, and the form comes back with the error: the reader stays
// on the documents. Beyond it the answer is early (docs/DESIGN.md, "Uploads
// that are too large").
func drainLimit(limit int64) int64 { return max(64<<20, 2*limit) }

// maxKindParts bounds the kind fields read from one upload (the form has
// six: the select and a box per kind); the domain refuses more than
// supplier.MaxKinds kinds with a field error, and a body with more than this
// many is no form of ours.
const maxKindParts = 16

// uploadDocument receives one file for one or more document kinds (the
// select and the checkboxes, all named kind). A body announced larger than
// the limit is not held: its file is read and thrown away as it arrives,
// and the form comes back with the error, the kinds chosen and the file's
// name; a body announced beyond drainLimit is answered at once. Each upload
// in flight holds its file in memory, so only Deps.Uploads of them are
// received at once; the others are turned away before their bodies are
// read. The file is read into one buffer, the only copy our code makes.
// The type is decided by content in the domain.
func (s *Server) uploadDocument(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	limit := s.Suppliers.MaxUpload + multipartOverhead
	drain := drainLimit(limit)
	if r.ContentLength > drain {
		w.Header().Set("Connection", "close") // the body stays unread
		s.tooLarge(w, r, uploadForm{}, r.ContentLength)
		return
	}
	// Announced too large: nothing is kept, so no upload slot is taken.
	oversized := r.ContentLength > limit
	if !oversized {
		if !s.Uploads.Acquire(ctx) {
			s.uploadsBusy(w, r)
			return
		}
		defer s.Uploads.Release()
	}
	r.Body = http.MaxBytesReader(w, r.Body, drain)
	mr, err := r.MultipartReader()
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "error.page.400")
		return
	}
	var up uploadForm
	up.Form = newForm()
	var file []byte
	var gotFile, tooBig bool
	var fileSize int64
	kindParts := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.uploadReadError(w, r, err, up)
			return
		}
		name := part.FormName()
		switch name {
		case "file":
			if gotFile { // one file per upload, one buffer per upload
				s.errorPage(w, r, http.StatusBadRequest, "error.page.400")
				return
			}
			gotFile, up.fileName = true, part.FileName()
			if oversized {
				fileSize, err = io.Copy(io.Discard, part)
				tooBig = true
			} else {
				file, err = readFile(part, r.ContentLength, s.Suppliers.MaxUpload)
				if errors.Is(err, supplier.ErrTooLarge) {
					// Sent without a length, or with a wrong one.
					var rest int64
					rest, err = io.Copy(io.Discard, part)
					fileSize, tooBig, file = s.Suppliers.MaxUpload+1+rest, true, nil
				} else {
					fileSize = int64(len(file))
				}
			}
			if err != nil {
				s.uploadReadError(w, r, err, up)
				return
			}
		case "kind", "taken_on", "product_id":
			if name == "kind" {
				if kindParts++; kindParts > maxKindParts {
					s.errorPage(w, r, http.StatusBadRequest, "error.page.400")
					return
				}
			}
			b, err := io.ReadAll(io.LimitReader(part, 1024))
			if err != nil {
				s.uploadReadError(w, r, err, up)
				return
			}
			v := string(b)
			if !validation.Storable(v) {
				up.Errors.Add(name, validation.KeyEncoding)
				v = printable(v)
			}
			if name == "kind" {
				up.kinds = append(up.kinds, v)
			} else {
				up.Values[name] = v
			}
		}
		part.Close()
	}
	up.fileName = printable(up.fileName)
	if r := []rune(up.fileName); len(r) > 120 {
		up.fileName = string(r[:120]) + "…"
	}
	if tooBig {
		s.tooLarge(w, r, up, fileSize)
		return
	}
	if up.Errors.Any() {
		s.renderUpload(w, r, http.StatusUnprocessableEntity, up)
		return
	}
	a, _ := actorFrom(ctx)
	in := supplier.Upload{FileName: up.fileName, TakenOn: up.Value("taken_on"), ProductID: up.Value("product_id"), Data: file}
	if len(up.kinds) > 0 {
		in.Kind, in.Kinds = up.kinds[0], up.kinds[1:]
	}
	docs, err := s.Suppliers.AddDocuments(ctx, a, in)
	switch {
	case fieldErrors(err, &up.Form):
		s.renderUpload(w, r, http.StatusUnprocessableEntity, up)
		return
	case errors.Is(err, supplier.ErrTooLarge):
		s.tooLarge(w, r, up, fileSize)
		return
	case errors.Is(err, supplier.ErrDuplicateFile):
		s.flash(ctx, "info", "flash.document_duplicate")
	case errors.Is(err, supplier.ErrNotEditable):
		s.flash(ctx, "error", "flash.not_editable")
	case err != nil:
		s.serverError(w, r, err)
		return
	case len(docs) > 1:
		s.flashN(ctx, "success", "upload.flash.added_kinds", len(docs))
	default:
		s.flash(ctx, "success", "flash.document_added")
	}
	http.Redirect(w, r, "/supplier/application#documents-heading", http.StatusSeeOther)
}

// uploadForm is the upload form as received: its fields, the kinds named
// (the select's first, then the boxes ticked) and the file's name.
type uploadForm struct {
	component.Form
	kinds    []string
	fileName string
}

// renderUpload draws the application with the upload form come back: the
// kinds chosen, and the name of the file received, which the browser
// cannot put back.
func (s *Server) renderUpload(w http.ResponseWriter, r *http.Request, status int, up uploadForm) {
	f := up.Form
	if f.Values == nil {
		f = newForm()
	}
	if len(up.kinds) > 0 {
		f.Values["kind"] = up.kinds[0]
		f.Values[suppage.UploadKindAlso] = strings.Join(up.kinds[1:], " ")
	}
	f.Values[suppage.UploadFileName] = up.fileName
	s.renderApplication(w, r, status, newForm(), f, "")
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
	v := errorView(http.StatusServiceUnavailable, "error.page.upload_busy", secs)
	v.Next, v.NextKey = "/supplier/application#documents", "upload.back_to_documents"
	s.renderError(w, r, v)
}

func (s *Server) uploadReadError(w http.ResponseWriter, r *http.Request, err error, up uploadForm) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		w.Header().Set("Connection", "close") // the body stays unread
		s.tooLarge(w, r, up, max(r.ContentLength, mbe.Limit+1))
		return
	}
	s.errorPage(w, r, http.StatusBadRequest, "error.page.400")
}

// tooLarge answers an upload over the limit with the application's page:
// 413, the form with what was chosen, and the error at the file field
// naming its size (n bytes: the file's, or the body's when that is all that
// is known).
func (s *Server) tooLarge(w http.ResponseWriter, r *http.Request, up uploadForm, n int64) {
	if up.Form.Values == nil {
		up.Form = newForm()
	}
	up.Errors.Add("file", "upload.error.too_large")
	up.Values[suppage.UploadFileSize] = strconv.FormatInt(max(n, s.Suppliers.MaxUpload+1), 10)
	s.renderUpload(w, r, http.StatusRequestEntityTooLarge, up)
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
// inline (PDFs in a frame of our own pages only); a sandboxing CSP keeps
// anything active in an image inert; and nothing is cached.
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
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(f.Data)))
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": f.FileName}))
	if f.ContentType == "application/pdf" {
		// A PDF shows inline in a frame of our own pages (the curator's
		// review page) and nowhere else. Browsers refuse to draw a PDF in a
		// sandboxed document, so it is not sandboxed: it is served only as
		// the PDF its content was checked to be (nosniff), and may load
		// nothing.
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'")
		h.Set("X-Frame-Options", "SAMEORIGIN")
	} else {
		h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox")
	}
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store, private")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	_, _ = w.Write(f.Data)
}
