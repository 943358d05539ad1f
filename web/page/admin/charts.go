package admin

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
	"time"

	"pasokan/internal/curation"
	"pasokan/internal/figures"
	"pasokan/internal/i18n"
)

// Charts are drawn on the server as SVG: no script, readable without
// JavaScript, scaled by the browser to a laptop or a phone (a viewBox, no
// fixed width). Each chart is an image with a title; its numbers are in
// the table beside it, which is what a screen reader reads.

// Bar is one bar of a chart: a label, a value and an optional link.
type Bar struct {
	Label string
	Value int64
	Href  string
}

// chart colours pass 3:1 against white (WCAG non-text contrast).
var palette = []string{"#1d5fa8", "#b3541e", "#2d7a3e", "#6b4c9a", "#8a6d00"}

// BarChart draws bars side by side, one row each, scaled to the largest.
func BarChart(title string, bars []Bar) string {
	const width, labelW, rowH = 640, 200, 22
	height := rowH*len(bars) + 8
	var most int64
	for _, b := range bars {
		most = max(most, b.Value)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		width, height, html.EscapeString(title))
	fmt.Fprintf(&sb, `<title>%s</title>`, html.EscapeString(title))
	for i, b := range bars {
		y := 4 + i*rowH
		w := 0
		if most > 0 {
			w = int(float64(width-labelW-80) * float64(b.Value) / float64(most))
		}
		fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="end" font-size="13" fill="#1b1f23">%s</text>`,
			labelW-6, y+15, html.EscapeString(shorten(b.Label, 28)))
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, labelW, y+3, max(w, 1), rowH-6, palette[0])
		fmt.Fprintf(&sb, `<text x="%d" y="%d" font-size="13" fill="#1b1f23">%d</text>`, labelW+w+6, y+15, b.Value)
	}
	sb.WriteString(`</svg>`)
	return sb.String()
}

// Series is one series of a grouped chart.
type Series struct {
	Name   string
	Values []int64
}

// GroupedBars draws, for each label, one bar per series, each group scaled
// to its own largest value (a product's masks and gowns differ by orders
// of magnitude), with a legend.
func GroupedBars(title string, labels []string, series []Series) string {
	const width, labelW, barH = 640, 200, 10
	groupH := barH*len(series) + 10
	legendH := 22
	height := legendH + groupH*len(labels) + 4
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		width, height, html.EscapeString(title))
	fmt.Fprintf(&sb, `<title>%s</title>`, html.EscapeString(title))
	x := 0
	for i, s := range series {
		fmt.Fprintf(&sb, `<rect x="%d" y="4" width="12" height="12" fill="%s"/>`, x, palette[i%len(palette)])
		fmt.Fprintf(&sb, `<text x="%d" y="15" font-size="12" fill="#1b1f23">%s</text>`, x+16, html.EscapeString(s.Name))
		x += 24 + 7*len([]rune(s.Name))
	}
	for g, label := range labels {
		y := legendH + g*groupH
		var most int64
		for _, s := range series {
			most = max(most, s.Values[g])
		}
		fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="end" font-size="13" fill="#1b1f23">%s</text>`,
			labelW-6, y+groupH/2+4, html.EscapeString(shorten(label, 28)))
		for i, s := range series {
			w := 0
			if most > 0 {
				w = int(float64(width-labelW-10) * float64(s.Values[g]) / float64(most))
			}
			fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, labelW, y+i*barH+2, max(w, 1), barH-2,
				palette[i%len(palette)])
		}
	}
	sb.WriteString(`</svg>`)
	return sb.String()
}

// Columns draws a small column chart of a series over time.
func Columns(title string, labels []string, values []int64) string {
	const width, height, base = 640, 160, 130
	var most int64
	for _, v := range values {
		most = max(most, v)
	}
	step := width / max(len(values), 1)
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		width, height, html.EscapeString(title))
	fmt.Fprintf(&sb, `<title>%s</title>`, html.EscapeString(title))
	for i, v := range values {
		h := 0
		if most > 0 {
			h = int(float64(base-20) * float64(v) / float64(most))
		}
		x := i*step + 4
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, x, base-h, step-8, max(h, 1), palette[0])
		fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="middle" font-size="11" fill="#1b1f23">%d</text>`, x+(step-8)/2, base-h-4, v)
		fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="middle" font-size="11" fill="#1b1f23">%s</text>`, x+(step-8)/2, base+16, html.EscapeString(labels[i]))
	}
	sb.WriteString(`</svg>`)
	return sb.String()
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// CuratorLink is the list behind a curator organisation's figure of one
// status in the curation funnel.
func CuratorLink(curator int64, status string) string {
	q := url.Values{}
	q.Set("curator", strconv.FormatInt(curator, 10))
	if status != "" {
		q.Set("status", status)
	}
	return "/admin/figures/suppliers?" + q.Encode()
}

// CuratedWeekLink is the list of the applications curated in a week.
func CuratedWeekLink(monday time.Time) string {
	return "/admin/figures/suppliers?curated_week=" + monday.Format(time.DateOnly)
}

// OrdersLink is the list of orders behind a product's measure.
func OrdersLink(product, measure string) string {
	return "/admin/figures/orders?" + url.Values{"product": {product}, "measure": {measure}}.Encode()
}

// WeekLink is the list behind a week's figure: the applications curated,
// or the orders placed (their count and their units); "" for a figure
// without one.
func WeekLink(monday time.Time, metric string) string {
	switch metric {
	case "curated":
		return CuratedWeekLink(monday)
	case "orders", "units_ordered":
		return "/admin/figures/orders?week=" + monday.Format(time.DateOnly)
	}
	return ""
}

// SuppliersLink is the list behind a figure of applications.
func SuppliersLink(province, status string) string {
	q := url.Values{}
	if province != "" {
		q.Set("province", province)
	}
	if status != "" {
		q.Set("status", status)
	}
	if len(q) == 0 {
		return "/admin/figures/suppliers"
	}
	return "/admin/figures/suppliers?" + q.Encode()
}

// ProvinceKey is a province's code in a list's query ("" is none given).
func ProvinceKey(code string) string {
	if code == "" {
		return figures.NoProvince
	}
	return code
}

// WaitedDays is how many whole days ago t was.
func WaitedDays(now, t time.Time) int { return int(now.Sub(t).Hours() / 24) }

// WeekLabel is a week's Monday, "7/12".
func WeekLabel(t time.Time) string {
	return fmt.Sprintf("%d/%d", t.Day(), int(t.Month()))
}

// ProvinceBars are the provinces' curated suppliers, for the chart.
func ProvinceBars(n figures.National, names map[string]string) []Bar {
	var out []Bar
	for _, p := range n.Provinces {
		if p.Code == "" {
			continue
		}
		out = append(out, Bar{Label: names[p.Code], Value: int64(p.ByStatus["curated"])})
	}
	return out
}

// WeekValues are one metric's values over the weeks, and their labels.
func WeekValues(n figures.National, metric string) ([]string, []int64) {
	labels := make([]string, len(n.Weeks))
	values := make([]int64, len(n.Weeks))
	for i, w := range n.Weeks {
		labels[i], values[i] = WeekLabel(w.Monday), w.N[metric]
	}
	return labels, values
}

// ProductSeries are the products' capacity against demand, for the chart.
func ProductSeries(ctx context.Context, n figures.National, names map[string]string) ([]string, []Series) {
	labels := make([]string, len(n.Products))
	series := []Series{{Name: i18n.T(ctx, "dashboard.capacity")}, {Name: i18n.T(ctx, "dashboard.demanded")},
		{Name: i18n.T(ctx, "dashboard.ordered")}, {Name: i18n.T(ctx, "dashboard.shipped")}, {Name: i18n.T(ctx, "dashboard.accepted")}}
	for i := range series {
		series[i].Values = make([]int64, len(n.Products))
	}
	for i, p := range n.Products {
		labels[i] = names[p.Type]
		for j, v := range []int64{p.Capacity, p.Demanded, p.Ordered, p.Shipped, p.Accepted} {
			series[j].Values[i] = v
		}
	}
	return labels, series
}

// weekMetrics are the weekly table's columns.
var weekMetrics = []string{"registered", "curated", "orders", "units_ordered", "units_accepted"}

// funnel are the curator table's statuses.
var funnel = []string{"submitted", "in_review", "revision_requested", "curated", "rejected", "suspended"}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// waitingLabel is the waiting figure's label, with the longest wait.
func waitingLabel(ctx context.Context, v DashboardView) string {
	var oldest time.Time
	for _, t := range v.National.OldestWaiting {
		if oldest.IsZero() || t.Before(oldest) {
			oldest = t
		}
	}
	if oldest.IsZero() {
		return i18n.T(ctx, "dashboard.waiting")
	}
	return i18n.T(ctx, "dashboard.waiting_for", WaitedDays(v.At, oldest))
}

func provinceName(ctx context.Context, names map[string]string, code string) string {
	if code == "" {
		return i18n.T(ctx, "dashboard.no_province")
	}
	return names[code]
}

// listProvince names a list's province filter.
func listProvince(ctx context.Context, names map[string]string, key string) string {
	switch key {
	case "":
		return i18n.T(ctx, "dashboard.all_provinces")
	case figures.NoProvince:
		return i18n.T(ctx, "dashboard.no_province")
	}
	return names[key]
}

// decisionTime is a curator organisation's decision times, by name.
func decisionTime(times []curation.DecisionTime, name string) curation.DecisionTime {
	for _, d := range times {
		if d.CuratorName == name {
			return d
		}
	}
	return curation.DecisionTime{}
}

// listStatus names a list's status filter.
func listStatus(ctx context.Context, status string) string {
	if status == figures.StatusWaiting {
		return i18n.T(ctx, "dashboard.waiting")
	}
	return anyOr(ctx, status, "status.")
}
