package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"pasokan/internal/demo"
)

// option is one <option> of the organisation switcher.
type option struct {
	Value    string
	Text     string
	Selected bool
}

// switcherOptions reads the header's organisation switcher.
func switcherOptions(b *browser) []option {
	b.t.Helper()
	var opts []option
	b.eval(`[...document.querySelectorAll('.site-header select#organization_id option')]
		.map(o => ({value: o.value, text: o.innerText.trim().replace(/\s+/g, ' '), selected: o.selected}))`, &opts)
	return opts
}

func selectedOption(b *browser, opts []option) option {
	b.t.Helper()
	for _, o := range opts {
		if o.Selected {
			return o
		}
	}
	b.t.Fatalf("no organisation is selected in the switcher: %+v", opts)
	return option{}
}

// TestBuyerSwitchesOrganisation: the demo buyer belongs to two buyer
// organisations and switches between them with the header's switcher, with
// JavaScript (the select submits itself) and without (the button submits).
func TestBuyerSwitchesOrganisation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		noJS  bool
		phone bool
	}{{"js", false, false}, {"nojs", true, false}, {"phone-js", false, true}, {"phone-nojs", true, true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app := startApp(t)
			o := laptop
			if tc.phone {
				// On a 360 px phone the switcher sits in the header's
				// menu, and a long organisation name may not widen the
				// page (the audit of every page checks that).
				o = phone
			}
			o.NoJS = tc.noJS
			b := newBrowser(t, app, o)

			b.open("/login")
			if st := b.login("pembeli@pasokan.test", demo.Password); st != http.StatusOK {
				t.Fatalf("buyer login ended on a %d page: %s", st, b.textOr("main", ""))
			}
			b.wantPath("/catalog")
			b.wantText("main h1", msg("catalog.title"))
			b.wantText(`.site-header label[for="organization_id"]`, msg("layout.acting_for"))

			opts := switcherOptions(b)
			if len(opts) != 2 {
				t.Fatalf("the switcher offers %d organisations, want 2: %+v", len(opts), opts)
			}
			from := selectedOption(b, opts)
			to := opts[0]
			if to.Value == from.Value {
				to = opts[1]
			}
			suffix := " (" + msg("kind.buyer") + ")"
			for _, o := range opts {
				if !strings.HasSuffix(o.Text, suffix) {
					t.Errorf("switcher option %q does not end with %q", o.Text, suffix)
				}
			}
			b.wantText("main h1 + p", strings.TrimSuffix(from.Text, suffix))

			button := `.site-header form.org-switcher button[type="submit"]`
			b.wantText(button, msg("layout.switch")) // in the page, shown or not
			b.openMenuFor("#organization_id")
			if tc.phone {
				b.screenshot("buyer-menu-" + tc.name)
			}
			var st int64
			if b.visible(button) {
				if !tc.noJS {
					t.Errorf("with JavaScript on, app.js should hide the switcher's button (the select submits itself)")
				}
				b.step("choose "+to.Text, chromedp.SetValue(chromedp.CSS("#organization_id"), to.Value))
				st = b.click(button)
			} else {
				if tc.noJS {
					t.Fatal("without JavaScript the switcher's button is hidden: the choice cannot be sent")
				}
				// A keyboard user moves the closed select to the other
				// option; the change submits the form.
				key := kb.ArrowDown
				if to.Value == opts[0].Value {
					key = kb.ArrowUp
				}
				st = b.follow("choose "+to.Text+" with the keyboard",
					chromedp.Focus(chromedp.CSS("#organization_id")), chromedp.KeyEvent(key))
			}
			if st != http.StatusOK {
				t.Fatalf("switching ended on a %d page: %s", st, b.textOr("main", ""))
			}
			b.wantPath("/catalog")
			b.wantText("main h1", msg("catalog.title"))
			now := selectedOption(b, switcherOptions(b))
			if now.Value != to.Value {
				t.Fatalf("after switching the header selects %q, want %q", now.Text, to.Text)
			}
			b.wantText("main h1 + p", strings.TrimSuffix(to.Text, suffix))
			b.screenshot("buyer-switched-" + tc.name)

			// The choice lives in the session, not just in this page.
			b.open("/catalog")
			if again := selectedOption(b, switcherOptions(b)); again.Value != to.Value {
				t.Errorf("after reloading the header selects %q, want %q", again.Text, to.Text)
			}
		})
	}
}
