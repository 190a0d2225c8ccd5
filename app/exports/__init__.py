"""The attendance workbook: plain rows in, a streamed .xlsx out."""
