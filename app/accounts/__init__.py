"""The committee's accounts, managed on the web (/admin/pengguna) and from the CLI, with an audit log."""
