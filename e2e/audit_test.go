package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"pasokan/internal/testapp"
)

// Every page a browser journey reaches is audited where it lands: it may
// not scroll sideways at the browser's width, and axe-core may find no
// serious or critical violation of WCAG 2.1 A/AA on it. The journeys thus
// check every page they visit, in every state they visit it in (an error
// summary, an empty list, a phone without JavaScript), without each test
// having to remember to.

// axeSource is axe-core 4.11.0, unmodified, as published (MPL-2.0; its
// licence beside it). Pinned here so the audit never changes under a test
// and needs no network.
//
//go:embed testdata/axe-core-4.11.0/axe.min.js
var axeSource string

// axeRun runs axe on the document and returns the serious and critical
// violations as JSON. The rules are WCAG 2.0/2.1 levels A and AA plus
// axe's best practices; frames are left out (a framed document, such as
// an uploaded PDF, is not ours to audit).
const axeRun = `(async () => {
	const r = await axe.run(document, {
		runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
		resultTypes: ['violations'],
		iframes: false,
	});
	return JSON.stringify(r.violations
		.filter(v => v.impact === 'serious' || v.impact === 'critical')
		.map(v => ({id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\n').slice(1).join('; '))})));
})()`

// phoneWidth is the narrowest screen every page must fit: a 360 px phone.
const phoneWidth = 360

// fitsPhone checks that the page, drawn 360 px wide, does not scroll
// sideways, whatever the width this journey's browser has: a page a
// curator reads on a laptop is one an owner may open on a phone.
func (b *browser) fitsPhone(ctx context.Context) {
	b.t.Helper()
	wide, err := b.widthAt(ctx, phoneWidth)
	if err != nil {
		b.t.Errorf("audit %s at %d px: %v", b.location(), phoneWidth, err)
		return
	}
	if wide > phoneWidth {
		b.t.Errorf("%s scrolls sideways at %d px: the page is %d px wide", b.location(), phoneWidth, wide)
	}
}

// widthAt is the page's scrolling width with the viewport narrowed to
// width for the measure; the viewport is restored after.
func (b *browser) widthAt(ctx context.Context, width int64) (int, error) {
	b.t.Helper()
	var wide int
	err := chromedp.Do(ctx, chromedp.EmulateViewport(width, b.opts.Height, chromedp.EmulatePortrait))
	if err == nil {
		var raw []byte
		if raw, err = chromedp.Run(ctx, chromedp.Evaluate[[]byte](`document.documentElement.scrollWidth`)); err == nil {
			err = json.Unmarshal(raw, &wide)
		}
	}
	if rerr := chromedp.Do(ctx, chromedp.EmulateViewport(b.opts.Width, b.opts.Height, b.viewport...)); rerr != nil {
		b.t.Fatalf("audit %s: restore the viewport: %v", b.location(), rerr)
	}
	return wide, err
}

// axe loads axe-core into the page when it is not there yet, runs it and
// returns the serious and critical violations.
func (b *browser) axe(ctx context.Context) ([]violation, error) {
	var loaded bool
	if raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](`typeof axe === 'object'`)); err == nil {
		_ = json.Unmarshal(raw, &loaded)
	}
	if !loaded {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](axeSource+";true")); err != nil {
			return nil, fmt.Errorf("load axe-core: %w", err)
		}
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	var found []violation
	if err := json.Unmarshal([]byte(out), &found); err != nil {
		return nil, fmt.Errorf("axe-core's answer %q: %w", out, err)
	}
	return found, nil
}

// scripts turns script execution in the page on or off.
func (b *browser) scripts(ctx context.Context, on bool) error {
	return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled,
			emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	}))
}

// violation is one axe rule a page breaks.
type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// audited remembers the pages already audited in this test process, by
// what makes them differ (the browser's width and scripting, the path and
// a digest of the rendered markup less its one-time tokens), so a page
// visited again unchanged is not audited again.
var audited sync.Map

// audit checks the page the browser is on; a failure is an error, not
// fatal, so one test reports every page that fails.
func (b *browser) audit() {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	var page struct {
		HTML   bool   `json:"html"`
		Key    string `json:"key"`
		Scroll int    `json:"scroll"`
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](`(() => {
		const html = document.contentType === 'text/html' && !!document.body;
		if (!html) return {html: false, key: '', scroll: 0};
		// The digest leaves out hidden inputs (CSRF tokens, versions) and
		// the notification count, which differ on every visit.
		const clone = document.documentElement.cloneNode(true);
		clone.querySelectorAll('input[type=hidden]').forEach(e => e.remove());
		let h = 0;
		const s = location.pathname + '\n' + clone.outerHTML;
		for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
		return {html: true, key: location.pathname + '#' + h + '/' + s.length,
			scroll: document.documentElement.scrollWidth};
	})()`))
	if err != nil {
		b.t.Errorf("audit %s: read the page: %v", b.location(), err)
		return
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		b.t.Errorf("audit %s: %v", b.location(), err)
		return
	}
	if !page.HTML {
		return
	}
	if page.Scroll > int(b.opts.Width) {
		b.t.Errorf("%s scrolls sideways at %d px: the page is %d px wide", b.location(), b.opts.Width, page.Scroll)
	}
	if b.opts.Width > phoneWidth {
		b.fitsPhone(ctx)
	}
	key := fmt.Sprintf("%d/%t/%s", b.opts.Width, b.opts.NoJS, page.Key)
	if _, seen := audited.LoadOrStore(key, true); seen {
		return
	}
	if b.opts.NoJS {
		// axe-core waits on timers, which never fire while scripts are
		// off. Turning them on for the audit runs none of the page's own
		// scripts (those were skipped when the page was parsed); they are
		// turned off again before the journey goes on.
		if err := b.scripts(ctx, true); err != nil {
			b.t.Errorf("audit %s: %v", b.location(), err)
			return
		}
		defer func() {
			if err := b.scripts(ctx, false); err != nil {
				b.t.Fatalf("audit %s: scripts stay on: %v", b.location(), err)
			}
		}()
	}
	found, err := b.axe(ctx)
	if err != nil {
		b.t.Errorf("audit %s: %v", b.location(), err)
		return
	}
	if len(found) == 0 {
		return
	}
	var sb strings.Builder
	for _, v := range found {
		fmt.Fprintf(&sb, "\n  %s (%s): %s", v.ID, v.Impact, v.Help)
		for _, n := range v.Nodes {
			fmt.Fprintf(&sb, "\n    %s", n)
		}
	}
	b.t.Errorf("axe-core on %s (%d px wide, scripts %s):%s", b.location(), b.opts.Width,
		map[bool]string{true: "off", false: "on"}[b.opts.NoJS], sb.String())
}

// TestAuditFindsViolations: the audit is only worth its silence if it
// speaks up. A page with an unlabelled field, grey-on-white text and an
// image without a text alternative must give those three rules.
func TestAuditFindsViolations(t *testing.T) {
	t.Parallel()
	requireChromium(t)
	b := newBrowser(t, &testapp.App{URL: "data:"}, phone)
	page := `<!DOCTYPE html><html lang="id"><head><title>Uji</title></head><body><main>
		<h1>Uji</h1><p style="color:#bbb;background:#fff">Teks pucat</p>
		<input type="text" name="x"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
		</main></body></html>`
	b.step("open a bad page", chromedp.Navigate("data:text/html;charset=utf-8,"+url.PathEscape(page)))
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	found, err := b.axe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]bool{}
	for _, v := range found {
		rules[v.ID] = true
	}
	for _, want := range []string{"label", "color-contrast", "image-alt"} {
		if !rules[want] {
			t.Errorf("axe-core did not report %q on a page that breaks it; it reported %+v", want, found)
		}
	}
}

// TestAuditMeasuresAPhonesWidth: a laptop's page is measured as a 360 px
// phone would draw it: a page with a 600 px wide box is 600 px wide there,
// one that wraps its text is 360, and the laptop's viewport comes back.
func TestAuditMeasuresAPhonesWidth(t *testing.T) {
	t.Parallel()
	requireChromium(t)
	b := newBrowser(t, &testapp.App{URL: "data:"}, laptop)
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	for _, tc := range []struct {
		body string
		want int
	}{
		{`<div style="width:600px">Kotak lebar</div>`, 600},
		{`<p>` + strings.Repeat("Teks yang membungkus dirinya sendiri. ", 40) + `</p>`, phoneWidth},
	} {
		page := `<!DOCTYPE html><html lang="id"><head><meta name="viewport" content="width=device-width">` +
			`<title>Uji</title><style>body{margin:0}</style></head><body>` + tc.body + `</body></html>`
		b.step("open a page", chromedp.Navigate("data:text/html;charset=utf-8,"+url.PathEscape(page)))
		got, err := b.widthAt(ctx, phoneWidth)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%s: %d px wide at %d px, want %d", tc.body[:20], got, phoneWidth, tc.want)
		}
		var now int
		b.eval(`innerWidth`, &now)
		if now != int(laptop.Width) {
			t.Errorf("after the measure the viewport is %d px wide, want the laptop's %d", now, laptop.Width)
		}
	}
}
