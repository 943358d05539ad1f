package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/auditlog"
	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/validation"
	"pasokan/web/component"
	"pasokan/web/page/admin"
)

// The audit log (/admin/audit): the ministry searches the trail by
// organisation, person, action and date, and takes what it found away as
// CSV or XLSX.

// auditFilter reads the log's filter from the address. An organisation is
// named by its number (the organisation's page links it) or found by a
// name or NIB typed: one match narrows the log, several are offered to
// choose from, none is an error; a person by e-mail address; days as
// 2020-06-17 (or 17/06/2020). Errors are field errors of v.Form.
func (s *Server) auditFilter(r *http.Request, v *admin.AuditView) (auditlog.Query, error) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	in := r.URL.Query()
	f := newForm()
	f.Order = []string{"org", "person", "action", "from", "to"}
	for _, k := range f.Order {
		f.Values[k] = strings.TrimSpace(in.Get(k))
	}
	v.Form = f
	var q auditlog.Query
	var err error
	if v.Actions, err = s.AuditLog.Actions(ctx, a, f.Value("action")); err != nil {
		return q, err
	}
	if org := f.Value("org"); org != "" {
		if id, err := strconv.ParseInt(org, 10, 64); err == nil && id > 0 && len(org) < 13 {
			q.OrgID = id
		} else {
			tokens, _ := curation.SearchTokens(org)
			query := account.OrganizationQuery{Tokens: tokens}
			if strings.Contains(org, "@") {
				query = account.OrganizationQuery{Email: org}
			}
			found, stoppedAt, err := s.Accounts.SearchOrganizations(ctx, a, query, 11)
			if err != nil {
				return q, err
			}
			switch {
			case len(found) == 0 && stoppedAt > 0:
				f.Errors.Add("org", "error.audit_org_vague")
			case len(found) == 0:
				f.Errors.Add("org", "error.audit_org_none")
			case len(found) == 1 && stoppedAt == 0:
				q.OrgID, v.OrgName = found[0].ID, found[0].Name
			default:
				// A search that stopped short may have more to find.
				v.Choices = found[:min(len(found), 10)]
				v.MoreChoices = len(found) > 10 || stoppedAt > 0
			}
		}
		// An organisation named by its number is named by auditList.
	}
	if person := f.Value("person"); person != "" {
		email, ok := validation.NormalizeEmail(person)
		if !ok {
			f.Errors.Add("person", "error.email_invalid")
		} else if q.ActorID, err = s.AuditLog.PersonID(ctx, a, email); err != nil {
			return q, err
		} else if q.ActorID == 0 {
			f.Errors.Add("person", "error.audit_person_none")
		}
	}
	if action := f.Value("action"); action != "" {
		if !slices.Contains(v.Actions, action) {
			f.Errors.Add("action", "error.choose_option")
		}
		q.Action = action
	}
	q.From = auditDay(&f, "from")
	q.To = auditDay(&f, "to")
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		f.Errors.Add("to", "error.audit_to_before_from")
	}
	if c, ok := database.ParseCursor(in.Get("after")); ok {
		q.After = &c
	}
	return q, nil
}

// auditDay reads a day typed as 2020-06-17 or 17/06/2020 (or 17-06-2020).
func auditDay(f *component.Form, field string) time.Time {
	s := f.Value(field)
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.DateOnly, "2/1/2006", "2-1-2006"} {
		if d, err := time.Parse(layout, s); err == nil && d.Year() >= 2000 && d.Year() <= 2100 {
			return d
		}
	}
	f.Errors.Add(field, map[string]string{"from": "error.audit_from_invalid", "to": "error.audit_to_invalid"}[field])
	return time.Time{}
}

// auditReady says whether the filter narrows the log as asked: no error,
// and no organisation left to choose.
func auditReady(v admin.AuditView) bool { return !v.Form.Errors.Any() && len(v.Choices) == 0 }

// auditList reads up to limit entries of the filter when it is ready, and
// names the organisation the filter gave by its number in the same round
// trip (named first, in a round trip of its own, it cost the log of one
// organisation three). One that does not exist is a field error, and
// lists nothing.
func (s *Server) auditList(ctx context.Context, a account.Actor, q auditlog.Query, v *admin.AuditView, limit int) ([]auditlog.Entry, error) {
	named := q.OrgID > 0 && v.OrgName == ""
	if !auditReady(*v) {
		if named {
			name, err := s.AuditLog.OrganizationName(ctx, a, q.OrgID)
			if err != nil {
				return nil, err
			}
			if v.OrgName = name; name == "" {
				v.Form.Errors.Add("org", "error.audit_org_none")
			}
		}
		return nil, nil
	}
	var also []func(*pgx.Batch)
	if named {
		also = append(also, func(b *pgx.Batch) { auditlog.QueueOrganizationName(b, q.OrgID, &v.OrgName) })
	}
	entries, err := s.AuditLog.List(ctx, a, q, limit, also...)
	if err != nil {
		return nil, err
	}
	if named && v.OrgName == "" {
		v.Form.Errors.Add("org", "error.audit_org_none")
		return nil, nil
	}
	return entries, nil
}

func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	var v admin.AuditView
	q, err := s.auditFilter(r, &v)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	entries, err := s.auditList(ctx, a, q, &v, auditlog.PageSize+1)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	status := http.StatusOK
	if v.Form.Errors.Any() {
		status = http.StatusUnprocessableEntity
	}
	if auditReady(v) {
		if len(entries) > auditlog.PageSize {
			entries = entries[:auditlog.PageSize]
			v.Next = entries[len(entries)-1].Cursor().String()
		}
		v.Entries, v.Ready = entries, true
		v.Continued = q.After != nil
	}
	s.render(w, r, status, admin.Audit(v))
}

// auditColumns are the log's files' columns.
var auditColumns = []exportColumn[auditlog.Entry]{
	{"id", func(e auditlog.Entry, _ exportNames) any { return e.ID }},
	{"occurred_at", func(e auditlog.Entry, _ exportNames) any { return instant(e.At) }},
	{"action", func(e auditlog.Entry, _ exportNames) any { return e.Action }},
	{"organization_id", func(e auditlog.Entry, _ exportNames) any { return optID(e.OrgID) }},
	{"organization", func(e auditlog.Entry, _ exportNames) any { return e.OrgName }},
	{"actor_user_id", func(e auditlog.Entry, _ exportNames) any { return optID(e.ActorID) }},
	{"actor_name", func(e auditlog.Entry, _ exportNames) any { return e.ActorName }},
	{"actor_email", func(e auditlog.Entry, _ exportNames) any { return e.ActorEmail }},
	{"actor_organization_id", func(e auditlog.Entry, _ exportNames) any { return optID(e.ActorOrgID) }},
	{"subject_type", func(e auditlog.Entry, _ exportNames) any { return e.SubjectType }},
	{"subject_id", func(e auditlog.Entry, _ exportNames) any { return optID(e.SubjectID) }},
	{"detail", func(e auditlog.Entry, _ exportNames) any { return e.Detail }},
}

// optID is an id cell, empty for none.
func optID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// auditTable reads every entry of the filter (up to auditlog.MaxExport)
// as a table for a file; a filter with an error is refused.
func (s *Server) auditTable(r *http.Request) (exportTable, bool, error) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	var v admin.AuditView
	q, err := s.auditFilter(r, &v)
	if err != nil {
		return exportTable{}, false, err
	}
	q.After = nil
	entries, err := s.auditList(ctx, a, q, &v, auditlog.MaxExport)
	if err != nil || !auditReady(v) {
		return exportTable{}, false, err
	}
	return tableOf("Audit", "audit", auditColumns, entries, exportNames{}), true, nil
}

func (s *Server) adminAuditCSV(w http.ResponseWriter, r *http.Request) {
	t, ok, err := s.auditTable(r)
	switch {
	case err != nil:
		s.domainError(w, r, err)
	case !ok:
		s.errorPage(w, r, http.StatusBadRequest, "error.page.400")
	default:
		s.sendCSV(w, r, t)
	}
}

func (s *Server) adminAuditXLSX(w http.ResponseWriter, r *http.Request) {
	t, ok, err := s.auditTable(r)
	switch {
	case err != nil:
		s.domainError(w, r, err)
	case !ok:
		s.errorPage(w, r, http.StatusBadRequest, "error.page.400")
	default:
		s.sendWorkbook(w, r, t)
	}
}
