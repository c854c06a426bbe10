"""Public, translated view data for pages, shared by states and the live broadcaster.

Pure functions of the database and a locale — no reflex, no user: what they
return is the same for every viewer of a board or console, which is what lets
one computed payload be broadcast to all of them.
"""
