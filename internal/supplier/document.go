package supplier

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // decoders for uploads
	_ "image/png"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	_ "golang.org/x/image/webp"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/validation"
)

// DocumentKinds are the kinds of document a supplier uploads. The
// production certificate (CPAKB, CPPKRTB) is the one a distribution permit
// requires (issue 14, migration 0041).
var DocumentKinds = []string{"nib", "npwp", "permit", "production_certificate", "lab_result", "photo"}

// Accepted file types, decided by content, with the extension we give them.
var acceptedTypes = map[string]string{
	"application/pdf": ".pdf",
	"image/jpeg":      ".jpg",
	"image/png":       ".png",
	"image/webp":      ".webp",
}

// Image bounds: smaller is no usable photo, larger is no phone photo.
// Phones take 12-13 MP photos by default and budget ones 16 MP (4608×3456);
// 16 MP lets those through and keeps a decoded image under 64 MB (8-bit
// RGBA), where the 50 MP allowed before cost 200 MB. The 48-108 MP modes
// of some phones are opt-in; their owners can choose a smaller size.
const (
	minImageSide   = 100
	maxImageSide   = 12000
	maxImagePixels = 16_000_000
)

// pdfTrailer must appear near the end of a PDF: a reader looks for it in the
// last kilobyte, so a file without it is cut short or is no PDF.
var pdfTrailer = []byte("%%EOF")

const pdfTrailerWithin = 1024

// ErrTooLarge means an upload is over Store.MaxUpload.
var ErrTooLarge = errors.New("supplier: file too large")

// ErrDuplicateFile means the organisation uploaded the same bytes before.
var ErrDuplicateFile = errors.New("supplier: same file uploaded before")

// Document is an uploaded file's description (its bytes stay in Postgres).
type Document struct {
	ID          int64
	Kind        string
	FileName    string
	ContentType string
	Size        int
	SHA256      []byte
	Width       int
	Height      int
	TakenOn     *time.Time
	ProductID   int64
	CreatedAt   time.Time
}

// DocumentRef is a document as recorded in a submission's snapshot.
type DocumentRef struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	FileName string `json:"file_name"`
	SHA256   string `json:"sha256"`
}

func documentRefs(ds []Document) []DocumentRef {
	out := make([]DocumentRef, 0, len(ds))
	for _, d := range ds {
		out = append(out, DocumentRef{ID: d.ID, Kind: d.Kind, FileName: d.FileName, SHA256: hex.EncodeToString(d.SHA256)})
	}
	return out
}

const (
	documentsSelectSQL = `SELECT id, kind, file_name, content_type, size_bytes AS size, sha256,
       coalesce(width, 0) AS width, coalesce(height, 0) AS height, taken_on,
       coalesce(application_product_id, 0) AS product_id, created_at
  FROM documents`
	documentsSQL              = documentsSelectSQL + ` WHERE organization_id = $1 AND removed_at IS NULL ORDER BY id`
	documentsOfApplicationSQL = documentsSelectSQL + `
 WHERE organization_id = (SELECT organization_id FROM applications WHERE id = $1) AND removed_at IS NULL ORDER BY id`
)

// DocumentBytes is what documents weigh against the upload quota: each
// file once, however many kinds it serves.
func DocumentBytes(ds []Document) int64 {
	var n int64
	seen := make(map[string]bool, len(ds))
	for _, d := range ds {
		if seen[string(d.SHA256)] {
			continue
		}
		seen[string(d.SHA256)] = true
		n += int64(d.Size)
	}
	return n
}

func documentsOf(ctx context.Context, tx pgx.Tx, orgID int64) ([]Document, error) {
	rows, err := tx.Query(ctx, documentsSQL, orgID)
	if err != nil {
		return nil, err
	}
	return database.CollectRows[Document](rows)
}

// Upload is a file as received.
type Upload struct {
	Kind string
	// Kinds are more kinds the same file serves (one scan holding the NIB
	// and the NPWP): one document is stored per kind, Kind's first.
	Kinds     []string
	FileName  string
	TakenOn   string // YYYY-MM-DD, photos only, optional
	ProductID string // the product a photo shows, optional
	// Data is the file, read once by the caller; AddDocument does not copy
	// it.
	Data []byte
}

// UploadFields are the upload form's field names.
var UploadFields = []string{"kind", "taken_on", "product_id"}

// SanitizeFileName keeps the base name of what the browser sent, in safe
// characters, with the extension of the type we found.
func SanitizeFileName(name, contentType string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.TrimSuffix(name, path.Ext(name))
	var b strings.Builder
	for _, r := range name {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)), r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ' || r == '.':
			b.WriteRune('_')
		}
	}
	base := strings.Trim(b.String(), "_")
	if len(base) > 100 {
		base = base[:100]
	}
	if base == "" {
		base = "dokumen"
	}
	return base + acceptedTypes[contentType]
}

// inspect decides a file's type by its content and checks it whole: a PDF
// must end with its trailer; an image must have sane dimensions and then
// decode completely, so a truncated or corrupt one is refused. Dimensions
// are checked before decoding, so a small file that claims a huge image
// (a decompression bomb) is refused without allocating its pixels.
func (s *Store) inspect(ctx context.Context, data []byte) (contentType string, width, height int, errKey string, err error) {
	ct := http.DetectContentType(data)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	if _, ok := acceptedTypes[ct]; !ok {
		return ct, 0, 0, "error.file_type", nil
	}
	if ct == "application/pdf" {
		if !bytes.HasPrefix(data, []byte("%PDF-")) {
			return ct, 0, 0, "error.file_type", nil
		}
		if !bytes.Contains(data[max(0, len(data)-pdfTrailerWithin):], pdfTrailer) {
			return ct, 0, 0, "error.pdf_incomplete", nil
		}
		return ct, 0, 0, "", nil
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return ct, 0, 0, "error.image_unreadable", nil
	}
	if cfg.Width < minImageSide || cfg.Height < minImageSide || cfg.Width > maxImageSide || cfg.Height > maxImageSide {
		return ct, cfg.Width, cfg.Height, "error.image_dimensions", nil
	}
	if cfg.Width*cfg.Height > maxImagePixels {
		return ct, cfg.Width, cfg.Height, "error.image_pixels", nil
	}
	// Decoding takes a core for a fraction of a second and, for a crafted
	// image at the pixel limit, up to about 300 MB (a progressive CMYK JPEG
	// keeps 16 bytes of coefficients a pixel); one at a time per process
	// bounds both.
	select {
	case s.decodes <- struct{}{}:
	case <-ctx.Done():
		return ct, 0, 0, "", ctx.Err()
	}
	_, _, err = image.Decode(bytes.NewReader(data))
	<-s.decodes
	if err != nil {
		return ct, cfg.Width, cfg.Height, "error.image_unreadable", nil
	}
	return ct, cfg.Width, cfg.Height, "", nil
}

// ErrKindRequired is the field error key of an upload that names no kind.
const ErrKindRequired = "upload.error.kind_required"

// MaxKinds bounds the kinds one upload may name (each is one document).
const MaxKinds = 8

// uploadKinds are the distinct kinds an upload names, Kind first, blanks
// dropped; errKey is a field error on "kind", or "".
func uploadKinds(up Upload) (kinds []string, errKey string) {
	all := append([]string{up.Kind}, up.Kinds...)
	if len(all) > MaxKinds+1 {
		return nil, "error.choose_option"
	}
	for _, k := range all {
		k = strings.TrimSpace(k)
		switch {
		case k == "":
		case !contains(DocumentKinds, k):
			return nil, "error.choose_option"
		case !contains(kinds, k):
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		return nil, ErrKindRequired
	}
	return kinds, ""
}

// AddDocument stores an uploaded file for the actor's organisation, as
// AddDocuments does, and returns the first document.
func (s *Store) AddDocument(ctx context.Context, a account.Actor, up Upload) (Document, error) {
	ds, err := s.AddDocuments(ctx, a, up)
	if len(ds) == 0 {
		return Document{}, err
	}
	return ds[0], err
}

// AddDocuments stores an uploaded file for the actor's organisation, one
// document for each kind it serves (Kind and Kinds). The file's type is
// decided by its content (PDF, JPEG, PNG, WebP only); a PDF must be whole;
// images must have sane dimensions and decode; the name is sanitised. The
// same bytes uploaded before for a kind are not stored again for it: when
// that holds for every kind, the earlier documents come back with
// ErrDuplicateFile. A file that does not fit in the organisation's
// UploadQuota (a file counts once, whatever its kinds) is a field error on
// "file", and nothing is stored. Each document stored is an event on the
// application's timeline.
func (s *Store) AddDocuments(ctx context.Context, a account.Actor, up Upload) ([]Document, error) {
	errs := validation.Errors{}
	kinds, kindErr := uploadKinds(up)
	if kindErr != "" {
		errs.Add("kind", kindErr)
	}
	var takenOn *time.Time
	if v := strings.TrimSpace(up.TakenOn); v != "" {
		t, err := time.Parse("2006-01-02", v)
		if err != nil || t.After(time.Now().Add(24*time.Hour)) || t.Year() < 2000 {
			errs.Add("taken_on", "error.date_invalid")
		} else {
			takenOn = &t
		}
	}
	var productID int64
	if v := strings.TrimSpace(up.ProductID); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			errs.Add("product_id", "error.choose_option")
		}
		productID = n
	}
	data := up.Data
	if int64(len(data)) > s.MaxUpload {
		return nil, ErrTooLarge
	}
	if len(data) == 0 {
		errs.Add("file", "error.file_required")
	}
	var d Document
	if len(data) > 0 {
		var key string
		var err error
		d.ContentType, d.Width, d.Height, key, err = s.inspect(ctx, data)
		if err != nil {
			return nil, fmt.Errorf("supplier: add document: %w", err)
		}
		if key != "" {
			errs.Add("file", key)
		}
	}
	if errs.Any() {
		return nil, errs
	}
	sum := sha256.Sum256(data)
	d.FileName, d.Size, d.SHA256, d.TakenOn, d.ProductID = SanitizeFileName(up.FileName, d.ContentType), len(data), sum[:], takenOn, productID

	var out []Document
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		out = out[:0]
		r, err := ensureApplication(ctx, tx, a)
		if err != nil {
			return err
		}
		if !r.Status.Editable() {
			return ErrNotEditable
		}
		if productID != 0 {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM application_products WHERE id = $1 AND application_id = $2)`,
				productID, r.ID).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return validation.Errors{"product_id": "error.choose_option"}
			}
		}
		// One upload at a time per organisation from here to commit, in
		// any process: two uploads must not both fit in the last of the
		// quota. (The statement after the lock reads a fresh snapshot.)
		if _, err := tx.Exec(ctx, lockDocumentsSQL, a.OrgID); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, documentsSQL[:strings.Index(documentsSQL, "WHERE")]+
			`WHERE organization_id = $1 AND sha256 = $2 AND removed_at IS NULL ORDER BY id`, a.OrgID, d.SHA256)
		if err != nil {
			return err
		}
		same, err := database.CollectRows[Document](rows)
		if err != nil {
			return err
		}
		var missing []string
		for _, k := range kinds {
			if i := slices.IndexFunc(same, func(o Document) bool { return o.Kind == k }); i >= 0 {
				out = append(out, same[i])
			} else {
				missing = append(missing, k)
			}
		}
		if len(missing) == 0 {
			return ErrDuplicateFile
		}
		out = out[:0]
		// Bytes already stored for another kind take no more of the quota.
		if len(same) == 0 {
			var used int64
			if err := tx.QueryRow(ctx, documentBytesSQL, a.OrgID).Scan(&used); err != nil {
				return err
			}
			if used+int64(d.Size) > s.UploadQuota {
				return validation.Errors{"file": "error.upload_quota"}
			}
		}
		for _, k := range missing {
			doc := d
			doc.Kind = k
			if err := insertDocument(ctx, tx, a, r.ID, &doc, data); err != nil {
				return err
			}
			if err := appendEvent(ctx, tx, a, r.ID, a.OrgID, "application.document_added", "", "", r.Version, "",
				map[string]any{"document": doc.ID, "kind": doc.Kind, "sha256": hex.EncodeToString(doc.SHA256)}); err != nil {
				return err
			}
			out = append(out, doc)
		}
		return nil
	})
	if errors.Is(err, ErrDuplicateFile) {
		return out, ErrDuplicateFile
	}
	if err != nil {
		return nil, fmt.Errorf("supplier: add document: %w", err)
	}
	return out, nil
}

const insertDocumentSQL = `INSERT INTO documents (organization_id, application_id, application_product_id, kind,
    file_name, content_type, size_bytes, sha256, width, height, taken_on, uploaded_by, data)
VALUES ($1, $2, nullif($3, 0), $4, $5, $6, $7, $8, nullif($9, 0), nullif($10, 0), $11, $12, $13)
RETURNING id, created_at`

// insertDocumentTypes are the types of insertDocumentSQL's parameters, the
// bytes last.
var insertDocumentTypes = []uint32{pgtype.Int8OID, pgtype.Int8OID, pgtype.Int8OID, pgtype.TextOID, pgtype.TextOID,
	pgtype.TextOID, pgtype.Int4OID, pgtype.ByteaOID, pgtype.Int4OID, pgtype.Int4OID, pgtype.DateOID, pgtype.Int8OID,
	pgtype.ByteaOID}

// insertDocument inserts d, with its bytes, and sets its id and creation
// time. It talks to pgconn rather than through tx.QueryRow: pgx encodes
// every argument into a buffer of its own before pgconn writes them into the
// protocol's Bind message, so a []byte argument is copied twice, and an
// upload in flight would hold its file three times. A bytea parameter in
// binary format is the bytes themselves, so they go to pgconn as they are
// and are copied only into the message. (That copy stays: pgconn builds each
// message whole before writing it, and COPY, which streams, is refused on
// tables under row-level security.)
func insertDocument(ctx context.Context, tx pgx.Tx, a account.Actor, appID int64, d *Document, data []byte) error {
	m := tx.Conn().TypeMap()
	args := []any{a.OrgID, appID, d.ProductID, d.Kind, d.FileName, d.ContentType, d.Size, d.SHA256, d.Width, d.Height,
		d.TakenOn, a.UserID}
	values := make([][]byte, 0, len(insertDocumentTypes))
	buf := make([]byte, 0, 256) // non-nil: an empty value is not NULL
	for i, arg := range args {
		start := len(buf)
		next, err := m.Encode(insertDocumentTypes[i], pgx.BinaryFormatCode, arg, buf)
		if err != nil {
			return err
		}
		if next == nil {
			values = append(values, nil) // NULL
			continue
		}
		buf = next
		values = append(values, buf[start:len(buf):len(buf)])
	}
	values = append(values, data)
	formats := make([]int16, len(values))
	for i := range formats {
		formats[i] = pgx.BinaryFormatCode
	}
	res := tx.Conn().PgConn().ExecParams(ctx, insertDocumentSQL, values, insertDocumentTypes, formats,
		[]int16{pgx.BinaryFormatCode, pgx.BinaryFormatCode}).Read()
	if res.Err != nil {
		return res.Err
	}
	if len(res.Rows) != 1 {
		return fmt.Errorf("supplier: insert document: %d rows returned", len(res.Rows))
	}
	// The returned columns are found by name, as pgx.RowToStructByName
	// would: a reordered RETURNING list is still read right, a renamed one
	// is an error.
	for _, col := range []struct {
		name string
		dst  any
	}{{"id", &d.ID}, {"created_at", &d.CreatedAt}} {
		i := slices.IndexFunc(res.FieldDescriptions, func(f pgconn.FieldDescription) bool { return f.Name == col.name })
		if i < 0 {
			return fmt.Errorf("supplier: insert document: no column %s returned", col.name)
		}
		f := res.FieldDescriptions[i]
		if err := m.Scan(f.DataTypeOID, f.Format, res.Rows[0][i], col.dst); err != nil {
			return fmt.Errorf("supplier: insert document: column %s: %w", col.name, err)
		}
	}
	return nil
}

// lockDocumentsSQL serialises the uploads of one organisation until the
// transaction ends. The key is the organisation's id hashed with a name of
// our own; should it ever equal another advisory lock's key, two requests
// would only wait for each other.
const lockDocumentsSQL = `SELECT pg_advisory_xact_lock(hashtextextended('pasokan.documents', $1))`

// documentBytesSQL is what an organisation's live documents weigh, each
// file once however many kinds it serves.
const documentBytesSQL = `SELECT coalesce(sum(size_bytes), 0)::bigint FROM (SELECT DISTINCT ON (sha256) size_bytes
  FROM documents WHERE organization_id = $1 AND removed_at IS NULL ORDER BY sha256) f`

// RemoveDocument takes a document out of the application and deletes its
// bytes; its description (kind, name, size, SHA-256) stays for the audit
// trail, and it no longer counts against the quota.
func (s *Store) RemoveDocument(ctx context.Context, a account.Actor, id int64) error {
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		r, err := activeApplication(ctx, tx, a.OrgID)
		if err != nil {
			return err
		}
		if !r.Status.Editable() {
			return ErrNotEditable
		}
		tag, err := tx.Exec(ctx, `UPDATE documents SET removed_at = now(), data = NULL
 WHERE id = $1 AND organization_id = $2 AND removed_at IS NULL`, id, a.OrgID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return database.ErrNotFound
		}
		return appendEvent(ctx, tx, a, r.ID, a.OrgID, "application.document_removed", "", "", r.Version, "",
			map[string]any{"document": id})
	})
	if err != nil {
		return fmt.Errorf("supplier: remove document %d: %w", id, err)
	}
	return nil
}

// DocumentFile is a document with its bytes, for serving.
type DocumentFile struct {
	Document
	Data []byte
}

// OpenDocument returns a document the actor may see: their own
// organisation's, or any for the ministry (and, with curation, the assigned
// curators'). Anything else is ErrNotFound.
func (s *Store) OpenDocument(ctx context.Context, a account.Actor, id int64) (DocumentFile, error) {
	// What serving needs: the file's own row, without the columns the
	// application's page shows.
	type file struct {
		ID                          int64
		Kind, FileName, ContentType string
		Size                        int
		SHA256, Data                []byte
		CreatedAt                   time.Time
	}
	var f file
	err := s.db.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT id, kind, file_name, content_type, size_bytes AS size, sha256, data, created_at
  FROM documents WHERE id = $1 AND removed_at IS NULL`, id)
		var err error
		f, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[file])
		return err
	})
	if err != nil {
		return DocumentFile{}, fmt.Errorf("supplier: open document %d: %w", id, err)
	}
	return DocumentFile{Document: Document{ID: f.ID, Kind: f.Kind, FileName: f.FileName, ContentType: f.ContentType,
		Size: f.Size, SHA256: f.SHA256, CreatedAt: f.CreatedAt}, Data: f.Data}, nil
}
