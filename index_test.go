package wren_test

import (
	"strings"
	"testing"

	"github.com/wrensql/wren"
)

// TestIndexOptionErrors: an index option that names no column, a column
// the table lacks, or a name twice panics in NewTable with a message
// naming the descriptor, the index and the column.
func TestIndexOptionErrors(t *testing.T) {
	for _, c := range []struct {
		opt  []wren.TableOption
		want string
	}{
		{[]wren.TableOption{wren.Index("ix")}, `index "ix" names no column`},
		{[]wren.TableOption{wren.UniqueIndex("ux", "emial")}, `unique index "ux" names column "emial", which the table does not have`},
		{[]wren.TableOption{wren.Index("a", "email"), wren.Index("a", "id")}, `two indexes are named "a"`},
		{[]wren.TableOption{wren.Index("", "email"), wren.Index("idx_accounts_email", "email")}, `two indexes are named "idx_accounts_email"`},
		{[]wren.TableOption{wren.Index("w", "email").Where("x\x00")}, `WHERE contains NUL`},
	} {
		func() {
			defer func() {
				r := recover()
				msg, _ := r.(string)
				if !strings.Contains(msg, c.want) || !strings.Contains(msg, "IndexedAccountTable") {
					t.Errorf("panic %v, want one naming IndexedAccountTable and %q", r, c.want)
				}
			}()
			wren.NewTable[IndexedAccountTable]("accounts", c.opt...)
		}()
	}
}
