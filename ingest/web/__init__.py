"""Guarded access to the outside web: every request Pledgewatch makes goes through
`http_client` (deadlines, size caps, allowed content types, redirects), whose addresses
`netguard` vets against private networks; `canonical` gives each URL one spelling, and `feeds`
and `pages` read what came back. Plain Python: no Django, no database.
"""
