"""Web pages: server-rendered NHS.UK frontend templates with htmx."""
