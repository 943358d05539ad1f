package server

// SafeNext exposes safeNext to the external tests.
var SafeNext = safeNext

// FigureListRows exposes how many rows a figure list's page shows.
const FigureListRows = figureListRows
