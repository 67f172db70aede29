"""Pledges: nations, leaders, pledge types, pledges and their evidence; the public matrix."""
