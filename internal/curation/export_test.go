package curation

// NextSQL is nextSQL, for the test of its plan.
const NextSQL = nextSQL
