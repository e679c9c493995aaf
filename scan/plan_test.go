package scan

import (
	"reflect"
	"testing"
	"time"
	"unsafe"
)

type row10 struct {
	ID        int64
	Name      string
	Title     string
	Fax       string
	Web       string
	Age       int64
	Flag      bool
	Counter   int64
	Score     float64
	CreatedAt time.Time
}

var cols10 = []Column{{Table: "m", Name: "id"}, {Table: "m", Name: "name"}, {Table: "m", Name: "title"},
	{Table: "m", Name: "fax"}, {Table: "m", Name: "web"}, {Table: "m", Name: "age"}, {Table: "m", Name: "flag"},
	{Table: "m", Name: "counter"}, {Table: "m", Name: "score"}, {Table: "m", Name: "created_at"}}

// fill stands in for a driver's Scan: it stores one value through each
// destination pointer, as database/sql does for these types.
func fill(dest []any) {
	*dest[0].(*int64) = 1
	*dest[1].(*string) = "n"
	*dest[2].(*string) = "t"
	*dest[3].(*string) = "f"
	*dest[4].(*string) = "w"
	*dest[5].(*int64) = 2
	*dest[6].(*bool) = true
	*dest[7].(*int64) = 3
	*dest[8].(*float64) = 4.5
	*dest[9].(*time.Time) = time.Time{}
}

func TestPlanDest(t *testing.T) {
	p, err := Build(reflect.TypeFor[row10](), cols10, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var r row10
	row := p.NewRow()
	fill(row.Dest(unsafe.Pointer(&r)))
	if err := row.Finish(unsafe.Pointer(&r)); err != nil {
		t.Fatal(err)
	}
	if r.ID != 1 || r.Name != "n" || r.Web != "w" || !r.Flag || r.Score != 4.5 {
		t.Fatalf("%+v", r)
	}
}

var sink []row10

// BenchmarkScanOnly compares, without a database, handing the driver field
// pointers from a cached plan with writing them out by hand, for 100 rows of
// ten columns.
func BenchmarkScanOnly(b *testing.B) {
	b.Run("hand-written", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			out := make([]row10, 0, 100)
			for j := 0; j < 100; j++ {
				var m row10
				fill([]any{&m.ID, &m.Name, &m.Title, &m.Fax, &m.Web, &m.Age, &m.Flag, &m.Counter, &m.Score, &m.CreatedAt})
				out = append(out, m)
			}
			sink = out
		}
	})
	b.Run("plan", func(b *testing.B) {
		p, err := Build(reflect.TypeFor[row10](), cols10, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			row := p.NewRow()
			out := make([]row10, 0, 100)
			for j := 0; j < 100; j++ {
				out = append(out, row10{})
				base := unsafe.Pointer(&out[len(out)-1])
				fill(row.Dest(base))
				if err := row.Finish(base); err != nil {
					b.Fatal(err)
				}
			}
			sink = out
		}
	})
}
