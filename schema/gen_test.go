package schema

import (
	"strings"
	"testing"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// TestGenerateNameClashes: tables or columns whose Go names would clash
// fail with both names in the error, and names Go cannot spell are made
// into identifiers with the column name kept in the tags.
func TestGenerateNameClashes(t *testing.T) {
	col := []wren.ColumnSchema{{Name: "id", Type: "BIGINT"}}
	for _, c := range []struct {
		tables []wren.TableSchema
		want   string
	}{
		{[]wren.TableSchema{{Name: "users", Columns: col}, {Name: "users_row", Columns: col}}, "tables users and users_row both need Go name UsersRow"},
		{[]wren.TableSchema{{Name: "user_id", Columns: col}, {Name: "user_i_d", Columns: col}}, "both need Go name UserID"},
		{[]wren.TableSchema{{Name: "all_tables", Columns: col}}, "need Go name AllTables"},
		{[]wren.TableSchema{{Name: "t", Columns: []wren.ColumnSchema{{Name: "a_b", Type: "TEXT"}, {Name: "a__b", Type: "TEXT"}}}}, "columns a_b and a__b both become field AB"},
		{[]wren.TableSchema{{Name: "t", Columns: []wren.ColumnSchema{{Name: "a,b", Type: "TEXT"}}}}, `column "a,b" cannot be written in a wren tag`},
	} {
		_, _, err := Generate(&Database{Dialect: dialect.Postgres, Tables: c.tables}, GenOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("err = %v, want %q", err, c.want)
		}
	}
	src, _, err := Generate(&Database{Dialect: dialect.Postgres, Tables: []wren.TableSchema{
		{Name: "2fa codes", Columns: []wren.ColumnSchema{{Name: "id", Type: "BIGINT"}, {Name: "Mixed Case", Type: "TEXT"}}}}}, GenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"type X2faCodesTable struct", "MixedCase wren.Column[string] `wren:\"Mixed Case\"`", "MixedCase string `db:\"Mixed Case\"`"} {
		if !strings.Contains(string(src), want) {
			t.Errorf("generated code lacks %q:\n%s", want, src)
		}
	}
}
