"""presidio: Presidio's own recognizers that earn their keep on clinical text."""
