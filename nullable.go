package wren

// A nullable column is a Column[*T]. SQL compares it with a T column,
// matches it with LIKE and takes it into COALESCE as it would any other;
// these make the Go side say the same with its types checked.

// Nullable is e seen as an expression of *T: the same SQL, typed so that
// it compares with a nullable column. Go's methods cannot take a second
// type, so a Column[*int64] compares with a Column[int64] through it:
//
//	Tweets.ReplyTo.EqExpr(wren.Nullable(Tweets.ID)) // "reply_to" = "id"
func Nullable[T any](e TypedExpr[T]) Expr[*T] { return newExpr[*T](e) }

// Text is the constraint of the string matchers (Like, Contains, …): a
// string type, or *string for a nullable text column (NULL matches no
// pattern).
type Text interface{ ~string | *string }

// OrNull is the constraint of Coalesce's first argument: an expression of
// T or of *T (a Column, an Expr, an aggregate or a subquery), so that a
// nullable expression with a T default is a T.
type OrNull[T any] interface {
	Expr[T] | Expr[*T] | Column[T] | Column[*T] | Agg[T] | Agg[*T] | NullAgg[T] | Subquery[T] | Subquery[*T]
}

// Coalesce is COALESCE(e, others…): the first that is not NULL. The others
// are of type T, and so is the result; e may be of T or of *T, so a
// nullable column with a default is a T:
//
//	wren.Coalesce(Users.Email, wren.Val("none"))      // Expr[string]
//	wren.Coalesce(Users.Email, wren.Val(&fallback))   // Expr[*string]: still nullable
//
// Nest calls to coalesce several nullable expressions into a T.
func Coalesce[T any, E OrNull[T]](e E, others ...TypedExpr[T]) Expr[T] {
	args := make([]Expression, 0, 1+len(others))
	args = append(args, any(e).(Expression))
	for _, o := range others {
		args = append(args, o)
	}
	return fn[T]("COALESCE", args...)
}

// Like is "e LIKE pattern", with the pattern's % and _ as wildcards. It
// exists only for text expressions, nullable ones included.
func Like[S Text, P ~string](e TypedExpr[S], pattern P) Predicate {
	return Predicate{op: pLike, l: e, v: string(pattern)}
}

// ILike is a case-insensitive LIKE: ILIKE on PostgreSQL, LOWER(e) LIKE
// LOWER(pattern) elsewhere.
func ILike[S Text, P ~string](e TypedExpr[S], pattern P) Predicate {
	return Predicate{op: pLike, cmp: likeInsensitive, l: e, v: string(pattern)}
}

// StartsWith is true when e begins with prefix, taken literally: % and _ in
// prefix match only themselves.
func StartsWith[S Text, P ~string](e TypedExpr[S], prefix P) Predicate {
	return Predicate{op: pLike, cmp: likeEscaped, l: e, v: escapeLike(string(prefix)) + "%"}
}

// EndsWith is true when e ends with suffix, taken literally.
func EndsWith[S Text, P ~string](e TypedExpr[S], suffix P) Predicate {
	return Predicate{op: pLike, cmp: likeEscaped, l: e, v: "%" + escapeLike(string(suffix))}
}

// Contains is true when e contains sub, taken literally.
func Contains[S Text, P ~string](e TypedExpr[S], sub P) Predicate {
	return Predicate{op: pLike, cmp: likeEscaped, l: e, v: "%" + escapeLike(string(sub)) + "%"}
}
