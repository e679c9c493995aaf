package tests

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/schema"
)

func TestSchemaInspectDebug(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		ctx := ctxT(t)
		tables := schemaTables(db.Dialect().PartialIndexes())
		if err := wren.CreateTables(ctx, db, tables...); err != nil {
			t.Fatal(err)
		}
		live, err := schema.Inspect(ctx, db, schema.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var b []byte
		for _, tb := range live.Tables {
			x, _ := json.Marshal(tb)
			b = append(append(b, x...), 10)
		}
		b = append(b, []byte(fmt.Sprint(live.Skipped))...)
		t.Logf("%s", b)
	})
}
