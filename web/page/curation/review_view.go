package curation

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	domain "pasokan/internal/curation"
	"pasokan/internal/i18n"
	"pasokan/internal/supplier"
)

// decisionFormID is the decision form's id: the revision notes beside the
// evidence belong to it through their form attribute, although they sit
// in the other column.
const decisionFormID = "decision-form"

// signalText writes a signal as a whole sentence: naming the other
// organisation when the curator may see it, and "another applicant" (or "a
// buyer") when row-level security hides its name.
func signalText(ctx context.Context, s supplier.Signal) string {
	key := "review.signal." + s.Kind
	if !i18n.Has(i18n.LangFrom(ctx), key) {
		return i18n.T(ctx, "review.signal.unknown")
	}
	if strings.TrimSpace(s.OtherOrgName) == "" {
		return i18n.T(ctx, key+".other")
	}
	return i18n.T(ctx, key, s.OtherOrgName)
}

// reviseName is the decision form's field for a revision note:
// revise_<field|product|document>_<key>.
func reviseName(target, key string) string { return "revise_" + target + "_" + key }

// reviseOpen says whether a revision note starts open: only when it holds
// text or an error (after a refused decision).
func reviseOpen(v ReviewView, name string) bool {
	return strings.TrimSpace(v.Form.Value(name)) != "" || v.Form.Error(name) != ""
}

// deciding says whether the page offers the decision form.
func deciding(v ReviewView) bool {
	return v.Case.Status == supplier.StatusInReview && !v.Case.Conflict && !v.ReadOnly
}

// checkName is a checklist item's field: check_<item id>.
func checkName(it domain.Item) string { return "check_" + strconv.FormatInt(it.ID, 10) }

// checkID is the id of an answer's radio button; the first answer's is
// where the error summary leads.
func checkID(it domain.Item, ans string) string { return "f-" + checkName(it) + "-" + ans }

// factRow is one line of the profile: a field, what it holds, and whether
// the curator may flag it for revision.
type factRow struct {
	Field string
	Label string
	Value string
	Phone string
}

// sizeClass is the declared size with the rule it was declared under:
// UU 20/2008 before PP 7/2021 (February 2021), PP 7/2021 since, by the
// application's submission (a draft's by today).
func sizeClass(ctx context.Context, class string, submitted *time.Time) string {
	if class == "" {
		return "—"
	}
	on := time.Now()
	if submitted != nil {
		on = *submitted
	}
	return choice(ctx, "size_class.", class) + " (" + i18n.T(ctx, "size_rule."+supplier.SizeRule(on)) + ")"
}

// profileRows lists the profile in the order of supplier.ProfileFields,
// each with its value as people read it.
func profileRows(ctx context.Context, v ReviewView) []factRow {
	p := v.Case.Profile
	values := map[string]string{
		"legal_name":      dash(p.LegalName),
		"trading_name":    dash(p.TradingName),
		"legal_form":      choice(ctx, "legal_form.", p.LegalForm),
		"size_class":      sizeClass(ctx, p.SizeClass, v.Case.SubmittedAt),
		"nib":             dash(p.NIB),
		"npwp":            dash(supplier.FormatNPWP(p.NPWP)),
		"kbli":            joinOr(p.KBLI) + " (KBLI " + p.KBLIEdition + ")",
		"original_sector": dash(p.OriginalSector),
		"province_code":   dash(v.Province),
		"regency_code":    dash(v.Regency),
		"address":         dash(p.Address),
		"phone":           "—",
		"workforce":       i18n.Int(ctx, p.Workforce),
		"equipment":       dash(p.Equipment),
	}
	out := make([]factRow, 0, len(supplier.ProfileFields))
	for _, f := range supplier.ProfileFields {
		r := factRow{Field: f, Label: i18n.T(ctx, "field."+f), Value: values[f]}
		if f == "phone" && p.Phone != "" {
			r.Phone = p.Phone
		}
		out = append(out, r)
	}
	return out
}

// documentsOf lists the application's documents of one kind.
func documentsOf(v ReviewView, kind string) []supplier.Document {
	var out []supplier.Document
	for _, d := range v.Case.Documents {
		if d.Kind == kind {
			out = append(out, d)
		}
	}
	return out
}

func documentPath(d supplier.Document) string { return "/documents/" + strconv.FormatInt(d.ID, 10) }

// lookupProduct names the product a lookup was recorded for; the general
// checklist's, should one ever ask for a link, is the general review.
func lookupProduct(ctx context.Context, v ReviewView, productType string) string {
	if productType == "" {
		return i18n.T(ctx, "review.general")
	}
	if n := v.ProductNames[productType]; n != "" {
		return n
	}
	return productType
}

// errorEntry is one line of the review page's error summary.
type errorEntry struct {
	Href string
	Text string
}

// errorEntries lists the form's errors in the order the page shows its
// fields (the revision notes beside the evidence, the checklists, the
// decision), each naming its item: "Masker kain, butir 3: pilih hasil".
func errorEntries(ctx context.Context, v ReviewView) []errorEntry {
	if !v.Form.Errors.Any() {
		return nil
	}
	var out []errorEntry
	listed := map[string]bool{}
	add := func(field, href, text string) {
		if v.Form.Error(field) == "" || listed[field] {
			return
		}
		listed[field] = true
		out = append(out, errorEntry{Href: href, Text: text})
	}
	msg := func(field string) string { return i18n.T(ctx, v.Form.Error(field)) }
	for _, f := range supplier.ProfileFields {
		n := reviseName("field", f)
		add(n, "#f-"+n, i18n.T(ctx, "review.error.revise", i18n.T(ctx, "field."+f), msg(n)))
	}
	for _, p := range v.Case.Products {
		n := reviseName("product", p.Type)
		add(n, "#f-"+n, i18n.T(ctx, "review.error.revise", v.ProductNames[p.Type], msg(n)))
	}
	for _, k := range supplier.DocumentKinds {
		n := reviseName("document", k)
		add(n, "#f-"+n, i18n.T(ctx, "review.error.revise", i18n.T(ctx, "document.kind."+k), msg(n)))
	}
	add("conflict_reason", "#f-conflict_reason", i18n.T(ctx, "review.error.field", i18n.T(ctx, "field.conflict_reason"), msg("conflict_reason")))
	checklist := func(name string, cl domain.Checklist) {
		for i, it := range cl.Items {
			n := checkName(it)
			add(n, "#"+checkID(it, "pass"), i18n.T(ctx, "review.error.item", name, i+1, checkMessage(ctx, v.Form.Error(n))))
			if l := domain.LinkField(it.ID); it.AsksLink {
				add(l, "#f-"+l, i18n.T(ctx, "review.error.item", name, i+1, checkMessage(ctx, v.Form.Error(l))))
			}
		}
	}
	checklist(i18n.T(ctx, "review.general"), v.Checklists.General)
	for _, p := range v.Case.Products {
		checklist(v.ProductNames[p.Type], v.Checklists.Products[p.Type])
	}
	add("reason", "#f-reason", i18n.T(ctx, "review.error.field", i18n.T(ctx, "field.decision_reason"), msg("reason")))
	add("decision", "#f-decision-curate", i18n.T(ctx, "review.error.decision"))
	add("flags", "#f-flags", i18n.T(ctx, "review.error.flags"))
	add("suspend_reason", "#f-suspend_reason", i18n.T(ctx, "review.error.field", i18n.T(ctx, "field.decision_reason"), msg("suspend_reason")))
	// Anything else (an answer to an item no longer on the page), by name.
	var rest []string
	for k := range v.Form.Errors {
		if !listed[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, errorEntry{Href: "#f-" + k, Text: msg(k)})
	}
	return out
}

// checkMessage is the short form of a checklist item's error, to follow
// the item's name in the summary.
func checkMessage(ctx context.Context, key string) string {
	switch key {
	case "error.check_required":
		return i18n.T(ctx, "review.error.check_required")
	case "error.check_gate_na":
		return i18n.T(ctx, "review.error.check_gate_na")
	case "error.choose_option":
		return i18n.T(ctx, "review.error.choose_option")
	case "error.registry_link_required":
		return i18n.T(ctx, "review.error.registry_link_required")
	case "error.registry_link":
		return i18n.T(ctx, "review.error.registry_link")
	}
	return i18n.T(ctx, key)
}
