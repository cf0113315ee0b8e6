"""Certificates: issued once per completion, verifiable by anyone from a link, revocable by admins."""
