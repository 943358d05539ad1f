package i18n_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"pasokan/internal/i18n"
	"pasokan/internal/material"
	"pasokan/internal/permit"
	"pasokan/internal/supplier"
)

func TestCataloguesHaveTheSameKeysAndVerbs(t *testing.T) {
	t.Parallel()
	verbs := regexp.MustCompile(`%[-+# 0]*[0-9]*[a-zA-Z]`)
	for _, k := range i18n.Keys(i18n.ID) {
		if !i18n.Has(i18n.EN, k) {
			t.Errorf("English lacks %q", k)
			continue
		}
		id, en := i18n.Translate(i18n.ID, k), i18n.Translate(i18n.EN, k)
		if strings.TrimSpace(id) == "" || strings.TrimSpace(en) == "" {
			t.Errorf("%q is empty in a language", k)
		}
		if a, b := verbs.FindAllString(id, -1), verbs.FindAllString(en, -1); strings.Join(a, ",") != strings.Join(b, ",") {
			t.Errorf("%q: verbs differ: id %v, en %v", k, a, b)
		}
	}
	for _, k := range i18n.Keys(i18n.EN) {
		if !i18n.Has(i18n.ID, k) {
			t.Errorf("Indonesian lacks %q", k)
		}
	}
}

// keyPattern finds the message keys written as literals in views and code.
var keyPattern = regexp.MustCompile(`"((?:layout|nav|kind|role|form|field|hint|error|flash|home|login|register|supplier|curation|catalog|organization|invitation|account|admin|email|profile|application|next|status|event|document|notification|notifications|legal_form|size_class|product|certificate|category|password|material|permit|dashboard)\.[a-z0-9_.]+)"`)

// notKeys are literals of that shape that are not messages (audit actions).
var notKeys = regexp.MustCompile(`^(account\.(registered|password_changed|password_change_failed|password_reset|password_reset_requested|disabled|enabled|admin_created)|organization\.created|material\.(requested|grouped|delivered|closed|withdrawn)|permit\.requested|supplier\.profile_saved|application\.(created|product_saved|product_removed|submitted|resubmitted|document_added|document_removed|review_started|revision_requested|curated|rejected|suspended|reinstated|assigned|claimed|curator_assigned|conflict_declared|sample_requested|sample_received|sample_tested|product_proposed|permits_proposed|product_curated|product_not_curated|permits_accepted|proposal_refused|identity_proposed|identity_changed|identity_accepted|identity_refused|certificate_reissued|recheck_requested|product_recurated|product_not_recurated))$`)

func TestEveryKeyUsedExists(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	used := map[string]string{}
	for _, dir := range []string{"internal", "web"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if strings.HasSuffix(path, "_templ.go") || strings.HasSuffix(path, "_test.go") || strings.Contains(path, filepath.Join("internal", "i18n")) ||
				!(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".templ")) {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range keyPattern.FindAllStringSubmatch(string(b), -1) {
				used[m[1]] = path
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Keys built at run time from a prefix.
	for _, k := range []string{"supplier", "curator", "buyer", "ministry"} {
		used["kind."+k] = "dynamic"
	}
	for _, r := range []string{"owner", "admin", "member", "lead"} {
		used["role."+r] = "dynamic"
	}
	for _, s := range []string{"pending", "sent", "kept", "failed"} {
		used["admin.outbox.status_"+s] = "dynamic"
	}
	for _, s := range supplier.Statuses {
		used["status."+string(s)] = "dynamic"
		used["next."+string(s)] = "dynamic"
	}
	for _, k := range []string{"next.profile", "next.products", "next.documents", "next.submit", "next.revise"} {
		used[k] = "dynamic"
	}
	for _, a := range []string{"created", "product_saved", "product_removed", "submitted", "resubmitted", "document_added",
		"document_removed", "review_started", "revision_requested", "curated", "rejected", "suspended", "reinstated",
		"assigned", "claimed", "curator_assigned", "conflict_declared", "sample_requested", "sample_received", "sample_tested",
		"product_proposed", "permits_proposed", "product_curated", "product_not_curated", "permits_accepted", "proposal_refused",
		"identity_proposed", "identity_changed", "identity_accepted", "identity_refused", "certificate_reissued",
		"recheck_requested", "product_recurated", "product_not_recurated"} {
		used["event.application."+a] = "dynamic"
	}
	for _, k := range supplier.DocumentKinds {
		used["document.kind."+k] = "dynamic"
	}
	for _, k := range supplier.LegalForms {
		used["legal_form."+k] = "dynamic"
	}
	for _, k := range supplier.SizeClasses {
		used["size_class."+k] = "dynamic"
	}
	for _, k := range []string{"curation.signal.nib", "curation.signal.npwp", "curation.signal.phone", "curation.signal.document",
		"curation.decision.curate", "curation.decision.revise", "curation.decision.reject", "curation.answer.pass",
		"curation.answer.fail", "curation.answer.na", "curation.sample_result.pass", "curation.sample_result.fail",
		"curation.sample_result.received", "certificate.revoked.superseded", "certificate.revoked.suspended",
		"flash.decided_curated", "flash.decided_revision_requested", "flash.decided_rejected",
		"flash.suspension_suspended", "flash.suspension_reinstated", "notification.curation_assigned",
		"category.apd", "category.masker", "category.hand_sanitizer"} {
		used[k] = "dynamic"
	}
	for _, k := range material.Materials {
		used["material.name."+k] = "dynamic"
	}
	for _, k := range material.Units {
		used["material.unit."+k] = "dynamic"
		used["material.unit_name."+k] = "dynamic"
	}
	for _, k := range material.Statuses {
		used["material.status."+k] = "dynamic"
		used["material.next."+k] = "dynamic"
		used["material.event."+k] = "dynamic"
	}
	used["material.event.withdrawn"] = "dynamic"
	for _, k := range permit.Kinds {
		used["permit.kind."+k] = "dynamic"
		used["hint.issued_number."+k] = "dynamic"
	}
	for _, k := range permit.Statuses {
		used["permit.status."+k] = "dynamic"
		used["permit.next."+k] = "dynamic"
		if k != permit.StatusRequested {
			used["permit.step."+k] = "dynamic"
			used["permit.step_submit."+k] = "dynamic"
		}
	}
	for _, k := range []string{permit.StatusDocumentsComplete, permit.StatusSubmitted, permit.StatusQuestions} {
		used["field.step_note."+k] = "dynamic"
	}
	for _, k := range []string{"permit_step", "permit_issued", "permit_refused", "permit_questions"} {
		used["notification."+k] = "dynamic"
	}
	for _, k := range []string{"permit_issued", "permit_refused", "permit_questions"} {
		used["email."+k+".subject"] = "dynamic"
		used["email."+k+".body"] = "dynamic"
	}
	for _, k := range []string{"registered", "curated", "orders", "units_ordered", "units_accepted"} {
		used["dashboard.metric."+k] = "dynamic"
	}
	for _, k := range material.Urgencies {
		used["material.urgency."+k] = "dynamic"
	}
	for _, k := range []string{"material_sourcing", "material_delivered", "material_closed"} {
		used["notification."+k] = "dynamic"
	}
	for _, k := range []string{"material_delivered", "material_closed"} {
		used["email."+k+".subject"] = "dynamic"
		used["email."+k+".body"] = "dynamic"
	}
	used["notification.product_proposed"] = "dynamic"
	used["notification.identity_proposed"] = "dynamic"
	for _, k := range []string{"application_submitted", "application_revision_requested", "application_curated",
		"application_rejected", "application_suspended", "application_reinstated", "product_curated", "permits_accepted",
		"proposal_refused", "listing_confirm", "listing_lapsed", "identity_accepted", "identity_refused"} {
		used["notification."+k] = "dynamic"
		used["email."+k+".subject"] = "dynamic"
		used["email."+k+".body"] = "dynamic"
	}
	var missing []string
	for k, where := range used {
		if notKeys.MatchString(k) || strings.HasSuffix(k, ".") || strings.HasSuffix(k, "_") {
			continue
		}
		if strings.HasPrefix(k, "error.page.") && !strings.HasSuffix(k, ".title") && !strings.HasSuffix(k, ".text") &&
			k != "error.page.home" && k != "error.page.request_id" {
			// An error page key names a pair.
			for _, suffix := range []string{".title", ".text"} {
				for _, l := range i18n.Langs {
					if !i18n.Has(l, k+suffix) {
						missing = append(missing, string(l)+" "+k+suffix+" ("+where+")")
					}
				}
			}
			continue
		}
		for _, l := range i18n.Langs {
			// A plural key (i18n.Plural) is a pair: k.other, and k.one
			// where the language has it.
			if !i18n.Has(l, k) && !i18n.Has(l, k+".other") {
				missing = append(missing, string(l)+" "+k+" ("+where+")")
			}
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("missing message: %s", m)
	}
	if len(used) < 50 {
		t.Errorf("found only %d keys: the scan is broken", len(used))
	}
}

func TestFormats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang i18n.Lang
		n    int64
		want string
	}{
		{i18n.ID, 1000000, "1.000.000"},
		{i18n.EN, 1000000, "1,000,000"},
		{i18n.ID, 15000, "15.000"},
		{i18n.ID, 330, "330"},
		{i18n.ID, -1500, "-1.500"},
		{i18n.ID, 0, "0"},
	}
	for _, tt := range tests {
		if got := i18n.FormatInt(tt.lang, tt.n); got != tt.want {
			t.Errorf("FormatInt(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
	if got := i18n.FromAcceptLanguage("en-GB,en;q=0.9,id;q=0.8"); got != i18n.EN {
		t.Errorf("Accept-Language en first: %s", got)
	}
	if got := i18n.FromAcceptLanguage("id-ID,id;q=0.9,en;q=0.8"); got != i18n.ID {
		t.Errorf("Accept-Language id first: %s", got)
	}
	if got := i18n.FromAcceptLanguage("fr-FR"); got != i18n.ID {
		t.Errorf("Accept-Language fr: %s, want Indonesian", got)
	}
}
