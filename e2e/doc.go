// Package e2e drives real Chromium through each person's journey on real
// pages served by the real server on a fresh database.
package e2e
