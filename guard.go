package wren

// constEmptyNotIn marks the constant TRUE that an empty NotIn list became
// (Predicate.cmp), so that the UPDATE/DELETE guard can name it.
const constEmptyNotIn cmpOp = 1
