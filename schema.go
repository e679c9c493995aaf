package wren

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wrensql/wren/dialect"
)

// CreateTableStmt is CREATE TABLE for a table descriptor: its columns with
// their types, NOT NULL unless nullable, DEFAULT, UNIQUE, the primary key,
// and foreign keys. Indexes are separate statements: see [CreateIndexes].
type CreateTableStmt struct {
	t           TableLike
	ifNotExists bool
}

// CreateTable returns the CREATE TABLE statement for t.
func CreateTable(t TableLike) CreateTableStmt { return CreateTableStmt{t: t} }

// IfNotExists makes it CREATE TABLE IF NOT EXISTS.
func (s CreateTableStmt) IfNotExists() CreateTableStmt { s.ifNotExists = true; return s }

// SQL renders the statement for d.
func (s CreateTableStmt) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, s) }

// goColumnType maps a column's Go type onto a portable column type, and
// says whether the Go type can hold NULL.
func goColumnType(t reflect.Type) (dialect.Type, bool, error) {
	nullable := false
	for {
		if t.Kind() == reflect.Pointer {
			t, nullable = t.Elem(), true
			continue
		}
		// sql.Null[T] and friends: the type of their value.
		if t.Kind() == reflect.Struct && strings.HasPrefix(t.PkgPath(), "database/sql") && t.NumField() == 2 && t.Field(1).Name == "Valid" {
			t, nullable = t.Field(0).Type, true
			continue
		}
		break
	}
	switch t {
	case reflect.TypeFor[time.Time]():
		return dialect.Time, nullable, nil
	case reflect.TypeFor[Date]():
		return dialect.Date, nullable, nil
	case reflect.TypeFor[[]byte](), reflect.TypeFor[sql.RawBytes]():
		return dialect.Bytes, true, nil
	case reflect.TypeFor[Decimal]():
		return dialect.Decimal, nullable, nil
	case reflect.TypeFor[uuid.UUID](), reflect.TypeFor[[16]byte]():
		return dialect.UUID, nullable, nil
	}
	if isJSONType(t) {
		return dialect.JSON, nullable, nil
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Uint32:
		return dialect.Int64, nullable, nil
	case reflect.Int32, reflect.Uint16:
		return dialect.Int32, nullable, nil
	case reflect.Int16, reflect.Int8, reflect.Uint8:
		return dialect.Int16, nullable, nil
	case reflect.Uint, reflect.Uint64:
		return dialect.Uint64, nullable, nil
	case reflect.Float32:
		return dialect.Float32, nullable, nil
	case reflect.Float64:
		return dialect.Float64, nullable, nil
	case reflect.String:
		return dialect.String, nullable, nil
	case reflect.Bool:
		return dialect.Bool, nullable, nil
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[driver.Valuer]()) || t.Implements(reflect.TypeFor[driver.Valuer]()) {
		return 0, nullable, fmt.Errorf("Go type %s has no default column type; give one with the tag option type=…", t)
	}
	return 0, nullable, fmt.Errorf("Go type %s has no column type; give one with the tag option type=…", t)
}

func (s CreateTableStmt) appendStatement(r *renderer) {
	t := tableOf(r, s.t, "CREATE TABLE")
	if t == nil {
		return
	}
	d := r.d
	r.buf = append(r.buf, "CREATE TABLE "...)
	if s.ifNotExists {
		r.buf = append(r.buf, "IF NOT EXISTS "...)
	}
	r.ident(roleTable, t.name)
	r.buf = append(r.buf, " ("...)
	var pk []string
	inlinePK := false
	indexed := t.keyColumns()
	for i, c := range t.cols {
		if i > 0 {
			r.buf = append(r.buf, ", "...)
		}
		c.appendName(r)
		r.buf = append(r.buf, ' ')
		typ, nullable, err := goColumnType(c.typ)
		o := c.opts
		declared := o.typeFor(d)
		elem, isArray := arrayElem(c.typ)
		uuidKey := o.auto && typ == dialect.UUID
		switch {
		case declared != "":
			r.buf = append(r.buf, declared...)
			if o.auto && !d.InlineAutoKey() && !hasAutoWords(declared) {
				r.buf = append(r.buf, d.AutoIncrementSuffix()...)
			}
		case isArray:
			if !appendArrayType(r, t, c, elem) {
				return
			}
			nullable = true // a nil slice is NULL
		case uuidKey:
			r.buf = append(r.buf, d.ColumnType(typ, 0, true)...)
		case err != nil:
			r.fail("wren: CREATE TABLE %s: column %s (field %s): %v", t.ref(), c.name, c.field, err)
			return
		case o.auto:
			auto := d.AutoIncrement(typ)
			if auto == "" {
				r.fail("wren: CREATE TABLE %s: column %s: %s cannot auto-increment a %s", t.ref(), c.name, d, c.typ)
				return
			}
			r.buf = append(r.buf, auto...)
		default:
			r.buf = append(r.buf, d.ColumnType(typ, o.size, indexed[c.name])...)
		}
		if o.auto && !uuidKey && d.InlineAutoKey() {
			r.buf = append(r.buf, " PRIMARY KEY AUTOINCREMENT"...)
			inlinePK = true
		} else if !(nullable || o.null) {
			r.buf = append(r.buf, " NOT NULL"...)
		}
		switch {
		case o.hasDefault:
			r.buf = append(r.buf, " DEFAULT "...)
			r.buf = append(r.buf, o.dflt...)
		case uuidKey:
			r.buf = append(r.buf, " DEFAULT "...)
			r.buf = append(r.buf, d.UUIDDefault()...)
		}
		appendEnumCheck(r, c)
		if o.unique {
			r.buf = append(r.buf, " UNIQUE"...)
		}
		if o.pk {
			pk = append(pk, c.name)
		}
	}
	if len(t.opts.pk) > 0 {
		if len(pk) > 0 {
			r.fail("wren: CREATE TABLE %s: the primary key is declared both on columns (pk) and on the table (pk=…)", t.ref())
			return
		}
		pk = t.opts.pk
	}
	if len(pk) > 0 && !inlinePK {
		r.buf = append(r.buf, ", PRIMARY KEY ("...)
		appendList(r, pk, func(r *renderer, n string) { r.ident(roleColumn, n) })
		r.buf = append(r.buf, ')')
	}
	for _, cols := range t.opts.uniques {
		r.buf = append(r.buf, ", UNIQUE ("...)
		appendList(r, cols, func(r *renderer, n string) { r.ident(roleColumn, n) })
		r.buf = append(r.buf, ')')
	}
	for _, c := range t.cols {
		o := c.opts
		if o.refTable == "" {
			continue
		}
		r.buf = append(r.buf, ", FOREIGN KEY ("...)
		c.appendName(r)
		r.buf = append(r.buf, ") REFERENCES "...)
		r.ident("referenced table", o.refTable)
		r.buf = append(r.buf, " ("...)
		r.ident("referenced column", o.refColumn)
		r.buf = append(r.buf, ')')
		if o.onDelete != "" {
			r.buf = append(r.buf, " ON DELETE "...)
			r.buf = append(r.buf, o.onDelete...)
		}
		if o.onUpdate != "" {
			r.buf = append(r.buf, " ON UPDATE "...)
			r.buf = append(r.buf, o.onUpdate...)
		}
	}
	r.buf = append(r.buf, ')')
	r.buf = append(r.buf, d.TableOptions()...)
}

// hasAutoWords reports whether a type= tag already says how the column
// auto-increments (SERIAL, IDENTITY, AUTO_INCREMENT).
func hasAutoWords(sqlType string) bool {
	u := strings.ToUpper(sqlType)
	return strings.Contains(u, "SERIAL") || strings.Contains(u, "IDENTITY") || strings.Contains(u, "AUTO_INCREMENT")
}

// IndexStmt is CREATE [UNIQUE] INDEX for one index declared on a table.
type IndexStmt struct {
	t           *tableInfo
	cols        []string
	unique      bool
	ifNotExists bool
	name        string // "" for the default name
	where       string // a partial index's condition
}

// CreateIndexes returns the CREATE INDEX statements for the indexes
// declared on t: `index` on a column, index=a+b on the embedded Table, and
// the [Index] and [UniqueIndex] options of [NewTable].
// Unique constraints are part of CREATE TABLE.
func CreateIndexes(t TableLike) []IndexStmt {
	ti := infoOf(t)
	if ti == nil {
		return nil
	}
	var out []IndexStmt
	for _, c := range ti.cols {
		if c.opts.index {
			out = append(out, IndexStmt{t: ti, cols: []string{c.name}})
		}
	}
	for _, ix := range ti.opts.indexes {
		out = append(out, IndexStmt{t: ti, cols: ix})
	}
	for _, ix := range ti.opts.named {
		out = append(out, IndexStmt{t: ti, cols: ix.cols, unique: ix.unique, name: ix.nameFor(ti.name), where: ix.where})
	}
	return out
}

// IfNotExists makes it CREATE INDEX IF NOT EXISTS (not on MySQL 8, where
// rendering fails with ErrUnsupported).
func (s IndexStmt) IfNotExists() IndexStmt { s.ifNotExists = true; return s }

// SQL renders the statement for d.
func (s IndexStmt) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, s) }

func (s IndexStmt) appendStatement(r *renderer) {
	r.buf = append(r.buf, "CREATE "...)
	if s.unique {
		r.buf = append(r.buf, "UNIQUE "...)
	}
	r.buf = append(r.buf, "INDEX "...)
	if s.ifNotExists {
		if !r.d.IndexIfNotExists() {
			r.unsupported("CREATE INDEX IF NOT EXISTS")
			return
		}
		r.buf = append(r.buf, "IF NOT EXISTS "...)
	}
	name := s.name
	if name == "" {
		name = defaultIndexName(s.t.name, s.cols)
	}
	r.ident(roleIndex, name)
	r.buf = append(r.buf, " ON "...)
	r.ident(roleTable, s.t.name)
	r.buf = append(r.buf, " ("...)
	appendList(r, s.cols, func(r *renderer, n string) { r.ident(roleColumn, n) })
	r.buf = append(r.buf, ')')
	if s.where != "" {
		if !r.d.PartialIndexes() {
			r.unsupported("partial index " + name + " (CREATE INDEX … WHERE)")
			return
		}
		r.buf = append(r.buf, " WHERE "...)
		r.buf = append(r.buf, s.where...)
	}
}

// DropTableStmt is DROP TABLE.
type DropTableStmt struct {
	t        TableLike
	ifExists bool
}

// DropTable returns the DROP TABLE statement for t.
func DropTable(t TableLike) DropTableStmt { return DropTableStmt{t: t} }

// IfExists makes it DROP TABLE IF EXISTS.
func (s DropTableStmt) IfExists() DropTableStmt { s.ifExists = true; return s }

// SQL renders the statement for d.
func (s DropTableStmt) SQL(d *dialect.Dialect) (string, []any, error) { return renderSQL(d, s) }

func (s DropTableStmt) appendStatement(r *renderer) {
	t := tableOf(r, s.t, "DROP TABLE")
	if t == nil {
		return
	}
	r.buf = append(r.buf, "DROP TABLE "...)
	if s.ifExists {
		r.buf = append(r.buf, "IF EXISTS "...)
	}
	r.ident(roleTable, t.name)
}

// CreateTables creates tables and their indexes, referenced tables before
// the tables that reference them.
func CreateTables(ctx context.Context, db Querier, tables ...TableLike) error {
	return createTables(ctx, db, false, tables)
}

// CreateTablesIfNotExists is CreateTables that leaves existing tables and
// indexes alone (Peewee's safe=True).
func CreateTablesIfNotExists(ctx context.Context, db Querier, tables ...TableLike) error {
	return createTables(ctx, db, true, tables)
}

func createTables(ctx context.Context, db Querier, safe bool, tables []TableLike) error {
	order, err := dependencyOrder(tables)
	if err != nil {
		return err
	}
	for _, t := range order {
		ct := CreateTable(t)
		if safe {
			ct = ct.IfNotExists()
		}
		if _, err := Exec(ctx, db, ct); err != nil {
			return fmt.Errorf("wren: create table %s: %w", t.info().name, err)
		}
		for _, ix := range CreateIndexes(t) {
			if safe && db.Dialect().IndexIfNotExists() {
				ix = ix.IfNotExists()
			}
			if _, err := Exec(ctx, db, ix); err != nil {
				return fmt.Errorf("wren: create index on %s: %w", t.info().name, err)
			}
		}
		if s := t.info().search; s != nil {
			for _, st := range s.CreateStatements(db.Dialect()) {
				if safe && db.Dialect().IndexIfNotExists() {
					st = st.IfNotExists()
				}
				if _, err := Exec(ctx, db, st); err != nil {
					return fmt.Errorf("wren: create full-text index on %s: %w", t.info().name, err)
				}
			}
		}
	}
	return nil
}

// DropTables drops tables, those that reference others first.
func DropTables(ctx context.Context, db Querier, tables ...TableLike) error {
	return dropTables(ctx, db, false, tables)
}

// DropTablesIfExists is DropTables that skips missing tables.
func DropTablesIfExists(ctx context.Context, db Querier, tables ...TableLike) error {
	return dropTables(ctx, db, true, tables)
}

func dropTables(ctx context.Context, db Querier, safe bool, tables []TableLike) error {
	order, err := dependencyOrder(tables)
	if err != nil {
		return err
	}
	for i := len(order) - 1; i >= 0; i-- {
		if s := order[i].info().search; s != nil {
			for _, st := range s.DropStatements(db.Dialect()) {
				if _, err := Exec(ctx, db, st); err != nil {
					return fmt.Errorf("wren: drop full-text table of %s: %w", order[i].info().name, err)
				}
			}
		}
		st := DropTable(order[i])
		if safe {
			st = st.IfExists()
		}
		if _, err := Exec(ctx, db, st); err != nil {
			return fmt.Errorf("wren: drop table %s: %w", order[i].info().name, err)
		}
	}
	return nil
}

// dependencyOrder sorts tables so that each comes after the tables its
// foreign keys reference (among those given).
func dependencyOrder(tables []TableLike) ([]TableLike, error) {
	byName := map[string]TableLike{}
	for _, t := range tables {
		if infoOf(t) == nil {
			return nil, fmt.Errorf("wren: a nil or uninitialised table descriptor")
		}
		byName[t.info().name] = t
	}
	var out []TableLike
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(t TableLike) error
	visit = func(t TableLike) error {
		name := t.info().name
		switch state[name] {
		case 1:
			return fmt.Errorf("wren: foreign keys form a cycle through table %s", name)
		case 2:
			return nil
		}
		state[name] = 1
		for _, c := range t.info().cols {
			if dep, ok := byName[c.opts.refTable]; ok && c.opts.refTable != name {
				if err := visit(dep); err != nil {
					return err
				}
			}
		}
		state[name] = 2
		out = append(out, t)
		return nil
	}
	for _, t := range tables {
		if err := visit(t); err != nil {
			return nil, err
		}
	}
	return out, nil
}
