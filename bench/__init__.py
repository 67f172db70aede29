"""`make bench`: Pledgewatch measured against its own targets and side by side with peers
(Datasette, trafilatura, a bare fetch loop) on throwaway databases. See bench/__main__.py."""
