// Package i18n holds the message catalogues (Bahasa Indonesia by default,
// complete English) and the helpers that pick a message for the language of
// the request. Every string a person reads comes from here.
package i18n

import (
	"context"
	"fmt"
	"strings"
)

// Lang is a supported language.
type Lang string

// The supported languages. Indonesian is the default.
const (
	ID Lang = "id"
	EN Lang = "en"
)

// Langs lists the supported languages in the order the switcher shows them.
var Langs = []Lang{ID, EN}

// Parse returns the language named by s, or ok=false.
func Parse(s string) (Lang, bool) {
	switch Lang(strings.ToLower(strings.TrimSpace(s))) {
	case ID:
		return ID, true
	case EN:
		return EN, true
	}
	return ID, false
}

// FromAcceptLanguage picks a language from an Accept-Language header:
// English only when the browser prefers it over Indonesian.
func FromAcceptLanguage(h string) Lang {
	for _, part := range strings.Split(h, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "id"), strings.HasPrefix(tag, "in"):
			return ID
		case strings.HasPrefix(tag, "en"):
			return EN
		}
	}
	return ID
}

type ctxKey struct{}

// WithLang returns ctx carrying lang.
func WithLang(ctx context.Context, lang Lang) context.Context {
	return context.WithValue(ctx, ctxKey{}, lang)
}

// LangFrom returns the language carried by ctx, Indonesian by default.
func LangFrom(ctx context.Context) Lang {
	if l, ok := ctx.Value(ctxKey{}).(Lang); ok {
		return l
	}
	return ID
}

// T translates key into the language of ctx, formatting args into it.
func T(ctx context.Context, key string, args ...any) string {
	return Translate(LangFrom(ctx), key, args...)
}

// Translate translates key into lang. A key missing from the catalogue comes
// back as itself, so the gap shows; a test keeps the catalogues complete.
func Translate(lang Lang, key string, args ...any) string {
	cat := catalogues[lang]
	msg, ok := cat[key]
	if !ok {
		msg, ok = catalogues[ID][key]
		if !ok {
			return key
		}
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Has reports whether key exists in the catalogue of lang.
func Has(lang Lang, key string) bool {
	_, ok := catalogues[lang][key]
	return ok
}

// Keys returns every key of lang's catalogue.
func Keys(lang Lang) []string {
	keys := make([]string, 0, len(catalogues[lang]))
	for k := range catalogues[lang] {
		keys = append(keys, k)
	}
	return keys
}

// Both returns the message in Indonesian, then in English: for e-mails to
// people whose language we do not know yet.
func Both(key string, args ...any) string {
	return Translate(ID, key, args...) + "\n\n---\n\n" + Translate(EN, key, args...)
}

// Name is the language's own name, for the switcher.
func (l Lang) Name() string {
	if l == EN {
		return "English"
	}
	return "Bahasa Indonesia"
}

// catalogues are constant data, one map per part of the portal and
// language, merged once.
var catalogues = map[Lang]map[string]string{
	ID: merge(messagesID, supplierID, curationID, hardeningID, uploadID, mailID, inputID, catalogID, proposalID, listingID, proposalPageID, identityID, orderID, orderDocID, passwordResetID, verifyID, tasksID, notificationsID, layoutID, homeID, signupID, reviewID, materialID, permitID, dashboardID, oversightID, standardsID),
	EN: merge(messagesEN, supplierEN, curationEN, hardeningEN, uploadEN, mailEN, inputEN, catalogEN, proposalEN, listingEN, proposalPageEN, identityEN, orderEN, orderDocEN, passwordResetEN, verifyEN, tasksEN, notificationsEN, layoutEN, homeEN, signupEN, reviewEN, materialEN, permitEN, dashboardEN, oversightEN, standardsEN),
}

func merge(parts ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, p := range parts {
		for k, v := range p {
			out[k] = v
		}
	}
	return out
}
