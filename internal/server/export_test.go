package server

// SafeNext exposes safeNext to the external tests.
var SafeNext = safeNext
