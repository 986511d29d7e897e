"""Reports: the annual report's pages and PDFs."""
