package curation

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"pasokan/internal/validation"
)

// MaxLink bounds a recorded link, as the form's maxlength says.
const MaxLink = 500

// registryDomain is the Ministry of Health's: its public register of
// medical devices and household health supplies lives under it.
const registryDomain = "kemkes.go.id"

// LinkField is the decision form's field for an item's link: link_<item id>.
func LinkField(id int64) string { return "link_" + strconv.FormatInt(id, 10) }

// RegistryLink checks a link to a page of the Ministry of Health's public
// register: an https address on kemkes.go.id or a name under it, with no
// credentials in it, at most MaxLink characters.
func RegistryLink(s string) bool {
	if utf8.RuneCountInString(s) > MaxLink || validation.Check(s, false) != "" {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.User != nil || u.Port() != "" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return host == registryDomain || strings.HasSuffix(host, "."+registryDomain)
}

// checkLinks refuses a typed link that is not the register's, whatever
// the decision: bad input is reported, not dropped with an incomplete list.
func checkLinks(links map[int64]string, errs validation.Errors) {
	for id, l := range links {
		if l != "" && !RegistryLink(l) {
			errs.Add(LinkField(id), "error.registry_link")
		}
	}
}

// linksFor collects, by item key, the links of cl's items that ask one and
// were answered pass or fail: looked up, so the page read is recorded. Such
// an item without its link is an error on link_<item id>; a link to an
// item answered 'na' is not kept.
func linksFor(cl Checklist, answers map[string]Answer, links map[int64]string, errs validation.Errors) map[string]string {
	out := map[string]string{}
	for _, it := range cl.Items {
		if !it.AsksLink {
			continue
		}
		if a := answers[it.Key]; a != AnswerPass && a != AnswerFail {
			continue
		}
		switch l := links[it.ID]; {
		case l == "":
			errs.Add(LinkField(it.ID), "error.registry_link_required")
		case RegistryLink(l):
			out[it.Key] = l
		default:
			errs.Add(LinkField(it.ID), "error.registry_link")
		}
	}
	return out
}
