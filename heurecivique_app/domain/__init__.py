"""Domain: tables, value objects, pure rules, events and errors. Never imports reflex."""
