package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"pasokan/internal/testapp"
)

// chromiumPath is Debian's Chromium, the browser these tests drive.
const chromiumPath = "/usr/bin/chromium"

const (
	// testTimeout bounds one browser's whole life, so nothing hangs. It
	// leaves room for the audit of every page visited (axe-core takes
	// about half a second a page).
	testTimeout = 180 * time.Second
	// stepTimeout bounds one step (a navigation, a query), so a wrong
	// selector fails in seconds, not at the end of testTimeout.
	stepTimeout = 20 * time.Second
)

// requireChromium skips the test when there is no browser, loudly, and
// fails it instead when CI is set: on CI a missing browser is a broken
// build, not a reason to go green.
func requireChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err == nil {
		return
	}
	msg := chromiumPath + " not found; apt-get install -y chromium"
	if os.Getenv("CI") != "" {
		t.Fatal("BROWSER TESTS FAILED: " + msg + " (CI is set, so a missing browser is an error)")
	}
	fmt.Fprintln(os.Stderr, "BROWSER TESTS SKIPPED: "+msg)
	t.Skip("BROWSER TESTS SKIPPED: " + msg)
}

// startApp checks for the browser first (no database is started for a test
// that will skip), then starts the portal.
func startApp(t *testing.T) *testapp.App {
	t.Helper()
	requireChromium(t)
	return testapp.New(t)
}

// browserOpts configures one browser.
type browserOpts struct {
	// Width and Height of the viewport in CSS pixels; 0 means a laptop.
	Width, Height int64
	// Mobile emulates a phone: mobile viewport rules, touch, 2x pixels.
	Mobile bool
	// NoJS disables JavaScript in the page.
	NoJS bool
	// AcceptLanguage is sent with every request; "" means Indonesian.
	AcceptLanguage string
	// Life bounds the browser's whole life; 0 means testTimeout. A browser
	// that waits through other sessions' work (the curation journey) needs
	// longer.
	Life time.Duration
}

var (
	phone  = browserOpts{Width: 360, Height: 740, Mobile: true}
	laptop = browserOpts{Width: 1280, Height: 900}
)

// browser is one Chromium with a fresh profile, showing one tab.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	opts browserOpts
	// viewport is how the browser's viewport is emulated, to restore it
	// after the audit has looked at a page 360 px wide.
	viewport []chromedp.EmulateViewportOption
}

// newBrowser starts Chromium for t with a fresh profile; it is closed when
// t ends.
func newBrowser(t *testing.T, app *testapp.App, o browserOpts) *browser {
	t.Helper()
	requireChromium(t)
	if o.Width == 0 {
		o.Width, o.Height = laptop.Width, laptop.Height
	}
	if o.AcceptLanguage == "" {
		o.AcceptLanguage = "id-ID,id;q=0.9"
	}
	out := &testapp.SyncBuffer{}
	life := testTimeout
	if o.Life > 0 {
		life = o.Life
	}
	timeoutCtx, cancelTimeout := context.WithTimeout(context.Background(), life)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(timeoutCtx,
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "id-ID"),
		chromedp.WindowSize(int(o.Width), int(o.Height)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.CombinedOutput(out),
	)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("chromium output (tail, D-Bus noise left out):\n%s", tail(quiet(out.String()), 3000))
		}
		_ = chromedp.Cancel(ctx) // closes the browser and waits for it
		cancelCtx()
		cancelAlloc()
		cancelTimeout()
	})

	viewport := []chromedp.EmulateViewportOption{chromedp.EmulatePortrait}
	if o.Mobile {
		viewport = append(viewport, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2))
	}
	lang := o.AcceptLanguage
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(o.Width, o.Height, viewport...),
		// Reduced motion turns off the portal's smooth scrolling: a click
		// scrolls its element into view and reads its position at once, so
		// with smooth scrolling it lands where the element was mid-scroll
		// (on long pages such as the application, a click that never
		// arrives).
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}})
			return err
		}),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders,
				network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": lang}})
			return err
		}),
	}
	if o.NoJS {
		steps = append(steps, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled,
				emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
	}
	// The first Do starts the browser under ctx (no step timeout), so
	// later steps may carry their own shorter deadlines.
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("start chromium: %v\n%s", err, tail(quiet(out.String()), 3000))
	}
	return &browser{t: t, ctx: ctx, base: app.URL, opts: o, viewport: viewport}
}

// quiet drops the D-Bus complaints a container's Chromium always prints.
func quiet(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" && !strings.Contains(l, "dbus") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// screenshot saves a full-page PNG into <module root>/.data/artifacts and
// returns its path.
func (b *browser) screenshot(name string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(artifactsDir(b.t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot of %s: %s", b.path(), path)
	return path
}

// artifactsDir is <module root>/.data/artifacts, created when missing.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal(errors.New("go.mod not found above the working directory"))
		}
		dir = parent
	}
	dir = filepath.Join(dir, ".data", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
