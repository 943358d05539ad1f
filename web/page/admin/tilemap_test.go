package admin

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every province of the reference data has a tile of its own, and the map
// shades a province by its value: none white, the most the darkest.
func TestTileMapPlacesEveryProvinceOnce(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "migrations", "0002_reference_data.sql"))
	if err != nil {
		t.Fatal(err)
	}
	codes := regexp.MustCompile(`\('(\d\d)', '[^']+'\)`).FindAllStringSubmatch(string(b), -1)
	if len(codes) < 34 {
		t.Fatalf("found %d provinces in the reference data", len(codes))
	}
	cells := map[[2]int]string{}
	for _, m := range codes {
		p, ok := provinceTiles[m[1]]
		if !ok {
			t.Errorf("province %s has no tile", m[1])
			continue
		}
		cell := [2]int{p.Col, p.Row}
		if other, taken := cells[cell]; taken {
			t.Errorf("provinces %s and %s share a tile", other, m[1])
		}
		cells[cell] = m[1]
	}
	if len(provinceTiles) != len(codes) {
		t.Errorf("%d tiles for %d provinces", len(provinceTiles), len(codes))
	}

	svg := TileMap("Peta", "Belum ada", "sampai %d", []MapValue{{Code: "32", Name: "Jawa Barat", Value: 90}, {Code: "35", Name: "Jawa Timur", Value: 3}})
	if n := strings.Count(svg, `<g data-province=`); n != len(provinceTiles) {
		t.Errorf("the map draws %d provinces", n)
	}
	tileOf := func(code string) string {
		i := strings.Index(svg, `data-province="`+code+`"`)
		return svg[i : i+strings.Index(svg[i:], "</g>")]
	}
	if !strings.Contains(tileOf("32"), tileShades[len(tileShades)-1].Fill) {
		t.Errorf("the most is not the darkest: %s", tileOf("32"))
	}
	if !strings.Contains(tileOf("35"), tileShades[0].Fill) || !strings.Contains(tileOf("11"), `fill="#ffffff"`) {
		t.Errorf("few and none: %s / %s", tileOf("35"), tileOf("11"))
	}
	if !strings.Contains(svg, "sampai 90") {
		t.Error("the legend does not name the most")
	}
}
