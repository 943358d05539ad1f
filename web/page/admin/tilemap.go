package admin

import (
	"cmp"
	"fmt"
	"html"
	"maps"
	"slices"
	"strings"

	"pasokan/internal/figures"
)

// The provinces on a tile map: each province a square placed roughly where
// it lies, west to east and north to south, so that the whole country
// reads at a glance on a laptop or a phone without a map's outlines (none
// can be fetched from outside, and each province weighs the same). The
// numbers are in the province table beside it.

// tile is a province's place on the grid: column, row, and a short label.
type tile struct {
	Col, Row int
	Label    string
}

// provinceTiles places the 38 provinces (Kemendagri codes).
var provinceTiles = map[string]tile{
	"11": {0, 0, "AC"}, "12": {1, 1, "SU"}, "13": {1, 2, "SB"}, "14": {2, 1, "RI"}, "21": {3, 0, "KR"},
	"15": {2, 2, "JA"}, "16": {3, 2, "SS"}, "17": {2, 3, "BE"}, "18": {3, 3, "LA"}, "19": {4, 2, "BB"},
	"36": {3, 4, "BT"}, "31": {4, 4, "JK"}, "32": {5, 4, "JB"}, "33": {6, 4, "JT"}, "34": {6, 5, "YO"},
	"35": {7, 4, "JI"}, "51": {8, 4, "BA"}, "52": {9, 4, "NB"}, "53": {10, 4, "NT"},
	"61": {5, 1, "KB"}, "62": {6, 2, "KT"}, "63": {7, 2, "KS"}, "64": {7, 1, "KI"}, "65": {7, 0, "KU"},
	"75": {9, 1, "GO"}, "71": {10, 1, "SA"}, "72": {9, 2, "ST"}, "76": {8, 2, "SR"}, "73": {8, 3, "SN"},
	"74": {9, 3, "SG"}, "82": {11, 1, "MU"}, "81": {11, 3, "MA"},
	"96": {12, 2, "PD"}, "92": {13, 2, "PB"}, "94": {14, 3, "PT"}, "91": {15, 2, "PA"}, "95": {15, 3, "PP"},
	"93": {15, 4, "PS"},
}

// tileShades are five steps from few to many; each pairs with the text
// colour that reads on it (4.5:1 or more).
var tileShades = []struct{ Fill, Text string }{
	{"#eef3f9", "#1b1f23"}, {"#c6d8ee", "#1b1f23"}, {"#7fa8d8", "#1b1f23"}, {"#2f6db5", "#ffffff"}, {"#153f73", "#ffffff"},
}

// MapValue is one province's value on the map.
type MapValue struct {
	Code, Name string
	Value      int64
}

// TileMap draws the provinces as tiles shaded by value (none: white with a
// grey edge), with a legend from none to the most; title names it.
// none and most are the legend's words for none and for the most (most
// holds a %d).
func TileMap(title, none, most string, values []MapValue) string {
	const t, gap, cols, rows = 40, 3, 16, 6
	const legendH = 30
	width, height := cols*t, rows*t+legendH
	var top int64
	byCode := map[string]MapValue{}
	for _, v := range values {
		byCode[v.Code] = v
		top = max(top, v.Value)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart tile-map" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		width, height, html.EscapeString(title))
	fmt.Fprintf(&sb, `<title>%s</title>`, html.EscapeString(title))
	for _, code := range sortedTiles() {
		p := provinceTiles[code]
		v := byCode[code]
		x, y := p.Col*t, p.Row*t
		fill, text, stroke := "#ffffff", "#1b1f23", "#8a9199"
		if v.Value > 0 && top > 0 {
			s := tileShades[min(len(tileShades)-1, int(int64(len(tileShades))*v.Value/(top+1)))]
			fill, text, stroke = s.Fill, s.Text, "#5b6570"
		}
		name := v.Name
		if name == "" {
			name = code
		}
		fmt.Fprintf(&sb, `<g data-province="%s"><title>%s: %d</title><rect x="%d" y="%d" width="%d" height="%d" rx="3" fill="%s" stroke="%s"/>`,
			code, html.EscapeString(name), v.Value, x+gap/2, y+gap/2, t-gap, t-gap, fill, stroke)
		fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="middle" font-size="13" font-weight="600" fill="%s">%s</text></g>`,
			x+t/2, y+t/2+5, text, p.Label)
	}
	// The legend: none, then the five shades up to the most.
	ly := rows*t + 8
	fmt.Fprintf(&sb, `<rect x="0" y="%d" width="14" height="14" fill="#ffffff" stroke="#8a9199"/>`, ly)
	fmt.Fprintf(&sb, `<text x="20" y="%d" font-size="12" fill="#1b1f23">%s</text>`, ly+12, html.EscapeString(none))
	for i, s := range tileShades {
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="14" height="14" fill="%s" stroke="#5b6570"/>`, 200+i*16, ly, s.Fill)
	}
	fmt.Fprintf(&sb, `<text x="%d" y="%d" font-size="12" fill="#1b1f23">%s</text>`, 200+len(tileShades)*16+6, ly+12,
		html.EscapeString(fmt.Sprintf(most, top)))
	sb.WriteString(`</svg>`)
	return sb.String()
}

// sortedTiles lists the provinces by row, then column, for a stable
// drawing.
func sortedTiles() []string {
	codes := slices.Collect(maps.Keys(provinceTiles))
	slices.SortFunc(codes, func(a, b string) int {
		ta, tb := provinceTiles[a], provinceTiles[b]
		return cmp.Or(cmp.Compare(ta.Row, tb.Row), cmp.Compare(ta.Col, tb.Col))
	})
	return codes
}

// ProvinceMapValues are the curated applications of each province, for
// the tile map.
func ProvinceMapValues(n figures.National, names map[string]string) []MapValue {
	var out []MapValue
	for _, p := range n.Provinces {
		if p.Code != "" {
			out = append(out, MapValue{Code: p.Code, Name: names[p.Code], Value: int64(p.ByStatus["curated"])})
		}
	}
	return out
}
