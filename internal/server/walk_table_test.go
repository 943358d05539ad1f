package server_test

import (
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
	"time"

	"pasokan/internal/testapp"
)

// TestWalkEveryRouteWithBadInput (walk_test.go) walks every route of the
// real router with bad input (issue 7: invalid UTF-8, NUL bytes, control
// characters, a megabyte of text, out-of-range numbers), as a visitor and as
// a member of each kind of organisation, and checks that no answer is a 5xx
// and that nothing is stored. This file is what it sends. The routes come
// from the router itself (chi.Walk), and a route missing from walkTable
// fails the test: a new route is walked, or exempted with a reason, from the
// day it is added.

// listQuery is an order or demand list's query: a status and the id the
// page starts below.
var listQuery = []walkField{{"status", inChoice}, {"before", inID}}

// inputKind says which bad values a field gets.
type inputKind int

const (
	inText      inputKind = iota // one line of text, stored
	inMultiline                  // text that may span lines, stored
	inSecret                     // a password: hashed, never stored or shown as text
	inNumber                     // a count, a version, a code of digits: positive and small
	inID                         // a record's id: any positive integer is well formed
	inAmount                     // Rupiah: positive, may be large
	inSigned                     // a small integer that may be zero or negative
	inPhone                      // a phone number: digits, 8 to 12 of them
	inChoice                     // one of a fixed set of values
	inDate                       // yyyy-mm-dd
	inCursor                     // an opaque keyset cursor
)

type walkField struct {
	name string
	kind inputKind
}

// walkEnv holds ids of real records, put into path parameters and forms.
type walkEnv struct {
	ids map[string]string
}

func (e walkEnv) id(key string) string {
	if v, ok := e.ids[key]; ok {
		return v
	}
	panic("walk: no record " + key)
}

// walker is a person the walk acts as.
type walker struct {
	name, email, password, orgID string
	c                            *testapp.Client
}

// route is what the walk sends to one route.
type walkRoute struct {
	// exempt says why the route is not walked at all.
	exempt string
	// params names, per path parameter, the record (a walkEnv key) a valid
	// request uses.
	params map[string]string
	// form lists the POST fields, query the GET query parameters.
	form, query []walkField
	// multipart sends the form as multipart/form-data with a file.
	multipart bool
	// base gives valid values for the fields not under test, so that the
	// bad field is what decides.
	base func(e walkEnv, w walker) url.Values
	// last walks the route after the others: it may end or replace the
	// session (login, switching organisation, a password change).
	last bool
}

var (
	encodingValues   = []string{"a\xffb", "\xc3", "caf\xe9", "\xed\xa0\x80", "a\x00b", "\x00"}
	oneLineControl   = []string{"Usaha Biasa\r\nReply-To: penipu@evil.example", "a\nb", "a\tb", "a\x01b", "\x1b[2J", "a\x7fb", "a\u0085b", "a\u202eb"}
	multiLineControl = []string{"a\x01b", "\x1b[2J", "a\x7fb", "a\u0085b", "a\u202eb", "a\vb", "a\u2028b"}
	// Numbers no numeric field takes: decimals, exponents, past int64,
	// digits of other scripts.
	neverNumbers = []string{"1.5", "2,5", "1e308", "NaN", "9223372036854775808", "-9223372036854775809",
		"99999999999999999999999999999", "١٢٣", "１２３"}
	// Numbers that are out of range for some fields only: past int32 (the
	// bound of an integer column), zero and negatives.
	int32Values  = []string{"2147483648", "-2147483649"}
	zeroValues   = []string{"0", "-0"}
	numberValues = concat(neverNumbers, int32Values, zeroValues, []string{"-1"})
	dateValues   = []string{"9999-12-31", "0001-01-01", "2020-02-30", "2020-13-01", "+275760-09-13", "-0001-01-01"}
	cursorValues = []string{cursorOf("-9223372036854775808.1"), cursorOf("9223372036854775807.9223372036854775807"),
		cursorOf("253402300800000000.1"), cursorOf("-211000000000000000.1"), cursorOf("1.-1"), "%%%", "===="}
	// nearLimit is one field just under the 64 KiB form limit.
	nearLimit = strings.Repeat("x", 60000)
	megabyte  = strings.Repeat("x", 1<<20)
)

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func cursorOf(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// badValues are the values a field of kind k is sent, one at a time.
func badValues(k inputKind) []string {
	out := slices.Clone(encodingValues)
	switch k {
	case inText:
		out = append(out, oneLineControl...)
	case inMultiline:
		out = append(out, multiLineControl...)
	case inNumber, inChoice:
		out = concat(out, oneLineControl, numberValues)
	case inID, inAmount:
		out = concat(out, oneLineControl, neverNumbers, zeroValues, []string{"-1", "-2147483649"})
	case inSigned:
		out = concat(out, oneLineControl, neverNumbers, int32Values)
	case inPhone:
		out = concat(out, oneLineControl, neverNumbers, zeroValues, []string{"-1"})
	case inDate:
		out = append(out, oneLineControl...)
		out = append(out, numberValues...)
		out = append(out, dateValues...)
	case inCursor:
		out = append(out, oneLineControl...)
		out = append(out, numberValues...)
		out = append(out, cursorValues...)
	}
	return append(out, nearLimit)
}

// pathValues are the values a path parameter is sent.
var pathValues = append(append(slices.Clone(encodingValues), oneLineControl...), append(numberValues, nearLimit)...)

func vals(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

var profileWalkFields = []walkField{{"legal_name", inText}, {"trading_name", inText}, {"legal_form", inChoice}, {"size_class", inChoice},
	{"nib", inNumber}, {"npwp", inNumber}, {"kbli", inNumber}, {"kbli_edition", inChoice}, {"original_sector", inText}, {"province_code", inChoice},
	{"regency_code", inChoice}, {"address", inMultiline}, {"phone", inPhone}, {"workforce", inNumber}, {"equipment", inMultiline}}

// walkTable is every route of the router, by method and pattern.
var walkTable = map[string]walkRoute{
	"GET /healthz":              {},
	"GET /readyz":               {},
	"GET /static/*":             {params: map[string]string{"*": "asset"}},
	"HEAD /static/*":            {params: map[string]string{"*": "asset"}},
	"GET /":                     {},
	"GET /help":                 {},
	"POST /language":            {form: []walkField{{"lang", inChoice}, {"next", inText}}, base: func(walkEnv, walker) url.Values { return vals("lang", "id", "next", "/") }},
	"GET /register":             {},
	"GET /login":                {query: []walkField{{"next", inText}}},
	"POST /logout":              {exempt: "takes no input; ending the session is what it does"},
	"GET /password/forgot":      {},
	"GET /password/forgot/sent": {},
	"POST /password/forgot": {form: []walkField{{"email", inText}},
		base: func(walkEnv, walker) url.Values { return vals("email", "walk-reset@contoh.id") }},
	"GET /password/reset/{token}": {params: map[string]string{"token": "reset"}},
	"POST /password/reset/{token}": {params: map[string]string{"token": "reset"}, form: []walkField{{"password", inSecret}},
		base: func(walkEnv, walker) url.Values { return vals("password", "benang emas tiga puluh") }},
	"GET /verify":             {query: []walkField{{"code", inText}}},
	"GET /verify/{code}":      {params: map[string]string{"code": "certificate"}},
	"GET /verify/{code}.json": {params: map[string]string{"code": "certificate"}},
	"GET /directory":          {query: []walkField{{"q", inText}, {"product", inChoice}, {"province", inChoice}, {"cursor", inCursor}}},
	"GET /directory/{slug}":   {params: map[string]string{"slug": "listed_slug"}},
	"GET /directory.csv":      {},
	"GET /directory/data":     {},
	"POST /register": {form: []walkField{{"name", inText}, {"email", inText}, {"password", inSecret}, {"organization_name", inText},
		{"phone", inPhone}, {"consent", inChoice}},
		base: func(walkEnv, walker) url.Values {
			return vals("name", "Siti Rahmawati", "email", "walk-new@contoh.id", "password", strong, "organization_name", "Konveksi Baru",
				"phone", "0812-3456-7890", "consent", "yes")
		}},
	"GET /privacy":          {},
	"GET /standards":        {},
	"GET /standards/{type}": {params: map[string]string{"type": "product_type"}, query: []walkField{{"version", inNumber}}},
	// A password-reset token: well formed, and no confirmation link, so the
	// walk confirms nothing (following a real link is signup_consent_test.go's).
	"GET /email/confirm/{token}": {params: map[string]string{"token": "reset"}},
	"POST /email/confirm/resend": {form: []walkField{{"next", inText}}, base: func(walkEnv, walker) url.Values { return vals("next", "/supplier") }},
	"POST /login": {form: []walkField{{"email", inText}, {"password", inSecret}, {"next", inText}}, last: true,
		base: func(_ walkEnv, w walker) url.Values {
			return vals("email", w.email, "password", w.password, "next", "/")
		}},
	"GET /invitations/{token}": {params: map[string]string{"token": "token"}},
	"POST /invitations/{token}": {params: map[string]string{"token": "token"}, form: []walkField{{"name", inText}, {"password", inSecret}},
		base: func(walkEnv, walker) url.Values { return vals("name", "Budi Santoso", "password", strong) }},
	"GET /account": {},
	"POST /account/password": {form: []walkField{{"current_password", inSecret}, {"new_password", inSecret}}, last: true,
		base: func(_ walkEnv, w walker) url.Values {
			return vals("current_password", w.password, "new_password", "benang emas tiga puluh")
		}},
	"POST /account/sessions/end": {exempt: "takes no input; ending every session is what it does"},
	"GET /organization":          {},
	"POST /organization/invitations": {form: []walkField{{"email", inText}, {"role", inChoice}},
		base: func(walkEnv, walker) url.Values { return vals("email", "walk-invitee@contoh.id", "role", "member") }},
	"POST /organization/invitations/{id}/revoke": {params: map[string]string{"id": "invitation"}},
	"POST /organization/switch": {form: []walkField{{"organization_id", inID}}, last: true,
		base: func(_ walkEnv, w walker) url.Values { return vals("organization_id", w.orgID) }},
	// The walk's notifications are all read before it starts (walkSetup):
	// reading the page or following one writes nothing, and a refused
	// "mark all read" would show if it marked any.
	"GET /notifications":      {query: []walkField{{"before", inID}}},
	"GET /notifications/{id}": {params: map[string]string{"id": "notification"}},
	"POST /notifications/read": {form: []walkField{{"up_to", inID}},
		base: func(e walkEnv, _ walker) url.Values { return vals("up_to", e.id("notification")) }},
	"GET /documents/{id}":                 {params: map[string]string{"id": "document"}},
	"GET /supplier":                       {},
	"GET /supplier/profile":               {},
	"GET /supplier/application":           {query: []walkField{{"kind", inChoice}}},
	"GET /supplier/application/submitted": {},
	"GET /supplier/certificate":           {},
	"GET /supplier/certificate.pdf":       {},
	"POST /supplier/profile": {form: profileWalkFields, base: func(walkEnv, walker) url.Values {
		v := url.Values{}
		for k, x := range profileForm {
			v[k] = x
		}
		v.Set("legal_name", "CV Jalan Baru")
		return v
	}},
	"POST /supplier/application/products": {
		form: []walkField{{"product_type", inChoice}, {"monthly_capacity", inNumber}, {"lead_time_days", inNumber}, {"price_min", inAmount},
			{"price_max", inAmount}, {"materials", inMultiline}, {"material_needs", inMultiline}, {"permit_number", inText}, {"sni_certificate", inText}},
		base: func(walkEnv, walker) url.Values {
			return vals("product_type", "masker-bedah", "monthly_capacity", "1000", "lead_time_days", "7", "price_min", "1000",
				"price_max", "2000", "materials", "Kain spunbond", "material_needs", "", "permit_number", "KEMENKES RI AKD 21603020123",
				"sni_certificate", "")
		}},
	"POST /supplier/application/products/{id}/delete": {params: map[string]string{"id": "product"}},
	"GET /supplier/listing":                           {query: []walkField{{"product", inChoice}}},
	"POST /supplier/listing": {
		form: []walkField{{"product_type", inChoice}, {"monthly_capacity", inNumber}, {"lead_time_days", inNumber},
			{"price_min", inAmount}, {"price_max", inAmount}},
		base: func(walkEnv, walker) url.Values {
			return vals("product_type", "masker-kain", "monthly_capacity", "1000", "lead_time_days", "7", "price_min", "1000",
				"price_max", "2000")
		}},
	"POST /supplier/contact": {form: []walkField{{"phone", inPhone}, {"email", inText}, {"address", inMultiline}},
		base: func(walkEnv, walker) url.Values {
			return vals("phone", "0812-3456-7890", "email", "pesanan@contoh.id", "address", "Jl. Cigadung 12")
		}},
	"POST /supplier/listing/proposals": {
		form: []walkField{{"product_type", inChoice}, {"monthly_capacity", inNumber}, {"lead_time_days", inNumber},
			{"price_min", inAmount}, {"price_max", inAmount}, {"permit_number", inText}, {"sni_certificate", inText},
			{"materials", inMultiline}},
		base: func(walkEnv, walker) url.Values {
			return vals("product_type", "respirator", "monthly_capacity", "5000", "lead_time_days", "7", "price_min", "15000",
				"price_max", "20000", "permit_number", "KEMENKES RI AKD 20403020123", "sni_certificate", "",
				"materials", "Kain meltblown")
		}},
	"GET /supplier/listing/identity": {},
	"POST /supplier/listing/identity": {form: []walkField{{"legal_name", inText}, {"nib", inNumber}, {"npwp", inNumber}},
		base: func(walkEnv, walker) url.Values {
			return vals("legal_name", "PT Jalan Baru Sejahtera", "nib", "9120001234567", "npwp", "01.234.567.4-015.000")
		}},
	"POST /supplier/listing/confirm": {exempt: "takes no input; confirming the listing is what it does"},
	"POST /supplier/listing/pause": {form: []walkField{{"paused_until", inDate}},
		base: func(walkEnv, walker) url.Values { return vals("paused_until", "") }},
	"POST /supplier/application/submit": {form: []walkField{{"version", inNumber}},
		base: func(e walkEnv, _ walker) url.Values { return vals("version", e.id("draft_version")) }},
	// The file's name is not walked: it is sanitised to ASCII letters and
	// digits (supplier.SanitizeFileName), never refused, so a bad name with
	// a good file stores the file, as it should.
	"POST /supplier/documents": {multipart: true, form: []walkField{{"kind", inChoice}, {"taken_on", inDate}, {"product_id", inID}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("kind", "photo", "taken_on", "2020-05-01", "product_id", e.id("product"))
		}},
	"POST /supplier/documents/{id}/delete": {params: map[string]string{"id": "document"}},
	"GET /curation": {query: []walkField{{"q", inText}, {"status", inChoice}, {"product", inChoice}, {"province", inChoice},
		{"assignee", inID}, {"signals", inChoice}, {"cursor", inCursor}}},
	"POST /curation/assign": {form: []walkField{{"application_id", inID}, {"user_id", inID}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("application_id", e.id("application"), "user_id", e.id("curator_user"))
		}},
	"GET /curation/applications/{id}": {params: map[string]string{"id": "application"}},
	"POST /curation/applications/{id}/claim": {params: map[string]string{"id": "application"}, form: []walkField{{"version", inNumber}},
		base: func(e walkEnv, _ walker) url.Values { return vals("version", e.id("version")) }},
	"POST /curation/applications/{id}/decision": {params: map[string]string{"id": "application"},
		form: []walkField{{"decision", inChoice}, {"reason", inMultiline}, {"version", inNumber}, {"check_ITEM", inChoice},
			{"revise_field_legal_name", inText}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("decision", "reject", "reason", "Dokumen tidak lengkap", "version", e.id("version"))
		}},
	"POST /curation/applications/{id}/samples": {params: map[string]string{"id": "application"},
		form: []walkField{{"product_type", inChoice}, {"note", inText}, {"send_to", inMultiline}, {"due_on", inDate}},
		base: func(walkEnv, walker) url.Values { return sampleForm("masker-kain", "Kirim dua lembar") }},
	"POST /curation/applications/{id}/samples/{sample}": {params: map[string]string{"id": "application", "sample": "sample"},
		form: []walkField{{"result", inChoice}, {"note", inText}},
		base: func(walkEnv, walker) url.Values { return vals("result", "pass", "note", "Jahitan rapi") }},
	"POST /curation/applications/{id}/conflict": {params: map[string]string{"id": "application"},
		form: []walkField{{"conflict_reason", inMultiline}},
		base: func(walkEnv, walker) url.Values { return vals("conflict_reason", "Kerabat pemilik usaha") }},
	"POST /curation/applications/{id}/suspension": {params: map[string]string{"id": "application"},
		form: []walkField{{"suspend_reason", inMultiline}, {"version", inNumber}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("suspend_reason", "Laporan mutu", "version", e.id("version"))
		}},
	// No proposal waits in the walk's story (walkSetup makes none), so past
	// its input checks the proposal's page answers 404: "certificate" stands
	// for a product type no proposal has.
	"GET /curation/applications/{id}/proposals/{product}": {params: map[string]string{"id": "curated_application", "product": "certificate"}},
	"POST /curation/applications/{id}/proposals/{product}": {params: map[string]string{"id": "curated_application", "product": "certificate"},
		form: []walkField{{"decision", inChoice}, {"reason", inMultiline}, {"check_ITEM", inChoice}},
		base: func(walkEnv, walker) url.Values {
			return vals("decision", "refuse", "reason", "Nomor izin tidak sesuai")
		}},
	// No identity change waits in the walk's story either: past its input
	// checks the page answers 404.
	"GET /curation/applications/{id}/identity": {params: map[string]string{"id": "curated_application"}},
	"POST /curation/applications/{id}/identity": {params: map[string]string{"id": "curated_application"},
		form: []walkField{{"decision", inChoice}, {"reason", inMultiline}, {"change_id", inID}},
		base: func(walkEnv, walker) url.Values {
			return vals("decision", "refuse", "reason", "NIB tidak terdaftar di OSS", "change_id", "1")
		}},
	"GET /catalog": {query: []walkField{{"q", inText}, {"product", inChoice}, {"province", inChoice}, {"regency", inChoice},
		{"min_capacity", inNumber}, {"size_class", inChoice}, {"permit", inChoice}, {"sort", inChoice}, {"cursor", inCursor}}},
	"GET /buyer/demands":     {query: listQuery},
	"GET /buyer/demands/new": {},
	"GET /buyer/demands/{id}": {params: map[string]string{"id": "demand"},
		query: []walkField{{"favour_micro", inChoice}, {"favour_outside_java", inChoice}}},
	"GET /buyer/orders":         {query: listQuery},
	"GET /buyer/orders/{id}":    {params: map[string]string{"id": "order"}},
	"GET /supplier/orders":      {query: listQuery},
	"GET /supplier/orders/{id}": {params: map[string]string{"id": "order"}},
	// The printed documents: the walk's offered order, and the goods
	// received of a second order that was shipped and received.
	"GET /buyer/orders/{id}/document.pdf":                       {params: map[string]string{"id": "order"}},
	"GET /supplier/orders/{id}/document.pdf":                    {params: map[string]string{"id": "order"}},
	"GET /buyer/orders/{id}/receipts/{receipt}/document.pdf":    {params: map[string]string{"id": "received_order", "receipt": "receipt"}},
	"GET /supplier/orders/{id}/receipts/{receipt}/document.pdf": {params: map[string]string{"id": "received_order", "receipt": "receipt"}},
	// The checks of an order's and a receipt's printed documents.
	"GET /verify/order/{code}":   {params: map[string]string{"code": "order_code"}},
	"GET /verify/receipt/{code}": {params: map[string]string{"code": "receipt_code"}},
	// The downloads of a party's orders read no input: each walker gets
	// its own side's file, or the kind guard's answer.
	"GET /buyer/orders.csv":       {},
	"GET /buyer/orders.xlsx":      {},
	"GET /buyer/shipments.csv":    {},
	"GET /supplier/orders.csv":    {},
	"GET /supplier/orders.xlsx":   {},
	"GET /supplier/shipments.csv": {},
	"POST /buyer/demands": {
		form: []walkField{{"title", inText}, {"product_type", inChoice}, {"deadline", inDate}, {"standard", inText},
			{"target_price", inAmount}, {"notes", inMultiline}, {"site_province_code", inChoice}, {"site_regency_code", inChoice},
			{"site_address", inMultiline}, {"site_quantity", inNumber}},
		base: func(walkEnv, walker) url.Values {
			return vals("title", "Masker kain", "product_type", "masker-kain", "deadline", "2099-01-01", "standard", "",
				"target_price", "", "notes", "", "site_province_code", "32", "site_regency_code", "32.73",
				"site_address", "Gudang Bandung", "site_quantity", "1000")
		}},
	"GET /buyer/demands/{id}/edit": {params: map[string]string{"id": "draft_demand"}},
	"POST /buyer/demands/{id}/edit": {params: map[string]string{"id": "draft_demand"},
		form: []walkField{{"version", inNumber}, {"title", inText}, {"product_type", inChoice}, {"deadline", inDate}, {"standard", inText},
			{"target_price", inAmount}, {"notes", inMultiline}, {"site_province_code", inChoice}, {"site_regency_code", inChoice},
			{"site_address", inMultiline}, {"site_quantity", inNumber}},
		base: func(walkEnv, walker) url.Values {
			return vals("version", "1", "title", "Masker kain", "product_type", "masker-kain", "deadline", "2099-01-01", "standard", "",
				"target_price", "", "notes", "", "site_province_code", "32", "site_regency_code", "32.73",
				"site_address", "Gudang Bandung", "site_quantity", "1000")
		}},
	"POST /buyer/demands/{id}/approve": {params: map[string]string{"id": "draft_demand"}, form: []walkField{{"version", inNumber}},
		base: func(walkEnv, walker) url.Values { return vals("version", "1") }},
	"POST /buyer/demands/{id}/orders": {params: map[string]string{"id": "demand"},
		form: []walkField{{"version", inNumber}, {"line_site", inID}, {"line_supplier", inID}, {"line_quantity", inNumber}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("version", e.id("demand_version"), "line_site", e.id("site"), "line_supplier", e.id("curated_org"),
				"line_quantity", "1000")
		}},
	"POST /buyer/orders/{id}/counter": {params: map[string]string{"id": "order"},
		form: []walkField{{"version", inNumber}, {"decision", inChoice}, {"reason", inMultiline}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("version", e.id("order_version"), "decision", "refuse", "reason", "Harga terlalu tinggi.")
		}},
	"POST /buyer/orders/{id}/cancel": {params: map[string]string{"id": "order"},
		form: []walkField{{"version", inNumber}, {"reason", inMultiline}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("version", e.id("order_version"), "reason", "Anggaran dipotong.")
		}},
	"POST /supplier/orders/{id}/accept": {params: map[string]string{"id": "order"}, form: []walkField{{"version", inNumber}},
		base: func(e walkEnv, _ walker) url.Values { return vals("version", e.id("order_version")) }},
	"POST /supplier/orders/{id}/decline": {params: map[string]string{"id": "order"},
		form: []walkField{{"version", inNumber}, {"reason", inMultiline}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("version", e.id("order_version"), "reason", "Bahan baku habis.")
		}},
	"POST /supplier/orders/{id}/counter": {params: map[string]string{"id": "order"},
		form: []walkField{{"version", inNumber}, {"counter_quantity", inNumber}, {"counter_unit_price", inAmount},
			{"counter_due_date", inDate}, {"reason", inMultiline}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("version", e.id("order_version"), "counter_quantity", "500", "counter_unit_price", "",
				"counter_due_date", "", "reason", "")
		}},
	"POST /supplier/orders/{id}/production": {params: map[string]string{"id": "order"}, form: []walkField{{"version", inNumber}},
		base: func(e walkEnv, _ walker) url.Values { return vals("version", e.id("order_version")) }},
	"POST /supplier/orders/{id}/shipments": {params: map[string]string{"id": "order"},
		form: []walkField{{"version", inNumber}, {"quantity", inNumber}, {"shipped_on", inDate}, {"courier", inText}, {"tracking", inText}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("version", e.id("order_version"), "quantity", "100", "shipped_on", "2020-06-01", "courier", "JNE", "tracking", "")
		}},
	"POST /supplier/orders/{id}/invoice": {params: map[string]string{"id": "order"},
		form: []walkField{{"version", inNumber}, {"invoiced_on", inDate}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("version", e.id("order_version"), "invoiced_on", "2020-06-01")
		}},
	"POST /buyer/orders/{id}/receipts": {params: map[string]string{"id": "order"},
		form: []walkField{{"version", inNumber}, {"shipment_id", inID}, {"received_on", inDate}, {"accepted", inNumber},
			{"rejected", inNumber}, {"reason", inMultiline}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("version", e.id("order_version"), "shipment_id", "1", "received_on", "2020-06-01", "accepted", "100",
				"rejected", "0", "reason", "")
		}},
	"POST /buyer/orders/{id}/payment": {params: map[string]string{"id": "order"},
		form: []walkField{{"version", inNumber}, {"paid_on", inDate}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("version", e.id("order_version"), "paid_on", "2020-06-01")
		}},
	"POST /supplier/orders/{id}/cancel": {params: map[string]string{"id": "order"},
		form: []walkField{{"version", inNumber}, {"reason", inMultiline}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("version", e.id("order_version"), "reason", "Mesin rusak.")
		}},
	"GET /catalog/{slug}":      {params: map[string]string{"slug": "listed_slug"}},
	"GET /admin":               {},
	"GET /admin/organizations": {query: []walkField{{"kind", inChoice}, {"cursor", inID}, {"q", inText}}},
	"POST /admin/organizations": {form: []walkField{{"kind", inChoice}, {"name", inText}, {"admin_email", inText}},
		base: func(walkEnv, walker) url.Values {
			return vals("kind", "buyer", "name", "RSUD Walk", "admin_email", "walk-admin@contoh.id")
		}},
	"GET /admin/organizations/{id}": {params: map[string]string{"id": "supplier_org"}, query: []walkField{{"orders_before", inID}}},
	"POST /admin/users/{id}/role": {params: map[string]string{"id": "supplier_user"},
		form: []walkField{{"role", inChoice}, {"organization_id", inID}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("role", "owner", "organization_id", e.id("supplier_org"))
		}},
	"POST /admin/users/{id}/disabled": {params: map[string]string{"id": "supplier_user"},
		form: []walkField{{"disabled", inChoice}, {"organization_id", inID}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("disabled", "true", "organization_id", e.id("supplier_org"))
		}},
	"GET /admin/outbox":          {query: []walkField{{"cursor", inID}}},
	"GET /admin/assignment/{id}": {params: map[string]string{"id": "rule"}},
	"POST /admin/assignment/{id}": {params: map[string]string{"id": "rule"},
		form: []walkField{{"curator_org_id", inID}, {"category", inChoice}, {"province_code", inChoice}, {"priority", inSigned}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("curator_org_id", e.id("curator_org"), "category", "masker", "province_code", "32", "priority", "5")
		}},
	"POST /admin/assignment/{id}/move": {params: map[string]string{"id": "rule"}, form: []walkField{{"direction", inChoice}},
		base: func(walkEnv, walker) url.Values { return vals("direction", "down") }},
	"POST /admin/assignment/{id}/retire": {params: map[string]string{"id": "rule"}, form: []walkField{{"retire", inChoice}},
		base: func(walkEnv, walker) url.Values { return vals("retire", "true") }},
	"GET /admin/curation":    {},
	"GET /admin/recuration":  {},
	"POST /admin/recuration": {},
	"POST /admin/applications/{id}/handover": {params: map[string]string{"id": "application"}, form: []walkField{{"curator_org_id", inID}},
		base: func(e walkEnv, _ walker) url.Values { return vals("curator_org_id", e.id("curator_org")) }},
	// Raw-material requests: the supplier's, and the ministry's work on them.
	"GET /supplier/materials": {query: []walkField{{"order", inID}}},
	"POST /supplier/materials": {form: []walkField{{"material", inChoice}, {"quantity", inNumber}, {"unit", inChoice},
		{"needed_by", inDate}, {"order_id", inID}, {"note", inMultiline}},
		base: func(walkEnv, walker) url.Values {
			return vals("material", "spunbond", "quantity", "500", "unit", "m", "needed_by",
				time.Now().AddDate(0, 0, 20).Format(time.DateOnly), "order_id", "", "note", "")
		}},
	"GET /supplier/materials/{id}": {params: map[string]string{"id": "material_request"}},
	"POST /supplier/materials/{id}/withdraw": {params: map[string]string{"id": "material_request"},
		form: []walkField{{"version", inNumber}, {"reason", inMultiline}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("version", e.id("material_version"), "reason", "Sudah tidak perlu.")
		}},
	"GET /admin/materials": {query: []walkField{{"material", inChoice}, {"province", inChoice}, {"urgency", inChoice},
		{"status", inChoice}, {"after", inCursor}}},
	"POST /admin/materials/purchases": {form: []walkField{{"request_id", inID}, {"source", inText}, {"note", inMultiline}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("request_id", e.id("material_waiting"), "source", "PT Walk Tekstil", "note", "")
		}},
	"GET /admin/materials/purchases/{id}": {params: map[string]string{"id": "material_purchase"}},
	// Permit help.
	"GET /supplier/permits": {query: []walkField{{"product_type", inChoice}, {"permit_kind", inChoice}}},
	"POST /supplier/permits": {form: []walkField{{"product_type", inChoice}, {"permit_kind", inChoice}, {"note", inMultiline}},
		base: func(walkEnv, walker) url.Values {
			return vals("product_type", "hand-sanitizer-gel", "permit_kind", "pkd", "note", "")
		}},
	"GET /supplier/permits/{id}": {params: map[string]string{"id": "permit_request"}},
	"GET /admin/permits":         {query: []walkField{{"status", inChoice}, {"kind", inChoice}, {"after", inCursor}}},
	// The lists behind the dashboard's figures.
	"GET /admin/figures/suppliers": {query: []walkField{{"province", inChoice}, {"status", inChoice}, {"curator", inID}, {"curated_week", inDate}}},
	"GET /admin/audit": {query: []walkField{{"org", inText}, {"person", inText}, {"action", inChoice}, {"from", inDate},
		{"to", inDate}, {"after", inText}}},
	"GET /admin/audit.csv": {query: []walkField{{"org", inText}, {"person", inText}, {"action", inChoice}, {"from", inDate},
		{"to", inDate}}},
	"GET /admin/audit.xlsx": {query: []walkField{{"org", inText}, {"person", inText}, {"action", inChoice}, {"from", inDate},
		{"to", inDate}}},
	"GET /admin/figures/suppliers.csv":  {query: []walkField{{"province", inChoice}, {"status", inChoice}, {"curator", inID}, {"curated_week", inDate}}},
	"GET /admin/figures/suppliers.xlsx": {query: []walkField{{"province", inChoice}, {"status", inChoice}, {"curator", inID}, {"curated_week", inDate}}},
	"GET /admin/materials.csv":          {query: []walkField{{"material", inChoice}, {"province", inChoice}, {"urgency", inChoice}, {"status", inChoice}}},
	"GET /admin/materials.xlsx":         {query: []walkField{{"material", inChoice}, {"province", inChoice}, {"urgency", inChoice}, {"status", inChoice}}},
	"GET /admin/permits.csv":            {query: []walkField{{"status", inChoice}, {"kind", inChoice}}},
	"GET /admin/permits.xlsx":           {query: []walkField{{"status", inChoice}, {"kind", inChoice}}},
	"GET /admin/figures/orders":         {query: []walkField{{"product", inChoice}, {"measure", inChoice}, {"week", inDate}}},
	"GET /admin/figures/orders.csv":     {query: []walkField{{"product", inChoice}, {"measure", inChoice}, {"week", inDate}}},
	"GET /admin/figures/orders.xlsx":    {query: []walkField{{"product", inChoice}, {"measure", inChoice}, {"week", inDate}}},
	"GET /admin/figures/entries":        {query: []walkField{{"product", inChoice}}},
	"GET /admin/figures/entries.csv":    {query: []walkField{{"product", inChoice}}},
	"GET /admin/figures/entries.xlsx":   {query: []walkField{{"product", inChoice}}},
	"GET /admin/permits/{id}":           {params: map[string]string{"id": "permit_request"}},
	"POST /admin/permits/{id}/steps": {params: map[string]string{"id": "permit_request"},
		form: []walkField{{"version", inNumber}, {"status", inChoice}, {"note", inMultiline}, {"permit_number", inText},
			{"issued_on", inDate}, {"reason", inMultiline}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("version", e.id("permit_version"), "status", "refused", "note", "", "permit_number", "",
				"issued_on", "", "reason", "Dokumen tidak lengkap.")
		}},
	"GET /admin/materials/requests/{id}": {params: map[string]string{"id": "material_request"}},
	"POST /admin/materials/requests/{id}/deliveries": {params: map[string]string{"id": "material_request"},
		form: []walkField{{"version", inNumber}, {"quantity", inNumber}, {"delivered_on", inDate}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("version", e.id("material_version"), "quantity", "10",
				"delivered_on", time.Now().In(time.FixedZone("WIB", 7*60*60)).Format(time.DateOnly))
		}},
	"POST /admin/materials/requests/{id}/close": {params: map[string]string{"id": "material_request"},
		form: []walkField{{"version", inNumber}, {"reason", inMultiline}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("version", e.id("material_version"), "reason", "Bahan tidak tersedia.")
		}},
	// The ministry's reading of every demand and order.
	"GET /admin/demands":                                     {query: listQuery},
	"GET /admin/demands/{id}":                                {params: map[string]string{"id": "demand"}},
	"GET /admin/orders":                                      {query: listQuery},
	"GET /admin/orders/{id}":                                 {params: map[string]string{"id": "order"}},
	"GET /admin/orders/{id}/document.pdf":                    {params: map[string]string{"id": "order"}},
	"GET /admin/orders/{id}/receipts/{receipt}/document.pdf": {params: map[string]string{"id": "received_order", "receipt": "receipt"}},
	"GET /admin/assignment":                                  {},
	"POST /admin/assignment": {form: []walkField{{"curator_org_id", inID}, {"category", inChoice}, {"province_code", inChoice}, {"priority", inSigned}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("curator_org_id", e.id("curator_org"), "category", "apd", "province_code", "31", "priority", "3")
		}},
	"POST /admin/applications/{id}/suspension": {params: map[string]string{"id": "curated_application"},
		form: []walkField{{"version", inNumber}, {"suspend_reason", inMultiline}, {"organization_id", inID}},
		base: func(e walkEnv, _ walker) url.Values {
			return vals("version", e.id("curated_version"), "suspend_reason", "Laporan mutu", "organization_id", e.id("curated_org"))
		}},
}
