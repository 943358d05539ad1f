package curation

import (
	"context"
	"io"
	"strings"
	"sync"

	"github.com/a-h/templ"

	domain "pasokan/internal/curation"
	"pasokan/internal/i18n"
	"pasokan/web/component"
)

// DrawnChecklists keeps each checklist as the review page draws it with
// no answer and no error, per language and product name. Half of the
// review page's HTML is its checklists, the same for every application of
// the same products, and drawing them took an eighth of the page's Go CPU
// (perf, 200,000 suppliers). A checklist never changes while the server
// runs (curation.Checklists reads them once: they change with a migration,
// and so with a release), so what is kept never goes stale; keep one per
// server, whose Checklists store the ids belong to. The zero value is
// ready; a nil one draws every time.
type DrawnChecklists struct {
	m sync.Map // drawnKey to string
}

type drawnKey struct {
	lang    i18n.Lang
	id      int64
	product string
	name    string
}

// checklist is the checklist component of cl for product in v: the kept
// drawing when v's form is blank, else drawn now with its answers and
// errors.
func (d *DrawnChecklists) checklist(v ReviewView, cl domain.Checklist, product string) templ.Component {
	if d == nil || !blank(v.Form) {
		return checklist(v, cl, product)
	}
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		key := drawnKey{lang: i18n.LangFrom(ctx), id: cl.ID, product: product, name: v.ProductNames[product]}
		if html, ok := d.m.Load(key); ok {
			_, err := io.WriteString(w, html.(string))
			return err
		}
		var b strings.Builder
		if err := checklist(v, cl, product).Render(ctx, &b); err != nil {
			return err
		}
		d.m.Store(key, b.String())
		_, err := io.WriteString(w, b.String())
		return err
	})
}

// kept says how many drawings d keeps (for tests).
func (d *DrawnChecklists) kept() int {
	n := 0
	d.m.Range(func(any, any) bool { n++; return true })
	return n
}

// blank says f holds no value and no error: a page opened, not a form
// sent back.
func blank(f component.Form) bool { return len(f.Values) == 0 && len(f.Errors) == 0 }
