package supplier

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"pasokan/internal/i18n"
	"pasokan/web/component"
)

// The upload form's values beyond its fields, as the server keeps them in
// the form for a redraw: the kind chosen in the select ("kind"), the other
// kinds ticked, space-separated ("kind_also"), and the name and size of the
// file received ("file_name", "file_size"), which the page names because a
// browser cannot fill a file input again.
const (
	UploadKindAlso = "kind_also"
	UploadFileName = "file_name"
	UploadFileSize = "file_size"
)

// uploadOrder is the upload form's fields in the order the page draws them.
var uploadOrder = []string{"kind", "taken_on", "product_id", "file"}

// uploadMax is the largest file accepted, in bytes.
func uploadMax(v ApplicationView) int64 {
	if v.MaxUploadBytes > 0 {
		return v.MaxUploadBytes
	}
	return int64(v.MaxUploadMiB) << 20
}

// uploadQuota is the organisation's document storage, in bytes.
func uploadQuota(v ApplicationView) int64 {
	if v.UploadQuotaBytes > 0 {
		return v.UploadQuotaBytes
	}
	return int64(v.UploadQuotaMiB) << 20
}

// SizeLimit writes a size limit (or the room left) for people, rounded
// down, so that a file the reader's phone shows at the limit is accepted:
// "10 MB", "2,5 MB" in Indonesian, "2.5 MB" in English, "512 KB". MB are
// 2^20 bytes here, as the limit is set, so "10 MB" also holds for a file
// manager counting 10^6.
func SizeLimit(ctx context.Context, n int64) string {
	if n < 1<<10 {
		return i18n.Int(ctx, int(max(n, 0))) + " B"
	}
	if n < 1<<20 {
		return i18n.Int(ctx, int(n>>10)) + " KB"
	}
	tenths := n * 10 >> 20
	return tenths1(ctx, tenths) + " MB"
}

// SizeOf writes a file's size for comparison with SizeLimit, rounded up,
// so that a file over the limit never reads as equal to it.
func SizeOf(ctx context.Context, n int64) string {
	if n < 1<<20 {
		return i18n.Int(ctx, int((n+1023)>>10)) + " KB"
	}
	tenths := (n*10 + 1<<20 - 1) >> 20
	return tenths1(ctx, tenths) + " MB"
}

// tenths1 writes tenths/10 with one decimal, dropped when it is zero.
func tenths1(ctx context.Context, tenths int64) string {
	s := i18n.Int(ctx, int(tenths/10))
	if tenths%10 != 0 {
		s += decimalSep(ctx) + strconv.FormatInt(tenths%10, 10)
	}
	return s
}

func decimalSep(ctx context.Context) string {
	if i18n.LangFrom(ctx) == i18n.EN {
		return "."
	}
	return ","
}

// alsoKinds are the kinds ticked besides the select's.
func alsoKinds(f component.Form) []string { return strings.Fields(f.Value(UploadKindAlso)) }

func hasKind(kinds []string, k string) bool { return slices.Contains(kinds, k) }

// uploadError is the message of the upload form's error on field, with
// what it needs filled in.
func uploadError(ctx context.Context, v ApplicationView, field string) string {
	key := v.UploadForm.Error(field)
	if key == "upload.error.too_large" {
		name := v.UploadForm.Value(UploadFileName)
		if name == "" {
			name = i18n.T(ctx, "upload.the_file")
		}
		size, _ := strconv.ParseInt(v.UploadForm.Value(UploadFileSize), 10, 64)
		return i18n.T(ctx, key, name, SizeOf(ctx, size), SizeLimit(ctx, uploadMax(v)))
	}
	return i18n.T(ctx, key)
}

// uploadErrorFields are the fields in error, in the order of the form.
func uploadErrorFields(f component.Form) []string {
	f.Order = uploadOrder
	var out []string
	listed := map[string]bool{}
	for _, k := range f.Order {
		if f.Errors[k] != "" {
			out = append(out, k)
			listed[k] = true
		}
	}
	var rest []string
	for k := range f.Errors {
		if !listed[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

func describedBy(ids ...string) string {
	var out []string
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return strings.Join(out, " ")
}

func ifThen(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}

// tooLargeTemplate is the in-browser message for a file over the limit,
// with {name} and {size} for upload.js to fill.
func tooLargeTemplate(ctx context.Context, v ApplicationView) string {
	return i18n.T(ctx, "upload.error.too_large", "{name}", "{size}", SizeLimit(ctx, uploadMax(v)))
}
